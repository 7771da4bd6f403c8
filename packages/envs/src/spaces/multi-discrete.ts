/**
 * `MultiDiscrete`: a vector of independent discrete values, element i in
 * `{start[i], …, start[i] + nvec[i] − 1}`.
 *
 * Source: Gymnasium 1.x, `gymnasium/spaces/multi_discrete.py` (`MultiDiscrete.__init__` with
 * `start`, `sample`, `contains`, `__repr__`). Differences: only 1-D `nvec`; values are `Int32Array`s.
 */
import { formatValue } from '../utils/format.js';
import { SpaceBase } from './space.js';

/** JSON form of a `MultiDiscrete` space. */
export interface MultiDiscreteJSON {
  type: 'MultiDiscrete';
  nvec: number[];
  start: number[];
  dtype: 'int32';
}

const INT32_MAX = 2 ** 31 - 1;
const INT32_MIN = -(2 ** 31);

function isArrayLike(x: unknown): x is ArrayLike<unknown> {
  return Array.isArray(x) || (ArrayBuffer.isView(x) && !(x instanceof DataView));
}

function toInt32Array(value: unknown, what: string): Int32Array {
  if (!isArrayLike(value)) {
    throw new TypeError(`MultiDiscrete: ${what} must be an array of integers, got ${formatValue(value)}`);
  }
  const out = new Int32Array(value.length);
  for (let i = 0; i < value.length; i++) {
    const v = value[i];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < INT32_MIN || v > INT32_MAX) {
      throw new RangeError(`MultiDiscrete: ${what}[${i}] must be a 32-bit integer, got ${formatValue(v)}`);
    }
    out[i] = v;
  }
  return out;
}

function numpyRepr(a: Int32Array): string {
  return `[${Array.from(a).join(' ')}]`;
}

/**
 * A vector of `nvec.length` discrete values (Gymnasium `MultiDiscrete(nvec, start=start)`), e.g.
 * the buttons of a game pad. Values are `Int32Array`s (any array-like of integers is accepted
 * by `contains`); `shape` is `[nvec.length]`, `dtype` `'int32'`.
 *
 * The `nvec` property (an `Int32Array`) is how consumers detect a MultiDiscrete space (e.g.
 * `@proximal/algorithms`' PPO builds one categorical per element).
 *
 * @example
 * const space = new MultiDiscrete([5, 2, 2]);   // MultiDiscrete([5 2 2])
 * space.sample();                               // Int32Array [x ∈ 0..4, y ∈ 0..1, z ∈ 0..1]
 */
export class MultiDiscrete extends SpaceBase<Int32Array> {
  /** Number of values of each element (positive). Do not mutate. */
  readonly nvec: Int32Array;
  /** Smallest value of each element (default 0). Do not mutate. */
  readonly start: Int32Array;
  /** `[nvec.length]`. */
  readonly shape: readonly number[];
  /** Always `'int32'`. */
  readonly dtype = 'int32' as const;

  /**
   * @param nvec number of values of each element: a non-empty array of positive 32-bit integers.
   * @param options `start` (one integer per element, default zeros) and `seed` (optional seed of
   *   the space's generator).
   * @throws TypeError when `nvec` / `start` is not an array; RangeError for an empty `nvec`, a
   *   non-positive or non-integer count, a `start` of another length, or `start + nvec − 1`
   *   beyond int32.
   */
  constructor(nvec: ArrayLike<number>, options: { start?: ArrayLike<number>; seed?: number } = {}) {
    super(options.seed);
    const counts = toInt32Array(nvec, 'nvec');
    if (counts.length === 0) throw new RangeError('MultiDiscrete: nvec must hold at least one count');
    counts.forEach((n, i) => {
      if (n <= 0) throw new RangeError(`MultiDiscrete: nvec[${i}] must be positive, got ${n}`);
    });
    const start =
      options.start === undefined ? new Int32Array(counts.length) : toInt32Array(options.start, 'start');
    if (start.length !== counts.length) {
      throw new RangeError(
        `MultiDiscrete: start has length ${start.length}, expected ${counts.length} (nvec's)`,
      );
    }
    start.forEach((s, i) => {
      if (s + counts[i] - 1 > INT32_MAX) {
        throw new RangeError(`MultiDiscrete: start[${i}] + nvec[${i}] − 1 exceeds the int32 range`);
      }
    });
    this.nvec = counts;
    this.start = start;
    this.shape = Object.freeze([counts.length]);
  }

