import { checkLength, checkTyped } from './internal/checks.js';

/**
 * Explained variance 1 − Var[y − ŷ] / Var[y] of value predictions ŷ for targets y (float32 [B]).
 * Returns NaN when Var[y] = 0, as SB3's `explained_variance`. 1 is perfect, 0 is no better than the mean.
 * @throws TypeError for non-Float32Array inputs; RangeError for unequal lengths.
 */
export function explainedVariance(predictions: Float32Array, targets: Float32Array): number {
  checkTyped('predictions', predictions, Float32Array);
  checkTyped('targets', targets, Float32Array);
  checkLength('predictions', predictions, targets.length, 'targets.length');
  const n = targets.length;
  if (n === 0) return Number.NaN;
  let my = 0;
  let md = 0;
  for (let i = 0; i < n; i++) {
    my += targets[i];
    md += targets[i] - predictions[i];
  }
  my /= n;
  md /= n;
  let vy = 0;
  let vd = 0;
  for (let i = 0; i < n; i++) {
    const a = targets[i] - my;
    const b = targets[i] - predictions[i] - md;
    vy += a * a;
    vd += b * b;
  }
  return vy === 0 ? Number.NaN : 1 - vd / vy;
}

/**
 * Running mean and variance of a stream of vectors of shape [size], merged batch by batch with
 * the parallel algorithm of Chan et al. (1979), as SB3's `RunningMeanStd` (initial count ε = 1e-4).
 */
export class RunningMeanStd {
  readonly size: number;
  mean: Float64Array;
  var: Float64Array;
  count: number;

  /** @param size length of each vector (1 for scalars). @throws RangeError when size is not a positive integer. */
  constructor(size = 1, epsilon = 1e-4) {
    if (!Number.isInteger(size) || size < 1)
      throw new RangeError(`size must be a positive integer, got ${size}`);
    this.size = size;
    this.mean = new Float64Array(size);
    this.var = new Float64Array(size).fill(1);
    this.count = epsilon;
  }

  /**
   * Merges a batch [batch, size] (row-major) into the statistics.
   * @throws RangeError when `batch.length` is not a multiple of `size`.
   */
  update(batch: ArrayLike<number>): void {
    if (batch.length % this.size !== 0) {
      throw new RangeError(
        `batch has length ${batch.length}, which is not a multiple of size = ${this.size}`,
      );
    }
    const b = batch.length / this.size;
    if (b === 0) return;
    const total = this.count + b;
    for (let j = 0; j < this.size; j++) {
      let m = 0;
      for (let i = 0; i < b; i++) m += batch[i * this.size + j];
      m /= b;
      let v = 0;
      for (let i = 0; i < b; i++) {
        const d = batch[i * this.size + j] - m;
        v += d * d;
      }
      v /= b;
      const delta = m - this.mean[j];
      const m2 = this.var[j] * this.count + v * b + (delta * delta * this.count * b) / total;
      this.mean[j] += (delta * b) / total;
      this.var[j] = m2 / total;
    }
    this.count = total;
  }

  /** Standard deviation per component. */
  std(): Float64Array {
    return this.var.map(Math.sqrt);
  }

  toJSON(): { mean: number[]; var: number[]; count: number } {
    return { mean: Array.from(this.mean), var: Array.from(this.var), count: this.count };
  }

  static fromJSON(json: { mean: number[]; var: number[]; count: number }): RunningMeanStd {
    const r = new RunningMeanStd(json.mean.length);
    r.mean.set(json.mean);
    r.var.set(json.var);
    r.count = json.count;
    return r;
  }
}
