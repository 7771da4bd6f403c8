import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MultiBinary, MultiDiscrete, SyncVectorEnv } from '../src/index.js';

describe('MultiDiscrete', () => {
  it('exposes nvec / start as Int32Arrays and a Gymnasium repr', () => {
    const s = new MultiDiscrete([5, 2, 2]);
    expect(s.nvec).toBeInstanceOf(Int32Array);
    expect(Array.from(s.nvec)).toEqual([5, 2, 2]);
    expect(Array.from(s.start)).toEqual([0, 0, 0]);
    expect(s.shape).toEqual([3]);
    expect(s.dtype).toBe('int32');
    expect(String(s)).toBe('MultiDiscrete([5 2 2])');
    expect(String(new MultiDiscrete([2, 3], { start: [-1, 0] }))).toBe('MultiDiscrete([2 3], start=[-1 0])');
  });

  it('contains exactly the integer vectors in range', () => {
    const s = new MultiDiscrete([3, 2], { start: [-1, 5] });
    for (const x of [[-1, 5], [1, 6], Int32Array.of(0, 5), Float32Array.of(1, 6)])
      expect(s.contains(x)).toBe(true);
    for (const x of [
      [2, 5],
      [-2, 5],
      [0, 7],
      [0.5, 5],
      [Number.NaN, 5],
      [0],
      [0, 5, 0],
      ['0', 5],
      0,
      null,
      undefined,
    ])
      expect(s.contains(x)).toBe(false);
    expect(() => s.assertContains([0, 9], 'action')).toThrow(RangeError);
    expect(() => s.assertContains([0, 9], 'action')).toThrow(
      /^action element \[1\] = 9 is not an integer in \[5, 6\]; expected an element of MultiDiscrete/,
    );
    expect(() => s.assertContains('ab', 'action')).toThrow(TypeError);
    expect(() => s.assertContains([0], 'action')).toThrow(/action has length 1, expected 2/);
  });

  it('samples inside the space, deterministically for a seed (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 50 }), { minLength: 1, maxLength: 6 }),
        fc.integer({ min: -20, max: 20 }),
        fc.nat({ max: 2 ** 31 }),
        (nvec, offset, seed) => {
          const start = nvec.map((_, i) => offset + i);
          const a = new MultiDiscrete(nvec, { start, seed });
          const b = new MultiDiscrete(nvec, { start });
          b.seed(seed);
          for (let i = 0; i < 10; i++) {
            const x = a.sample();
            expect(x).toBeInstanceOf(Int32Array);
            expect(a.contains(x)).toBe(true);
            expect(Array.from(b.sample())).toEqual(Array.from(x));
          }
        },
      ),
      { numRuns: 100 },
    );
  });

  it('samples each element roughly uniformly', () => {
    const s = new MultiDiscrete([4, 2], { seed: 3 });
    const counts = [new Array(4).fill(0), new Array(2).fill(0)];
    for (let i = 0; i < 20_000; i++) {
      const x = s.sample();
      counts[0][x[0]]++;
      counts[1][x[1]]++;
    }
    for (const c of counts[0]) expect(Math.abs(c - 5000)).toBeLessThan(300);
    for (const c of counts[1]) expect(Math.abs(c - 10_000)).toBeLessThan(400);
  });

  it('round-trips through JSON and compares by value', () => {
    const s = new MultiDiscrete([3, 4], { start: [1, -2] });
    const json = s.toJSON();
    expect(json).toEqual({ type: 'MultiDiscrete', nvec: [3, 4], start: [1, -2], dtype: 'int32' });
    const back = MultiDiscrete.fromJSON(JSON.parse(JSON.stringify(json)));
    expect(back.equals(s)).toBe(true);
    expect(back.equals(new MultiDiscrete([3, 4]))).toBe(false);
    expect(() => MultiDiscrete.fromJSON({ type: 'Box' } as never)).toThrow(TypeError);
  });

  it('rejects bad construction', () => {
    expect(() => new MultiDiscrete([])).toThrow(RangeError);
    expect(() => new MultiDiscrete([2, 0])).toThrow(/nvec\[1\] must be positive/);
    expect(() => new MultiDiscrete([2.5])).toThrow(RangeError);
    expect(() => new MultiDiscrete(3 as never)).toThrow(TypeError);
    expect(() => new MultiDiscrete([2, 2], { start: [0] })).toThrow(/start has length 1/);
  });

  it('works as the action space of a SyncVectorEnv', () => {
    const space = new MultiDiscrete([3, 2]);
    const vec = new SyncVectorEnv([
      () => ({
        observationSpace: new MultiBinary(1),
        actionSpace: space,
        metadata: { renderModes: [] },
        reset: () => ({ observation: Int8Array.of(0), info: {} }),
        step: (a: unknown) => {
          const x = a as ArrayLike<number>;
          return {
            observation: Int8Array.of(x[1]),
            reward: x[0],
            terminated: false,
            truncated: false,
            info: {},
          };
        },
        close: () => {},
      }),
    ]);
    expect(vec.actionDim).toBe(2);
    vec.reset();
    const r = vec.step([2, 1]);
    expect(r.rewards[0]).toBe(2);
    expect(r.observations[0]).toBe(1);
    expect(() => vec.step([3, 0])).toThrow(/actions\[0\] element \[0\] = 3/);
  });
});

