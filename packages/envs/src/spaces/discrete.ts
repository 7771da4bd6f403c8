/**
 * `Discrete`: the integers `{start, start + 1, ..., start + n − 1}`.
 *
 * Source: Gymnasium 1.x, `gymnasium/spaces/discrete.py` (`Discrete.__init__`, `Discrete.sample`
 * with `mask` / `probability`, `Discrete.contains`).
 */
import { formatValue } from '../utils/format.js';
import { SpaceBase } from './space.js';

/** JSON form of a `Discrete` space. */
export interface DiscreteJSON {
  type: 'Discrete';
  n: number;
  start: number;
  dtype: 'int32';
}

/** Options of `Discrete.sample` (at most one of them). */
export interface DiscreteSampleOptions {
  /** Length `n`, 1 = allowed, 0 = not; uniform over allowed values, `start` when none is allowed. */
  mask?: ArrayLike<number | boolean>;
  /** Length `n`, non-negative, summing to 1 (±1e-6): the probability of each value. */
  probability?: ArrayLike<number>;
}

/**
 * A finite set of `n` consecutive integers starting at `start` (Gymnasium `Discrete(n, start=start)`).
 *
 * Values are plain JavaScript integers (`number`); `shape` is `[]`. `dtype` is `'int32'`
 * (Gymnasium uses int64; JavaScript integers are exact up to 2^53 and rollout buffers store
 * discrete actions as `Int32Array`).
 *
 * @example new Discrete(2).contains(1) === true; new Discrete(3, { start: -1 }).sample() ∈ {-1, 0, 1}
 */
export class Discrete extends SpaceBase<number> {
  /** Number of elements, a positive integer. */
  readonly n: number;
  /** Smallest element (default 0). */
  readonly start: number;
  /** Always `[]` (scalar). */
  readonly shape: readonly number[] = Object.freeze([]);
  /** Always `'int32'`. */
  readonly dtype = 'int32' as const;

  /**
   * @param n number of elements, a positive safe integer.
   * @param options `start` (default 0, an integer) and `seed` (optional seed of the generator).
   * @throws RangeError when `n` is not a positive safe integer or `start` not a safe integer.
   */
  constructor(n: number, options: { start?: number; seed?: number } = {}) {
    super(options.seed);
    const start = options.start ?? 0;
    if (!Number.isSafeInteger(n) || n <= 0) {
      throw new RangeError(`Discrete: n must be a positive integer, got ${formatValue(n)}`);
    }
    if (!Number.isSafeInteger(start)) {
      throw new RangeError(`Discrete: start must be an integer, got ${formatValue(start)}`);
    }
    this.n = n;
    this.start = start;
  }

  /**
   * A random element (an integer in `[start, start + n)`), uniform unless `options` says otherwise.
   * @throws RangeError when both `mask` and `probability` are given, or when either has length ≠ n,
   *   a mask entry is not 0/1, or the probabilities are negative or do not sum to 1.
   */
  sample(options?: DiscreteSampleOptions): number {
    const mask = options?.mask;
    const probability = options?.probability;
    if (mask !== undefined && probability !== undefined) {
      throw new RangeError('Discrete.sample: give either mask or probability, not both');
    }
    if (mask !== undefined) return this.sampleMasked(mask);
    if (probability !== undefined) return this.sampleWeighted(probability);
    return this.start + this.rng.integer(this.n);
  }

  private sampleMasked(mask: ArrayLike<number | boolean>): number {
    if (mask.length !== this.n) {
      throw new RangeError(`Discrete.sample: mask has length ${mask.length}, expected ${this.n}`);
    }
    let allowed = 0;
    for (let i = 0; i < this.n; i++) {
      const m = Number(mask[i]);
      if (m !== 0 && m !== 1) {
        throw new RangeError(`Discrete.sample: mask[${i}] must be 0 or 1, got ${formatValue(mask[i])}`);
      }
      allowed += m;
    }
    if (allowed === 0) return this.start;
    let k = this.rng.integer(allowed);
    for (let i = 0; i < this.n; i++) {
      if (Number(mask[i]) === 1 && k-- === 0) return this.start + i;
    }
    return this.start; // unreachable
  }

  private sampleWeighted(probability: ArrayLike<number>): number {
    if (probability.length !== this.n) {
      throw new RangeError(
        `Discrete.sample: probability has length ${probability.length}, expected ${this.n}`,
      );
    }
    let total = 0;
    for (let i = 0; i < this.n; i++) {
      const p = probability[i];
      if (!(p >= 0) || !Number.isFinite(p)) {
        throw new RangeError(
          `Discrete.sample: probability[${i}] must be a finite number ≥ 0, got ${formatValue(p)}`,
        );
      }
      total += p;
    }
    if (Math.abs(total - 1) > 1e-6) {
      throw new RangeError(`Discrete.sample: probabilities must sum to 1, got ${total}`);
    }
    const u = this.rng.uniform() * total;
    let acc = 0;
    let last = 0;
    for (let i = 0; i < this.n; i++) {
      if (probability[i] > 0) {
        acc += probability[i];
        last = i;
        if (u < acc) return this.start + i;
      }
    }
    return this.start + last;
  }

  /** Whether `x` is an integer `number` in `[start, start + n)` (booleans, strings, NaN are not). */
  contains(x: unknown): boolean {
    return typeof x === 'number' && Number.isInteger(x) && x >= this.start && x < this.start + this.n;
  }

  /**
   * Throws unless `contains(x)`.
   * @param name what `x` is, for the message (e.g. `'action'`).
   * @throws TypeError when `x` is not a number; RangeError when it is a number but not an integer
   *   in `[start, start + n)` (NaN included). The message names `name`, the value and the space.
   */
  assertContains(x: unknown, name: string): void {
    if (this.contains(x)) return;
    const space = `${this.toString()} = {${this.describeElements()}}`;
    const message = `${name} must be an integer in ${space}, got ${formatValue(x)}`;
    throw typeof x === 'number' ? new RangeError(message) : new TypeError(message);
  }

  private describeElements(): string {
    const last = this.start + this.n - 1;
    if (this.n <= 4) return Array.from({ length: this.n }, (_, i) => this.start + i).join(', ');
    return `${this.start}, ${this.start + 1}, …, ${last}`;
  }

  /** JSON form ({@link DiscreteJSON}). */
  toJSON(): DiscreteJSON {
    return { type: 'Discrete', n: this.n, start: this.start, dtype: 'int32' };
  }

  /**
   * Rebuilds a `Discrete` from its JSON form.
   * @throws TypeError when `json` is not a Discrete description; errors of the constructor.
   */
  static fromJSON(json: DiscreteJSON): Discrete {
    if (json?.type !== 'Discrete') {
      throw new TypeError(`Discrete.fromJSON: expected type 'Discrete', got ${formatValue(json?.type)}`);
    }
    return new Discrete(json.n, { start: json.start });
  }

  /** Gymnasium-style repr: `Discrete(2)` or `Discrete(3, start=-1)`. */
  override toString(): string {
    return this.start === 0 ? `Discrete(${this.n})` : `Discrete(${this.n}, start=${this.start})`;
  }
}
