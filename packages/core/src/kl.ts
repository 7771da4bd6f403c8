import { type KernelOptions, resolveBackend } from './backend/dispatch.js';
import type { NativeKlArgs } from './backend/native.js';
import {
  checkFinite,
  checkKernelOptions,
  checkLength,
  checkOutput,
  checkOutputs,
  checkTyped,
  withoutUndefined,
} from './internal/checks.js';

/** Which estimator {@link klEstimate} computes (Schulman 2020, "Approximating KL Divergence"). */
export type KlKind = 'k1' | 'k2' | 'k3';

/** Outputs of {@link klEstimate}. */
export interface KlEstimateResult {
  /** The per-element estimates, float32 [B]. */
  values: Float32Array;
  /** ∂values_i/∂logProbs_i, float32 [B]. */
  gradLogProbs: Float32Array;
  /** Mean of the estimates (float64; 0 for an empty batch). */
  mean: number;
}

/** Options of {@link klEstimate}: the kernel options and preallocated outputs. */
export interface KlEstimateOptions extends KernelOptions {
  /**
   * Preallocated outputs (Float32Array [B] each, sharing no memory with an input or each other),
   * written and returned instead of new arrays, on every backend.
   */
  out?: KlEstimateOut;
}

/** Preallocated outputs of {@link klEstimate}. */
export interface KlEstimateOut {
  values?: Float32Array;
  gradLogProbs?: Float32Array;
}

/** Checks `options` (first, on every backend) and returns the preallocated outputs. */
function klOptions(
  logProbs: unknown,
  refLogProbs: unknown,
  options: KlEstimateOptions,
): { values?: Float32Array; gradLogProbs?: Float32Array; checkFinite: boolean } {
  const { checkFinite: check } = checkKernelOptions(options, ['out']);
  if (options?.out === undefined) return { checkFinite: check };
  const out = checkOutputs('out', options.out, 'values', 'gradLogProbs');
  const n = logProbs instanceof Float32Array ? logProbs.length : undefined;
  const inputs = { logProbs, refLogProbs };
  const values = checkOutput('out.values', out.values, n, 'logProbs.length', inputs);
  const gradLogProbs = checkOutput('out.gradLogProbs', out.gradLogProbs, n, 'logProbs.length', {
    ...inputs,
    'out.values': values,
  });
  return { values, gradLogProbs, checkFinite: check };
}

function describeKind(kind: unknown): string {
  return typeof kind === 'string' ? `'${kind}'` : String(kind);
}

function checkKlArgs(logProbs: unknown, refLogProbs: unknown, kind: unknown): void {
  const lp = checkTyped<Float32Array>('logProbs', logProbs, Float32Array);
  checkLength(
    'refLogProbs',
    checkTyped('refLogProbs', refLogProbs, Float32Array),
    lp.length,
    'logProbs.length',
  );
  if (kind !== 'k1' && kind !== 'k2' && kind !== 'k3') {
    throw new RangeError(`kind must be 'k1', 'k2' or 'k3', got ${describeKind(kind)}`);
  }
}

/** Pure-TypeScript reference of {@link klEstimate} (float64 arithmetic, float32 outputs); checks and options as it. */
export function klEstimateReference(
  logProbs: Float32Array,
  refLogProbs: Float32Array,
  kind: KlKind = 'k3',
  options: KlEstimateOptions = {},
): KlEstimateResult {
  const o = klOptions(logProbs, refLogProbs, options);
  checkKlArgs(logProbs, refLogProbs, kind);
  if (o.checkFinite) {
    checkFinite('logProbs', logProbs);
    checkFinite('refLogProbs', refLogProbs);
  }
  const n = logProbs.length;
  const values = o.values ?? new Float32Array(n);
  const gradLogProbs = o.gradLogProbs ?? new Float32Array(n);
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const logR = refLogProbs[i] - logProbs[i];
    let v: number;
    let g: number;
    if (kind === 'k1') {
      v = -logR;
      g = 1;
    } else if (kind === 'k2') {
      v = 0.5 * (logR * logR);
      g = -logR;
    } else {
      const r = Math.exp(logR);
      v = r - 1 - logR;
      g = 1 - r;
    }
    values[i] = v;
    gradLogProbs[i] = g;
    sum += v;
  }
  return { values, gradLogProbs, mean: n > 0 ? sum / n : 0 };
}

/**
 * Per-element estimators of KL(π_θ ‖ π_ref) from actions sampled from π_θ, with
 * log r = refLogProbs − logProbs (Schulman 2020, "Approximating KL Divergence"):
 *
 * ```
 * k1 = −log r               ∂/∂logProbs = 1
 * k2 = (log r)² / 2         ∂/∂logProbs = −log r
 * k3 = (r − 1) − log r      ∂/∂logProbs = 1 − r       (GRPO's per-token penalty, Shao et al. 2024)
 * ```
 *
 * @param options `backend`, `threads` (native CPU threads; checked, no effect on 'js'), `checkFinite`
 *   (default true; see {@link KernelOptions}), `out: { values?, gradLogProbs? }` preallocated outputs.
 * @returns the estimates and their gradients w.r.t. `logProbs` (float32 [B]; the `out` arrays when
 *   given) and their mean.
 * @throws TypeError for a wrong dtype or an unknown key in `options` / `out`; RangeError for a length
 *   mismatch (outputs included), an output sharing memory with an input, an unknown `kind`, threads
 *   outside [1, 1024], or (with checkFinite) a NaN/infinite element of logProbs or refLogProbs
 *   (naming it and its index).
 */
export function klEstimate(
  logProbs: Float32Array,
  refLogProbs: Float32Array,
  kind: KlKind = 'k3',
  options: KlEstimateOptions = {},
): KlEstimateResult {
  const choice = resolveBackend(klBackend(options), 'klEstimate');
  if (choice.backend === 'native') {
    return choice.addon.klEstimate!(nativeKlArgs(logProbs, refLogProbs, kind, options));
  }
  return klEstimateReference(logProbs, refLogProbs, kind, options);
}

function klBackend(options: KlEstimateOptions) {
  checkKernelOptions(options, ['out']);
  return options.backend;
}

function nativeKlArgs(
  logProbs: Float32Array,
  refLogProbs: Float32Array,
  kind: KlKind,
  options: KlEstimateOptions,
): NativeKlArgs {
  const o = klOptions(logProbs, refLogProbs, options);
  return withoutUndefined({
    logProbs,
    refLogProbs,
    kind,
    values: o.values,
    gradLogProbs: o.gradLogProbs,
    threads: options.threads,
    checkFinite: options.checkFinite,
  }) as unknown as NativeKlArgs;
}

/** As {@link klEstimate}, off the main thread when the native backend runs it. */
export async function klEstimateAsync(
  logProbs: Float32Array,
  refLogProbs: Float32Array,
  kind: KlKind = 'k3',
  options: KlEstimateOptions = {},
): Promise<KlEstimateResult> {
  const choice = resolveBackend(klBackend(options), 'klEstimateAsync');
  if (choice.backend === 'native') {
    return choice.addon.klEstimateAsync!(nativeKlArgs(logProbs, refLogProbs, kind, options));
  }
  return klEstimateReference(logProbs, refLogProbs, kind, options);
}
