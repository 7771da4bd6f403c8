// Argument validation and hand-computed cases of clippedSurrogate / valueLoss / klEstimate.
import { describe, expect, it } from 'vitest';
import type { NativeKlArgs, NativeSurrogateArgs, NativeValueLossArgs } from '../index.js';
import { addon, skipNative } from './helpers.js';

type Args = Record<string, unknown>;
type ErrorClass = typeof TypeError | typeof RangeError;
type Case = [string, unknown, ErrorClass, RegExp];

const f32 = (xs: number[]) => Float32Array.from(xs);
const MAX = '1\\.7976931348623157e\\+308';

function surrogate(): Args {
  return {
    logProbs: new Float32Array(2),
    oldLogProbs: new Float32Array(2),
    advantages: new Float32Array(2),
    clipRange: 0.2,
  };
}
function value(): Args {
  return {
    values: new Float32Array(2),
    oldValues: new Float32Array(2),
    returns: new Float32Array(2),
    clipRange: 0.2,
  };
}
function kl(): Args {
  return { logProbs: new Float32Array(2), refLogProbs: new Float32Array(2), kind: 'k3' };
}
function without(args: Args, key: string): Args {
  const out = { ...args };
  delete out[key];
  return out;
}
const shared = new Float32Array(8);

const surrogateCases: Case[] = [
  [
    'undefined arguments',
    undefined,
    TypeError,
    /^clippedSurrogate(Async)? arguments must be an object, got undefined$/,
  ],
  ['an array', [1], TypeError, /arguments must be an object, got Array\(1\)/],
  [
    'missing logProbs',
    without(surrogate(), 'logProbs'),
    TypeError,
    /^logProbs must be a Float32Array, got undefined$/,
  ],
  [
    'logProbs Float64Array',
    { ...surrogate(), logProbs: new Float64Array(2) },
    TypeError,
    /^logProbs must be a Float32Array, got Float64Array\(2\)$/,
  ],
  [
    'empty batch',
    { ...surrogate(), logProbs: f32([]), oldLogProbs: f32([]), advantages: f32([]) },
    RangeError,
    /^logProbs must not be empty$/,
  ],
  [
    'oldLogProbs plain array',
    { ...surrogate(), oldLogProbs: [0, 0] },
    TypeError,
    /^oldLogProbs must be a Float32Array, got Array\(2\)$/,
  ],
  [
    'oldLogProbs too long',
    { ...surrogate(), oldLogProbs: new Float32Array(3) },
    RangeError,
    /^oldLogProbs has length 3, expected 2 \(= logProbs\.length\)$/,
  ],
  [
    'advantages missing',
    without(surrogate(), 'advantages'),
    TypeError,
    /^advantages must be a Float32Array, got undefined$/,
  ],
  [
    'advantages too short',
    { ...surrogate(), advantages: f32([1]) },
    RangeError,
    /^advantages has length 1, expected 2 \(= logProbs\.length\)$/,
  ],
  [
    'clipRange missing',
    without(surrogate(), 'clipRange'),
    RangeError,
    new RegExp(`^clipRange must be a finite number in \\[0, ${MAX}\\], got undefined$`),
  ],
  [
    'clipRange negative',
    { ...surrogate(), clipRange: -0.1 },
    RangeError,
    /^clipRange must be a finite number in .*, got -0\.1$/,
  ],
  ['clipRange NaN', { ...surrogate(), clipRange: Number.NaN }, RangeError, /clipRange.*got NaN/],
  ['clipRange string', { ...surrogate(), clipRange: '0.2' }, RangeError, /clipRange.*got string/],
  [
    'clipRangeHigh Infinity',
    { ...surrogate(), clipRangeHigh: Number.POSITIVE_INFINITY },
    RangeError,
    /^clipRangeHigh must be a finite number .*Infinity$/,
  ],
  [
    'dualClip 1',
    { ...surrogate(), dualClip: 1 },
    RangeError,
    /^dualClip must be a finite number > 1, got 1$/,
  ],
  [
    'dualClip NaN',
    { ...surrogate(), dualClip: Number.NaN },
    RangeError,
    /^dualClip must be a finite number > 1, got NaN$/,
  ],
  [
    'dualClip Infinity',
    { ...surrogate(), dualClip: Number.POSITIVE_INFINITY },
    RangeError,
    /dualClip.*Infinity/,
  ],
  ['dualClip null', { ...surrogate(), dualClip: null }, RangeError, /dualClip.*got null/],
  [
    'mask Float32Array',
    { ...surrogate(), mask: new Float32Array(2) },
    TypeError,
    /^mask must be a Uint8Array, got Float32Array\(2\)$/,
  ],
  [
    'mask too short',
    { ...surrogate(), mask: new Uint8Array(1) },
    RangeError,
    /^mask has length 1, expected 2 \(= logProbs\.length\)$/,
  ],
  [
    'mask value 2',
    { ...surrogate(), mask: Uint8Array.from([1, 2]) },
    RangeError,
    /^mask\[1\] must be 0 or 1, got 2$/,
  ],
  [
    'gradLogProbs Float64Array',
    { ...surrogate(), gradLogProbs: new Float64Array(2) },
    TypeError,
    /^gradLogProbs must be a Float32Array/,
  ],
  [
    'gradLogProbs too short',
    { ...surrogate(), gradLogProbs: new Float32Array(1) },
    RangeError,
    /^gradLogProbs has length 1, expected 2/,
  ],
  [
    'gradLogProbs === advantages',
    (() => {
      const a = surrogate();
      return { ...a, gradLogProbs: a.advantages };
    })(),
    RangeError,
    /^gradLogProbs must not share memory with advantages$/,
  ],
  [
    'gradLogProbs overlapping logProbs',
    { ...surrogate(), logProbs: shared.subarray(0, 2), gradLogProbs: shared.subarray(1, 3) },
    RangeError,
    /gradLogProbs must not share memory with logProbs/,
  ],
  [
    'threads 0',
    { ...surrogate(), threads: 0 },
    RangeError,
    /^threads must be an integer in \[1, 1024\], got 0$/,
  ],
  ['threads 2.5', { ...surrogate(), threads: 2.5 }, RangeError, /threads.*2\.5/],
  [
    'aggregation unknown',
    { ...surrogate(), aggregation: 'sum' },
    RangeError,
    /^aggregation must be 'token-mean', 'seq-mean-token-sum' or 'seq-mean-token-mean', got 'sum'$/,
  ],
  [
    'aggregation null',
    { ...surrogate(), aggregation: null },
    RangeError,
    /^aggregation must be .*, got null$/,
  ],
  [
    'seq aggregation without seqLen',
    { ...surrogate(), aggregation: 'seq-mean-token-sum' },
    RangeError,
    /^seqLen is required with aggregation 'seq-mean-token-sum' \(an integer ≥ 1 dividing logProbs\.length\)$/,
  ],
  [
    'seqLen not dividing B',
    { ...surrogate(), aggregation: 'seq-mean-token-mean', seqLen: 3 },
    RangeError,
    /^logProbs has length 2, which is not a multiple of seqLen = 3$/,
  ],
  ['seqLen 0', { ...surrogate(), seqLen: 0 }, RangeError, /^seqLen must be an integer ≥ 1, got 0$/],
];

