/**
 * The `Space` interface and the base class shared by all spaces.
 *
 * Source: Gymnasium 1.x, `gymnasium/spaces/space.py` (`Space.sample`, `Space.contains`,
 * `Space.seed`, `Space.np_random`).
 */
import { Random } from '@proximal/core';

/**
 * Element type of a space's values, named as numpy dtypes. Values are always JavaScript numbers or
 * typed arrays: `float32` → `Float32Array`, `int32` → integer `number` (or `Int32Array`), etc.
 * `object` is the dtype of the composite spaces `Dict` and `Tuple` (Gymnasium's `None`).
 */
export type DType = 'float32' | 'float64' | 'int32' | 'int64' | 'int8' | 'uint8' | 'object';

/**
 * A set of values (observations or actions) that can be sampled and tested for membership.
 *
 * `T` is the value type: `Float32Array` for `Box`, `number` for `Discrete`.
 */
export interface Space<T> {
  /** Shape of one value, numpy style (`[]` for a scalar, `[4]` for a vector of four). */
  readonly shape: readonly number[];
  /** Element type of one value. */
  readonly dtype: DType;
  /** A random element, drawn from the space's own generator (see `seed`). */
  sample(): T;
  /** Whether `x` is an element of the space (never throws). */
  contains(x: unknown): boolean;
  /**
   * Re-seeds the space's generator; `seed` is a non-negative safe integer, omitted = a random seed.
   * @throws RangeError when `seed` is negative, fractional or above 2^53 − 1.
   */
  seed(seed?: number): void;
  /** A JSON-serializable description (`{ type: 'Box' | 'Discrete', ... }`). */
  toJSON(): object;
}

/** Number of elements of one value of the given shape (product of the dims; 1 for `[]`). */
export function shapeSize(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/**
 * Base class of the concrete spaces: owns the lazily created generator.
 *
 * Like Gymnasium's `np_random`, the generator is created from a random seed on first use unless
 * `seed(s)` (or the constructor's `seed` option) fixed it.
 */
export abstract class SpaceBase<T> implements Space<T> {
  abstract readonly shape: readonly number[];
  abstract readonly dtype: DType;
  private generator: Random | undefined;

  /** @param seed optional non-negative safe integer seed of the space's generator. */
  constructor(seed?: number) {
    if (seed !== undefined) this.generator = new Random(seed);
  }

  /**
   * The space's generator (`@proximal/core` `Random`); created with a random seed on first access.
   * Assigning replaces it (like Gymnasium's `space.np_random = ...`).
   */
  get rng(): Random {
    if (this.generator === undefined) this.generator = new Random();
    return this.generator;
  }

  set rng(rng: Random) {
    this.generator = rng;
  }

  /**
   * Re-seeds the generator: the same seed gives the same sequence of `sample()` results.
   * @param seed non-negative safe integer; omitted = a fresh random seed.
   * @throws RangeError when `seed` is not a non-negative safe integer.
   */
  seed(seed?: number): void {
    this.generator = new Random(seed);
  }

  abstract sample(): T;
  abstract contains(x: unknown): boolean;
  abstract toJSON(): object;

  /**
   * Throws when `x` is not an element of the space, with a message naming `name`, the value and
   * the space (e.g. `action must be an integer in Discrete(2) = {0, 1}, got 2`).
   * @throws TypeError when `x` has the wrong type, RangeError when it has the right type but a
   *   wrong length or a value outside the space.
   */
  abstract assertContains(x: unknown, name: string): void;

  /** Whether `other` is a space with the same type, shape, dtype and bounds. */
  equals(other: Space<unknown>): boolean {
    return JSON.stringify(this.toJSON()) === JSON.stringify(other.toJSON());
  }
}
