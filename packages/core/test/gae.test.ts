import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { discountedReturns, gae, gaeReference } from '../src/index.js';
import { maxRelError, nativeAvailable } from './helpers.js';

const f32 = (xs: number[]) => Float32Array.from(xs);
const u8 = (xs: number[]) => Uint8Array.from(xs);

describe('gae reference (hand-computed)', () => {
  it('single env, no dones, bootstrap value', () => {
    // T=2, N=1, gamma=0.5, lambda=0.5
    // delta1 = 1 + 0.5*4 - 2 = 1 ; A1 = 1
    // delta0 = 1 + 0.5*2 - 1 = 1 ; A0 = 1 + 0.25*1 = 1.25
    const r = gaeReference({
      rewards: f32([1, 1]),
      values: f32([1, 2]),
      bootstrapValues: f32([4]),
      terminated: u8([0, 0]),
      numEnvs: 1,
      gamma: 0.5,
      lambda: 0.5,
    });
    expect(Array.from(r.advantages)).toEqual([1.25, 1]);
    expect(Array.from(r.returns)).toEqual([2.25, 3]);
  });

  it('terminated step drops the bootstrap and cuts the trace', () => {
    // T=2, N=1, terminated at t=0: delta0 = 1 - 1 = 0, A0 = 0 (no A1 carried)
    const r = gaeReference({
      rewards: f32([1, 1]),
      values: f32([1, 2]),
      bootstrapValues: f32([4]),
      terminated: u8([1, 0]),
      numEnvs: 1,
      gamma: 0.5,
      lambda: 0.5,
    });
    expect(Array.from(r.advantages)).toEqual([0, 1]);
  });

  it('truncated step bootstraps from nextValues but cuts the trace', () => {
    // delta0 = 1 + 0.5*10 - 1 = 5; A0 = 5 (truncated), delta1 = 1 + 0.5*4 - 2 = 1
    const r = gaeReference({
      rewards: f32([1, 1]),
      values: f32([1, 2]),
      nextValues: f32([10, 4]),
      terminated: u8([0, 0]),
      truncated: u8([1, 0]),
      numEnvs: 1,
      gamma: 0.5,
      lambda: 0.5,
    });
    expect(Array.from(r.advantages)).toEqual([5, 1]);
  });

  it('time-major layout with two envs keeps columns independent', () => {
    // env 0 rewards [1,0], env 1 rewards [0,1]; values 0; gamma=lambda=1; bootstrap 0
    const r = gaeReference({
      rewards: f32([1, 0, 0, 1]),
      values: f32([0, 0, 0, 0]),
      bootstrapValues: f32([0, 0]),
      terminated: u8([0, 0, 0, 0]),
      numEnvs: 2,
      gamma: 1,
      lambda: 1,
    });
    expect(Array.from(r.advantages)).toEqual([1, 1, 0, 1]);
  });

  it('gamma = lambda = 1 with zero values gives discounted returns', () => {
    const rewards = f32([1, 2, 3, 4, 5, 6]);
    const dones = u8([0, 1, 0, 0, 0, 0]);
    const a = gaeReference({
      rewards,
      values: new Float32Array(6),
      bootstrapValues: new Float32Array(2),
      terminated: dones,
      numEnvs: 2,
      gamma: 1,
      lambda: 1,
    });
    const g = discountedReturns({ rewards, dones, numEnvs: 2, gamma: 1 });
    expect(Array.from(a.returns)).toEqual(Array.from(g));
    expect(Array.from(g)).toEqual([9, 2, 8, 10, 5, 6]);
  });
});

describe('gae argument errors', () => {
  const base = () => ({
    rewards: new Float32Array(4),
    values: new Float32Array(4),
    bootstrapValues: new Float32Array(2),
    terminated: new Uint8Array(4),
    numEnvs: 2,
    gamma: 0.99,
    lambda: 0.95,
  });
  for (const backend of ['js', 'auto'] as const) {
    it(`names the argument and both values (${backend})`, () => {
      expect(() => gae({ ...base(), values: new Float32Array(3) }, { backend })).toThrow(
        /values has length 3, expected 4/,
      );
      expect(() => gae({ ...base(), values: new Float64Array(4) as never }, { backend })).toThrow(
        /values must be a Float32Array/,
      );
      expect(() => gae({ ...base(), numEnvs: 3 }, { backend })).toThrow(/numEnvs/);
      expect(() => gae({ ...base(), numEnvs: 0 }, { backend })).toThrow(/numEnvs/);
      expect(() => gae({ ...base(), gamma: Number.NaN }, { backend })).toThrow(/gamma/);
      expect(() => gae({ ...base(), lambda: 1.5 }, { backend })).toThrow(/lambda/);
      expect(() => gae({ ...base(), terminated: Uint8Array.from([0, 2, 0, 0]) }, { backend })).toThrow(
        /terminated\[1\]/,
      );
      expect(() => gae({ ...base(), nextValues: new Float32Array(4) }, { backend })).toThrow(
        /exactly one|nextValues/,
      );
      expect(() => gae({ ...base(), truncated: new Uint8Array(4) }, { backend })).toThrow(/truncated/);
    });
  }
  it("backend 'cuda' throws with the reason", () => {
    expect(() => gae(base(), { backend: 'cuda' })).toThrow(/cuda/);
  });
});

describe('gae parity: native vs TypeScript reference', () => {
  const hasNative = nativeAvailable();
  const arb = fc
    .record({
      numSteps: fc.integer({ min: 1, max: 64 }),
      numEnvs: fc.integer({ min: 1, max: 40 }),
      gamma: fc.double({ min: 0, max: 1, noNaN: true }),
      lambda: fc.double({ min: 0, max: 1, noNaN: true }),
      seed: fc.integer({ min: 0, max: 1e9 }),
      doneRate: fc.double({ min: 0, max: 0.5, noNaN: true }),
      useNext: fc.boolean(),
    })
    .map((p) => {
      let s = p.seed;
      const rand = () => {
        s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
        return s / 2 ** 32;
      };
      const size = p.numSteps * p.numEnvs;
      const fill = (n: number, scale: number) =>
        Float32Array.from({ length: n }, () => (rand() * 2 - 1) * scale);
      const flags = () => Uint8Array.from({ length: size }, () => (rand() < p.doneRate ? 1 : 0));
      return {
        rewards: fill(size, 10),
        values: fill(size, 50),
        terminated: flags(),
        ...(p.useNext
          ? { nextValues: fill(size, 50), truncated: flags() }
          : { bootstrapValues: fill(p.numEnvs, 50) }),
        numEnvs: p.numEnvs,
        gamma: p.gamma,
        lambda: p.lambda,
      };
    });

  it.runIf(hasNative)('max relative error ≤ 1e-5 on random inputs with terminations and truncations', () => {
    fc.assert(
      fc.property(arb, (args) => {
        const js = gae(args, { backend: 'js' });
        const nat = gae(args, { backend: 'native' });
        // relative error, absolute below magnitude 1 (float32 outputs of a float64 computation)
        expect(maxRelError(nat.advantages, js.advantages, 1)).toBeLessThanOrEqual(1e-5);
        expect(maxRelError(nat.returns, js.returns, 1)).toBeLessThanOrEqual(1e-5);
      }),
      { numRuns: 200 },
    );
  });

  it.runIf(hasNative)("'auto' picks native and agrees with it exactly", () => {
    const args = fc.sample(arb, 1)[0];
    expect(Array.from(gae(args).advantages)).toEqual(Array.from(gae(args, { backend: 'native' }).advantages));
  });
});
