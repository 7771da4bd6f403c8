import { type KernelOptions, resolveBackend } from '../backend/dispatch.js';
import {
  checkChoice,
  checkFinite,
  checkFlags,
  checkInteger,
  checkKernelOptions,
  checkKeys,
  checkLength,
  checkNumberInRange,
  checkObject,
  checkTyped,
} from '../internal/checks.js';

// ---------------------------------------------------------------------------------------------
// Group-relative advantages

/** How {@link groupRelativeAdvantages} scales the centred rewards (TRL's `scale_rewards`). */
export type RewardScaling = 'group' | 'batch' | 'none';

const SCALINGS: readonly RewardScaling[] = ['group', 'batch', 'none'];

/** Inputs of {@link groupRelativeAdvantages}. */
export interface GroupRelativeAdvantagesArgs {
  /**
   * Scalar reward per completion, float32 [B]. Groups are consecutive blocks of `numGenerations`
   * completions of the same prompt (TRL's layout: `rewards.view(-1, num_generations)`).
   */
  rewards: Float32Array;
  /** G, the completions per prompt: an integer ≥ 2 dividing B. */
  numGenerations: number;
  /** Divide by the group's std (`'group'`, default), the whole batch's std (`'batch'`) or not at all (`'none'`). */
  scaleRewards?: RewardScaling;
}

/** Outputs of {@link groupRelativeAdvantages}. */
export interface GroupRelativeAdvantagesResult {
  /** (r − mean of its group) / (std + 1e-4), or not divided for `'none'`: float32 [B]. */
  advantages: Float32Array;
  /** Mean reward of each group, float32 [B / G]. */
  groupMean: Float32Array;
  /** Sample std (Bessel's correction) of each group's rewards, float32 [B / G], whatever `scaleRewards`. */
  groupStd: Float32Array;
  /** Sample std of all B rewards (the divisor with `'batch'`). */
  batchStd: number;
  /** Fraction of groups whose std is 0 (|std| ≤ 1e-8, torch.isclose): TRL's `frac_reward_zero_std`. */
  fracRewardZeroStd: number;
}

const GRA_KEYS = ['rewards', 'numGenerations', 'scaleRewards'] as const;

function checkGraArgs(raw: unknown) {
  const a = checkObject('groupRelativeAdvantages arguments', raw) as unknown as GroupRelativeAdvantagesArgs;
  checkKeys('groupRelativeAdvantages', a, GRA_KEYS);
  const rewards = checkTyped<Float32Array>('rewards', a.rewards, Float32Array);
  const g = checkInteger('numGenerations', a.numGenerations, 2);
  if (rewards.length === 0 || rewards.length % g !== 0) {
    throw new RangeError(
      `rewards has length ${rewards.length}, expected a positive multiple of numGenerations = ${g}`,
    );
  }
  const scale = checkChoice('scaleRewards', a.scaleRewards ?? 'group', SCALINGS);
  return { rewards, g, scale };
}

/** Pure-TypeScript reference of {@link groupRelativeAdvantages} (float64 arithmetic, float32 outputs). */
export function groupRelativeAdvantagesReference(
  args: GroupRelativeAdvantagesArgs,
): GroupRelativeAdvantagesResult {
  const { rewards, g, scale } = checkGraArgs(args);
  const n = rewards.length;
  const numGroups = n / g;
  const groupMean = new Float32Array(numGroups);
  const groupStd = new Float32Array(numGroups);
  const means = new Float64Array(numGroups);
  const stds = new Float64Array(numGroups);
  let zero = 0;
  for (let k = 0; k < numGroups; k++) {
    let s = 0;
    for (let i = k * g; i < (k + 1) * g; i++) s += rewards[i];
    const mean = s / g;
    let ss = 0;
    for (let i = k * g; i < (k + 1) * g; i++) {
      const d = rewards[i] - mean;
      ss += d * d;
    }
    const std = Math.sqrt(ss / (g - 1));
    means[k] = mean;
    stds[k] = std;
    groupMean[k] = mean;
    groupStd[k] = std;
    if (std <= 1e-8) zero++;
  }
  let s = 0;
  for (let i = 0; i < n; i++) s += rewards[i];
  const batchMean = s / n;
  let ss = 0;
  for (let i = 0; i < n; i++) {
    const d = rewards[i] - batchMean;
    ss += d * d;
  }
  const batchStd = Math.sqrt(ss / (n - 1));
  const advantages = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const k = Math.floor(i / g);
    const centred = rewards[i] - means[k];
    advantages[i] = scale === 'none' ? centred : centred / ((scale === 'group' ? stds[k] : batchStd) + 1e-4);
  }
  return { advantages, groupMean, groupStd, batchStd, fracRewardZeroStd: zero / numGroups };
}

