import { type KernelOptions, resolveBackend } from './backend/dispatch.js';
import type { NativeSurrogateArgs } from './backend/native.js';
import {
  checkFinite,
  checkFlags,
  checkInteger,
  checkKernelOptions,
  checkKeys,
  checkLength,
  checkNumberInRange,
  checkObject,
  checkOutput,
  checkOutputs,
  checkTyped,
  withoutUndefined,
} from './internal/checks.js';

/**
 * How {@link clippedSurrogate} turns per-token objectives into one loss (the names of verl's
 * `loss_agg_mode`):
 * - `'token-mean'`: mean over all masked tokens of the batch;
 * - `'seq-mean-token-sum'`: per sequence the sum over its masked tokens, then the mean over the
 *   sequences that have at least one masked token;
 * - `'seq-mean-token-mean'`: per sequence the mean over its masked tokens, then the mean over the
 *   sequences that have at least one masked token.
 */
export type LossAggregation = 'token-mean' | 'seq-mean-token-sum' | 'seq-mean-token-mean';

const AGGREGATIONS: readonly string[] = ['token-mean', 'seq-mean-token-sum', 'seq-mean-token-mean'];

const SURROGATE_KEYS = [
  'logProbs',
  'oldLogProbs',
  'advantages',
  'clipRange',
  'clipRangeHigh',
  'dualClip',
  'mask',
  'normalizeAdvantages',
  'aggregation',
  'seqLen',
  'out',
];

/** Inputs of {@link clippedSurrogate}; every array is float32 [B] (flattened batch). */
export interface ClippedSurrogateArgs {
  /** log π_θ(a|s) under the current policy. */
  logProbs: Float32Array;
  /** log π_θold(a|s) recorded during the rollout. */
  oldLogProbs: Float32Array;
  /** Advantage estimates Â. */
  advantages: Float32Array;
  /** ε: the ratio is clipped to [1 − ε, 1 + ε_high]. */
  clipRange: number;
  /** ε_high for asymmetric clipping (default `clipRange`). */
  clipRangeHigh?: number;
  /** Dual-clip constant c > 1 (Ye et al. 2020): for Â < 0 the objective is bounded below by c·Â. */
  dualClip?: number;
  /** uint8 [B]: 1 for elements that count (token mask); default all. The loss averages over masked elements only (see `aggregation`). */
  mask?: Uint8Array;
  /** Normalize advantages to zero mean and unit (unbiased) std over the (masked) batch first. Default false. */
  normalizeAdvantages?: boolean;
  /** How the per-token objectives are averaged into the loss (default `'token-mean'`). */
  aggregation?: LossAggregation;
  /**
   * L, the length of every sequence when the batch is [B / L, L] row-major token sequences: an
   * integer ≥ 1 dividing B. Required by the `'seq-mean-*'` aggregations (ignored, but checked, otherwise).
   */
  seqLen?: number;
  /**
   * Preallocated outputs. `gradLogProbs`: a Float32Array [B] sharing no memory with an input; the
   * gradient is written into it (every element: +0 where masked out) and it is returned as the
   * result's `gradLogProbs`, so a training loop can reuse one buffer instead of allocating (and
   * page-faulting in) a fresh [B] array on every call. Default: a new array per call.
   */
  out?: ClippedSurrogateOut;
}

/** Preallocated outputs of {@link clippedSurrogate} (see {@link ClippedSurrogateArgs.out}). */
export interface ClippedSurrogateOut {
  /** Receives ∂loss/∂logProbs: Float32Array [B], not overlapping `logProbs`, `oldLogProbs`, `advantages` or `mask`. */
  gradLogProbs?: Float32Array;
}

/** Outputs of {@link clippedSurrogate}. */
export interface ClippedSurrogateResult {
  /** −(objective aggregated as `aggregation` says): the quantity to minimize. */
  loss: number;
  /** ∂loss/∂logProbs, float32 [B] (0 where masked out); `out.gradLogProbs` itself when given. */
  gradLogProbs: Float32Array;
  /** Fraction of (masked) elements whose ratio lies outside the clip range. */
  clipFraction: number;
  /** k3 estimator of KL(π_old‖π_θ): mean((r − 1) − log r) (Schulman 2020, "Approximating KL Divergence"). */
  approxKl: number;
  /** k1 estimator: mean(−log r) = mean(oldLogProbs − logProbs). */
  approxKlK1: number;
  /** Mean of the probability ratio r = exp(logProbs − oldLogProbs). */
  ratioMean: number;
}

