// surrogateAndKl / meanKl (TRPO's line-search evaluation) and their async variants: hand-computed
// values, argument validation (messages of @proximal/core), thread-count independence, fuzzing.
// Parity with the TypeScript reference on random policies: packages/core/test/line-search-parity.test.ts.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { NativeMeanKlArgs, NativeMlpLayer, NativeSurrogateKlArgs } from '../index.js';
import { addon, randomPolicyArb, rng, skipNative } from './helpers.js';

type Args = Record<string, unknown>;

const layers: NativeMlpLayer[] = [
  { inSize: 3, outSize: 4, activation: 'tanh' },
  { inSize: 4, outSize: 2, activation: 'linear' },
];
const P = 3 * 4 + 4 + 4 * 2 + 2; // 26 (+ 2 log-std for 'diag-gaussian')
const B = 5;

function valid(head: 'categorical' | 'diag-gaussian' = 'categorical'): Args {
  const n = P + (head === 'diag-gaussian' ? 2 : 0);
  const r = rng(11);
  const oldParams = Float32Array.from({ length: n }, () => r() - 0.5);
  return {
    policy: { layers, head },
    oldParams,
    newParams: oldParams.map((x) => x + (r() - 0.5) * 0.1),
    states: Float32Array.from({ length: B * 3 }, () => r() * 2 - 1),
    actions:
      head === 'categorical'
        ? Int32Array.from({ length: B }, (_, i) => i % 2)
        : Float32Array.from({ length: B * 2 }, () => r() * 2 - 1),
    advantages: Float32Array.from({ length: B }, () => r() * 2 - 1),
    oldLogProbs: Float32Array.from({ length: B }, () => -0.7 - r() * 0.1),
  };
}

function klArgs(args: Args): Args {
  const policy = args.policy as Args;
  return {
    policyOld: { ...policy, params: args.oldParams },
    policyNew: { ...policy, params: args.newParams },
    states: args.states,
  };
}

