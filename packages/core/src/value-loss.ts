import { type KernelOptions, resolveBackend } from './backend/dispatch.js';
import type { NativeValueLossArgs } from './backend/native.js';
import {
  checkFinite,
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

const VALUE_LOSS_KEYS = ['values', 'oldValues', 'returns', 'clipRange', 'out'];

/** Inputs of {@link valueLoss}; every array is float32 [B]. */
export interface ValueLossArgs {
  /** V_θ(s): the critic's current predictions. */
  values: Float32Array;
  /** V_old(s) recorded with the rollout; needed when `clipRange` is given (ignored otherwise). */
  oldValues?: Float32Array;
  /** Regression targets R (e.g. GAE returns). */
  returns: Float32Array;
  /** ε_v: clip V − V_old to [−ε_v, ε_v] (PPO2 / SB3's `clip_range_vf`). Default: no clipping. */
  clipRange?: number;
  /**
   * Preallocated outputs. `gradValues`: a Float32Array [B] sharing no memory with an input; the
   * gradient is written into it and it is returned as the result's `gradValues`. Default: a new array
   * per call.
   */
  out?: ValueLossOut;
}

/** Preallocated outputs of {@link valueLoss} (see {@link ValueLossArgs.out}). */
export interface ValueLossOut {
  /** Receives ∂loss/∂values: Float32Array [B], not overlapping `values`, `oldValues` or `returns`. */
  gradValues?: Float32Array;
}

/** Outputs of {@link valueLoss}. */
export interface ValueLossResult {
  /** mean((V − R)²), or with clipping mean(max((V − R)², (V_clipped − R)²)). */
  loss: number;
  /** ∂loss/∂values, float32 [B]; `out.gradValues` itself when given. */
  gradValues: Float32Array;
  /** Fraction of elements whose V − V_old lies outside [−ε_v, ε_v] (0 without clipping). */
  clipFraction: number;
}

/** Checks `out` (first, on every backend) and returns the preallocated gradient, if any. */
function checkValueLossOut(raw: unknown): Float32Array | undefined {
  const a = checkObject('valueLoss arguments', raw) as unknown as ValueLossArgs;
  checkKeys('valueLoss arguments', a, VALUE_LOSS_KEYS);
  if (a.out === undefined) return undefined;
  const out = checkOutputs('out', a.out, 'gradValues') as ValueLossOut;
  const n = a.values instanceof Float32Array ? a.values.length : undefined;
  return checkOutput('out.gradValues', out.gradValues, n, 'values.length', {
    values: a.values,
    oldValues: a.oldValues,
    returns: a.returns,
  });
}

/** The addon's arguments: `args` with `out.gradValues` (checked) as its `gradValues`. */
function nativeValueLossArgs(args: ValueLossArgs, options: KernelOptions): NativeValueLossArgs {
  const gradValues = checkValueLossOut(args);
  const { out: _out, ...rest } = args;
  return withoutUndefined({
    ...rest,
    gradValues,
    threads: options.threads,
    checkFinite: options.checkFinite,
  }) as unknown as NativeValueLossArgs;
}

function checkValueLossArgs(raw: unknown) {
  const a = checkObject('valueLoss arguments', raw) as unknown as ValueLossArgs;
  const values = checkTyped<Float32Array>('values', a.values, Float32Array);
  const n = values.length;
  if (n === 0) throw new RangeError('values must not be empty');
  checkLength('returns', checkTyped('returns', a.returns, Float32Array), n, 'values.length');
  if (a.oldValues !== undefined) {
    checkLength('oldValues', checkTyped('oldValues', a.oldValues, Float32Array), n, 'values.length');
  }
  if (a.clipRange !== undefined) {
    checkNumberInRange('clipRange', a.clipRange, 0, Number.MAX_VALUE);
    if (a.oldValues === undefined) {
      throw new TypeError('clipRange needs oldValues (the value predictions recorded with the rollout)');
    }
  }
  return a;
}

/** Pure-TypeScript reference of {@link valueLoss} (float64 arithmetic, float32 gradient); checks and options as it. */
export function valueLossReference(args: ValueLossArgs, options: KernelOptions = {}): ValueLossResult {
  const { checkFinite: check } = checkKernelOptions(options);
  const out = checkValueLossOut(args);
  const { values, oldValues, returns, clipRange } = checkValueLossArgs(args);
  if (check) {
    checkFinite('values', values);
    // oldValues is read only with clipRange (and only then checked).
    if (clipRange !== undefined) checkFinite('oldValues', oldValues);
    checkFinite('returns', returns);
  }
  const n = values.length;
  const inv = 1 / n;
  const gradValues = out ?? new Float32Array(n);
  let loss = 0;
  let clipped = 0;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    const r = returns[i];
    const d = v - r;
    const u = d * d;
    if (clipRange === undefined) {
      loss += u;
      gradValues[i] = 2 * d * inv;
      continue;
    }
    const old = oldValues![i];
    const dv = v - old;
    const below = dv < -clipRange;
    const above = dv > clipRange;
    const vc = old + (above ? clipRange : below ? -clipRange : dv);
    const e = vc - r;
    const c = e * e;
    // max(u, c): the unclipped term on ties; the clipped term has no gradient where V − V_old was clipped
    let g: number;
    if (u >= c) {
      loss += u;
      g = 2 * d;
    } else {
      loss += c;
      g = below || above ? 0 : 2 * e;
    }
    if (below || above) clipped++;
    gradValues[i] = g * inv;
  }
  return { loss: loss * inv, gradValues, clipFraction: clipped * inv };
}