describe('MultiBinary', () => {
  it('has a shape, an int8 dtype and a Gymnasium repr (and no `n`)', () => {
    const s = new MultiBinary(4);
    expect(s.shape).toEqual([4]);
    expect(s.size).toBe(4);
    expect(s.dtype).toBe('int8');
    expect(String(s)).toBe('MultiBinary(4)');
    const m = new MultiBinary([2, 3]);
    expect(m.size).toBe(6);
    expect(String(m)).toBe('MultiBinary((2, 3))');
    expect('n' in s).toBe(false);
  });

  it('contains arrays of zeros and ones of the right size', () => {
    const s = new MultiBinary(3);
    for (const x of [[0, 1, 1], Int8Array.of(1, 1, 1), Float32Array.of(0, 0, 0)])
      expect(s.contains(x)).toBe(true);
    for (const x of [[0, 2, 1], [0, 1], [0, 1, 0.5], [true, false, true], [0, 1, Number.NaN], 1, null])
      expect(s.contains(x)).toBe(false);
    expect(() => s.assertContains([0, 2, 1], 'action')).toThrow(/^action element \[1\] = 2 is not 0 or 1/);
    expect(() => s.assertContains({}, 'action')).toThrow(TypeError);
  });

  it('samples 0/1 arrays, deterministic for a seed, about half ones', () => {
    const a = new MultiBinary([2, 5], { seed: 9 });
    const b = new MultiBinary([2, 5]);
    b.seed(9);
    let ones = 0;
    for (let i = 0; i < 2000; i++) {
      const x = a.sample();
      expect(x).toBeInstanceOf(Int8Array);
      expect(a.contains(x)).toBe(true);
      expect(Array.from(b.sample())).toEqual(Array.from(x));
      for (const v of x) ones += v;
    }
    expect(Math.abs(ones / 20_000 - 0.5)).toBeLessThan(0.02);
  });

  it('round-trips through JSON and rejects bad construction', () => {
    const s = new MultiBinary([2, 3]);
    expect(s.toJSON()).toEqual({ type: 'MultiBinary', shape: [2, 3], dtype: 'int8' });
    expect(MultiBinary.fromJSON(s.toJSON()).equals(s)).toBe(true);
    expect(String(MultiBinary.fromJSON(new MultiBinary(4).toJSON()))).toBe('MultiBinary(4)');
    expect(() => MultiBinary.fromJSON({ type: 'Discrete' } as never)).toThrow(TypeError);
    for (const bad of [0, -1, 1.5, [], [2, 0]])
      expect(() => new MultiBinary(bad as never)).toThrow(RangeError);
  });
});
