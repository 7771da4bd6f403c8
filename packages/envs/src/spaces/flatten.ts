/**
 * Flattening of spaces and their elements into flat float32 vectors (and back).
 *
 * Source: Gymnasium 1.x, `gymnasium/spaces/utils.py` (`flatdim`, `flatten`, `flatten_space`,
 * `unflatten`): `Box` values are copied, `Discrete` values become one-hot vectors of length n,
 * `MultiDiscrete` values concatenated one-hots (lengths nvec[i]), `MultiBinary` values are copied,
 * `Tuple` and `Dict` values the concatenation of their parts (`Dict` in key order). Difference: the
 * flat vectors are always `Float32Array`s and the flat space always a float32 `Box` (Gymnasium keeps
 * the space's dtype).
 */
import { formatValue } from '../utils/format.js';
import { Box } from './box.js';
import { Dict } from './dict.js';
import { Discrete } from './discrete.js';
import { MultiBinary } from './multi-binary.js';
import { MultiDiscrete } from './multi-discrete.js';
import type { Space } from './space.js';
import { Tuple } from './tuple.js';

function unsupported(space: unknown, fn: string): never {
  throw new TypeError(`${fn}: cannot flatten ${String(space)} (${formatValue(space)})`);
}

/**
 * Number of values of a flattened element of `space` (Gymnasium `flatdim`): `prod(shape)` for
 * `Box` and `MultiBinary`, n for `Discrete`, `sum(nvec)` for `MultiDiscrete`, the sum over the
 * sub-spaces for `Tuple` and `Dict`.
 * @throws TypeError for a space of another kind.
 */
export function flatdim(space: Space<unknown>): number {
  if (space instanceof Box) return space.size;
  if (space instanceof Discrete) return space.n;
  if (space instanceof MultiDiscrete) return space.nvec.reduce((a, b) => a + b, 0);
  if (space instanceof MultiBinary) return space.size;
  if (space instanceof Tuple) return space.spaces.reduce((a, s) => a + flatdim(s), 0);
  if (space instanceof Dict) return space.keys.reduce((a, k) => a + flatdim(space.spaces[k]), 0);
  return unsupported(space, 'flatdim');
}

/**
 * The flat `Box` whose elements are the flattened elements of `space` (Gymnasium
 * `flatten_space`): a `Box` keeps its bounds (shape `[size]`), one-hot parts are bounded by [0, 1],
 * composite spaces concatenate their parts' bounds.
 * @throws TypeError for a space of another kind.
 */
export function flattenSpace(space: Space<unknown>): Box {
  const n = flatdim(space);
  const low = new Float32Array(n);
  const high = new Float32Array(n);
  writeBounds(space, low, high, 0);
  return new Box(low, high, [n]);
}

function writeBounds(space: Space<unknown>, low: Float32Array, high: Float32Array, offset: number): number {
  if (space instanceof Box) {
    low.set(space.low, offset);
    high.set(space.high, offset);
    return offset + space.size;
  }
  if (space instanceof Tuple) {
    for (const s of space.spaces) offset = writeBounds(s, low, high, offset);
    return offset;
  }
  if (space instanceof Dict) {
    for (const k of space.keys) offset = writeBounds(space.spaces[k], low, high, offset);
    return offset;
  }
  const n = flatdim(space);
  high.fill(1, offset, offset + n);
  return offset + n;
}

/**
 * `x` (an element of `space`) as a flat `Float32Array` of length `flatdim(space)` (Gymnasium
 * `flatten`).
 * @throws TypeError for an unsupported space; the space's `assertContains` errors (naming `x`)
 *   when `x` is not an element of `space`.
 */
export function flatten<T>(space: Space<T>, x: T): Float32Array {
  const out = new Float32Array(flatdim(space));
  writeFlat(space as Space<unknown>, x, out, 0, 'x');
  return out;
}

function assertIn(space: Space<unknown>, x: unknown, name: string): void {
  const s = space as Space<unknown> & { assertContains?: (x: unknown, name: string) => void };
  if (typeof s.assertContains === 'function') s.assertContains(x, name);
  else if (!s.contains(x)) throw new RangeError(`${name} = ${formatValue(x)} is not in ${String(space)}`);
}

