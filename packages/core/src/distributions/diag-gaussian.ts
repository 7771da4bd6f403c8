import { checkFinite, checkInteger, checkLength, checkTyped } from '../internal/checks.js';
import type { Random } from '../random.js';

const LOG_2PI = Math.log(2 * Math.PI);

/**
 * A batch of diagonal Gaussian distributions N(μ, diag(σ²)) over R^dim, with means float32
 * [batch, dim] row-major and log standard deviations float32 [dim] shared by the batch (the
 * state-independent log-std of SB3's and CleanRL's continuous PPO policies) or [batch, dim].
 */
export class DiagGaussian {
  readonly mean: Float32Array;
  readonly logStd: Float32Array;
  readonly batchSize: number;
  readonly dim: number;

  /**
   * @throws TypeError unless mean and logStd are Float32Array; RangeError when dim does not divide
   *   mean.length, logStd is neither [dim] nor [batch, dim], or a value is not finite.
   */
  constructor(mean: Float32Array, logStd: Float32Array, dim: number) {
    checkTyped('mean', mean, Float32Array);
    checkTyped('logStd', logStd, Float32Array);
    checkInteger('dim', dim, 1);
    if (mean.length % dim !== 0) {
      throw new RangeError(`mean has length ${mean.length}, which is not a multiple of dim = ${dim}`);
    }
    if (logStd.length !== dim && logStd.length !== mean.length) {
      throw new RangeError(
        `logStd has length ${logStd.length}, expected ${dim} (= dim) or ${mean.length} (= mean.length)`,
      );
    }
    for (let i = 0; i < mean.length; i++) {
      if (!Number.isFinite(mean[i])) throw new RangeError(`mean[${i}] must be finite, got ${mean[i]}`);
    }
    for (let i = 0; i < logStd.length; i++) {
      if (!Number.isFinite(logStd[i])) throw new RangeError(`logStd[${i}] must be finite, got ${logStd[i]}`);
    }
    this.mean = mean;
    this.logStd = logStd;
    this.dim = dim;
    this.batchSize = mean.length / dim;
  }

  private ls(b: number, j: number): number {
    return this.logStd.length === this.dim ? this.logStd[j] : this.logStd[b * this.dim + j];
  }

  /**
   * log N(a; μ, σ²) summed over dimensions, float32 [batch].
   * @throws RangeError when actions.length ≠ batch·dim or an action is NaN/infinite (`actions[i] must be finite`).
   */
  logProb(actions: ArrayLike<number>): Float32Array {
    checkLength('actions', actions, this.mean.length, 'batch * dim');
    checkFinite('actions', actions);
    const out = new Float32Array(this.batchSize);
    for (let b = 0; b < this.batchSize; b++) {
      let s = 0;
      for (let j = 0; j < this.dim; j++) {
        const k = b * this.dim + j;
        const ls = this.ls(b, j);
        const z = (actions[k] - this.mean[k]) / Math.exp(ls);
        s += -0.5 * z * z - ls - 0.5 * LOG_2PI;
      }
      out[b] = s;
    }
    return out;
  }

  /** Differential entropy Σ_j (log σ_j + ½ log 2πe) per row (nats), float32 [batch]. */
  entropy(): Float32Array {
    const out = new Float32Array(this.batchSize);
    for (let b = 0; b < this.batchSize; b++) {
      let s = 0;
      for (let j = 0; j < this.dim; j++) s += this.ls(b, j) + 0.5 * (LOG_2PI + 1);
      out[b] = s;
    }
    return out;
  }

  /** μ + σ ⊙ ε with ε ~ N(0, I) drawn from `rng`, float32 [batch, dim]. */
  sample(rng: Random): Float32Array {
    const out = new Float32Array(this.mean.length);
    for (let b = 0; b < this.batchSize; b++) {
      for (let j = 0; j < this.dim; j++) {
        const k = b * this.dim + j;
        out[k] = this.mean[k] + Math.exp(this.ls(b, j)) * rng.normal();
      }
    }
    return out;
  }

  /** The mean (the most likely action), float32 [batch, dim] (a copy). */
  mode(): Float32Array {
    return this.mean.slice();
  }
}
