import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { NativeGaeArgs } from '../index.js';
import { addon, maxRelativeError, randomGae, referenceGae, sameBits, skipNative } from './helpers.js';

const f32 = (xs: number[]) => Float32Array.from(xs);
const u8 = (xs: number[]) => Uint8Array.from(xs);

describe.skipIf(skipNative)('gae: hand-computed cases', () => {
  it('terminated: no bootstrap and no carry across the boundary', () => {
    // T = 3, N = 1, γ = λ = 0.5, terminal at t = 1.
    // t=2: δ = 3 + 0.5·2 − 1.5 = 2.5, A = 2.5
    // t=1: δ = 2 − 1 = 1 (terminal), A = 1
    // t=0: δ = 1 + 0.5·1 − 0.5 = 1, A = 1 + 0.25·1 = 1.25
    const { advantages, returns } = addon().gae({
      rewards: f32([1, 2, 3]),
      values: f32([0.5, 1, 1.5]),
      nextValues: f32([1, 4, 2]),
      terminated: u8([0, 1, 0]),
      numEnvs: 1,
      gamma: 0.5,
      lambda: 0.5,
    });
    expect(Array.from(advantages)).toEqual([1.25, 1, 2.5]);
    expect(Array.from(returns)).toEqual([1.75, 2, 4]);
  });

  it('truncated with nextValues: bootstraps from the final observation but does not carry', () => {
    // T = 2, N = 2, γ = λ = 1; env 1 is truncated at t = 0 with V(final obs) = 10.
    // t=1: δ = 0 + 2 − 1 = 1 for both envs.
    // t=0: env 0: δ = 1 + 1 − 0 = 2, A = 2 + 1 = 3; env 1: δ = 1 + 10 − 0 = 11, A = 11.
    const { advantages, returns } = addon().gae({
      rewards: f32([1, 1, 0, 0]),
      values: f32([0, 0, 1, 1]),
      nextValues: f32([1, 10, 2, 2]),
      terminated: u8([0, 0, 0, 0]),
      truncated: u8([0, 1, 0, 0]),
      numEnvs: 2,
      gamma: 1,
      lambda: 1,
    });
    expect(Array.from(advantages)).toEqual([3, 11, 1, 1]);
    expect(Array.from(returns)).toEqual([3, 11, 2, 2]);
  });

  it('bootstrapValues form (CleanRL): v′_t = v_{t+1}, bootstrap at T−1', () => {
    // T = 2, N = 1, γ = 0.5, λ = 1.  t=1: δ = 1 + 0.5·4 − 3 = 0.  t=0: δ = 1 + 0.5·3 − 2 = 0.5, A = 0.5.
    const { advantages, returns } = addon().gae({
      rewards: f32([1, 1]),
      values: f32([2, 3]),
      bootstrapValues: f32([4]),
      terminated: u8([0, 0]),
      numEnvs: 1,
      gamma: 0.5,
      lambda: 1,
    });
    expect(Array.from(advantages)).toEqual([0.5, 0]);
    expect(Array.from(returns)).toEqual([2.5, 3]);
  });

  it('bootstrapValues form with a terminal step and two envs', () => {
    // N = 2, T = 2, γ = 0.9, λ = 0.5. env 0 terminal at t=1, env 1 terminal at t=0.
    // env 0: t=1: δ = 1 − 0 = 1 (terminal), A = 1; t=0: δ = 0 + 0.9·0 − 0 = 0, A = 0 + 0.45·1 = 0.45
    // env 1: t=1: δ = 0 + 0.9·2 − 1 = 0.8, A = 0.8; t=0: terminal: δ = 2 − 0 = 2, A = 2
    const { advantages } = addon().gae({
      rewards: f32([0, 2, 1, 0]),
      values: f32([0, 0, 0, 1]),
      bootstrapValues: f32([5, 2]),
      terminated: u8([0, 1, 1, 0]),
      numEnvs: 2,
      gamma: 0.9,
      lambda: 0.5,
    });
    expect(advantages[0]).toBeCloseTo(0.45, 6);
    expect(advantages[1]).toBeCloseTo(2, 6);
    expect(advantages[2]).toBeCloseTo(1, 6);
    expect(advantages[3]).toBeCloseTo(0.8, 6);
  });

  it('with checkFinite: false, a non-finite value masked by a flag does not leak', () => {
    const { advantages } = addon().gae({
      rewards: f32([1, Number.NaN]),
      values: f32([0, 0]),
      nextValues: f32([0, Number.POSITIVE_INFINITY]),
      terminated: u8([0, 1]),
      truncated: u8([1, 0]),
      numEnvs: 1,
      gamma: 0.9,
      lambda: 0.9,
      checkFinite: false,
    });
    expect(advantages[0]).toBe(1);
    expect(advantages[1]).toBeNaN();
  });

  it('accepts empty rollouts (T = 0)', () => {
    const { advantages, returns } = addon().gae({
      rewards: new Float32Array(0),
      values: new Float32Array(0),
      bootstrapValues: f32([1, 2]),
      terminated: new Uint8Array(0),
      numEnvs: 2,
      gamma: 0.9,
      lambda: 0.9,
    });
    expect(advantages.length).toBe(0);
    expect(returns.length).toBe(0);
  });
});