/**
 * Checks `out` (before the other arguments, on every backend, so that both report the same error
 * first) and returns the preallocated gradient, if any.
 */
function checkOut(raw: unknown): Float32Array | undefined {
  const a = checkObject('clippedSurrogate arguments', raw) as unknown as ClippedSurrogateArgs;
  checkKeys('clippedSurrogate arguments', a, SURROGATE_KEYS);
  if (a.out === undefined) return undefined;
  const out = checkOutputs('out', a.out, 'gradLogProbs') as ClippedSurrogateOut;
  const n = a.logProbs instanceof Float32Array ? a.logProbs.length : undefined;
  return checkOutput('out.gradLogProbs', out.gradLogProbs, n, 'logProbs.length', {
    logProbs: a.logProbs,
    oldLogProbs: a.oldLogProbs,
    advantages: a.advantages,
    mask: a.mask,
  });
}

/** The addon's arguments: `args` with `out.gradLogProbs` (checked) as its `gradLogProbs`, and the options. */
function nativeArgs(args: ClippedSurrogateArgs, options: KernelOptions): NativeSurrogateArgs {
  const gradLogProbs = checkOut(args);
  const { out: _out, ...rest } = args;
  return withoutUndefined({
    ...rest,
    gradLogProbs,
    threads: options.threads,
    checkFinite: options.checkFinite,
  }) as unknown as NativeSurrogateArgs;
}

function checkArgs(raw: unknown) {
  const a = checkObject('clippedSurrogate arguments', raw) as unknown as ClippedSurrogateArgs;
  const logProbs = checkTyped<Float32Array>('logProbs', a.logProbs, Float32Array);
  const n = logProbs.length;
  if (n === 0) throw new RangeError('logProbs must not be empty');
  checkLength('oldLogProbs', checkTyped('oldLogProbs', a.oldLogProbs, Float32Array), n, 'logProbs.length');
  checkLength('advantages', checkTyped('advantages', a.advantages, Float32Array), n, 'logProbs.length');
  checkNumberInRange('clipRange', a.clipRange, 0, Number.MAX_VALUE);
  if (a.clipRangeHigh !== undefined)
    checkNumberInRange('clipRangeHigh', a.clipRangeHigh, 0, Number.MAX_VALUE);
  if (a.dualClip !== undefined) {
    if (typeof a.dualClip !== 'number' || !(a.dualClip > 1) || !Number.isFinite(a.dualClip)) {
      throw new RangeError(`dualClip must be a finite number > 1, got ${String(a.dualClip)}`);
    }
  }
  if (a.mask !== undefined) {
    checkLength('mask', checkTyped('mask', a.mask, Uint8Array), n, 'logProbs.length');
  }
  const aggregation = a.aggregation ?? 'token-mean';
  if (typeof aggregation !== 'string' || !AGGREGATIONS.includes(aggregation)) {
    const got = typeof aggregation === 'string' ? `'${aggregation}'` : String(aggregation);
    throw new RangeError(
      `aggregation must be 'token-mean', 'seq-mean-token-sum' or 'seq-mean-token-mean', got ${got}`,
    );
  }
  let seqLen = 0;
  if (a.seqLen !== undefined) {
    seqLen = checkInteger('seqLen', a.seqLen, 1);
    if (n % seqLen !== 0) {
      throw new RangeError(`logProbs has length ${n}, which is not a multiple of seqLen = ${seqLen}`);
    }
  } else if (aggregation !== 'token-mean') {
    throw new RangeError(
      `seqLen is required with aggregation '${aggregation}' (an integer ≥ 1 dividing logProbs.length)`,
    );
  }
  // Last, as the native binding (a full pass over the mask).
  if (a.mask !== undefined) checkFlags('mask', a.mask);
  return { ...a, aggregation: aggregation as LossAggregation, seqLen };
}

