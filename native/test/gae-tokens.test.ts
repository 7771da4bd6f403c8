// gaeTokens / gaeTokensAsync: hand-computed cases, a float64 reference, threads, validation, fuzzing.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { NativeGaeTokensArgs } from '../index.js';
import { addon, maxRelativeError, rng, sameBits, skipNative } from './helpers.js';

const f32 = (xs: number[]) => Float32Array.from(xs);
const u8 = (xs: number[]) => Uint8Array.from(xs);

/** Float64 reference written for the tests: per row, compact the valid tokens, then plain GAE. */
function referenceTokens(args: NativeGaeTokensArgs) {
  const { rewards, values, mask, batchSize: B, seqLen: L, gamma, lambda, bootstrapValues } = args;
  const advantages = new Float32Array(B * L);
  const returns = new Float32Array(B * L);
  for (let b = 0; b < B; b++) {
    const valid: number[] = [];
    for (let l = 0; l < L; l++) if (mask[b * L + l] === 1) valid.push(b * L + l);
    let carry = 0;
    for (let j = valid.length - 1; j >= 0; j--) {
      const k = valid[j];
      const vNext = j + 1 < valid.length ? values[valid[j + 1]] : bootstrapValues ? bootstrapValues[b] : 0;
      carry = rewards[k] + gamma * vNext - values[k] + gamma * lambda * carry;
      advantages[k] = carry;
      returns[k] = carry + values[k];
    }
  }
  return { advantages, returns };
}

function randomTokens(seed: number, B: number, L: number, p: number, boot: boolean): NativeGaeTokensArgs {
  const r = rng(seed);
  const n = B * L;
  return {
    rewards: Float32Array.from({ length: n }, () => r() * 4 - 2),
    values: Float32Array.from({ length: n }, () => r() * 4 - 2),
    mask: Uint8Array.from({ length: n }, () => (r() < p ? 1 : 0)),
    batchSize: B,
    seqLen: L,
    gamma: 0.99,
    lambda: 0.95,
    bootstrapValues: boot ? Float32Array.from({ length: B }, () => r()) : undefined,
  };
}

describe.skipIf(skipNative)('gaeTokens: hand-computed cases', () => {
  it('skips masked positions (NaN there does not leak) and bootstraps after the last valid token', () => {
    // mask [1, 0, 1, 0], γ = λ = 0.5, bootstrap 2: A = [2.25, 0, 1, 0], returns [2.75, 0, 2, 0]
    const r = addon().gaeTokens({
      rewards: f32([2, Number.NaN, 1, Number.NaN]),
      values: f32([0.5, Number.NaN, 1, Number.NaN]),
      mask: u8([1, 0, 1, 0]),
      batchSize: 1,
      seqLen: 4,
      gamma: 0.5,
      lambda: 0.5,
      bootstrapValues: f32([2]),
    });
    expect(Array.from(r.advantages)).toEqual([2.25, 0, 1, 0]);
    expect(Array.from(r.returns)).toEqual([2.75, 0, 2, 0]);
  });

  it('left padding (prompt), right padding and an empty row', () => {
    const r = addon().gaeTokens({
      rewards: f32([9, 3, 0, 1, 5, 5]),
      values: f32([7, 1, 2, 0, 5, 5]),
      mask: u8([0, 1, 1, 1, 0, 0]),
      batchSize: 3,
      seqLen: 2,
      gamma: 1,
      lambda: 0.5,
    });
    expect(Array.from(r.advantages)).toEqual([0, 2, -1.5, 1, 0, 0]);
    expect(Array.from(r.returns)).toEqual([0, 3, 0.5, 1, 0, 0]);
  });

  it('writes into preallocated outputs (overwriting masked positions with 0)', () => {
    const advantages = new Float32Array(4).fill(7);
    const returns = new Float32Array(4).fill(7);
    const r = addon().gaeTokens({
      rewards: f32([1, 1, 1, 1]),
      values: f32([0, 0, 0, 0]),
      mask: u8([1, 0, 0, 1]),
      batchSize: 2,
      seqLen: 2,
      gamma: 0,
      lambda: 0,
      advantages,
      returns,
    });
    expect(r.advantages).toBe(advantages);
    expect(r.returns).toBe(returns);
    expect(Array.from(advantages)).toEqual([1, 0, 0, 1]);
  });
});

describe.skipIf(skipNative)('gaeTokens: against a float64 reference', () => {
  it('random shapes, masks, γ, λ, with and without bootstrap (≤ 1e-5 relative)', () => {
    const shapes = fc.sample(
      fc.record({
        b: fc.integer({ min: 1, max: 16 }),
        l: fc.integer({ min: 1, max: 300 }),
        p: fc.double({ min: 0, max: 1, noNaN: true }),
        boot: fc.boolean(),
        seed: fc.integer(),
      }),
      { numRuns: 200, seed: 5150 },
    );
    for (const { b, l, p, boot, seed } of shapes) {
      const args = randomTokens(seed, b, l, p, boot);
      const ref = referenceTokens(args);
      const got = addon().gaeTokens(args);
      expect(maxRelativeError(got.advantages, ref.advantages)).toBeLessThanOrEqual(1e-5);
      expect(maxRelativeError(got.returns, ref.returns)).toBeLessThanOrEqual(1e-5);
    }
  });

  it('results do not depend on the thread count (above the threading threshold)', async () => {
    const args = randomTokens(99, 257, 1031, 0.8, true);
    const one = addon().gaeTokens({ ...args, threads: 1 });
    for (const threads of [2, 3, 8]) {
      const many = addon().gaeTokens({ ...args, threads });
      expect(sameBits(many.advantages, one.advantages)).toBe(true);
      expect(sameBits(many.returns, one.returns)).toBe(true);
    }
    const viaAsync = await addon().gaeTokensAsync(args);
    expect(sameBits(viaAsync.advantages, one.advantages)).toBe(true);
    expect(maxRelativeError(one.advantages, referenceTokens(args).advantages)).toBeLessThanOrEqual(1e-5);
  });
});