/**
 * GRPO's group-relative advantages (Shao et al. 2024, "DeepSeekMath", §4.1.2; TRL's
 * `GRPOTrainer._generate_and_score_completions`):
 * ```
 * A_i = (r_i − mean_{j ∈ group(i)} r_j) / (std + 1e-4)
 * ```
 * with std the sample standard deviation (Bessel's correction, as `torch.std`) of the group
 * (`'group'`), of the whole batch (`'batch'`, the mean stays the group's), or no division
 * (`'none'`, Dr. GRPO). A group whose rewards all tie gets advantage exactly 0.
 * Note: with `'batch'` TRL logs `frac_reward_zero_std` from the batch std; here
 * `fracRewardZeroStd` always counts the groups whose own rewards tie.
 *
 * @param options `backend`, `threads` (checked; the advantages kernel is single-threaded),
 *   `checkFinite` (default true).
 * @returns advantages [B], per-group mean and std [B / G], the batch std and the fraction of tied groups.
 * @throws TypeError for a wrong dtype or an unknown option; RangeError for numGenerations not an
 *   integer ≥ 2, a rewards length that is not a positive multiple of it, an unknown scaleRewards,
 *   threads outside [1, 1024], or (with checkFinite) a NaN/infinite reward; Error when the requested backend did not load.
 */
export function groupRelativeAdvantages(
  args: GroupRelativeAdvantagesArgs,
  options: KernelOptions = {},
): GroupRelativeAdvantagesResult {
  const { checkFinite: check } = checkKernelOptions(options);
  const choice = resolveBackend(options.backend, 'groupRelativeAdvantages');
  if (check) checkGraFinite(args);
  if (choice.backend === 'native') {
    checkKeys('groupRelativeAdvantages', checkObject('groupRelativeAdvantages arguments', args), GRA_KEYS);
    return choice.addon.groupRelativeAdvantages!(args);
  }
  return groupRelativeAdvantagesReference(args);
}

/**
 * With `checkFinite` (the default), a NaN/infinite reward throws RangeError `rewards[i] must be
 * finite, got NaN` on every backend (one O(B) pass; the addon does not scan again).
 */
function checkGraFinite(args: GroupRelativeAdvantagesArgs): void {
  const rewards = (args as Partial<GroupRelativeAdvantagesArgs> | null)?.rewards;
  if (rewards instanceof Float32Array) checkFinite('rewards', rewards);
}

/** As {@link groupRelativeAdvantages}, off the main thread on the native backend; invalid arguments reject. */
export async function groupRelativeAdvantagesAsync(
  args: GroupRelativeAdvantagesArgs,
  options: KernelOptions = {},
): Promise<GroupRelativeAdvantagesResult> {
  const { checkFinite: check } = checkKernelOptions(options);
  const choice = resolveBackend(options.backend, 'groupRelativeAdvantagesAsync');
  if (check) checkGraFinite(args);
  if (choice.backend === 'native') {
    checkKeys('groupRelativeAdvantages', checkObject('groupRelativeAdvantages arguments', args), GRA_KEYS);
    return choice.addon.groupRelativeAdvantagesAsync!(args);
  }
  return groupRelativeAdvantagesReference(args);
}