const cases: [string, unknown, typeof TypeError | typeof RangeError, RegExp][] = [
  ['undefined arguments', undefined, TypeError, /arguments must be an object, got undefined$/],
  ['a number', 3, TypeError, /arguments must be an object, got number$/],
  [
    'policy missing',
    { ...valid(), policy: undefined },
    TypeError,
    /^policy must be an object, got undefined$/,
  ],
  ['policy an array', { ...valid(), policy: [1] }, TypeError, /^policy must be an object, got Array\(1\)$/],
  [
    'layers empty',
    { ...valid(), policy: { layers: [], head: 'categorical' } },
    TypeError,
    /^layers must be a non-empty array, got Array\(0\)$/,
  ],
  [
    'sizes do not chain',
    { ...valid(), policy: { layers: [layers[0], { ...layers[1], inSize: 3 }], head: 'categorical' } },
    RangeError,
    /^layers\[1\]\.inSize is 3, expected 4 \(layers\[0\]\.outSize\)$/,
  ],
  [
    'head unknown',
    { ...valid(), policy: { layers, head: 'beta' } },
    RangeError,
    /^head must be 'categorical' or 'diag-gaussian', got 'beta'$/,
  ],
  [
    'oldParams Float64Array',
    { ...valid(), oldParams: new Float64Array(P) },
    TypeError,
    /^oldParams must be a Float32Array, got Float64Array\(26\)$/,
  ],
  [
    'newParams short',
    { ...valid(), newParams: new Float32Array(P - 1) },
    RangeError,
    /^newParams has length 25, expected 26 \(= Σ inSize·outSize \+ outSize over layers\)$/,
  ],
  [
    'gaussian without log-std',
    { ...valid(), policy: { layers, head: 'diag-gaussian' } },
    RangeError,
    /^oldParams has length 26, expected 28 \(.*log-std\)$/,
  ],
  [
    'states ragged',
    { ...valid(), states: new Float32Array(14) },
    RangeError,
    /^states has length 14, which is not a multiple of obsDim = 3 \(layers\[0\]\.inSize\)$/,
  ],
  [
    'states empty',
    { ...valid(), states: new Float32Array(0) },
    RangeError,
    /^states must hold at least one state, got length 0$/,
  ],
  [
    'categorical actions Float32Array',
    { ...valid(), actions: new Float32Array(B) },
    TypeError,
    /^actions must be a Int32Array, got Float32Array\(5\)$/,
  ],
  [
    'categorical actions short',
    { ...valid(), actions: new Int32Array(B - 1) },
    RangeError,
    /^actions has length 4, expected 5 \(= batch\)$/,
  ],
  [
    'Gaussian actions Int32Array',
    { ...valid('diag-gaussian'), actions: new Int32Array(B * 2) },
    TypeError,
    /^actions must be a Float32Array, got Int32Array\(10\)$/,
  ],
  [
    'Gaussian actions [batch] only',
    { ...valid('diag-gaussian'), actions: new Float32Array(B) },
    RangeError,
    /^actions has length 5, expected 10 \(= batch · actionDim\)$/,
  ],
  [
    'advantages long',
    { ...valid(), advantages: new Float32Array(B + 1) },
    RangeError,
    /^advantages has length 6, expected 5 \(= batch\)$/,
  ],
  [
    'oldLogProbs an Array',
    { ...valid(), oldLogProbs: [0, 0, 0, 0, 0] },
    TypeError,
    /^oldLogProbs must be a Float32Array, got Array\(5\)$/,
  ],
  [
    'action out of range',
    { ...valid(), actions: Int32Array.of(0, 1, 2, 0, 1) },
    RangeError,
    /^actions\[2\] must be in \[0, 1\], got 2$/,
  ],
  [
    'negative action',
    { ...valid(), actions: Int32Array.of(0, 1, 0, -3, 1) },
    RangeError,
    /^actions\[3\] must be in \[0, 1\], got -3$/,
  ],
  [
    'action range is checked after the lengths',
    { ...valid(), actions: Int32Array.of(0, 1, 2, 0, 1), advantages: new Float32Array(2) },
    RangeError,
    /^advantages has length 2/,
  ],
  ['threads 0', { ...valid(), threads: 0 }, RangeError, /^threads must be an integer in \[1, 1024\], got 0$/],
  [
    'threads 1.5',
    { ...valid(), threads: 1.5 },
    RangeError,
    /^threads must be an integer in \[1, 1024\], got 1\.5$/,
  ],
];