const valueCases: Case[] = [
  ['null arguments', null, TypeError, /^valueLoss(Async)? arguments must be an object, got null$/],
  ['missing values', without(value(), 'values'), TypeError, /^values must be a Float32Array, got undefined$/],
  ['empty batch', { values: f32([]), returns: f32([]) }, RangeError, /^values must not be empty$/],
  [
    'returns Int32Array',
    { ...value(), returns: new Int32Array(2) },
    TypeError,
    /^returns must be a Float32Array, got Int32Array\(2\)$/,
  ],
  [
    'returns too long',
    { ...value(), returns: new Float32Array(3) },
    RangeError,
    /^returns has length 3, expected 2 \(= values\.length\)$/,
  ],
  [
    'oldValues null',
    { ...value(), oldValues: null },
    TypeError,
    /^oldValues must be a Float32Array, got null$/,
  ],
  [
    'oldValues too short',
    { ...value(), oldValues: new Float32Array(1) },
    RangeError,
    /^oldValues has length 1, expected 2 \(= values\.length\)$/,
  ],
  [
    'clipRange negative',
    { ...value(), clipRange: -1 },
    RangeError,
    /^clipRange must be a finite number in .*, got -1$/,
  ],
  ['clipRange without oldValues', without(value(), 'oldValues'), TypeError, /^clipRange needs oldValues/],
  [
    'gradValues too short',
    { ...value(), gradValues: new Float32Array(1) },
    RangeError,
    /^gradValues has length 1, expected 2/,
  ],
  [
    'gradValues === returns',
    (() => {
      const a = value();
      return { ...a, gradValues: a.returns };
    })(),
    RangeError,
    /^gradValues must not share memory with returns$/,
  ],
  ['threads 5000', { ...value(), threads: 5000 }, RangeError, /threads.*5000/],
];