// ---------------------------------------------------------------------------------------------
// GRPO loss

/** How {@link grpoLoss} aggregates per-token losses (TRL's `loss_type`). */
export type GrpoLossType = 'grpo' | 'bnpo' | 'dr_grpo' | 'dapo';
/** Per-token ratios (`'token'`, GRPO) or one ratio per sequence (`'sequence'`, GSPO). */
export type ImportanceSamplingLevel = 'token' | 'sequence';

const LOSS_TYPES: readonly GrpoLossType[] = ['grpo', 'bnpo', 'dr_grpo', 'dapo'];
const IS_LEVELS: readonly ImportanceSamplingLevel[] = ['token', 'sequence'];

/** Inputs of {@link grpoLoss}. Every [B, L] array is row-major: element (b, t) at `b * seqLen + t`. */
export interface GrpoLossArgs {
  /** log π_θ of each completion token, float32 [B, L] (the input the gradient is taken with respect to). */
  logProbs: Float32Array;
  /** log π_old of each token, float32 [B, L]; default: `logProbs` itself, detached (ratio 1, TRL with numIterations = 1). */
  oldLogProbs?: Float32Array;
  /** log π_ref of each token, float32 [B, L]; required when `beta` ≠ 0. */
  refLogProbs?: Float32Array;
  /** One advantage per sequence, float32 [B] (from {@link groupRelativeAdvantages}). */
  advantages: Float32Array;
  /** Completion mask, uint8 [B, L]: 1 for completion tokens, 0 for padding. */
  mask: Uint8Array;
  /** B, the number of sequences, an integer ≥ 1. */
  numSequences: number;
  /** L, the padded length of every row, an integer ≥ 1. */
  seqLen: number;
  /** Aggregation (required): `'grpo'`, `'bnpo'`, `'dr_grpo'` or `'dapo'`. */
  lossType: GrpoLossType;
  /** ε (low side): coef2 = clamp(ratio, 1 − ε, 1 + ε_high). Default 0.2 (TRL). */
  epsilon?: number;
  /** ε_high; default `epsilon` (DAPO recommends 0.28). */
  epsilonHigh?: number;
  /** Two-sided GRPO: the unclipped ratio is clamped from above at δ (TRL's `delta`, recommended > 1 + ε). Default none. */
  delta?: number;
  /** KL coefficient β ≥ 0 (k3 estimator to the reference). Default 0. */
  beta?: number;
  /** `'token'` (default) or `'sequence'` (GSPO). */
  importanceSamplingLevel?: ImportanceSamplingLevel;
  /** The constant of `'dr_grpo'` (TRL's `max_completion_length`): required with it, an integer ≥ 1. */
  maxCompletionLength?: number;
}

/** Outputs of {@link grpoLoss}. */
export interface GrpoLossResult {
  /** The loss to minimize (TRL's `loss`, without the division by gradient-accumulation steps). */
  loss: number;
  /** ∂loss/∂logProbs, float32 [B, L]; 0 where mask = 0. */
  gradLogProbs: Float32Array;
  /** Masked token mean of k3 to the reference; null when `refLogProbs` is not given. */
  meanKl: number | null;
  /** Fraction with coef1 < 1 − ε and A < 0 (masked token mean; mean over sequences at `'sequence'` level, as TRL). */
  clipRatioLow: number;
  /** Fraction with coef1 > 1 + ε_high and A > 0 (same averaging). */
  clipRatioHigh: number;
  /** Fraction low- or high-clipped (same averaging). */
  clipRatioRegion: number;
}

const GRPO_KEYS = [
  'logProbs',
  'oldLogProbs',
  'refLogProbs',
  'advantages',
  'mask',
  'numSequences',
  'seqLen',
  'lossType',
  'epsilon',
  'epsilonHigh',
  'delta',
  'beta',
  'importanceSamplingLevel',
  'maxCompletionLength',
] as const;

