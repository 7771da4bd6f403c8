import {
  checkFinite,
  checkFiniteOption,
  checkKeys,
  checkLength,
  checkObject,
  checkTyped,
} from '../internal/checks.js';

/** Options of {@link Adam}; defaults are PyTorch's except `epsilon`, which follows SB3/CleanRL PPO (1e-5). */
export interface AdamOptions {
  learningRate?: number;
  beta1?: number;
  beta2?: number;
  epsilon?: number;
  /**
   * Check in {@link Adam.step} that every parameter and gradient is finite (default true; a NaN or
   * infinite element throws RangeError naming it and its index, before anything is updated).
   * `false` skips the scan (the kernels' option of the same name).
   */
  checkFinite?: boolean;
}

/**
 * Adam on a flat float32 parameter vector (Kingma & Ba 2015, Algorithm 1, with PyTorch's placement
 * of ε outside the square root of the bias-corrected second moment). Moments are float32 [size];
 * the step count is kept for bias correction.
 */
export class Adam {
  readonly size: number;
  learningRate: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  /** First and second moment estimates, float32 [size]. */
  readonly m: Float32Array;
  readonly v: Float32Array;
  /** Number of steps taken. */
  t = 0;
  /** Whether {@link Adam.step} checks that params and grads are finite. */
  readonly checkFinite: boolean;

  /**
   * @throws RangeError for a non-positive size or hyperparameters outside their ranges; TypeError for
   *   an unknown option or a non-boolean checkFinite.
   */
  constructor(size: number, options: AdamOptions = {}) {
    checkKeys('Adam options', checkObject('Adam options', options), [
      'learningRate',
      'beta1',
      'beta2',
      'epsilon',
      'checkFinite',
    ]);
    const { learningRate = 1e-3, beta1 = 0.9, beta2 = 0.999, epsilon = 1e-5 } = options;
    this.checkFinite = checkFiniteOption(options.checkFinite);
    if (!Number.isInteger(size) || size < 1)
      throw new RangeError(`size must be a positive integer, got ${size}`);
    if (!(learningRate >= 0)) throw new RangeError(`learningRate must be ≥ 0, got ${learningRate}`);
    if (!(beta1 >= 0 && beta1 < 1)) throw new RangeError(`beta1 must be in [0, 1), got ${beta1}`);
    if (!(beta2 >= 0 && beta2 < 1)) throw new RangeError(`beta2 must be in [0, 1), got ${beta2}`);
    if (!(epsilon > 0)) throw new RangeError(`epsilon must be > 0, got ${epsilon}`);
    this.size = size;
    this.learningRate = learningRate;
    this.beta1 = beta1;
    this.beta2 = beta2;
    this.epsilon = epsilon;
    this.m = new Float32Array(size);
    this.v = new Float32Array(size);
  }

  /**
   * One update `params -= lr · m̂ / (√v̂ + ε)` in place.
   * @throws TypeError/RangeError when params or grads are not Float32Array [size]; RangeError on a
   *   non-finite parameter or gradient (`params[i]` first, then `grads[i]`; unless the optimizer was
   *   made with `checkFinite: false`), and nothing is updated then.
   */
  step(params: Float32Array, grads: Float32Array): void {
    checkTyped('params', params, Float32Array);
    checkTyped('grads', grads, Float32Array);
    checkLength('params', params, this.size, 'optimizer size');
    checkLength('grads', grads, this.size, 'optimizer size');
    if (this.checkFinite) {
      checkFinite('params', params);
      checkFinite('grads', grads);
    }
    this.t++;
    const { beta1: b1, beta2: b2, m, v } = this;
    const c1 = 1 - b1 ** this.t;
    const c2 = 1 - b2 ** this.t;
    const stepSize = this.learningRate / c1;
    const sqrtC2 = Math.sqrt(c2);
    for (let i = 0; i < params.length; i++) {
      const g = grads[i];
      const mi = b1 * m[i] + (1 - b1) * g;
      const vi = b2 * v[i] + (1 - b2) * g * g;
      m[i] = mi;
      v[i] = vi;
      params[i] -= (stepSize * mi) / (Math.sqrt(vi) / sqrtC2 + this.epsilon);
    }
  }

  toJSON(): { t: number; learningRate: number; beta1: number; beta2: number; epsilon: number } {
    return {
      t: this.t,
      learningRate: this.learningRate,
      beta1: this.beta1,
      beta2: this.beta2,
      epsilon: this.epsilon,
    };
  }
}

/**
 * Scales `grads` in place so that their global L2 norm is at most `maxNorm`, as
 * `torch.nn.utils.clip_grad_norm_` (coefficient maxNorm / (norm + 1e-6), applied only when < 1).
 * @param options `checkFinite` (default true): a NaN/infinite gradient throws instead of giving a
 *   NaN norm and leaving the gradients unclipped.
 * @returns the norm before clipping.
 * @throws RangeError when maxNorm is not a positive number, or (with checkFinite) at the first
 *   non-finite element of grads; TypeError for an unknown option.
 */
export function clipGradNorm(
  grads: Float32Array,
  maxNorm: number,
  options: { checkFinite?: boolean } = {},
): number {
  checkTyped('grads', grads, Float32Array);
  if (!(maxNorm > 0)) throw new RangeError(`maxNorm must be > 0, got ${maxNorm}`);
  checkKeys('options', checkObject('options', options), ['checkFinite']);
  if (checkFiniteOption(options.checkFinite)) checkFinite('grads', grads);
  let ss = 0;
  for (let i = 0; i < grads.length; i++) ss += grads[i] * grads[i];
  const norm = Math.sqrt(ss);
  const coef = maxNorm / (norm + 1e-6);
  if (coef < 1) for (let i = 0; i < grads.length; i++) grads[i] *= coef;
  return norm;
}
