import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  Box,
  Dict,
  Discrete,
  flatdim,
  flatten,
  flattenSpace,
  MultiBinary,
  MultiDiscrete,
  type Space,
  spaceFromJSON,
  Tuple,
  unflatten,
} from '../src/index.js';

const arr = (x: unknown): unknown => (ArrayBuffer.isView(x) ? Array.from(x as Float32Array) : x);
function plain(x: unknown): unknown {
  if (Array.isArray(x)) return x.map(plain);
  if (ArrayBuffer.isView(x)) return arr(x);
  if (x !== null && typeof x === 'object')
    return Object.fromEntries(Object.entries(x).map(([k, v]) => [k, plain(v)]));
  return x;
}

describe('Dict', () => {
  it('sorts the keys of a plain object, keeps the order of pairs, has a Gymnasium repr', () => {
    const space = new Dict({ b: new Discrete(3), a: new Box(-1, 1, [2]) });
    expect(space.keys).toEqual(['a', 'b']);
    expect(String(space)).toBe("Dict('a': Box(-1.0, 1.0, (2,), float32), 'b': Discrete(3))");
    const ordered = new Dict([
      ['z', new Discrete(2)],
      ['y', new MultiBinary(2)],
    ]);
    expect(ordered.keys).toEqual(['z', 'y']);
    expect(ordered.dtype).toBe('object');
    expect(ordered.shape).toEqual([]);
    expect(
      () =>
        new Dict([
          ['a', new Discrete(2)],
          ['a', new Discrete(2)],
        ] as never),
    ).toThrow(RangeError);
    expect(() => new Dict({ a: 3 } as never)).toThrow(TypeError);
  });

  it('samples deterministically for a seed and contains its samples', () => {
    const make = () =>
      new Dict({ pos: new Box(-1, 1, [3]), door: new Discrete(4), keys: new MultiDiscrete([2, 5]) });
    const a = make();
    const b = make();
    a.seed(7);
    b.seed(7);
    for (let i = 0; i < 20; i++) {
      const x = a.sample();
      expect(a.contains(x)).toBe(true);
      expect(plain(b.sample())).toEqual(plain(x));
    }
    const c = new Dict(
      { pos: new Box(-1, 1, [3]), door: new Discrete(4), keys: new MultiDiscrete([2, 5]) },
      { seed: 7 },
    );
    a.seed(7);
    expect(plain(c.sample())).toEqual(plain(a.sample()));
  });

  it('contains only objects with exactly its keys and valid values', () => {
    const space = new Dict({ a: new Discrete(2), b: new Box(0, 1, [1]) });
    expect(space.contains({ a: 1, b: [0.5] })).toBe(true);
    for (const x of [{ a: 2, b: [0.5] }, { a: 1 }, { a: 1, b: [0.5], c: 0 }, [1, [0.5]], null, 3])
      expect(space.contains(x)).toBe(false);
    expect(() => space.assertContains({ a: 5, b: [0.5] }, 'obs')).toThrow(/obs\.a/);
    expect(() => space.assertContains({ a: 1 }, 'obs')).toThrow(/misses b/);
  });

  it('round-trips through JSON', () => {
    const space = new Dict([
      ['z', new Tuple([new Discrete(3, { start: -1 }), new MultiBinary([2, 2])])],
      ['a', new Box([-Infinity, 0], [Infinity, 1])],
    ]);
    const back = spaceFromJSON(JSON.parse(JSON.stringify(space))) as Dict;
    expect(back).toBeInstanceOf(Dict);
    expect(back.keys).toEqual(['z', 'a']);
    expect(back.equals(space)).toBe(true);
    expect(String(back)).toBe(String(space));
    expect(() => spaceFromJSON({ type: 'Graph' })).toThrow(TypeError);
  });
});

describe('Tuple', () => {
  it('samples, contains, round-trips and prints like Gymnasium', () => {
    const space = new Tuple([new Discrete(2), new Box(0, 1, [2])], { seed: 3 });
    expect(String(space)).toBe('Tuple(Discrete(2), Box(0.0, 1.0, (2,), float32))');
    const again = new Tuple([new Discrete(2), new Box(0, 1, [2])], { seed: 3 });
    for (let i = 0; i < 10; i++) {
      const x = space.sample();
      expect(space.contains(x)).toBe(true);
      expect(plain(again.sample())).toEqual(plain(x));
    }
    expect(space.contains([1, [0.5, 0.5]])).toBe(true);
    for (const x of [[2, [0.5, 0.5]], [1], [1, [0.5, 0.5], 0], { 0: 1, 1: [0, 0] }, 'ab'])
      expect(space.contains(x)).toBe(false);
    expect(() => space.assertContains([1, [2, 0]], 'obs')).toThrow(/obs\[1\]/);
    const back = spaceFromJSON(space.toJSON());
    expect(back).toBeInstanceOf(Tuple);
    expect(back.toJSON()).toEqual(space.toJSON());
    expect(() => new Tuple([])).toThrow(RangeError);
  });
});