/** Checks shared by every backend (the native binding repeats them in this order). */
function checkGrpoArgs(raw: unknown) {
  const a = checkObject('grpoLoss arguments', raw) as unknown as GrpoLossArgs;
  checkKeys('grpoLoss', a, GRPO_KEYS);
  const B = checkInteger('numSequences', a.numSequences, 1);
  const L = checkInteger('seqLen', a.seqLen, 1);
  const size = B * L;
  const what = 'numSequences * seqLen';
  checkLength('logProbs', checkTyped('logProbs', a.logProbs, Float32Array), size, what);
  if (a.oldLogProbs !== undefined) {
    checkLength('oldLogProbs', checkTyped('oldLogProbs', a.oldLogProbs, Float32Array), size, what);
  }
  if (a.refLogProbs !== undefined) {
    checkLength('refLogProbs', checkTyped('refLogProbs', a.refLogProbs, Float32Array), size, what);
  }
  checkLength('advantages', checkTyped('advantages', a.advantages, Float32Array), B, 'numSequences');
  checkLength('mask', checkTyped('mask', a.mask, Uint8Array), size, what);
  const lossType = checkChoice('lossType', a.lossType, LOSS_TYPES);
  const level = checkChoice('importanceSamplingLevel', a.importanceSamplingLevel ?? 'token', IS_LEVELS);
  const epsilon = checkNumberInRange('epsilon', a.epsilon ?? 0.2, 0, Number.MAX_VALUE);
  const epsilonHigh = checkNumberInRange('epsilonHigh', a.epsilonHigh ?? epsilon, 0, Number.MAX_VALUE);
  const delta = a.delta === undefined ? undefined : checkNumberInRange('delta', a.delta, 0, Number.MAX_VALUE);
  const beta = checkNumberInRange('beta', a.beta ?? 0, 0, Number.MAX_VALUE);
  if (beta !== 0 && a.refLogProbs === undefined) {
    throw new TypeError(`refLogProbs is required when beta ≠ 0 (beta = ${beta})`);
  }
  let maxLen = 0;
  if (a.maxCompletionLength !== undefined) {
    maxLen = checkInteger('maxCompletionLength', a.maxCompletionLength, 1);
  } else if (lossType === 'dr_grpo') {
    throw new TypeError("maxCompletionLength is required with lossType 'dr_grpo' (an integer ≥ 1)");
  }
  checkFlags('mask', a.mask);
  return { ...a, B, L, lossType, level, epsilon, epsilonHigh, delta, beta, maxLen };
}

/**
 * Pure-TypeScript reference of {@link grpoLoss}: float64 arithmetic, float32 gradient; per-row sums
 * in token order, then rows in order (the native kernel computes the same sums in the same order).
 */