/** Pure-TypeScript reference of {@link clippedSurrogate} (float64 accumulation); checks and options as it. */
export function clippedSurrogateReference(
  args: ClippedSurrogateArgs,
  options: KernelOptions = {},
): ClippedSurrogateResult {
  const { checkFinite: check } = checkKernelOptions(options);
  const out = checkOut(args);
  const { logProbs, oldLogProbs, advantages, clipRange, mask, aggregation, seqLen } = checkArgs(args);
  if (check) {
    checkFinite('logProbs', logProbs, mask);
    checkFinite('oldLogProbs', oldLogProbs, mask);
    checkFinite('advantages', advantages, mask);
  }
  const high = 1 + (args.clipRangeHigh ?? clipRange);
  const low = 1 - clipRange;
  const dual = args.dualClip;
  const n = logProbs.length;
  let count = 0;
  let advMean = 0;
  let advScale = 1;
  for (let i = 0; i < n; i++) {
    if (mask && !mask[i]) continue;
    count++;
    advMean += advantages[i];
  }
  const gradLogProbs = out ? out.fill(0) : new Float32Array(n);
  if (count === 0) {
    return { loss: 0, gradLogProbs, clipFraction: 0, approxKl: 0, approxKlK1: 0, ratioMean: 0 };
  }
  advMean /= count;
  if (args.normalizeAdvantages) {
    let ss = 0;
    for (let i = 0; i < n; i++) {
      if (mask && !mask[i]) continue;
      const d = advantages[i] - advMean;
      ss += d * d;
    }
    const std = count > 1 ? Math.sqrt(ss / (count - 1)) : 0;
    advScale = 1 / (std + 1e-8);
  } else {
    advMean = 0;
  }
  let clipped = 0;
  let k3 = 0;
  let k1 = 0;
  let ratioSum = 0;
  const inv = 1 / count;
  // Loss weights: one "segment" of all n elements with weight 1/count (token-mean), or one segment
  // per sequence with weight 1/numSeqs (token sum) or 1/(numSeqs · its count) (token mean), where
  // numSeqs counts the sequences with at least one masked element.
  const segLen = aggregation === 'token-mean' ? n : seqLen;
  const numSegs = n / segLen;
  const segCount = new Float64Array(numSegs);
  let numSeqs = 0;
  for (let s = 0; s < numSegs; s++) {
    let c = 0;
    for (let i = s * segLen; i < (s + 1) * segLen; i++) if (!mask || mask[i]) c++;
    segCount[s] = c;
    if (c > 0) numSeqs++;
  }
  let lossSum = 0;
  for (let s = 0; s < numSegs; s++) {
    if (segCount[s] === 0) continue;
    const w =
      aggregation === 'token-mean'
        ? inv
        : aggregation === 'seq-mean-token-sum'
          ? 1 / numSeqs
          : 1 / (numSeqs * segCount[s]);
    let objSum = 0;
    for (let i = s * segLen; i < (s + 1) * segLen; i++) {
      if (mask && !mask[i]) continue;
      const logRatio = logProbs[i] - oldLogProbs[i];
      const ratio = Math.exp(logRatio);
      const adv = (advantages[i] - advMean) * advScale;
      const unclipped = ratio * adv;
      const clippedRatio = ratio < low ? low : Math.min(ratio, high);
      const clippedObj = clippedRatio * adv;
      // objective = min(unclipped, clipped); d/dlogp = ratio*adv on the unclipped branch, 0 on a clipped one
      let obj: number;
      let grad: number;
      if (unclipped <= clippedObj) {
        obj = unclipped;
        grad = unclipped;
      } else {
        obj = clippedObj;
        grad = clippedRatio === ratio ? unclipped : 0;
      }
      if (dual !== undefined && adv < 0 && obj < dual * adv) {
        obj = dual * adv;
        grad = 0;
      }
      objSum += obj;
      gradLogProbs[i] = (0 - grad) * w; // +0 on clipped branches
      if (ratio < low || ratio > high) clipped++;
      k3 += ratio - 1 - logRatio;
      k1 -= logRatio;
      ratioSum += ratio;
    }
    lossSum += objSum * w;
  }
  return {
    loss: -lossSum,
    gradLogProbs,
    clipFraction: clipped * inv,
    approxKl: k3 * inv,
    approxKlK1: k1 * inv,
    ratioMean: ratioSum * inv,
  };
}

