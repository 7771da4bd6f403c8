import { checkFinite, checkFiniteOption, checkKeys, checkObject, checkTyped } from '../internal/checks.js';
import { checkNonNegative } from './policy.js';

/** Options of {@link conjugateGradient}. */
export interface CgOptions {
  /** Maximum CG steps (matrix-vector products), an integer ≥ 0 (default 10, as TRPO). */
  maxIterations?: number;
  /** Stop once rᵀr = ‖b − A x‖² falls below this (default 1e-10, as TRPO's reference code). */
  residualTolerance?: number;
  /**
   * Check that `b` and every matrix-vector product are finite (default true): a NaN or infinite
   * element throws RangeError naming it (and, for a product, the iteration). `false` skips the
   * checks: CG then stops silently at the first step whose pᵀA p is not a positive finite number.
   */
  checkFinite?: boolean;
}

/** Outcome of {@link conjugateGradient}. */
export interface CgResult {
  /** The approximate solution, float32 [n]. */
  x: Float32Array;
  /** Steps taken (each one matrix-vector product). */
  iterations: number;
  /** rᵀr = ‖b − A x‖² at exit, in float64. */
  residual: number;
}

/** Largest `maxIterations` (2^31, the native addon's limit). */
export const MAX_CG_ITERATIONS = 2 ** 31;

/** Checked CG options with defaults (the keys are checked by the caller). */
export function cgOptions(options: CgOptions): {
  maxIterations: number;
  residualTolerance: number;
  checkFinite: boolean;
} {
  const m = options.maxIterations;
  if (m !== undefined && (typeof m !== 'number' || !Number.isInteger(m) || m < 0 || m > MAX_CG_ITERATIONS)) {
    throw new RangeError(`maxIterations must be an integer in [0, ${MAX_CG_ITERATIONS}], got ${String(m)}`);
  }
  const residualTolerance = checkNonNegative('residualTolerance', options.residualTolerance, 1e-10);
  return { maxIterations: m ?? 10, residualTolerance, checkFinite: checkFiniteOption(options.checkFinite) };
}

/**
 * Float64 conjugate gradient, the same steps as native/src/kernels/cg.cc. `matVec(p)` returns A p
 * (float64 [n]). With `productName`, a product with a NaN/infinite element throws RangeError
 * `<productName>[i] must be finite, got NaN (conjugate gradient iteration k)` (k from 1).
 * @internal
 */
export function cgFloat64(
  matVec: (p: Float64Array) => ArrayLike<number>,
  b: ArrayLike<number>,
  maxIterations: number,
  residualTolerance: number,
  productName?: string,
): { x: Float64Array; iterations: number; residual: number } {
  const n = b.length;
  const x = new Float64Array(n);
  const r = Float64Array.from(b);
  const p = Float64Array.from(b);
  let rr = 0;
  for (let i = 0; i < n; i++) rr += r[i] * r[i];
  let iterations = 0;
  while (iterations < maxIterations && rr >= residualTolerance) {
    const z = matVec(p);
    if (productName !== undefined) {
      for (let i = 0; i < n; i++) {
        if (!Number.isFinite(z[i])) {
          throw new RangeError(
            `${productName}[${i}] must be finite, got ${z[i]} (conjugate gradient iteration ${iterations + 1})`,
          );
        }
      }
    }
    let pz = 0;
    for (let i = 0; i < n; i++) pz += p[i] * z[i];
    if (!(pz > 0) || !Number.isFinite(pz)) break;
    const alpha = rr / pz;
    let rrNew = 0;
    for (let i = 0; i < n; i++) {
      x[i] += alpha * p[i];
      r[i] -= alpha * z[i];
    }
    for (let i = 0; i < n; i++) rrNew += r[i] * r[i];
    iterations++;
    const beta = rrNew / rr;
    rr = rrNew;
    if (rr < residualTolerance) break;
    for (let i = 0; i < n; i++) p[i] = r[i] + beta * p[i];
  }
  return { x, iterations, residual: rr };
}

/**
 * Solves A x = b for a symmetric positive-definite A given only as a matrix-vector product, by the
 * linear conjugate gradient method (Hestenes & Stiefel 1952, in the form of Shewchuk 1994, "An
 * Introduction to the Conjugate Gradient Method Without the Agonizing Pain", B2; TRPO's use:
 * Schulman et al. 2015, "Trust Region Policy Optimization", appendix C):
 *
 * ```
 * x₀ = 0, r₀ = p₀ = b
 * repeat: z = A p;  α = rᵀr / pᵀz;  x += α p;  r −= α z;  p = r' + (r'ᵀr' / rᵀr) p
 * ```
 * until `maxIterations` steps or rᵀr < `residualTolerance` (also checked before the first step, so
 * b = 0 returns x = 0 without calling `matVec`). A step whose pᵀA p is not a positive finite number
 * (A not positive definite along p) is not taken: CG stops with the current x.
 *
 * Float64 internally; `matVec` receives p rounded to float32 and must return a Float32Array [n].
 *
 * @param matVec v ↦ A v, e.g. `(v) => fisherVectorProduct(policy, states, v, { damping })`.
 * @param b right-hand side, float32 [n].
 * @param options `maxIterations` (integer in [0, 2^31], default 10), `residualTolerance` (default
 *   1e-10), `checkFinite` (default true: b and every product must be finite).
 * @throws TypeError when b or a matVec result is not a Float32Array, or for an unknown option;
 *   RangeError when a result has the wrong length, maxIterations is not an integer in [0, 2^31],
 *   residualTolerance is negative or not finite, or (with checkFinite) b has a NaN/infinite element
 *   (`b[3] must be finite, got NaN`) or a product does (`matVec result[3] must be finite, got NaN
 *   (conjugate gradient iteration 2)`; CG stops there).
 */
export function conjugateGradient(
  matVec: (v: Float32Array) => Float32Array,
  b: Float32Array,
  options: CgOptions = {},
): CgResult {
  if (typeof matVec !== 'function') throw new TypeError(`matVec must be a function, got ${typeof matVec}`);
  checkTyped('b', b, Float32Array);
  checkKeys('options', checkObject('options', options), [
    'maxIterations',
    'residualTolerance',
    'checkFinite',
  ]);
  const { maxIterations, residualTolerance, checkFinite: check } = cgOptions(options);
  if (check) checkFinite('b', b);
  const p32 = new Float32Array(b.length);
  const res = cgFloat64(
    (p) => {
      p32.set(p);
      const out = checkTyped<Float32Array>('matVec result', matVec(p32), Float32Array);
      if (out.length !== b.length) {
        throw new RangeError(`matVec result has length ${out.length}, expected ${b.length} (= b.length)`);
      }
      return out;
    },
    b,
    maxIterations,
    residualTolerance,
    check ? 'matVec result' : undefined,
  );
  return { x: Float32Array.from(res.x), iterations: res.iterations, residual: res.residual };
}