export function grpoLossReference(args: GrpoLossArgs): GrpoLossResult {
  const c = checkGrpoArgs(args);
  const { logProbs, refLogProbs, advantages, mask, B, L, lossType, level, delta, beta, maxLen } = c;
  const old = c.oldLogProbs ?? logProbs;
  const lo = 1 - c.epsilon;
  const hi = 1 + c.epsilonHigh;
  const grad = new Float32Array(B * L);
  const counts = new Float64Array(B);
  let total = 0;
  for (let b = 0; b < B; b++) {
    let n = 0;
    for (let t = b * L; t < (b + 1) * L; t++) n += mask[t];
    counts[b] = n;
    total += n;
  }
  const totalDen = Math.max(1, total);
  let lossSum = 0;
  let klSum = 0;
  let lowSum = 0;
  let highSum = 0;
  let regionSum = 0;
  for (let b = 0; b < B; b++) {
    const n = counts[b];
    if (n === 0) continue;
    const row = b * L;
    const A = advantages[b];
    // weight of each of this row's tokens in the loss
    const w = lossType === 'grpo' ? 1 / (B * n) : lossType === 'dr_grpo' ? 1 / (B * maxLen) : 1 / totalDen;
    let seqCoef = 0;
    if (level === 'sequence') {
      let s = 0;
      for (let t = row; t < row + L; t++) if (mask[t]) s += logProbs[t] - old[t];
      seqCoef = Math.exp(s / n);
    }
    // d(per-token loss)/d(coef1 before the delta clamp), and the clip flags
    let pgLoss = 0;
    let pgDerivative = 0;
    const surrogate = (raw: number) => {
      const c2 = raw < lo ? lo : Math.min(raw, hi);
      const c1 = delta !== undefined && raw > delta ? delta : raw;
      const l1 = c1 * A;
      const l2 = c2 * A;
      const g1 = delta !== undefined && raw > delta ? 0 : 1; // clamp(max=δ) passes the gradient where raw ≤ δ
      const g2 = raw >= lo && raw <= hi ? 1 : 0;
      // torch.min's backward: the smaller input gets the gradient; a tie splits it in half
      pgLoss = -Math.min(l1, l2);
      pgDerivative = l1 < l2 ? -A * g1 : l2 < l1 ? -A * g2 : (-A * (g1 + g2)) / 2;
      return (c1 < lo && A < 0 ? 1 : 0) | (c1 > hi && A > 0 ? 2 : 0); // bit 0: low-, bit 1: high-clipped
    };
    // the KL term of token t: adds β·k3 to rowLoss and returns its gradient
    let rowLoss = 0;
    const kl = (t: number): number => {
      if (!refLogProbs) return 0;
      const d = refLogProbs[t] - logProbs[t];
      const e = Math.exp(d);
      const k3 = e - d - 1;
      klSum += k3;
      if (beta === 0) return 0;
      rowLoss += beta * k3;
      return w * beta * (1 - e);
    };
    const count = (flags: number) => {
      lowSum += flags & 1;
      highSum += flags >> 1;
      regionSum += flags === 0 ? 0 : 1;
    };
    if (level === 'sequence') {
      count(surrogate(seqCoef));
      // every masked token carries the same loss ℓ (total weight n·w) and d coef1/d logp_t = coef1 / n
      const g = w * pgDerivative * seqCoef;
      for (let t = row; t < row + L; t++) {
        if (!mask[t]) continue;
        rowLoss += pgLoss;
        grad[t] = g + kl(t);
      }
    } else {
      for (let t = row; t < row + L; t++) {
        if (!mask[t]) continue;
        const raw = Math.exp(logProbs[t] - old[t]);
        count(surrogate(raw));
        rowLoss += pgLoss;
        grad[t] = w * pgDerivative * raw + kl(t);
      }
    }
    lossSum += lossType === 'grpo' ? rowLoss / n : rowLoss;
  }
  const loss =
    lossType === 'grpo' ? lossSum / B : lossType === 'dr_grpo' ? lossSum / (B * maxLen) : lossSum / totalDen;
  const clipDen = level === 'sequence' ? B : totalDen;
  return {
    loss,
    gradLogProbs: grad,
    meanKl: refLogProbs ? klSum / totalDen : null,
    clipRatioLow: lowSum / clipDen,
    clipRatioHigh: highSum / clipDen,
    clipRatioRegion: regionSum / clipDen,
  };
}