  /** A random element: element i uniform in `[start[i], start[i] + nvec[i])`, a new `Int32Array`. */
  sample(): Int32Array {
    const rng = this.rng;
    const out = new Int32Array(this.nvec.length);
    for (let i = 0; i < out.length; i++) out[i] = this.start[i] + rng.integer(this.nvec[i]);
    return out;
  }

  /**
   * Whether `x` is an element: an array-like (`number[]` or any typed array) of `nvec.length`
   * integers with `start[i] ≤ x[i] < start[i] + nvec[i]`. Never throws.
   */
  contains(x: unknown): boolean {
    return this.mismatch(x) === null;
  }

  /**
   * Throws unless `contains(x)`.
   * @param name what `x` is, for the message (e.g. `'action'`).
   * @throws TypeError when `x` is not an array of numbers; RangeError for a wrong length or an
   *   element that is not an integer in its range (the message names it, its value and the space).
   */
  assertContains(x: unknown, name: string): void {
    const problem = this.mismatch(x);
    if (problem === null) return;
    const message = `${name} ${problem.reason}; expected an element of ${this.toString()}`;
    throw problem.kind === 'type' ? new TypeError(message) : new RangeError(message);
  }

  private mismatch(x: unknown): { kind: 'type' | 'range'; reason: string } | null {
    const n = this.nvec.length;
    if (!isArrayLike(x)) {
      return { kind: 'type', reason: `must be an array of ${n} integers, got ${formatValue(x)}` };
    }
    if (x.length !== n) return { kind: 'range', reason: `has length ${x.length}, expected ${n}` };
    for (let i = 0; i < n; i++) {
      const v = x[i];
      if (typeof v !== 'number') {
        return { kind: 'type', reason: `element [${i}] must be an integer, got ${formatValue(v)}` };
      }
      const lo = this.start[i];
      const hi = lo + this.nvec[i] - 1;
      if (!Number.isInteger(v) || v < lo || v > hi) {
        return {
          kind: 'range',
          reason: `element [${i}] = ${formatValue(v)} is not an integer in [${lo}, ${hi}]`,
        };
      }
    }
    return null;
  }

  /** JSON form ({@link MultiDiscreteJSON}). */
  toJSON(): MultiDiscreteJSON {
    return {
      type: 'MultiDiscrete',
      nvec: Array.from(this.nvec),
      start: Array.from(this.start),
      dtype: 'int32',
    };
  }

  /**
   * Rebuilds a `MultiDiscrete` from its JSON form (`start` optional).
   * @throws TypeError when `json` is not a MultiDiscrete description; errors of the constructor.
   */
  static fromJSON(json: MultiDiscreteJSON): MultiDiscrete {
    if (json?.type !== 'MultiDiscrete') {
      throw new TypeError(
        `MultiDiscrete.fromJSON: expected type 'MultiDiscrete', got ${formatValue(json?.type)}`,
      );
    }
    return new MultiDiscrete(json.nvec, json.start === undefined ? {} : { start: json.start });
  }

  /** Gymnasium-style repr: `MultiDiscrete([2 3])` or `MultiDiscrete([2 3], start=[-1 0])`. */
  override toString(): string {
    const base = numpyRepr(this.nvec);
    return this.start.some((s) => s !== 0)
      ? `MultiDiscrete(${base}, start=${numpyRepr(this.start)})`
      : `MultiDiscrete(${base})`;
  }
}