const klCases: Case[] = [
  ['a number', 3, TypeError, /^klEstimate(Async)? arguments must be an object, got 3$/],
  [
    'logProbs missing',
    without(kl(), 'logProbs'),
    TypeError,
    /^logProbs must be a Float32Array, got undefined$/,
  ],
  [
    'refLogProbs Uint8Array',
    { ...kl(), refLogProbs: new Uint8Array(2) },
    TypeError,
    /^refLogProbs must be a Float32Array, got Uint8Array\(2\)$/,
  ],
  [
    'refLogProbs too short',
    { ...kl(), refLogProbs: new Float32Array(1) },
    RangeError,
    /^refLogProbs has length 1, expected 2 \(= logProbs\.length\)$/,
  ],
  ['kind missing', without(kl(), 'kind'), RangeError, /^kind must be 'k1', 'k2' or 'k3', got undefined$/],
  ['kind k4', { ...kl(), kind: 'k4' }, RangeError, /^kind must be 'k1', 'k2' or 'k3', got 'k4'$/],
  ['kind 3', { ...kl(), kind: 3 }, RangeError, /got 3$/],
  [
    'values too long',
    { ...kl(), values: new Float32Array(3) },
    RangeError,
    /^values has length 3, expected 2/,
  ],
  [
    'gradLogProbs === values',
    (() => {
      const o = new Float32Array(2);
      return { ...kl(), values: o, gradLogProbs: o };
    })(),
    RangeError,
    /^gradLogProbs must not share memory with values$/,
  ],
  [
    'values === logProbs',
    (() => {
      const a = kl();
      return { ...a, values: a.logProbs };
    })(),
    RangeError,
    /^values must not share memory with logProbs$/,
  ],
  ['threads string', { ...kl(), threads: 'all' }, RangeError, /threads.*string/],
];

type Fn = (args: never) => unknown;
const kernels: [string, Case[], () => Fn, () => (args: never) => Promise<unknown>][] = [
  ['clippedSurrogate', surrogateCases, () => addon().clippedSurrogate, () => addon().clippedSurrogateAsync],
  ['valueLoss', valueCases, () => addon().valueLoss, () => addon().valueLossAsync],
  ['klEstimate', klCases, () => addon().klEstimate, () => addon().klEstimateAsync],
];

describe.skipIf(skipNative)('loss kernels: argument validation', () => {
  for (const [name, cases, sync, async] of kernels) {
    it.each(cases)(`${name}: %s`, (_n, args, cls, pattern) => {
      const call = () => sync()(args as never);
      expect(call).toThrow(cls);
      expect(call).toThrow(pattern);
    });
    it.each(cases)(`${name}Async rejects: %s`, async (_n, args, cls, pattern) => {
      let promise: Promise<unknown> | undefined;
      expect(() => {
        promise = async()(args as never);
      }).not.toThrow();
      await expect(promise).rejects.toThrow(cls);
      await expect(promise).rejects.toThrow(pattern);
    });
  }

  it('accepts the valid baselines', async () => {
    expect(() => addon().clippedSurrogate(surrogate() as unknown as NativeSurrogateArgs)).not.toThrow();
    expect(() => addon().valueLoss(value() as unknown as NativeValueLossArgs)).not.toThrow();
    expect(() => addon().klEstimate(kl() as unknown as NativeKlArgs)).not.toThrow();
    await expect(
      addon().klEstimateAsync({
        ...(kl() as unknown as NativeKlArgs),
        logProbs: f32([]),
        refLogProbs: f32([]),
      }),
    ).resolves.toMatchObject({ mean: 0 });
  });

  it('reports the first invalid mask value of a large batch (sync and async)', async () => {
    const n = 1 << 18;
    const mask = new Uint8Array(n).fill(1);
    mask[200_001] = 3;
    mask[250_000] = 9;
    const args = {
      logProbs: new Float32Array(n),
      oldLogProbs: new Float32Array(n),
      advantages: new Float32Array(n),
      clipRange: 0.2,
      mask,
    };
    expect(() => addon().clippedSurrogate(args)).toThrow(/^mask\[200001\] must be 0 or 1, got 3$/);
    await expect(addon().clippedSurrogateAsync(args)).rejects.toThrow(
      /^mask\[200001\] must be 0 or 1, got 3$/,
    );
  });
});