const klCases: [string, unknown, typeof TypeError | typeof RangeError, RegExp][] = [
  ['null arguments', null, TypeError, /^meanKl(Async)? arguments must be an object, got null$/],
  [
    'policyOld missing',
    { ...klArgs(valid()), policyOld: undefined },
    TypeError,
    /^policyOld must be an object, got undefined$/,
  ],
  [
    'policyNew a string',
    { ...klArgs(valid()), policyNew: 'x' },
    TypeError,
    /^policyNew must be an object, got string$/,
  ],
  [
    'policyOld.params short',
    { ...klArgs(valid()), policyOld: { layers, head: 'categorical', params: new Float32Array(3) } },
    RangeError,
    /^policyOld\.params has length 3, expected 26 \(/,
  ],
  [
    'policyNew.params missing',
    { ...klArgs(valid()), policyNew: { layers, head: 'categorical' } },
    TypeError,
    /^policyNew\.params must be a Float32Array, got undefined$/,
  ],
  [
    'heads differ',
    { ...klArgs(valid()), policyNew: { layers, head: 'diag-gaussian', params: new Float32Array(P + 2) } },
    RangeError,
    /^policyOld \(categorical, 3 → 2\) and policyNew \(diag-gaussian, 3 → 2\) must have the same head, input and output sizes$/,
  ],
  [
    'input sizes differ',
    {
      ...klArgs(valid()),
      policyNew: {
        layers: [{ inSize: 4, outSize: 2, activation: 'tanh' }],
        head: 'categorical',
        params: new Float32Array(10),
      },
    },
    RangeError,
    /^policyOld \(categorical, 3 → 2\) and policyNew \(categorical, 4 → 2\) must have/,
  ],
  [
    'states Float64Array',
    { ...klArgs(valid()), states: new Float64Array(6) },
    TypeError,
    /^states must be a Float32Array, got Float64Array\(6\)$/,
  ],
  [
    'threads too large',
    { ...klArgs(valid()), threads: 4096 },
    RangeError,
    /^threads must be an integer in \[1, 1024\]/,
  ],
];

describe.skipIf(skipNative)('surrogateAndKl / meanKl: argument validation', () => {
  for (const [name, args, cls, pattern] of cases) {
    it(`surrogateAndKl: ${name}`, async () => {
      expect(() => addon().surrogateAndKl(args as NativeSurrogateKlArgs)).toThrow(cls);
      expect(() => addon().surrogateAndKl(args as NativeSurrogateKlArgs)).toThrow(pattern);
      await expect(addon().surrogateAndKlAsync(args as NativeSurrogateKlArgs)).rejects.toThrow(cls);
      await expect(addon().surrogateAndKlAsync(args as NativeSurrogateKlArgs)).rejects.toThrow(pattern);
    });
  }
  for (const [name, args, cls, pattern] of klCases) {
    it(`meanKl: ${name}`, async () => {
      expect(() => addon().meanKl(args as NativeMeanKlArgs)).toThrow(cls);
      expect(() => addon().meanKl(args as NativeMeanKlArgs)).toThrow(pattern);
      await expect(addon().meanKlAsync(args as NativeMeanKlArgs)).rejects.toThrow(pattern);
    });
  }
});

describe.skipIf(skipNative)('surrogateAndKl / meanKl: behaviour', () => {
  it('categorical closed form: one linear layer, p_old = (½, ½), p_new = (¾, ¼)', async () => {
    const args: NativeSurrogateKlArgs = {
      policy: { layers: [{ inSize: 1, outSize: 2, activation: 'linear' }], head: 'categorical' },
      oldParams: Float32Array.of(0, 0, 0, 0),
      newParams: Float32Array.of(0, 0, Math.log(3), 0), // bias (log 3, 0)
      states: Float32Array.of(1, -1),
      actions: Int32Array.of(0, 1),
      advantages: Float32Array.of(2, 1),
      oldLogProbs: Float32Array.of(Math.log(0.5), Math.log(0.5)),
    };
    const kl = 0.5 * Math.log(0.5 / 0.75) + 0.5 * Math.log(0.5 / 0.25);
    const res = addon().surrogateAndKl(args);
    expect(res.kl).toBeCloseTo(kl, 7);
    expect(res.surrogate).toBeCloseTo((1.5 * 2 + 0.5 * 1) / 2, 6);
    expect(await addon().surrogateAndKlAsync(args)).toEqual(res);
    const pOld = { ...args.policy, params: args.oldParams };
    const pNew = { ...args.policy, params: args.newParams };
    expect(addon().meanKl({ policyOld: pOld, policyNew: pNew, states: args.states })).toBe(res.kl);
    expect(addon().meanKl({ policyOld: pOld, policyNew: pOld, states: args.states })).toBe(0);
  });

  it('Gaussian closed form: a log-std up by ½ gives ½ + 1/(2e) − ½ per state and dimension', async () => {
    const args = valid('diag-gaussian') as unknown as NativeSurrogateKlArgs;
    const newParams = Float32Array.from(args.oldParams);
    newParams[P] += 0.5;
    const res = addon().surrogateAndKl({ ...args, newParams });
    expect(res.kl).toBeCloseTo(1 / (2 * Math.E), 7);
    const same = addon().surrogateAndKl({ ...args, newParams: args.oldParams });
    expect(same.kl).toBe(0);
    expect(await addon().meanKlAsync(klArgs({ ...args, newParams }) as unknown as NativeMeanKlArgs)).toBe(
      res.kl,
    );
  });

  it('the same bits on every thread count and on repeated calls; inputs are not modified', async () => {
    const r = rng(5);
    for (const head of ['categorical', 'diag-gaussian'] as const) {
      const ls: NativeMlpLayer[] = [
        { inSize: 6, outSize: 40, activation: 'relu' },
        { inSize: 40, outSize: 33, activation: 'tanh' },
        { inSize: 33, outSize: 5, activation: 'linear' },
      ];
      const n = 6 * 40 + 40 + 40 * 33 + 33 + 33 * 5 + 5 + (head === 'diag-gaussian' ? 5 : 0);
      const batch = 1000;
      const oldParams = Float32Array.from({ length: n }, () => r() - 0.5);
      const args: NativeSurrogateKlArgs = {
        policy: { layers: ls, head },
        oldParams,
        newParams: oldParams.map((x) => x + (r() - 0.5) * 0.02),
        states: Float32Array.from({ length: batch * 6 }, () => r() * 2 - 1),
        actions:
          head === 'categorical'
            ? Int32Array.from({ length: batch }, () => Math.floor(r() * 5))
            : Float32Array.from({ length: batch * 5 }, () => r() * 2 - 1),
        advantages: Float32Array.from({ length: batch }, () => r() * 2 - 1),
        oldLogProbs: Float32Array.from({ length: batch }, () => -1.5 - r()),
      };
      const copy = Float32Array.from(args.newParams);
      const one = addon().surrogateAndKl({ ...args, threads: 1 });
      expect(Number.isFinite(one.kl) && one.kl > 0 && Number.isFinite(one.surrogate)).toBe(true);
      for (const threads of [2, 3, 8]) expect(addon().surrogateAndKl({ ...args, threads })).toEqual(one);
      expect(addon().surrogateAndKl(args)).toEqual(one);
      expect(await addon().surrogateAndKlAsync({ ...args, threads: 2 })).toEqual(one);
      expect(Array.from(args.newParams)).toEqual(Array.from(copy));
      const kl = klArgs(args as unknown as Args) as unknown as NativeMeanKlArgs;
      expect(addon().meanKl({ ...kl, threads: 1 })).toBe(one.kl);
      expect(addon().meanKl({ ...kl, threads: 3 })).toBe(one.kl);
    }
  });

  it('with checkFinite: false, non-finite inputs propagate (NaN state, infinite advantage) instead of crashing', () => {
    const args: Record<string, unknown> = { ...(valid() as Record<string, unknown>), checkFinite: false };
    const states = Float32Array.from(args.states as Float32Array);
    states[0] = Number.NaN;
    expect(Number.isNaN(addon().surrogateAndKl({ ...args, states } as never).kl)).toBe(true);
    const advantages = Float32Array.from(args.advantages as Float32Array);
    advantages[1] = Number.POSITIVE_INFINITY;
    expect(Math.abs(addon().surrogateAndKl({ ...args, advantages } as never).surrogate)).toBe(Infinity);
  });

  it('fuzz: arbitrary argument values throw TypeError/RangeError or return numbers, never crash', async () => {
    const anyValue = fc.oneof(
      fc.constant(undefined),
      fc.constant(null),
      fc.integer({ min: -3, max: 40 }),
      fc.double(),
      fc.string({ maxLength: 4 }),
      fc.constantFrom('tanh', 'relu', 'linear', 'categorical', 'diag-gaussian'),
      fc.integer({ min: 0, max: 40 }).map((n) => new Float32Array(n)),
      fc.integer({ min: 0, max: 40 }).map((n) => new Float32Array(n).fill(Number.NaN)),
      fc.integer({ min: 0, max: 12 }).chain((n) => fc.int32Array({ minLength: n, maxLength: n })),
      fc.integer({ min: 0, max: 8 }).map((n) => new Float64Array(n)),
      fc.array(fc.integer(), { maxLength: 3 }),
    );
    const layer = fc.record({
      inSize: fc.oneof(fc.integer({ min: 1, max: 4 }), anyValue),
      outSize: fc.oneof(fc.integer({ min: 1, max: 4 }), anyValue),
      activation: fc.oneof(fc.constantFrom('tanh', 'relu', 'linear'), anyValue),
    });
    const policyShape = fc.oneof(
      fc.record({
        layers: fc.oneof(fc.array(layer, { maxLength: 3 }), anyValue),
        head: fc.oneof(fc.constantFrom('categorical', 'diag-gaussian'), anyValue),
        params: anyValue,
      }),
      anyValue,
    );
    const threads = fc.oneof(fc.constant(undefined), fc.integer({ min: -1, max: 3 }));
    const check = (out: unknown, isNumber: boolean) => {
      if (isNumber) expect(typeof out).toBe('number');
      else expect(typeof (out as { kl?: unknown }).kl).toBe('number');
    };
    const expectTypedError = (e: unknown) =>
      expect(e instanceof TypeError || e instanceof RangeError).toBe(true);
    const keys = [
      'policy',
      'oldParams',
      'newParams',
      'states',
      'actions',
      'advantages',
      'oldLogProbs',
      'threads',
    ];
    // Arbitrary bags of values, and valid calls (either head) with one or two values replaced.
    const arbitrary = fc
      .tuple(policyShape, policyShape, anyValue, anyValue, anyValue, anyValue, anyValue, anyValue, threads)
      .map(([policy, other, oldParams, newParams, states, actions, advantages, oldLogProbs, t]) => ({
        sArgs: { policy, oldParams, newParams, states, actions, advantages, oldLogProbs, threads: t } as Args,
        kArgs: { policyOld: policy, policyNew: other, states, threads: t } as Args,
      }));
    const nearlyValid = fc
      .tuple(
        fc.constantFrom('categorical', 'diag-gaussian' as const),
        fc.constantFrom(...keys),
        anyValue,
        fc.constantFrom(...keys),
        fc.oneof(anyValue, policyShape),
        fc.boolean(),
      )
      .map(([head, k1, v1, k2, v2, two]) => {
        const sArgs = valid(head);
        sArgs[k1] = v1;
        if (two) sArgs[k2] = v2;
        const kArgs = klArgs(valid(head));
        if (k1 === 'policy') kArgs.policyOld = v1;
        if (two && k2 === 'policy') kArgs.policyNew = v2;
        if (k1 === 'states') kArgs.states = v1;
        return { sArgs, kArgs };
      });
    const samples = fc.sample(fc.oneof(arbitrary, nearlyValid), { numRuns: 2000, seed: 777 });
    for (const { sArgs, kArgs } of samples) {
      for (const [call, isNumber] of [
        [() => addon().surrogateAndKl(sArgs as never), false],
        [() => addon().meanKl(kArgs as never), true],
      ] as const) {
        try {
          check(call(), isNumber);
        } catch (e) {
          expectTypedError(e);
        }
      }
      try {
        check(await addon().surrogateAndKlAsync(sArgs as never), false);
      } catch (e) {
        expectTypedError(e);
      }
      try {
        check(await addon().meanKlAsync(kArgs as never), true);
      } catch (e) {
        expectTypedError(e);
      }
    }
  });

  it('fuzz: valid random networks give finite results, the same with 1 and 3 threads', () => {
    fc.assert(
      fc.property(randomPolicyArb(400), ({ layers: ls, head, actionDim: out, numParams: n, batch, seed }) => {
        const r = rng(seed);
        const oldParams = Float32Array.from({ length: n }, () => r() * 2 - 1);
        const args = {
          policy: { layers: ls, head },
          oldParams,
          newParams: oldParams.map((x) => x + (r() - 0.5) * 0.2),
          states: Float32Array.from({ length: batch * ls[0].inSize }, () => r() * 4 - 2),
          actions:
            head === 'categorical'
              ? Int32Array.from({ length: batch }, () => Math.floor(r() * out))
              : Float32Array.from({ length: batch * out }, () => r() * 2 - 1),
          advantages: Float32Array.from({ length: batch }, () => r() * 2 - 1),
          oldLogProbs: Float32Array.from({ length: batch }, () => -r() * 3),
        } as NativeSurrogateKlArgs;
        const res = addon().surrogateAndKl({ ...args, threads: 1 });
        expect(Number.isFinite(res.kl) && res.kl >= -1e-12).toBe(true);
        expect(Number.isFinite(res.surrogate)).toBe(true);
        expect(addon().surrogateAndKl({ ...args, threads: 3 })).toEqual(res);
      }),
      { numRuns: 300 },
    );
  });
});