/**
 * PPO's clipped surrogate objective, fused forward and backward.
 *
 * ```
 * r_i   = exp(logProbs_i − oldLogProbs_i)
 * obj_i = min(r_i Â_i, clip(r_i, 1 − ε, 1 + ε_high) Â_i)        (dual clip: max(obj_i, c Â_i) where Â_i < 0)
 * loss  = −mean_i obj_i   (over elements with mask = 1; aggregation 'token-mean')
 *       = −(1/S) Σ_s Σ_{i∈s} obj_i          ('seq-mean-token-sum')
 *       = −(1/S) Σ_s (1/n_s) Σ_{i∈s} obj_i  ('seq-mean-token-mean')
 * ```
 * where the batch is B / seqLen sequences of seqLen tokens, n_s counts the masked tokens of
 * sequence s and S the sequences with n_s ≥ 1 (verl's `loss_agg_mode` names; sequences without a
 * masked token are left out of the mean). The gradient follows the loss: element i of sequence s
 * gets weight 1/count, 1/S or 1/(S n_s) respectively. `clipFraction`, `approxKl`, `approxKlK1` and
 * `ratioMean` are token means over the masked elements whatever the aggregation.
 * Source: Schulman et al. 2017, "Proximal Policy Optimization Algorithms", eq. 7; dual clip from
 * Ye et al. 2020, "Mastering Complex Control in MOBA Games with Deep RL"; advantage normalization
 * as in CleanRL/SB3 (unbiased std, ε = 1e-8).
 *
 * Pass `out: { gradLogProbs }` (a Float32Array [B]) to have the gradient written into a buffer you
 * reuse across calls instead of a new array per call; the result's `gradLogProbs` is then that array.
 *
 * @returns the loss, its gradient w.r.t. `logProbs` (float32 [B]; `out.gradLogProbs` when given) and
 *   diagnostics (clip fraction, KL k3/k1, mean ratio).
 * @throws TypeError for a wrong dtype (including `out` not an object or `out.gradLogProbs` not a
 *   Float32Array); RangeError for length mismatches (`out.gradLogProbs` included), `out.gradLogProbs`
 *   sharing memory with an input, an empty batch, a negative or non-finite clip range, dualClip ≤ 1,
 *   an unknown aggregation, seqLen missing (for a 'seq-mean-*' aggregation), not a positive integer or
 *   not dividing B, mask values other than 0/1, threads outside [1, 1024], or (with checkFinite) a
 *   NaN/infinite element of logProbs, oldLogProbs or advantages where mask = 1 (naming it and its
 *   index); TypeError for an unknown key in `args`, `out` or `options`.
 */
export function clippedSurrogate(
  args: ClippedSurrogateArgs,
  options: KernelOptions = {},
): ClippedSurrogateResult {
  checkKernelOptions(options);
  const choice = resolveBackend(options.backend, 'clippedSurrogate');
  if (choice.backend === 'native') {
    return choice.addon.clippedSurrogate!(nativeArgs(args, options));
  }
  return clippedSurrogateReference(args, options);
}

/**
 * As {@link clippedSurrogate}, off the main thread when the native backend runs it (the TypeScript
 * reference runs inline); invalid arguments reject. An `out.gradLogProbs` must not be touched until
 * the promise settles.
 */
export async function clippedSurrogateAsync(
  args: ClippedSurrogateArgs,
  options: KernelOptions = {},
): Promise<ClippedSurrogateResult> {
  checkKernelOptions(options);
  const choice = resolveBackend(options.backend, 'clippedSurrogateAsync');
  if (choice.backend === 'native') {
    return choice.addon.clippedSurrogateAsync!(nativeArgs(args, options));
  }
  return clippedSurrogateReference(args, options);
}
