/**
 * `Tuple`: a fixed-length sequence of sub-spaces; values are arrays of their elements.
 *
 * Source: Gymnasium 1.x, `gymnasium/spaces/tuple.py` (`Tuple.seed` deriving one sub-seed per
 * sub-space, `Tuple.sample`, `Tuple.contains`, `Tuple.__repr__`).
 */
import { formatValue } from '../utils/format.js';
import { checkSubspace, subspaceProblem } from './dict.js';
import { spaceFromJSON } from './from-json.js';
import { type Space, SpaceBase } from './space.js';

/** JSON form of a `Tuple` space. */
export interface TupleJSON {
  type: 'Tuple';
  spaces: object[];
}

const SUBSEED_BOUND = 2 ** 31 - 1;

/**
 * A tuple of sub-spaces (Gymnasium `Tuple`). Values are arrays of `spaces.length` elements,
 * element i in `spaces[i]`. `shape` is `[]` and `dtype` `'object'` (Gymnasium: `None`).
 *
 * @example
 * const space = new Tuple([new Discrete(3), new Box(0, 1, [2])], { seed: 0 });
 * space.sample(); // [2, Float32Array(2) [...]]
 */
export class Tuple extends SpaceBase<unknown[]> {
  /** The sub-spaces. */
  readonly spaces: readonly Space<unknown>[];
  /** Always `[]` (Gymnasium: `None`). */
  readonly shape: readonly number[] = Object.freeze([]);
  /** Always `'object'` (Gymnasium: `None`). */
  readonly dtype = 'object' as const;

  /**
   * @param spaces the sub-spaces (at least one).
   * @param options `seed`: seeds the sub-spaces as {@link Tuple.seed} does.
   * @throws TypeError when `spaces` is not an array of spaces; RangeError when it is empty.
   */
  constructor(spaces: readonly Space<unknown>[], options: { seed?: number } = {}) {
    super();
    if (!Array.isArray(spaces)) {
      throw new TypeError(`Tuple: spaces must be an array of spaces, got ${formatValue(spaces)}`);
    }
    if (spaces.length === 0) throw new RangeError('Tuple: spaces must hold at least one space');
    this.spaces = Object.freeze(spaces.map((s, i) => checkSubspace(s, `Tuple: spaces[${i}]`)));
    if (options.seed !== undefined) this.seed(options.seed);
  }

  /**
   * Seeds the sub-spaces: with a seed, this space's generator draws one sub-seed per sub-space, so
   * the same seed gives the same samples; without one, every sub-space gets a random seed.
   * @throws RangeError when `seed` is not a non-negative safe integer.
   */
  override seed(seed?: number): void {
    super.seed(seed);
    for (const space of this.spaces)
      space.seed(seed === undefined ? undefined : this.rng.integer(SUBSEED_BOUND));
  }

  /** A random element: a new array of one sample per sub-space. */
  sample(): unknown[] {
    return this.spaces.map((s) => s.sample());
  }

  /** Whether `x` is an array of `spaces.length` values, value i in `spaces[i]`. */
  contains(x: unknown): boolean {
    return this.problem(x, 'x') === null;
  }

  /**
   * Throws unless `contains(x)`.
   * @throws TypeError when `x` is not an array; RangeError for a wrong length; the sub-space's
   *   error (its message naming `name[i]`) when an element is outside its sub-space.
   */
  assertContains(x: unknown, name: string): void {
    const problem = this.problem(x, name);
    if (problem !== null) throw problem;
  }

  private problem(x: unknown, name: string): Error | null {
    if (!Array.isArray(x)) {
      return new TypeError(`${name} must be an array of ${this.spaces.length} values, got ${formatValue(x)}`);
    }
    if (x.length !== this.spaces.length) {
      return new RangeError(
        `${name} has length ${x.length}, expected ${this.spaces.length}; expected an element of ${this.toString()}`,
      );
    }
    for (let i = 0; i < x.length; i++) {
      const p = subspaceProblem(this.spaces[i], x[i], `${name}[${i}]`);
      if (p !== null) return p;
    }
    return null;
  }

  /** JSON form ({@link TupleJSON}). */
  toJSON(): TupleJSON {
    return { type: 'Tuple', spaces: this.spaces.map((s) => s.toJSON()) };
  }

  /**
   * Rebuilds a `Tuple` (and its sub-spaces) from its JSON form.
   * @throws TypeError when `json` is not a Tuple description or a sub-space's JSON is unknown.
   */
  static fromJSON(json: TupleJSON): Tuple {
    if (json?.type !== 'Tuple' || !Array.isArray(json.spaces)) {
      throw new TypeError(`Tuple.fromJSON: expected type 'Tuple', got ${formatValue(json?.type)}`);
    }
    return new Tuple(json.spaces.map(spaceFromJSON));
  }

  /** Gymnasium-style repr: `Tuple(Discrete(2), Box(0.0, 1.0, (2,), float32))`. */
  override toString(): string {
    return `Tuple(${this.spaces.map(String).join(', ')})`;
  }
}
