import { type KernelOptions, resolveBackend } from './backend/dispatch.js';
import { checkLength, checkTyped } from './internal/checks.js';

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

/** Pure-TypeScript reference of {@link klEstimate} (float64 arithmetic, float32 outputs). */
export function klEstimateReference(
  logProbs: Float32Array,
  refLogProbs: Float32Array,
  kind: KlKind = 'k3',
): KlEstimateResult {
  checkKlArgs(logProbs, refLogProbs, kind);
  const n = logProbs.length;
  const values = new Float32Array(n);
  const gradLogProbs = new Float32Array(n);
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
 * @returns the estimates and their gradients w.r.t. `logProbs` (float32 [B]) and their mean.
 * @throws TypeError for a wrong dtype; RangeError for a length mismatch or an unknown `kind`.
 */
export function klEstimate(
  logProbs: Float32Array,
  refLogProbs: Float32Array,
  kind: KlKind = 'k3',
  options: KernelOptions = {},
): KlEstimateResult {
  const choice = resolveBackend(options.backend, 'klEstimate');
  if (choice.backend === 'native') {
    return choice.addon.klEstimate!({ logProbs, refLogProbs, kind });
  }
  return klEstimateReference(logProbs, refLogProbs, kind);
}

/** As {@link klEstimate}, off the main thread when the native backend runs it. */
export async function klEstimateAsync(
  logProbs: Float32Array,
  refLogProbs: Float32Array,
  kind: KlKind = 'k3',
  options: KernelOptions = {},
): Promise<KlEstimateResult> {
  const choice = resolveBackend(options.backend, 'klEstimateAsync');
  if (choice.backend === 'native') {
    return choice.addon.klEstimateAsync!({ logProbs, refLogProbs, kind });
  }
  return klEstimateReference(logProbs, refLogProbs, kind);
}
