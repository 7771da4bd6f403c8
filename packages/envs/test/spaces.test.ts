import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Box, Discrete, shapeSize } from '../src/index.js';

describe('Discrete', () => {
  it('contains exactly the integers in [start, start + n)', () => {
    const d = new Discrete(3, { start: -1 });
    expect([-1, 0, 1].map((x) => d.contains(x))).toEqual([true, true, true]);
    expect(
      [-2, 2, 0.5, Number.NaN, Number.POSITIVE_INFINITY, '0', true, null, undefined, [0]].some((x) =>
        d.contains(x),
      ),
    ).toBe(false);
    expect(d.shape).toEqual([]);
    expect(d.dtype).toBe('int32');
    expect(String(d)).toBe('Discrete(3, start=-1)');
    expect(String(new Discrete(2))).toBe('Discrete(2)');
  });

  it('samples inside the space, deterministically for a seed (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1000 }),
        fc.integer({ min: -500, max: 500 }),
        fc.nat({ max: 2 ** 31 }),
        (n, start, seed) => {
          const a = new Discrete(n, { start, seed });
          const b = new Discrete(n, { start });
          b.seed(seed);
          for (let i = 0; i < 20; i++) {
            const x = a.sample();
            expect(a.contains(x)).toBe(true);
            expect(b.sample()).toBe(x);
          }
        },
      ),
      { numRuns: 100 },
    );
  });

  it('samples roughly uniformly', () => {
    const d = new Discrete(4, { seed: 0 });
    const counts = [0, 0, 0, 0];
    for (let i = 0; i < 40_000; i++) counts[d.sample()]++;
    for (const c of counts) expect(Math.abs(c - 10_000)).toBeLessThan(500);
  });

  it('supports mask and probability', () => {
    const d = new Discrete(5, { start: 10, seed: 1 });
    for (let i = 0; i < 200; i++) expect([11, 13]).toContain(d.sample({ mask: [0, 1, 0, 1, 0] }));
    expect(d.sample({ mask: new Uint8Array(5) })).toBe(10);
    for (let i = 0; i < 200; i++) expect(d.sample({ probability: [0, 0, 1, 0, 0] })).toBe(12);
    const counts = [0, 0];
    const two = new Discrete(2, { seed: 2 });
    for (let i = 0; i < 20_000; i++) counts[two.sample({ probability: [0.25, 0.75] })]++;
    expect(Math.abs(counts[1] / 20_000 - 0.75)).toBeLessThan(0.02);
    expect(() => d.sample({ mask: [1, 1] })).toThrow(RangeError);
    expect(() => d.sample({ mask: [2, 0, 0, 0, 0] })).toThrow(RangeError);
    expect(() => d.sample({ probability: [0.5, 0.5, 0.5, 0, 0] })).toThrow(/sum to 1/);
    expect(() => d.sample({ probability: [-1, 2, 0, 0, 0] })).toThrow(RangeError);
    expect(() => d.sample({ mask: [1, 1, 1, 1, 1], probability: [1, 0, 0, 0, 0] })).toThrow(RangeError);
  });

  it('rejects bad construction', () => {
    expect(() => new Discrete(0)).toThrow(RangeError);
    expect(() => new Discrete(2.5)).toThrow(RangeError);
    expect(() => new Discrete(2, { start: 0.5 })).toThrow(RangeError);
    expect(() => new Discrete(2, { seed: -1 })).toThrow(RangeError);
  });

  it('explains invalid values naming the value and the space', () => {
    const d = new Discrete(2);
    expect(() => d.assertContains(2, 'action')).toThrow(
      'action must be an integer in Discrete(2) = {0, 1}, got 2',
    );
    expect(() => d.assertContains('1', 'action')).toThrow(TypeError);
    expect(() => d.assertContains(Number.NaN, 'action')).toThrow(/got NaN/);
    expect(() => d.assertContains(1, 'action')).not.toThrow();
  });

  it('round-trips through JSON', () => {
    const d = new Discrete(7, { start: 3 });
    const back = Discrete.fromJSON(JSON.parse(JSON.stringify(d)));
    expect(back.n).toBe(7);
    expect(back.start).toBe(3);
    expect(back.equals(d)).toBe(true);
    expect(() => Discrete.fromJSON({ type: 'Box' } as never)).toThrow(TypeError);
  });
});

