import {
  checkFinite,
  checkFiniteOption,
  checkKeys,
  checkLength,
  checkObject,
  checkTyped,
} from '../internal/checks.js';

/** Options of {@link RMSprop}; the defaults are PyTorch's `torch.optim.RMSprop` (SB3's A2C passes `epsilon: 1e-5`). */
export interface RMSpropOptions {
  /** Step size lr, ≥ 0. Default 1e-2 (PyTorch). */
  learningRate?: number;
  /** Smoothing constant α of the running mean of squared gradients, in [0, 1). Default 0.99. */
  alpha?: number;
  /** ε added to the root-mean-square (outside the square root, as PyTorch), > 0. Default 1e-8. */
  epsilon?: number;
  /**
   * Centered RMSprop (Graves 2013, eq. 38–40): divide by an estimate of the gradient's standard
   * deviation, sqrt(v − ḡ²), instead of its root mean square. Default false.
   */
  centered?: boolean;
  /** Momentum μ ≥ 0 of the scaled step (PyTorch's `momentum`; 0: none). Default 0. */
  momentum?: number;
  /**
   * Check in {@link RMSprop.step} that every parameter and gradient is finite (default true; a NaN
   * or infinite element throws RangeError naming it and its index, before anything is updated).
   * `false` skips the scan (the kernels' option of the same name).
   */
  checkFinite?: boolean;
}

/**
 * RMSprop on a flat float32 parameter vector (Hinton, Srivastava & Swersky, "Neural Networks for
 * Machine Learning", lecture 6e, 2012), with the semantics of PyTorch's `torch.optim.RMSprop`
 * (weight decay 0). For each element, with gradient g:
 *
 * ```
 * v  ← α v + (1 − α) g²                      (square average, starts at 0)
 * ḡ  ← α ḡ + (1 − α) g                       (centered only, starts at 0)
 * d  = sqrt(v) + ε        or  sqrt(v − ḡ²) + ε   (centered)
 * b  ← μ b + g / d;  p ← p − lr · b          (momentum μ > 0, b starts at 0)
 * p  ← p − lr · g / d                        (μ = 0)
 * ```
 *
 * ε sits outside the square root, as in PyTorch (TensorFlow's RMSprop puts it inside). State is
 * float32 [size]; the arithmetic of one step is float64, stored back as float32. In exact
 * arithmetic v − ḡ² ≥ 0; a negative value from rounding is taken as 0 (PyTorch would give NaN).
 */
export class RMSprop {
  readonly size: number;
  learningRate: number;
  readonly alpha: number;
  readonly epsilon: number;
  readonly centered: boolean;
  readonly momentum: number;
  /** Running mean of the squared gradients v, float32 [size]. */
  readonly squareAvg: Float32Array;
  /** Running mean of the gradients ḡ, float32 [size] (centered only, else length 0). */
  readonly gradAvg: Float32Array;
  /** Momentum buffer b, float32 [size] (momentum > 0 only, else length 0). */
  readonly momentumBuffer: Float32Array;
  /** Number of steps taken. */
  t = 0;
  /** Whether {@link RMSprop.step} checks that params and grads are finite. */
  readonly checkFinite: boolean;

  /**
   * @param size number of parameters (a positive integer).
   * @throws RangeError for a non-positive size or a hyperparameter outside its range (learningRate
   *   ≥ 0, alpha in [0, 1), epsilon > 0, momentum finite ≥ 0); TypeError for an unknown option or a
   *   non-boolean `centered` / `checkFinite`.
   */
  constructor(size: number, options: RMSpropOptions = {}) {
    checkKeys('RMSprop options', checkObject('RMSprop options', options), [
      'learningRate',
      'alpha',
      'epsilon',
      'centered',
      'momentum',
      'checkFinite',
    ]);
    const { learningRate = 1e-2, alpha = 0.99, epsilon = 1e-8, centered = false, momentum = 0 } = options;
    this.checkFinite = checkFiniteOption(options.checkFinite);
    if (!Number.isInteger(size) || size < 1)
      throw new RangeError(`size must be a positive integer, got ${size}`);
    if (!(learningRate >= 0 && learningRate < Number.POSITIVE_INFINITY))
      throw new RangeError(`learningRate must be a finite number ≥ 0, got ${learningRate}`);
    if (!(alpha >= 0 && alpha < 1)) throw new RangeError(`alpha must be in [0, 1), got ${alpha}`);
    if (!(epsilon > 0 && epsilon < Number.POSITIVE_INFINITY))
      throw new RangeError(`epsilon must be a finite number > 0, got ${epsilon}`);
    if (!(momentum >= 0 && momentum < Number.POSITIVE_INFINITY))
      throw new RangeError(`momentum must be a finite number ≥ 0, got ${momentum}`);
    if (typeof centered !== 'boolean')
      throw new TypeError(`centered must be a boolean, got ${JSON.stringify(centered)}`);
    this.size = size;
    this.learningRate = learningRate;
    this.alpha = alpha;
    this.epsilon = epsilon;
    this.centered = centered;
    this.momentum = momentum;
    this.squareAvg = new Float32Array(size);
    this.gradAvg = new Float32Array(centered ? size : 0);
    this.momentumBuffer = new Float32Array(momentum > 0 ? size : 0);
  }

  /**
   * One update of `params` in place (see the class for the formula).
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
    const { alpha: a, epsilon: eps, learningRate: lr, momentum: mu, squareAvg: v } = this;
    const gAvg = this.gradAvg;
    const buf = this.momentumBuffer;
    for (let i = 0; i < params.length; i++) {
      const g = grads[i];
      const vi = a * v[i] + (1 - a) * g * g;
      v[i] = vi;
      let denom: number;
      if (this.centered) {
        const gi = a * gAvg[i] + (1 - a) * g;
        gAvg[i] = gi;
        denom = Math.sqrt(Math.max(0, vi - gi * gi)) + eps;
      } else {
        denom = Math.sqrt(vi) + eps;
      }
      if (mu > 0) {
        const bi = mu * buf[i] + g / denom;
        buf[i] = bi;
        params[i] -= lr * bi;
      } else {
        params[i] -= (lr * g) / denom;
      }
    }
  }

  toJSON(): {
    t: number;
    learningRate: number;
    alpha: number;
    epsilon: number;
    centered: boolean;
    momentum: number;
  } {
    return {
      t: this.t,
      learningRate: this.learningRate,
      alpha: this.alpha,
      epsilon: this.epsilon,
      centered: this.centered,
      momentum: this.momentum,
    };
  }
}