type Case = [string, unknown, typeof TypeError | typeof RangeError, RegExp];
function valid(): Record<string, unknown> {
  return {
    rewards: new Float32Array(6),
    values: new Float32Array(6),
    mask: new Uint8Array(6),
    batchSize: 2,
    seqLen: 3,
    gamma: 0.9,
    lambda: 0.9,
  };
}
const shared = new Float32Array(12);
const cases: Case[] = [
  ['null arguments', null, TypeError, /^gaeTokens(Async)? arguments must be an object, got null$/],
  [
    'missing rewards',
    { ...valid(), rewards: undefined },
    TypeError,
    /^rewards must be a Float32Array, got undefined$/,
  ],
  [
    'values Float64Array',
    { ...valid(), values: new Float64Array(6) },
    TypeError,
    /^values must be a Float32Array, got Float64Array\(6\)$/,
  ],
  [
    'mask Float32Array',
    { ...valid(), mask: new Float32Array(6) },
    TypeError,
    /^mask must be a Uint8Array, got Float32Array\(6\)$/,
  ],
  ['missing mask', { ...valid(), mask: undefined }, TypeError, /^mask must be a Uint8Array, got undefined$/],
  ['batchSize 0', { ...valid(), batchSize: 0 }, RangeError, /^batchSize must be an integer ≥ 1, got 0$/],
  [
    'seqLen missing',
    { ...valid(), seqLen: undefined },
    RangeError,
    /^seqLen must be an integer ≥ 1, got undefined$/,
  ],
  ['seqLen 2.5', { ...valid(), seqLen: 2.5 }, RangeError, /^seqLen must be an integer ≥ 1, got 2\.5$/],
  [
    'rewards too long',
    { ...valid(), seqLen: 2 },
    RangeError,
    /^rewards has length 6, expected 4 \(= batchSize \* seqLen\)$/,
  ],
  [
    'values too short',
    { ...valid(), values: new Float32Array(5) },
    RangeError,
    /^values has length 5, expected 6 \(= batchSize \* seqLen\)$/,
  ],
  ['mask too long', { ...valid(), mask: new Uint8Array(7) }, RangeError, /^mask has length 7, expected 6/],
  [
    'bootstrapValues of length B·L',
    { ...valid(), bootstrapValues: new Float32Array(6) },
    RangeError,
    /^bootstrapValues has length 6, expected 2 \(= batchSize\)$/,
  ],
  [
    'bootstrapValues null',
    { ...valid(), bootstrapValues: null },
    TypeError,
    /^bootstrapValues must be a Float32Array, got null$/,
  ],
  ['gamma 2', { ...valid(), gamma: 2 }, RangeError, /^gamma must be a finite number in \[0, 1\], got 2$/],
  [
    'lambda NaN',
    { ...valid(), lambda: Number.NaN },
    RangeError,
    /^lambda must be a finite number in \[0, 1\], got NaN$/,
  ],
  ['threads 0', { ...valid(), threads: 0 }, RangeError, /^threads must be an integer in \[1, 1024\], got 0$/],
  [
    'advantages too short',
    { ...valid(), advantages: new Float32Array(5) },
    RangeError,
    /^advantages has length 5, expected 6/,
  ],
  [
    'returns === advantages',
    (() => {
      const o = new Float32Array(6);
      return { ...valid(), advantages: o, returns: o };
    })(),
    RangeError,
    /^returns must not share memory with advantages$/,
  ],
  [
    'advantages overlapping values',
    { ...valid(), values: shared.subarray(0, 6), advantages: shared.subarray(5, 11) },
    RangeError,
    /^advantages must not share memory with values$/,
  ],
  [
    'mask value 2',
    { ...valid(), mask: u8([0, 1, 0, 0, 2, 3]) },
    RangeError,
    /^mask\[4\] must be 0 or 1, got 2$/,
  ],
];

describe.skipIf(skipNative)('gaeTokens: argument validation', () => {
  it.each(cases)('gaeTokens: %s', (_n, args, cls, pattern) => {
    const call = () => addon().gaeTokens(args as NativeGaeTokensArgs);
    expect(call).toThrow(cls);
    expect(call).toThrow(pattern);
  });
  it.each(cases)('gaeTokensAsync rejects: %s', async (_n, args, cls, pattern) => {
    let promise: Promise<unknown> | undefined;
    expect(() => {
      promise = addon().gaeTokensAsync(args as NativeGaeTokensArgs);
    }).not.toThrow();
    await expect(promise).rejects.toThrow(cls);
    await expect(promise).rejects.toThrow(pattern);
  });
  it('accepts the valid baseline', async () => {
    expect(() => addon().gaeTokens(valid() as unknown as NativeGaeTokensArgs)).not.toThrow();
    await expect(addon().gaeTokensAsync(valid() as unknown as NativeGaeTokensArgs)).resolves.toBeDefined();
  });
});
