/**
 * `Box`: a (possibly unbounded) box in R^n of float32 values.
 *
 * Source: Gymnasium 1.x, `gymnasium/spaces/box.py` (`Box.__init__`, `Box.sample`,
 * `Box.contains`, `Box.is_bounded`).
 */
import { formatShape, formatValue } from '../utils/format.js';
import { SpaceBase, shapeSize } from './space.js';

/** JSON form of a `Box`; infinite bounds are written as the strings `'inf'` and `'-inf'`. */
export interface BoxJSON {
  type: 'Box';
  shape: number[];
  dtype: 'float32';
  low: (number | string)[];
  high: (number | string)[];
}

function isArrayLike(x: unknown): x is ArrayLike<unknown> {
  if (Array.isArray(x)) return true;
  return ArrayBuffer.isView(x) && !(x instanceof DataView);
}

function toBound(
  value: number | ArrayLike<number>,
  size: number,
  name: 'low' | 'high',
  shape: readonly number[],
): Float32Array {
  const out = new Float32Array(size);
  if (typeof value === 'number') {
    out.fill(value);
  } else {
    if (value.length !== size) {
      throw new RangeError(
        `Box: ${name} has length ${value.length}, expected ${size} for shape ${formatShape(shape)}`,
      );
    }
    for (let i = 0; i < size; i++) {
      const v = value[i];
      if (typeof v !== 'number') {
        throw new TypeError(`Box: ${name}[${i}] must be a number, got ${formatValue(v)}`);
      }
      out[i] = v;
    }
  }
  for (let i = 0; i < size; i++) {
    if (Number.isNaN(out[i])) throw new RangeError(`Box: ${name}[${i}] is NaN`);
  }
  return out;
}

function encodeBound(v: number): number | string {
  if (v === Number.POSITIVE_INFINITY) return 'inf';
  if (v === Number.NEGATIVE_INFINITY) return '-inf';
  return v;
}

function decodeBound(v: number | string): number {
  if (v === 'inf') return Number.POSITIVE_INFINITY;
  if (v === '-inf') return Number.NEGATIVE_INFINITY;
  if (typeof v !== 'number') throw new TypeError(`Box.fromJSON: bad bound ${formatValue(v)}`);
  return v;
}

/**
 * A box `[low, high]` in R^shape with float32 elements (Gymnasium `Box(low, high, shape, np.float32)`).
 *
 * Values are flat row-major `Float32Array`s of length `prod(shape)`. Bounds may be ±Infinity; a
 * dimension is "bounded below" when `low > -Infinity` (and likewise above).
 *
 * @example
 * new Box(-1, 1, [3]);                        // three values in [-1, 1]
 * new Box([-4.8, -Infinity], [4.8, Infinity]); // shape [2] taken from the bounds
 */
export class Box extends SpaceBase<Float32Array> {
  /** Shape of one value; `[]` is a scalar box (values are `Float32Array(1)`). */
  readonly shape: readonly number[];
  /** Always `'float32'`. */
  readonly dtype = 'float32' as const;
  /** Lower bounds, float32, length `prod(shape)` (row-major). Do not mutate. */
  readonly low: Float32Array;
  /** Upper bounds, float32, length `prod(shape)` (row-major). Do not mutate. */
  readonly high: Float32Array;
  /** Number of elements of one value, `prod(shape)`. */
  readonly size: number;
  /** Per element: 1 when `low > -Infinity`. */
  readonly boundedBelow: Uint8Array;
  /** Per element: 1 when `high < Infinity`. */
  readonly boundedAbove: Uint8Array;

  /**
   * @param low lower bound(s): a scalar broadcast to `shape`, or one value per element (flat, row-major).
   * @param high upper bound(s), like `low`.
   * @param shape shape of one value (non-negative integers). Default: `[low.length]` when `low`
   *   (else `high`) is an array, `[]` when both are scalars.
   * @param options `seed`: optional seed of the space's generator.
   * @throws RangeError for a bad shape, bounds whose length is not `prod(shape)`, NaN bounds,
   *   `low > high`, `low = +Infinity` or `high = -Infinity`; TypeError for non-numeric bounds.
   */
  constructor(
    low: number | ArrayLike<number>,
    high: number | ArrayLike<number>,
    shape?: readonly number[],
    options: { seed?: number } = {},
  ) {
    super(options.seed);
    let resolved: readonly number[];
    if (shape !== undefined) {
      for (const d of shape) {
        if (!Number.isSafeInteger(d) || d < 0) {
          throw new RangeError(`Box: shape must hold non-negative integers, got ${formatValue(shape)}`);
        }
      }
      resolved = [...shape];
    } else if (typeof low !== 'number') {
      resolved = [low.length];
    } else if (typeof high !== 'number') {
      resolved = [high.length];
    } else {
      resolved = [];
    }
    this.shape = Object.freeze(resolved);
    this.size = shapeSize(resolved);
    this.low = toBound(low, this.size, 'low', resolved);
    this.high = toBound(high, this.size, 'high', resolved);
    this.boundedBelow = new Uint8Array(this.size);
    this.boundedAbove = new Uint8Array(this.size);
    for (let i = 0; i < this.size; i++) {
      const lo = this.low[i];
      const hi = this.high[i];
      if (lo > hi) throw new RangeError(`Box: low[${i}] = ${lo} is greater than high[${i}] = ${hi}`);
      if (lo === Number.POSITIVE_INFINITY) throw new RangeError(`Box: low[${i}] is +Infinity`);
      if (hi === Number.NEGATIVE_INFINITY) throw new RangeError(`Box: high[${i}] is -Infinity`);
      this.boundedBelow[i] = lo > Number.NEGATIVE_INFINITY ? 1 : 0;
      this.boundedAbove[i] = hi < Number.POSITIVE_INFINITY ? 1 : 0;
    }
  }