describe('flatten / flattenSpace / unflatten', () => {
  it('one-hot encodes Discrete and MultiDiscrete like Gymnasium', () => {
    const d = new Discrete(4, { start: 1 });
    expect(Array.from(flatten(d, 3))).toEqual([0, 0, 1, 0]);
    expect(unflatten(d, [0, 0, 1, 0])).toBe(3);
    const md = new MultiDiscrete([2, 3], { start: [0, -1] });
    expect(Array.from(flatten(md, Int32Array.of(1, 0)))).toEqual([0, 1, 0, 1, 0]);
    expect(Array.from(unflatten(md, [0, 1, 0, 1, 0]))).toEqual([1, 0]);
    expect(flatdim(md)).toBe(5);
    const fs = flattenSpace(md);
    expect(String(fs)).toBe('Box(0.0, 1.0, (5,), float32)');
    expect(() => unflatten(d, [0, 0, 0, 0])).toThrow(/no non-zero/);
    expect(() => unflatten(d, [0, 1])).toThrow(RangeError);
    expect(() => flatten(d, 7)).toThrow(RangeError);
  });

  it('concatenates Dict parts in key order and Box bounds', () => {
    const space = new Dict({ b: new Discrete(2), a: new Box([-2, -3], [2, 3]) });
    const flat = flatten(space, { a: Float32Array.of(1, -1), b: 1 });
    expect(Array.from(flat)).toEqual([1, -1, 0, 1]);
    const fs = flattenSpace(space);
    expect(Array.from(fs.low)).toEqual([-2, -3, 0, 0]);
    expect(Array.from(fs.high)).toEqual([2, 3, 1, 1]);
    expect(fs.contains(flat)).toBe(true);
    expect(plain(unflatten(space, flat))).toEqual({ a: [1, -1], b: 1 });
  });

  const leaf: fc.Arbitrary<Space<unknown>> = fc.oneof(
    fc
      .tuple(fc.integer({ min: 1, max: 4 }), fc.integer({ min: -5, max: 5 }), fc.integer({ min: 0, max: 5 }))
      .map(([n, lo, w]) => new Box(lo, lo + w, [n]) as Space<unknown>),
    fc
      .tuple(fc.integer({ min: 1, max: 6 }), fc.integer({ min: -3, max: 3 }))
      .map(([n, start]) => new Discrete(n, { start }) as Space<unknown>),
    fc
      .array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 3 })
      .map((nvec) => new MultiDiscrete(nvec) as Space<unknown>),
    fc.integer({ min: 1, max: 4 }).map((n) => new MultiBinary(n) as Space<unknown>),
  );
  const { space: spaceArb } = fc.letrec<{ space: Space<unknown> }>((tie) => ({
    space: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      leaf,
      fc.array(tie('space'), { minLength: 1, maxLength: 3 }).map((s) => new Tuple(s) as Space<unknown>),
      fc
        .dictionary(fc.string({ minLength: 1, maxLength: 3 }), tie('space'), { minKeys: 1, maxKeys: 3 })
        .map((d) => new Dict(d) as Space<unknown>),
    ),
  }));

  it('round-trips every sample and its space (property)', () => {
    fc.assert(
      fc.property(spaceArb, fc.nat({ max: 2 ** 31 }), (space, seed) => {
        space.seed(seed);
        const fs = flattenSpace(space);
        expect(fs.shape).toEqual([flatdim(space)]);
        expect(spaceFromJSON(JSON.parse(JSON.stringify(space.toJSON()))).toJSON()).toEqual(space.toJSON());
        for (let i = 0; i < 5; i++) {
          const x = space.sample();
          expect(space.contains(x)).toBe(true);
          const flat = flatten(space, x);
          expect(flat.length).toBe(flatdim(space));
          expect(fs.contains(flat)).toBe(true);
          const back = unflatten(space, flat);
          expect(space.contains(back)).toBe(true);
          expect(plain(back)).toEqual(plain(x));
        }
      }),
      { numRuns: 150 },
    );
  });
});