describe.skipIf(skipNative)('loss kernels: hand-computed values', () => {
  it('clippedSurrogate: unclipped, clipped above, clipped below; preallocated output', () => {
    const gradLogProbs = new Float32Array(3).fill(7);
    const r = addon().clippedSurrogate({
      logProbs: f32([0, Math.log(1.5), Math.log(0.5)]),
      oldLogProbs: f32([0, 0, 0]),
      advantages: f32([2, 1, -1]),
      clipRange: 0.2,
      gradLogProbs,
    });
    expect(r.gradLogProbs).toBe(gradLogProbs);
    expect(r.loss).toBeCloseTo(-(2 + 1.2 - 0.8) / 3, 6);
    expect(gradLogProbs[0]).toBeCloseTo(-2 / 3, 6);
    expect(Object.is(gradLogProbs[1], 0) && Object.is(gradLogProbs[2], 0)).toBe(true);
    expect(r.clipFraction).toBeCloseTo(2 / 3, 12);
  });

  it('clippedSurrogate: everything masked out gives zeros', () => {
    const r = addon().clippedSurrogate({
      ...(surrogate() as unknown as NativeSurrogateArgs),
      mask: new Uint8Array(2),
    });
    expect(r).toMatchObject({ loss: 0, clipFraction: 0, approxKl: 0, approxKlK1: 0, ratioMean: 0 });
  });

  it('clippedSurrogate: seq-mean-token-sum / seq-mean-token-mean (ratio 1: objective = advantage)', () => {
    const args = {
      logProbs: new Float32Array(6),
      oldLogProbs: new Float32Array(6),
      advantages: f32([1, 2, 9, 9, 4, 9]),
      clipRange: 0.2,
      mask: Uint8Array.from([1, 1, 0, 0, 1, 0]),
      seqLen: 3,
    };
    const sum = addon().clippedSurrogate({ ...args, aggregation: 'seq-mean-token-sum' });
    expect(sum.loss).toBeCloseTo(-3.5, 12);
    expect(Array.from(sum.gradLogProbs)).toEqual([-0.5, -1, 0, 0, -2, 0]);
    const mean = addon().clippedSurrogate({ ...args, aggregation: 'seq-mean-token-mean' });
    expect(mean.loss).toBeCloseTo(-2.75, 12);
    expect(Array.from(mean.gradLogProbs)).toEqual([-0.25, -0.5, 0, 0, -2, 0]);
    expect(mean.ratioMean).toBe(1);
  });

  it('clippedSurrogate: seq aggregations give the same bits on every thread count', () => {
    for (const [seqLen, seqs] of [
      [1000, 300],
      [7, 40_000],
      [300_000, 1],
    ]) {
      const n = seqLen * seqs;
      const args = {
        logProbs: Float32Array.from({ length: n }, (_, i) => -1 - Math.sin(i) * 0.3),
        oldLogProbs: Float32Array.from({ length: n }, (_, i) => -1 - Math.cos(i * 0.7) * 0.3),
        advantages: Float32Array.from({ length: n }, (_, i) => Math.sin(i * 1.3)),
        clipRange: 0.2,
        mask: Uint8Array.from({ length: n }, (_, i) => (i % 5 === 1 ? 0 : 1)),
        normalizeAdvantages: true,
        seqLen,
      };
      for (const aggregation of ['seq-mean-token-sum', 'seq-mean-token-mean'] as const) {
        const one = addon().clippedSurrogate({ ...args, aggregation, threads: 1 });
        for (const threads of [2, 5]) {
          const many = addon().clippedSurrogate({ ...args, aggregation, threads });
          expect(many.loss).toBe(one.loss);
          expect(many.approxKl).toBe(one.approxKl);
          expect(Array.from(many.gradLogProbs)).toEqual(Array.from(one.gradLogProbs));
        }
      }
    }
  });

  it('valueLoss: clipped (SB3/CleanRL form)', () => {
    const r = addon().valueLoss({
      values: f32([1, 2]),
      oldValues: f32([0.9, 1]),
      returns: f32([0, 0]),
      clipRange: 0.2,
    });
    expect(r.loss).toBeCloseTo(2.5, 6); // (1 + max(4, 1.44)) / 2
    expect(Array.from(r.gradValues)).toEqual([1, 2]);
    expect(r.clipFraction).toBe(0.5);
  });

  it('klEstimate: k3 at log r = −1', () => {
    const r = addon().klEstimate({ logProbs: f32([1]), refLogProbs: f32([0]), kind: 'k3' });
    expect(r.values[0]).toBeCloseTo(Math.exp(-1), 6);
    expect(r.gradLogProbs[0]).toBeCloseTo(1 - Math.exp(-1), 6);
  });
});