  /**
   * Whether every element is bounded in the given manner (Gymnasium `Box.is_bounded`).
   * @param manner `'both'` (default), `'below'` or `'above'`.
   */
  isBounded(manner: 'both' | 'below' | 'above' = 'both'): boolean {
    const below = this.boundedBelow.every((b) => b === 1);
    const above = this.boundedAbove.every((b) => b === 1);
    if (manner === 'below') return below;
    if (manner === 'above') return above;
    return below && above;
  }

  /**
   * A random element, a new `Float32Array(prod(shape))`. Per element, as in Gymnasium:
   * bounded → uniform in `[low, high]`; bounded below only → `low + Exp(1)`; above only →
   * `high − Exp(1)`; unbounded → standard normal. Results are rounded to float32.
   */
  sample(): Float32Array {
    const out = new Float32Array(this.size);
    const rng = this.rng;
    for (let i = 0; i < this.size; i++) {
      const lo = this.low[i];
      const hi = this.high[i];
      const below = this.boundedBelow[i] === 1;
      const above = this.boundedAbove[i] === 1;
      let v: number;
      if (below && above) v = lo + (hi - lo) * rng.uniform();
      else if (below) v = lo - Math.log(1 - rng.uniform());
      else if (above) v = hi + Math.log(1 - rng.uniform());
      else v = rng.normal();
      out[i] = v;
    }
    return out;
  }

  /**
   * Whether `x` is an element: an array-like of `prod(shape)` numbers (any typed array or
   * `number[]`; a plain number for a scalar box) each within `[low, high]` once rounded to float32.
   * NaN is never contained. Unlike Gymnasium, float64 arrays are accepted (checked by value).
   */
  contains(x: unknown): boolean {
    return this.mismatch(x) === null;
  }

  /**
   * Throws unless `contains(x)`.
   * @param name what `x` is, for the message (e.g. `'action'`).
   * @throws TypeError when `x` is not an array of numbers; RangeError for a wrong length or an
   *   element outside `[low, high]` (the message names the element, its value and its bounds).
   */
  assertContains(x: unknown, name: string): void {
    const problem = this.mismatch(x);
    if (problem === null) return;
    const message = `${name} ${problem.reason}; expected an element of ${this.toString()}`;
    throw problem.kind === 'type' ? new TypeError(message) : new RangeError(message);
  }

  private mismatch(x: unknown): { kind: 'type' | 'range'; reason: string } | null {
    if (typeof x === 'number' && this.shape.length === 0) return this.checkElement(x, 0, 'x');
    if (!isArrayLike(x)) {
      return { kind: 'type', reason: `must be an array of ${this.size} numbers, got ${formatValue(x)}` };
    }
    if (x.length !== this.size) {
      return {
        kind: 'range',
        reason: `has length ${x.length}, expected ${this.size} (shape ${formatShape(this.shape)})`,
      };
    }
    for (let i = 0; i < this.size; i++) {
      const problem = this.checkElement(x[i], i, `[${i}]`);
      if (problem !== null) return problem;
    }
    return null;
  }

  private checkElement(
    v: unknown,
    i: number,
    label: string,
  ): { kind: 'type' | 'range'; reason: string } | null {
    if (typeof v !== 'number') {
      return { kind: 'type', reason: `element ${label} must be a number, got ${formatValue(v)}` };
    }
    const f = Math.fround(v);
    if (!(f >= this.low[i] && f <= this.high[i])) {
      return {
        kind: 'range',
        reason: `element ${label} = ${formatValue(v)} is outside [${this.low[i]}, ${this.high[i]}]`,
      };
    }
    return null;
  }

  /** JSON form ({@link BoxJSON}); `Box.fromJSON(box.toJSON())` equals `box`. */
  toJSON(): BoxJSON {
    return {
      type: 'Box',
      shape: [...this.shape],
      dtype: 'float32',
      low: Array.from(this.low, encodeBound),
      high: Array.from(this.high, encodeBound),
    };
  }

  /**
   * Rebuilds a `Box` from its JSON form.
   * @throws TypeError when `json` is not a Box description; errors of the constructor.
   */
  static fromJSON(json: BoxJSON): Box {
    if (json?.type !== 'Box')
      throw new TypeError(`Box.fromJSON: expected type 'Box', got ${formatValue(json?.type)}`);
    return new Box(json.low.map(decodeBound), json.high.map(decodeBound), json.shape);
  }

  /** Gymnasium-style repr: `Box(-1.0, 1.0, (3,), float32)` or `Box([...], [...], (4,), float32)`. */
  override toString(): string {
    return `Box(${boundRepr(this.low)}, ${boundRepr(this.high)}, ${formatShape(this.shape)}, float32)`;
  }
}

function boundRepr(b: Float32Array): string {
  const fmt = (v: number): string =>
    Number.isFinite(v) ? (Number.isInteger(v) ? v.toFixed(1) : String(v)) : v > 0 ? 'inf' : '-inf';
  if (b.length > 0 && b.every((v) => v === b[0])) return fmt(b[0]);
  return `[${Array.from(b, fmt).join(' ')}]`;
}