describe.skipIf(skipNative)('gae: against a float64 reference', () => {
  const shapes = fc.tuple(fc.integer({ min: 1, max: 48 }), fc.integer({ min: 1, max: 24 }));
  const problem = shapes.chain(([T, N]) => {
    const size = T * N;
    const floats = (n: number) =>
      fc.float32Array({
        minLength: n,
        maxLength: n,
        noNaN: true,
        noDefaultInfinity: true,
        min: -1e4,
        max: 1e4,
      });
    const flags = fc.uint8Array({ minLength: size, maxLength: size, min: 0, max: 1 });
    return fc.record({
      numEnvs: fc.constant(N),
      mode: fc.constantFrom('next', 'next+truncated', 'bootstrap'),
      rewards: floats(size),
      values: floats(size),
      nextValues: floats(size),
      bootstrapValues: floats(N),
      terminated: flags,
      truncated: flags,
      gamma: fc.double({ min: 0, max: 1, noNaN: true }),
      lambda: fc.double({ min: 0, max: 1, noNaN: true }),
      threads: fc.constantFrom(undefined, 1, 2, 3),
    });
  });

  it('matches within 1e-5 relative (and bit for bit) on random T, N, flags, γ, λ', () => {
    fc.assert(
      fc.property(problem, (p) => {
        const args: NativeGaeArgs = {
          rewards: p.rewards,
          values: p.values,
          terminated: p.terminated,
          numEnvs: p.numEnvs,
          gamma: p.gamma,
          lambda: p.lambda,
        };
        if (p.mode === 'bootstrap') args.bootstrapValues = p.bootstrapValues;
        else args.nextValues = p.nextValues;
        if (p.mode === 'next+truncated') args.truncated = p.truncated;
        if (p.threads !== undefined) args.threads = p.threads;
        const ref = referenceGae(args);
        const out = addon().gae(args);
        expect(maxRelativeError(out.advantages, ref.advantages)).toBeLessThanOrEqual(1e-5);
        expect(maxRelativeError(out.returns, ref.returns)).toBeLessThanOrEqual(1e-5);
        // Same float64 operations in the same order: identical float32 results.
        expect(sameBits(out.advantages, ref.advantages)).toBe(true);
        expect(sameBits(out.returns, ref.returns)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('multi-threaded results equal the single-threaded ones on inputs above the threading threshold', () => {
    // 300 × 2053 = 615,900 elements ≥ 2^18; an odd N exercises uneven column splits.
    for (const mode of ['next', 'next+truncated', 'bootstrap'] as const) {
      const { args } = randomGae(11, 300, 2053, mode);
      const ref = referenceGae(args);
      for (const threads of [1, 2, 3, 7, undefined]) {
        const out = addon().gae({ ...args, threads });
        expect(sameBits(out.advantages, ref.advantages), `${mode}, threads ${threads}`).toBe(true);
        expect(sameBits(out.returns, ref.returns), `${mode}, threads ${threads}`).toBe(true);
      }
    }
  });
});

describe.skipIf(skipNative)('gae: arrays and outputs', () => {
  it('writes into preallocated outputs and returns them', () => {
    const { args } = randomGae(3, 16, 5, 'next+truncated');
    const advantages = new Float32Array(80).fill(123);
    const returns = new Float32Array(80).fill(456);
    const out = addon().gae({ ...args, advantages, returns });
    expect(out.advantages).toBe(advantages);
    expect(out.returns).toBe(returns);
    const ref = referenceGae(args);
    expect(sameBits(advantages, ref.advantages)).toBe(true);
    expect(sameBits(returns, ref.returns)).toBe(true);
  });

  it('allocates new outputs when absent, and leaves the inputs untouched', () => {
    const { args } = randomGae(4, 9, 4, 'bootstrap');
    const before = args.values.slice();
    const a = addon().gae(args);
    const b = addon().gae(args);
    expect(a.advantages).not.toBe(b.advantages);
    expect(a.advantages).toBeInstanceOf(Float32Array);
    expect(a.advantages.length).toBe(36);
    expect(sameBits(args.values, before)).toBe(true);
  });

  it('reads views at an offset (subarray) and Buffers as flags', () => {
    const { args } = randomGae(5, 12, 3, 'next+truncated');
    const view = (x: Float32Array) => {
      const big = new Float32Array(x.length + 7);
      big.set(x, 5);
      return big.subarray(5, 5 + x.length);
    };
    const out = addon().gae({
      ...args,
      rewards: view(args.rewards),
      values: view(args.values),
      nextValues: view(args.nextValues!),
      terminated: Buffer.from(args.terminated),
      truncated: Buffer.from(args.truncated!),
      advantages: view(new Float32Array(36)),
    });
    const ref = referenceGae(args);
    expect(sameBits(out.advantages, ref.advantages)).toBe(true);
    expect(sameBits(out.returns, ref.returns)).toBe(true);
  });

  it('uses arrays backed by a SharedArrayBuffer', () => {
    const { args } = randomGae(6, 10, 2, 'next');
    const shared = (x: Float32Array) => {
      const s = new Float32Array(new SharedArrayBuffer(x.byteLength));
      s.set(x);
      return s;
    };
    const out = addon().gae({
      ...args,
      rewards: shared(args.rewards),
      advantages: shared(new Float32Array(20)),
    });
    expect(sameBits(out.advantages, referenceGae(args).advantages)).toBe(true);
  });
});

describe.skipIf(skipNative)('gaeAsync', () => {
  it('resolves to the same result as gae', async () => {
    for (const mode of ['next', 'next+truncated', 'bootstrap'] as const) {
      const { args } = randomGae(21, 64, 37, mode);
      const sync = addon().gae(args);
      const result = await addon().gaeAsync(args);
      expect(sameBits(result.advantages, sync.advantages)).toBe(true);
      expect(sameBits(result.returns, sync.returns)).toBe(true);
    }
  });

  it('writes into preallocated outputs, multi-threaded on large inputs', async () => {
    const { args } = randomGae(22, 256, 1031, 'next+truncated');
    const advantages = new Float32Array(256 * 1031);
    const returns = new Float32Array(256 * 1031);
    const out = await addon().gaeAsync({ ...args, advantages, returns, threads: 2 });
    expect(out.advantages).toBe(advantages);
    expect(out.returns).toBe(returns);
    const ref = referenceGae(args);
    expect(sameBits(advantages, ref.advantages)).toBe(true);
    expect(sameBits(returns, ref.returns)).toBe(true);
  });

  it('runs many calls concurrently', async () => {
    const problems = Array.from(
      { length: 12 },
      (_, i) => randomGae(100 + i, 20 + i, 3 + i, 'next+truncated').args,
    );
    const results = await Promise.all(problems.map((args) => addon().gaeAsync(args)));
    results.forEach((r, i) => {
      expect(sameBits(r.advantages, referenceGae(problems[i]).advantages)).toBe(true);
    });
  });

  it('keeps its arrays alive when the caller drops them', async () => {
    const pending: Promise<unknown>[] = [];
    for (let i = 0; i < 20; i++) pending.push(addon().gaeAsync(randomGae(200 + i, 128, 64, 'next').args));
    (globalThis as { gc?: () => void }).gc?.();
    const results = (await Promise.all(pending)) as { advantages: Float32Array }[];
    expect(results.every((r) => r.advantages.length === 128 * 64)).toBe(true);
  });
});