function writeFlat(
  space: Space<unknown>,
  x: unknown,
  out: Float32Array,
  offset: number,
  name: string,
): number {
  if (space instanceof Tuple) {
    if (!Array.isArray(x) || x.length !== space.spaces.length) assertIn(space, x, name);
    const xs = x as unknown[];
    space.spaces.forEach((s, i) => {
      offset = writeFlat(s, xs[i], out, offset, `${name}[${i}]`);
    });
    return offset;
  }
  if (space instanceof Dict) {
    if (x === null || typeof x !== 'object') assertIn(space, x, name);
    const record = x as Record<string, unknown>;
    for (const k of space.keys) offset = writeFlat(space.spaces[k], record[k], out, offset, `${name}.${k}`);
    return offset;
  }
  assertIn(space, x, name);
  if (space instanceof Box) {
    if (typeof x === 'number') out[offset] = x;
    else out.set(x as ArrayLike<number>, offset);
    return offset + space.size;
  }
  if (space instanceof Discrete) {
    out[offset + (x as number) - space.start] = 1;
    return offset + space.n;
  }
  if (space instanceof MultiDiscrete) {
    const v = x as ArrayLike<number>;
    for (let i = 0; i < space.nvec.length; i++) {
      out[offset + v[i] - space.start[i]] = 1;
      offset += space.nvec[i];
    }
    return offset;
  }
  if (space instanceof MultiBinary) {
    out.set(x as ArrayLike<number>, offset);
    return offset + space.size;
  }
  return unsupported(space, 'flatten');
}

/**
 * The element of `space` whose flattened form is `flat` (Gymnasium `unflatten`): a `Float32Array`
 * for `Box`, an integer for `Discrete` (the index of the first non-zero entry), an `Int32Array` for
 * `MultiDiscrete`, an `Int8Array` for `MultiBinary`, an array for `Tuple`, an object for `Dict`.
 * @throws TypeError for an unsupported space or a `flat` that is not an array of numbers;
 *   RangeError when its length is not `flatdim(space)` or a one-hot part has no non-zero entry.
 */
export function unflatten<T>(space: Space<T>, flat: ArrayLike<number>): T {
  const arrayLike = Array.isArray(flat) || (ArrayBuffer.isView(flat) && !(flat instanceof DataView));
  if (!arrayLike)
    throw new TypeError(`unflatten: flat must be an array of numbers, got ${formatValue(flat)}`);
  const n = flatdim(space as Space<unknown>);
  if (flat.length !== n) {
    throw new RangeError(
      `unflatten: flat has length ${flat.length}, expected flatdim = ${n} for ${String(space)}`,
    );
  }
  return readFlat(space as Space<unknown>, flat, { offset: 0 }) as T;
}

function firstNonZero(flat: ArrayLike<number>, from: number, count: number, space: Space<unknown>): number {
  for (let i = 0; i < count; i++) if (flat[from + i] !== 0) return i;
  throw new RangeError(
    `unflatten: the one-hot part [${from}, ${from + count}) of ${String(space)} has no non-zero entry`,
  );
}

function readFlat(space: Space<unknown>, flat: ArrayLike<number>, cursor: { offset: number }): unknown {
  const at = cursor.offset;
  if (space instanceof Box) {
    cursor.offset += space.size;
    return Float32Array.from({ length: space.size }, (_, i) => flat[at + i]);
  }
  if (space instanceof Discrete) {
    cursor.offset += space.n;
    return space.start + firstNonZero(flat, at, space.n, space);
  }
  if (space instanceof MultiDiscrete) {
    const out = new Int32Array(space.nvec.length);
    for (let i = 0; i < out.length; i++) {
      out[i] = space.start[i] + firstNonZero(flat, cursor.offset, space.nvec[i], space);
      cursor.offset += space.nvec[i];
    }
    return out;
  }
  if (space instanceof MultiBinary) {
    cursor.offset += space.size;
    return Int8Array.from({ length: space.size }, (_, i) => flat[at + i]);
  }
  if (space instanceof Tuple) return space.spaces.map((s) => readFlat(s, flat, cursor));
  if (space instanceof Dict) {
    const out: Record<string, unknown> = {};
    for (const k of space.keys) out[k] = readFlat(space.spaces[k], flat, cursor);
    return out;
  }
  return unsupported(space, 'unflatten');
}