/**
 * The GRPO loss of Hugging Face TRL (`GRPOTrainer._compute_loss`), fused forward and backward over
 * a padded batch of B completions [B, L]:
 * ```
 * token level:     log w_{b,t} = logp_{b,t} − old_{b,t}
 * sequence level:  log w_{b,t} = Σ_t m_{b,t}(logp − old) / max(1, Σ_t m_{b,t})   (GSPO; no detach: the
 *                  gradient flows through the mean to every token of the row)
 * coef1 = exp(log w);  coef2 = clamp(coef1, 1 − ε, 1 + ε_high);  coef1 ← min(coef1, δ) if δ given
 * ℓ_{b,t} = −min(coef1 · A_b, coef2 · A_b) + β · k3_{b,t},  k3 = exp(ref − logp) − (ref − logp) − 1
 * loss = (1/B) Σ_b Σ_t m ℓ / max(1, Σ_t m)          'grpo'
 *      = Σ_{b,t} m ℓ / max(1, Σ_{b,t} m)            'bnpo', 'dapo' (TRL's dapo divides by the token
 *                                                    count of the global batch: one process, one step)
 *      = Σ_{b,t} m ℓ / (B · maxCompletionLength)    'dr_grpo'
 * ```
 * The gradient follows torch's autograd of that expression (clamp passes the gradient on its closed
 * interval, min splits it on a tie). Clip ratios as TRL logs them: low = coef1 < 1 − ε and A < 0,
 * high = coef1 > 1 + ε_high and A > 0, region = either; masked token means, or means over the B
 * sequences at the sequence level. Sources: Shao et al. 2024 (DeepSeekMath, GRPO); Yu et al. 2025
 * (DAPO); Liu et al. 2025 (Dr. GRPO); Zheng et al. 2025 (GSPO); TRL `grpo_trainer.py`.
 *
 * @param options `backend`, `threads` (native CPU threads; checked, no effect on 'js'), `checkFinite`
 *   (default true: a NaN/infinite input where mask = 1, or advantage, throws RangeError).
 * @returns the loss, ∂loss/∂logProbs (float32 [B, L], 0 at padding), the mean k3 KL and clip ratios.
 * @throws TypeError for a wrong dtype, an unknown option, refLogProbs missing with beta ≠ 0 or
 *   maxCompletionLength missing with 'dr_grpo'; RangeError for numSequences/seqLen/maxCompletionLength
 *   not positive integers, a length mismatch, an unknown lossType/importanceSamplingLevel, a negative or
 *   non-finite epsilon/epsilonHigh/delta/beta, or mask values other than 0/1; Error when the requested
 *   backend did not load.
 */
export function grpoLoss(args: GrpoLossArgs, options: KernelOptions = {}): GrpoLossResult {
  const { threads, checkFinite: check } = checkKernelOptions(options);
  const choice = resolveBackend(options.backend, 'grpoLoss');
  if (check) checkGrpoFinite(args);
  if (choice.backend === 'native') {
    checkKeys('grpoLoss', checkObject('grpoLoss arguments', args), GRPO_KEYS);
    return choice.addon.grpoLoss!(threads === undefined ? args : { ...args, threads });
  }
  return grpoLossReference(args);
}

/**
 * With `checkFinite` (the default), a NaN/infinite logProbs/oldLogProbs/refLogProbs element where
 * mask = 1, or a non-finite advantage, throws RangeError `logProbs[i] must be finite, got NaN` on
 * every backend (one pass over the inputs; padded positions may hold anything).
 */
function checkGrpoFinite(args: GrpoLossArgs): void {
  const a = (args ?? {}) as Partial<GrpoLossArgs>;
  const mask = a.mask instanceof Uint8Array ? a.mask : undefined;
  const tokens = [
    ['logProbs', a.logProbs],
    ['oldLogProbs', a.oldLogProbs],
    ['refLogProbs', a.refLogProbs],
  ] as const;
  for (const [name, values] of tokens) {
    if (values instanceof Float32Array && mask !== undefined && mask.length === values.length) {
      checkFinite(name, values, mask);
    }
  }
  if (a.advantages instanceof Float32Array) checkFinite('advantages', a.advantages);
}

/** As {@link grpoLoss}, off the main thread on the native backend; invalid arguments reject. */
export async function grpoLossAsync(
  args: GrpoLossArgs,
  options: KernelOptions = {},
): Promise<GrpoLossResult> {
  const { threads, checkFinite: check } = checkKernelOptions(options);
  const choice = resolveBackend(options.backend, 'grpoLossAsync');
  if (check) checkGrpoFinite(args);
  if (choice.backend === 'native') {
    checkKeys('grpoLoss', checkObject('grpoLoss arguments', args), GRPO_KEYS);
    return choice.addon.grpoLossAsync!(threads === undefined ? args : { ...args, threads });
  }
  return grpoLossReference(args);
}