describe('Box', () => {
  it('broadcasts scalar bounds and infers shapes', () => {
    const a = new Box(-1, 1, [2, 3]);
    expect(a.shape).toEqual([2, 3]);
    expect(a.size).toBe(6);
    expect(Array.from(a.low)).toEqual([-1, -1, -1, -1, -1, -1]);
    const b = new Box([-1, -2], [1, 2]);
    expect(b.shape).toEqual([2]);
    const c = new Box(0, 1);
    expect(c.shape).toEqual([]);
    expect(c.sample().length).toBe(1);
    expect(c.contains(0.5)).toBe(true);
    expect(String(a)).toBe('Box(-1.0, 1.0, (2, 3), float32)');
    expect(String(b)).toBe('Box([-1.0 -2.0], [1.0 2.0], (2,), float32)');
  });

  it('rejects bad bounds', () => {
    expect(() => new Box([0, 0], [1, 1, 1])).toThrow(RangeError);
    expect(() => new Box(1, 0, [2])).toThrow(/greater than high/);
    expect(() => new Box(Number.NaN, 0, [1])).toThrow(/NaN/);
    expect(() => new Box(0, 1, [-1])).toThrow(RangeError);
    expect(() => new Box(0, 1, [1.5])).toThrow(RangeError);
    expect(() => new Box(Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY, [1])).toThrow(RangeError);
    expect(() => new Box(['a'] as unknown as number[], [1])).toThrow(TypeError);
  });

  it('contains checks length, type, NaN and bounds', () => {
    const box = new Box([-1, -2], [1, 2]);
    expect(box.contains(new Float32Array([0.5, -2]))).toBe(true);
    expect(box.contains([1, 2])).toBe(true);
    expect(box.contains(new Float64Array([1, 2]))).toBe(true);
    expect(box.contains([1, 2.5])).toBe(false);
    expect(box.contains([0, Number.NaN])).toBe(false);
    expect(box.contains([0])).toBe(false);
    expect(box.contains([0, '1'])).toBe(false);
    expect(box.contains(0)).toBe(false);
    expect(box.contains('ab')).toBe(false);
    expect(() => box.assertContains([0, 0, 0], 'action')).toThrow(RangeError);
    expect(() => box.assertContains([0, 0, 0], 'action')).toThrow(/action has length 3, expected 2/);
    expect(() => box.assertContains([0, 5], 'action')).toThrow(
      /action element \[1\] = 5 is outside \[-2, 2\]/,
    );
    expect(() => box.assertContains('x', 'action')).toThrow(TypeError);
  });

  it('samples inside bounded, half-bounded and unbounded boxes (property)', () => {
    const bound = fc.oneof(
      fc.double({ min: -1e6, max: 1e6, noNaN: true }),
      fc.constant(Number.POSITIVE_INFINITY),
      fc.constant(Number.NEGATIVE_INFINITY),
    );
    fc.assert(
      fc.property(
        fc.array(fc.tuple(bound, bound), { minLength: 1, maxLength: 6 }),
        fc.nat(),
        (pairs, seed) => {
          const lows: number[] = [];
          const highs: number[] = [];
          for (const [a, b] of pairs) {
            let lo = Math.fround(Math.min(a, b));
            let hi = Math.fround(Math.max(a, b));
            if (lo === Number.POSITIVE_INFINITY) lo = 0;
            if (hi === Number.NEGATIVE_INFINITY) hi = 0;
            if (lo > hi) [lo, hi] = [hi, lo];
            lows.push(lo);
            highs.push(hi);
          }
          const box = new Box(lows, highs, undefined, { seed });
          const again = new Box(lows, highs);
          again.seed(seed);
          for (let i = 0; i < 10; i++) {
            const x = box.sample();
            expect(x).toBeInstanceOf(Float32Array);
            expect(x.length).toBe(pairs.length);
            for (const v of x) expect(Number.isFinite(v)).toBe(true);
            expect(box.contains(x)).toBe(true);
            expect(Array.from(again.sample())).toEqual(Array.from(x));
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('samples a float32-max box without overflow', () => {
    const f = 3.4028234663852886e38;
    const box = new Box(-f, f, [3], { seed: 0 });
    for (let i = 0; i < 100; i++) {
      const x = box.sample();
      expect(box.contains(x)).toBe(true);
    }
  });

  it('reports boundedness', () => {
    const box = new Box([0, Number.NEGATIVE_INFINITY], [1, 1]);
    expect(box.isBounded()).toBe(false);
    expect(box.isBounded('above')).toBe(true);
    expect(box.isBounded('below')).toBe(false);
    expect(new Box(0, 1, [2]).isBounded()).toBe(true);
  });

  it('round-trips through JSON, infinities included', () => {
    const box = new Box([0, Number.NEGATIVE_INFINITY], [1, Number.POSITIVE_INFINITY]);
    const json = JSON.parse(JSON.stringify(box));
    expect(json.low).toEqual([0, '-inf']);
    const back = Box.fromJSON(json);
    expect(Array.from(back.low)).toEqual(Array.from(box.low));
    expect(Array.from(back.high)).toEqual(Array.from(box.high));
    expect(back.equals(box)).toBe(true);
    expect(back.equals(new Box(0, 1, [2]))).toBe(false);
  });

  it('shapeSize multiplies dims', () => {
    expect(shapeSize([])).toBe(1);
    expect(shapeSize([2, 3, 4])).toBe(24);
    expect(shapeSize([0, 3])).toBe(0);
  });
});
