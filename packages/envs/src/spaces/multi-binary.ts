/**
 * `MultiBinary`: arrays of 0/1 values of a fixed shape.
 *
 * Source: Gymnasium 1.x, `gymnasium/spaces/multi_binary.py` (`MultiBinary.__init__`, `sample`,
 * `contains`, `__repr__`). Difference: no `n` property (the shape is `shape`), so that duck-typed
 * consumers that read `n` as a `Discrete` size do not mistake it for one.
 */
import { formatShape, formatValue } from '../utils/format.js';
import { SpaceBase, shapeSize } from './space.js';

/** JSON form of a `MultiBinary` space. */
export interface MultiBinaryJSON {
  type: 'MultiBinary';
  shape: number[];
  dtype: 'int8';
}

function isArrayLike(x: unknown): x is ArrayLike<unknown> {
  return Array.isArray(x) || (ArrayBuffer.isView(x) && !(x instanceof DataView));
}

/**
 * Binary arrays of a fixed shape (Gymnasium `MultiBinary(n)`): values are flat row-major
 * `Int8Array`s of `prod(shape)` zeros and ones; `dtype` is `'int8'`.
 *
 * @example
 * new MultiBinary(4).sample();        // Int8Array(4), e.g. [0, 1, 1, 0]
 * new MultiBinary([2, 3]).shape;      // [2, 3]
 */
export class MultiBinary extends SpaceBase<Int8Array> {
  /** Shape of one value. */
  readonly shape: readonly number[];
  /** Number of elements, `prod(shape)`. */
  readonly size: number;
  /** Always `'int8'`. */
  readonly dtype = 'int8' as const;
  private readonly scalarShape: boolean;

  /**
   * @param n a positive integer (shape `[n]`) or a shape of positive integers.
   * @param options `seed`: optional seed of the space's generator.
   * @throws RangeError when `n` is not a positive integer or a non-empty array of them.
   */
  constructor(n: number | readonly number[], options: { seed?: number } = {}) {
    super(options.seed);
    const dims = typeof n === 'number' ? [n] : n;
    if (!Array.isArray(dims) || dims.length === 0 || !dims.every((d) => Number.isSafeInteger(d) && d > 0)) {
      throw new RangeError(
        `MultiBinary: n must be a positive integer or a shape of positive integers, got ${formatValue(n)}`,
      );
    }
    this.scalarShape = typeof n === 'number';
    this.shape = Object.freeze([...dims]);
    this.size = shapeSize(dims);
  }

  /** A random element: each entry 0 or 1 with probability 1/2, a new `Int8Array`. */
  sample(): Int8Array {
    const rng = this.rng;
    const out = new Int8Array(this.size);
    for (let i = 0; i < out.length; i++) out[i] = rng.integer(2);
    return out;
  }

  /** Whether `x` is an array-like (`number[]` or typed array) of `prod(shape)` zeros and ones. */
  contains(x: unknown): boolean {
    return this.mismatch(x) === null;
  }

  /**
   * Throws unless `contains(x)`.
   * @param name what `x` is, for the message (e.g. `'action'`).
   * @throws TypeError when `x` is not an array of numbers; RangeError for a wrong length or an
   *   entry other than 0 or 1.
   */
  assertContains(x: unknown, name: string): void {
    const problem = this.mismatch(x);
    if (problem === null) return;
    const message = `${name} ${problem.reason}; expected an element of ${this.toString()}`;
    throw problem.kind === 'type' ? new TypeError(message) : new RangeError(message);
  }

  private mismatch(x: unknown): { kind: 'type' | 'range'; reason: string } | null {
    if (!isArrayLike(x)) {
      return {
        kind: 'type',
        reason: `must be an array of ${this.size} zeros and ones, got ${formatValue(x)}`,
      };
    }
    if (x.length !== this.size) {
      return {
        kind: 'range',
        reason: `has length ${x.length}, expected ${this.size} (shape ${formatShape(this.shape)})`,
      };
    }
    for (let i = 0; i < this.size; i++) {
      const v = x[i];
      if (typeof v !== 'number') {
        return { kind: 'type', reason: `element [${i}] must be 0 or 1, got ${formatValue(v)}` };
      }
      if (v !== 0 && v !== 1)
        return { kind: 'range', reason: `element [${i}] = ${formatValue(v)} is not 0 or 1` };
    }
    return null;
  }

  /** JSON form ({@link MultiBinaryJSON}). */
  toJSON(): MultiBinaryJSON {
    return { type: 'MultiBinary', shape: [...this.shape], dtype: 'int8' };
  }

  /**
   * Rebuilds a `MultiBinary` from its JSON form (a 1-D shape `[n]` gives `new MultiBinary(n)`).
   * @throws TypeError when `json` is not a MultiBinary description; errors of the constructor.
   */
  static fromJSON(json: MultiBinaryJSON): MultiBinary {
    if (json?.type !== 'MultiBinary') {
      throw new TypeError(
        `MultiBinary.fromJSON: expected type 'MultiBinary', got ${formatValue(json?.type)}`,
      );
    }
    const shape = json.shape;
    return new MultiBinary(Array.isArray(shape) && shape.length === 1 ? shape[0] : shape);
  }

  /** Gymnasium-style repr: `MultiBinary(4)` for `new MultiBinary(4)`, `MultiBinary((2, 3))` for a shape. */
  override toString(): string {
    return this.scalarShape ? `MultiBinary(${this.size})` : `MultiBinary(${formatShape(this.shape)})`;
  }
}
