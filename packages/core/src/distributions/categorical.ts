import { checkInteger, checkLength, checkTyped } from '../internal/checks.js';
import type { Random } from '../random.js';

/**
 * A batch of categorical distributions given by unnormalized logits, float32 [batch, numCategories]
 * row-major. Log-probabilities are computed with a max-shifted log-sum-exp (stable for any finite logits).
 */
export class Categorical {
  readonly logits: Float32Array;
  readonly batchSize: number;
  readonly numCategories: number;
  /** log-softmax of the logits, float64 [batch, numCategories]. */
  readonly logPmf: Float64Array;

  /**
   * @param logits float32 [batch, numCategories].
   * @throws TypeError unless logits is a Float32Array; RangeError when numCategories is not a positive integer
   *   or does not divide logits.length, or a logit is NaN/±Inf.
   */
  constructor(logits: Float32Array, numCategories: number) {
    checkTyped('logits', logits, Float32Array);
    checkInteger('numCategories', numCategories, 1);
    if (logits.length % numCategories !== 0) {
      throw new RangeError(
        `logits has length ${logits.length}, which is not a multiple of numCategories = ${numCategories}`,
      );
    }
    this.logits = logits;
    this.numCategories = numCategories;
    this.batchSize = logits.length / numCategories;
    this.logPmf = new Float64Array(logits.length);
    const k = numCategories;
    for (let b = 0; b < this.batchSize; b++) {
      let max = Number.NEGATIVE_INFINITY;
      for (let j = 0; j < k; j++) {
        const v = logits[b * k + j];
        if (!Number.isFinite(v)) throw new RangeError(`logits[${b * k + j}] must be finite, got ${v}`);
        if (v > max) max = v;
      }
      let sum = 0;
      for (let j = 0; j < k; j++) sum += Math.exp(logits[b * k + j] - max);
      const lse = max + Math.log(sum);
      for (let j = 0; j < k; j++) this.logPmf[b * k + j] = logits[b * k + j] - lse;
    }
  }

  /**
   * log π(a) per row, float32 [batch].
   * @throws RangeError when actions.length ≠ batch or an action is not an integer in [0, numCategories).
   */
  logProb(actions: ArrayLike<number>): Float32Array {
    checkLength('actions', actions, this.batchSize, 'batch size');
    const out = new Float32Array(this.batchSize);
    for (let b = 0; b < this.batchSize; b++) {
      const a = actions[b];
      if (!Number.isInteger(a) || a < 0 || a >= this.numCategories) {
        throw new RangeError(`actions[${b}] must be an integer in [0, ${this.numCategories}), got ${a}`);
      }
      out[b] = this.logPmf[b * this.numCategories + a];
    }
    return out;
  }

  /** Entropy −Σ p log p per row (nats), float32 [batch]. */
  entropy(): Float32Array {
    const out = new Float32Array(this.batchSize);
    const k = this.numCategories;
    for (let b = 0; b < this.batchSize; b++) {
      let h = 0;
      for (let j = 0; j < k; j++) {
        const lp = this.logPmf[b * k + j];
        h -= Math.exp(lp) * lp;
      }
      out[b] = h;
    }
    return out;
  }

  /** Draws one action per row by inverse-CDF sampling with `rng`, int32 [batch]. */
  sample(rng: Random): Int32Array {
    const out = new Int32Array(this.batchSize);
    const k = this.numCategories;
    for (let b = 0; b < this.batchSize; b++) {
      let u = rng.uniform();
      let j = 0;
      for (; j < k - 1; j++) {
        u -= Math.exp(this.logPmf[b * k + j]);
        if (u < 0) break;
      }
      out[b] = j;
    }
    return out;
  }

  /** The most likely action per row (first on ties), int32 [batch]. */
  mode(): Int32Array {
    const out = new Int32Array(this.batchSize);
    const k = this.numCategories;
    for (let b = 0; b < this.batchSize; b++) {
      let best = 0;
      for (let j = 1; j < k; j++) if (this.logits[b * k + j] > this.logits[b * k + best]) best = j;
      out[b] = best;
    }
    return out;
  }
}
