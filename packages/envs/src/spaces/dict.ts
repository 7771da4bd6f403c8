/**
 * `Dict`: a dictionary of named sub-spaces; values are plain objects with the same keys.
 *
 * Source: Gymnasium 1.x, `gymnasium/spaces/dict.py` (`Dict.__init__` sorting the keys of a plain
 * mapping, `Dict.seed` deriving one sub-seed per sub-space, `Dict.sample`, `Dict.contains`,
 * `Dict.__repr__`).
 */
import { formatValue } from '../utils/format.js';
import { spaceFromJSON } from './from-json.js';
import { type Space, SpaceBase } from './space.js';

/** JSON form of a `Dict` space: the sub-spaces' JSON forms, in key order. */
export interface DictJSON {
  type: 'Dict';
  spaces: [string, object][];
}

/** Largest int32, the exclusive bound of the sub-seeds (`np.iinfo(np.int32).max`). */
const SUBSEED_BOUND = 2 ** 31 - 1;

function isPlainObject(x: unknown): x is Record<string, unknown> {
  if (x === null || typeof x !== 'object') return false;
  const proto = Object.getPrototypeOf(x);
  return proto === Object.prototype || proto === null;
}

export function checkSubspace(space: unknown, where: string): Space<unknown> {
  const s = space as Record<string, unknown> | null;
  if (
    s === null ||
    typeof s !== 'object' ||
    typeof s.sample !== 'function' ||
    typeof s.contains !== 'function'
  ) {
    throw new TypeError(`${where} must be a Space, got ${formatValue(space)}`);
  }
  return space as Space<unknown>;
}

/** The message of a failed `assertContains` of a sub-space, or null when `x` is contained. */
export function subspaceProblem(space: Space<unknown>, x: unknown, name: string): Error | null {
  const s = space as Space<unknown> & { assertContains?: (x: unknown, name: string) => void };
  if (typeof s.assertContains === 'function') {
    try {
      s.assertContains(x, name);
      return null;
    } catch (error) {
      return error as Error;
    }
  }
  return s.contains(x)
    ? null
    : new RangeError(`${name} = ${formatValue(x)} is not an element of ${String(s)}`);
}

/**
 * A dictionary of sub-spaces (Gymnasium `Dict`). Values are plain objects with exactly the
 * space's keys, each value an element of its sub-space.
 *
 * A plain object's keys are sorted (as Gymnasium sorts a plain `dict`); an array of
 * `[key, space]` pairs keeps its order (Gymnasium's `OrderedDict`). `shape` is `[]` and `dtype`
 * `'object'` (Gymnasium: `None`); use `flattenSpace` / `FlattenObservation` for a flat `Box`.
 *
 * @example
 * const space = new Dict({ position: new Box(-1, 1, [2]), door: new Discrete(2) }, { seed: 0 });
 * space.sample(); // { door: 1, position: Float32Array(2) [...] }
 */
export class Dict extends SpaceBase<Record<string, unknown>> {
  /** The sub-spaces, in key order. Do not mutate. */
  readonly spaces: Readonly<Record<string, Space<unknown>>>;
  /** The keys, in order. */
  readonly keys: readonly string[];
  /** Always `[]` (Gymnasium: `None`). */
  readonly shape: readonly number[] = Object.freeze([]);
  /** Always `'object'` (Gymnasium: `None`). */
  readonly dtype = 'object' as const;

  /**
   * @param spaces a plain object of sub-spaces (keys sorted) or an array of `[key, space]` pairs
   *   (order kept).
   * @param options `seed`: seeds the sub-spaces as {@link Dict.seed} does.
   * @throws TypeError when a value is not a space or `spaces` is neither an object nor an array of
   *   pairs; RangeError for a duplicated key.
   */
  constructor(
    spaces: Record<string, Space<unknown>> | readonly (readonly [string, Space<unknown>])[],
    options: { seed?: number } = {},
  ) {
    super();
    let entries: [string, Space<unknown>][];
    if (Array.isArray(spaces)) {
      entries = spaces.map((pair, i) => {
        if (!Array.isArray(pair) || pair.length !== 2 || typeof pair[0] !== 'string') {
          throw new TypeError(`Dict: spaces[${i}] must be a [key, space] pair, got ${formatValue(pair)}`);
        }
        return [pair[0], pair[1]];
      });
    } else if (isPlainObject(spaces)) {
      entries = Object.keys(spaces)
        .sort()
        .map((k) => [k, (spaces as Record<string, Space<unknown>>)[k]]);
    } else {
      throw new TypeError(`Dict: spaces must be an object of spaces, got ${formatValue(spaces)}`);
    }
    const record: Record<string, Space<unknown>> = Object.create(null);
    for (const [key, space] of entries) {
      if (key in record) throw new RangeError(`Dict: duplicated key ${formatValue(key)}`);
      record[key] = checkSubspace(space, `Dict: spaces[${JSON.stringify(key)}]`);
    }
    this.spaces = Object.freeze(record);
    this.keys = Object.freeze(entries.map(([k]) => k));
    if (options.seed !== undefined) this.seed(options.seed);
  }