/**
 * The critic's squared-error loss, optionally clipped around the rollout's predictions, fused
 * forward and backward.
 *
 * ```
 * unclipped:  loss = mean((V − R)²)
 * clipped:    V_c  = V_old + clip(V − V_old, −ε_v, ε_v)
 *             loss = mean(max((V − R)², (V_c − R)²))
 * ```
 * As PPO2 / Stable-Baselines3 (`clip_range_vf`) and CleanRL (`clip_vloss`, whose extra factor 0.5
 * is left to the caller's value coefficient).
 *
 * Pass `out: { gradValues }` (a Float32Array [B]) to have the gradient written into a buffer you
 * reuse across calls instead of a new array per call.
 *
 * @returns the loss, its gradient w.r.t. `values` (float32 [B]; `out.gradValues` when given) and the
 *   fraction of clipped elements.
 * @throws TypeError for a wrong dtype (including `out` not an object or `out.gradValues` not a
 *   Float32Array) or `clipRange` without `oldValues`; RangeError for length mismatches
 *   (`out.gradValues` included), `out.gradValues` sharing memory with an input, an empty batch or a
 *   negative / non-finite clip range, threads outside [1, 1024], or (with checkFinite) a NaN/infinite
 *   element of values, returns or (with clipRange) oldValues, naming it and its index; TypeError for
 *   an unknown key in `args`, `out` or `options`.
 */
export function valueLoss(args: ValueLossArgs, options: KernelOptions = {}): ValueLossResult {
  checkKernelOptions(options);
  const choice = resolveBackend(options.backend, 'valueLoss');
  if (choice.backend === 'native') {
    return choice.addon.valueLoss!(nativeValueLossArgs(args, options));
  }
  return valueLossReference(args, options);
}

/** As {@link valueLoss}, off the main thread when the native backend runs it. */
export async function valueLossAsync(
  args: ValueLossArgs,
  options: KernelOptions = {},
): Promise<ValueLossResult> {
  checkKernelOptions(options);
  const choice = resolveBackend(options.backend, 'valueLossAsync');
  if (choice.backend === 'native') {
    return choice.addon.valueLossAsync!(nativeValueLossArgs(args, options));
  }
  return valueLossReference(args, options);
}