  /**
   * Seeds the sub-spaces: with a seed, this space's generator draws one sub-seed per sub-space (in
   * key order), so the same seed gives the same samples; without one, every sub-space gets a
   * random seed.
   * @throws RangeError when `seed` is not a non-negative safe integer.
   */
  override seed(seed?: number): void {
    super.seed(seed);
    for (const key of this.keys) {
      this.spaces[key].seed(seed === undefined ? undefined : this.rng.integer(SUBSEED_BOUND));
    }
  }

  /** A random element: `{ key: spaces[key].sample() }` for every key, in order. */
  sample(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const key of this.keys) out[key] = this.spaces[key].sample();
    return out;
  }

  /** Whether `x` is a plain object with exactly this space's keys, each value in its sub-space. */
  contains(x: unknown): boolean {
    return this.problem(x, 'x') === null;
  }

  /**
   * Throws unless `contains(x)`.
   * @throws TypeError when `x` is not an object or has other keys; the sub-space's error (its
   *   message naming `name.key`) when a value is outside its sub-space.
   */
  assertContains(x: unknown, name: string): void {
    const problem = this.problem(x, name);
    if (problem !== null) throw problem;
  }

  private problem(x: unknown, name: string): Error | null {
    if (x === null || typeof x !== 'object' || Array.isArray(x) || ArrayBuffer.isView(x)) {
      return new TypeError(
        `${name} must be an object with keys ${this.keys.join(', ')}, got ${formatValue(x)}`,
      );
    }
    const value = x as Record<string, unknown>;
    const keys = Object.keys(value);
    const extra = keys.filter((k) => !(k in this.spaces));
    const missing = this.keys.filter((k) => !keys.includes(k));
    if (extra.length > 0 || missing.length > 0) {
      const parts = [];
      if (missing.length > 0) parts.push(`misses ${missing.join(', ')}`);
      if (extra.length > 0) parts.push(`has unknown keys ${extra.join(', ')}`);
      return new TypeError(`${name} ${parts.join(' and ')}; expected an element of ${this.toString()}`);
    }
    for (const key of this.keys) {
      const p = subspaceProblem(this.spaces[key], value[key], `${name}.${key}`);
      if (p !== null) return p;
    }
    return null;
  }

  /** JSON form ({@link DictJSON}); `spaceFromJSON(dict.toJSON())` equals `dict`. */
  toJSON(): DictJSON {
    return { type: 'Dict', spaces: this.keys.map((k) => [k, this.spaces[k].toJSON()]) };
  }

  /**
   * Rebuilds a `Dict` (and its sub-spaces) from its JSON form, keeping the key order.
   * @throws TypeError when `json` is not a Dict description or a sub-space's JSON is unknown.
   */
  static fromJSON(json: DictJSON): Dict {
    if (json?.type !== 'Dict' || !Array.isArray(json.spaces)) {
      throw new TypeError(`Dict.fromJSON: expected type 'Dict', got ${formatValue(json?.type)}`);
    }
    return new Dict(json.spaces.map(([k, s]) => [k, spaceFromJSON(s)] as const));
  }

  /** Gymnasium-style repr: `Dict('a': Discrete(2), 'b': Box(-1.0, 1.0, (2,), float32))`. */
  override toString(): string {
    return `Dict(${this.keys.map((k) => `'${k}': ${String(this.spaces[k])}`).join(', ')})`;
  }
}
