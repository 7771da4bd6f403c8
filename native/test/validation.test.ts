import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { NativeGaeArgs } from '../index.js';
import { addon, skipNative } from './helpers.js';

type Args = Record<string, unknown>;
type ErrorClass = typeof TypeError | typeof RangeError;

/** A valid [T = 4, N = 2] problem; each case changes one thing. */
function valid(): Args {
  return {
    rewards: new Float32Array(8),
    values: new Float32Array(8),
    nextValues: new Float32Array(8),
    terminated: new Uint8Array(8),
    numEnvs: 2,
    gamma: 0.99,
    lambda: 0.95,
  };
}

function withBootstrap(): Args {
  const { nextValues: _, ...rest } = valid();
  return { ...rest, bootstrapValues: new Float32Array(2) };
}

function without(key: string): Args {
  const args = valid();
  delete args[key];
  return args;
}

const badFlags = (i: number, value: number) => {
  const flags = new Uint8Array(8);
  flags[i] = value;
  return flags;
};

const shared = new Float32Array(16);

/** [description, arguments, error class, message pattern]. */
const cases: [string, unknown, ErrorClass, RegExp][] = [
  // Not an options object.
  ['undefined arguments', undefined, TypeError, /gae(Async)? arguments must be an object, got undefined/],
  ['null arguments', null, TypeError, /arguments must be an object, got null/],
  ['a number', 5, TypeError, /arguments must be an object, got 5/],
  ['a string', 'rewards', TypeError, /arguments must be an object, got string/],
  ['an array', [new Float32Array(8)], TypeError, /arguments must be an object, got Array\(1\)/],
  ['a function', () => 0, TypeError, /arguments must be an object, got function/],
  // Wrong dtypes.
  [
    'rewards Float64Array',
    { ...valid(), rewards: new Float64Array(8) },
    TypeError,
    /^rewards must be a Float32Array, got Float64Array\(8\)$/,
  ],
  [
    'rewards plain array',
    { ...valid(), rewards: [0, 0] },
    TypeError,
    /rewards must be a Float32Array, got Array\(2\)/,
  ],
  [
    'values Int32Array',
    { ...valid(), values: new Int32Array(8) },
    TypeError,
    /values must be a Float32Array, got Int32Array/,
  ],
  [
    'values ArrayBuffer',
    { ...valid(), values: new ArrayBuffer(32) },
    TypeError,
    /values must be a Float32Array, got ArrayBuffer/,
  ],
  [
    'values DataView',
    { ...valid(), values: new DataView(new ArrayBuffer(32)) },
    TypeError,
    /values.*DataView/,
  ],
  [
    'nextValues Float64Array',
    { ...valid(), nextValues: new Float64Array(8) },
    TypeError,
    /nextValues must be a Float32Array/,
  ],
  [
    'nextValues null',
    { ...valid(), nextValues: null },
    TypeError,
    /nextValues must be a Float32Array, got null/,
  ],
  [
    'bootstrapValues Uint8Array',
    { ...withBootstrap(), bootstrapValues: new Uint8Array(2) },
    TypeError,
    /bootstrapValues must be a Float32Array, got Uint8Array\(2\)/,
  ],
  [
    'terminated Float32Array',
    { ...valid(), terminated: new Float32Array(8) },
    TypeError,
    /terminated must be a Uint8Array, got Float32Array/,
  ],
  [
    'terminated Int8Array',
    { ...valid(), terminated: new Int8Array(8) },
    TypeError,
    /terminated must be a Uint8Array, got Int8Array/,
  ],
  [
    'terminated Uint8ClampedArray',
    { ...valid(), terminated: new Uint8ClampedArray(8) },
    TypeError,
    /terminated.*Uint8ClampedArray/,
  ],
  ['terminated boolean[]', { ...valid(), terminated: [true] }, TypeError, /terminated must be a Uint8Array/],
  [
    'truncated Float32Array',
    { ...valid(), truncated: new Float32Array(8) },
    TypeError,
    /truncated must be a Uint8Array/,
  ],
  [
    'advantages Float64Array',
    { ...valid(), advantages: new Float64Array(8) },
    TypeError,
    /advantages must be a Float32Array/,
  ],
  ['returns number', { ...valid(), returns: 3 }, TypeError, /returns must be a Float32Array, got 3/],
  // Missing arguments.
  ['missing rewards', without('rewards'), TypeError, /^rewards must be a Float32Array, got undefined$/],
  ['missing values', without('values'), TypeError, /^values must be a Float32Array, got undefined$/],
  [
    'missing terminated',
    without('terminated'),
    TypeError,
    /^terminated must be a Uint8Array, got undefined$/,
  ],
  ['missing numEnvs', without('numEnvs'), RangeError, /numEnvs must be an integer ≥ 1, got undefined/],
  ['missing gamma', without('gamma'), RangeError, /gamma must be a finite number in \[0, 1\], got undefined/],
  [
    'missing lambda',
    without('lambda'),
    RangeError,
    /lambda must be a finite number in \[0, 1\], got undefined/,
  ],
  // Lengths.
  [
    'values too short',
    { ...valid(), values: new Float32Array(7) },
    RangeError,
    /^values has length 7, expected 8 \(= rewards\.length\)$/,
  ],
  [
    'nextValues too long',
    { ...valid(), nextValues: new Float32Array(9) },
    RangeError,
    /nextValues has length 9, expected 8/,
  ],
  [
    'terminated too short',
    { ...valid(), terminated: new Uint8Array(4) },
    RangeError,
    /terminated has length 4, expected 8/,
  ],
  [
    'truncated too short',
    { ...valid(), truncated: new Uint8Array(2) },
    RangeError,
    /truncated has length 2, expected 8/,
  ],
  [
    'bootstrapValues of length T',
    { ...withBootstrap(), bootstrapValues: new Float32Array(4) },
    RangeError,
    /^bootstrapValues has length 4, expected 2 \(= numEnvs\)$/,
  ],
  [
    'advantages too short',
    { ...valid(), advantages: new Float32Array(4) },
    RangeError,
    /advantages has length 4, expected 8/,
  ],
  [
    'returns too long',
    { ...valid(), returns: new Float32Array(16) },
    RangeError,
    /returns has length 16, expected 8/,
  ],
  // numEnvs.
  ['numEnvs 0', { ...valid(), numEnvs: 0 }, RangeError, /numEnvs must be an integer ≥ 1, got 0/],
  ['numEnvs -2', { ...valid(), numEnvs: -2 }, RangeError, /numEnvs must be an integer ≥ 1, got -2/],
  ['numEnvs 2.5', { ...valid(), numEnvs: 2.5 }, RangeError, /numEnvs must be an integer ≥ 1, got 2\.5/],
  ['numEnvs NaN', { ...valid(), numEnvs: Number.NaN }, RangeError, /numEnvs.*NaN/],
  ['numEnvs Infinity', { ...valid(), numEnvs: Number.POSITIVE_INFINITY }, RangeError, /numEnvs.*Infinity/],
  ['numEnvs string', { ...valid(), numEnvs: '2' }, RangeError, /numEnvs must be an integer ≥ 1, got string/],
  ['numEnvs bigint', { ...valid(), numEnvs: 2n }, RangeError, /numEnvs.*bigint/],
  [
    'numEnvs not dividing',
    { ...valid(), numEnvs: 3 },
    RangeError,
    /rewards has length 8, which is not a multiple of numEnvs = 3/,
  ],
  // gamma / lambda.
  [
    'gamma NaN',
    { ...valid(), gamma: Number.NaN },
    RangeError,
    /^gamma must be a finite number in \[0, 1\], got NaN$/,
  ],
  ['gamma 1.5', { ...valid(), gamma: 1.5 }, RangeError, /gamma.*got 1\.5/],
  ['gamma -0.1', { ...valid(), gamma: -0.1 }, RangeError, /gamma.*got -0\.1/],
  ['gamma Infinity', { ...valid(), gamma: Number.POSITIVE_INFINITY }, RangeError, /gamma.*Infinity/],
  ['gamma string', { ...valid(), gamma: '0.9' }, RangeError, /gamma.*got string/],
  [
    'lambda NaN',
    { ...valid(), lambda: Number.NaN },
    RangeError,
    /^lambda must be a finite number in \[0, 1\], got NaN$/,
  ],
  ['lambda 2', { ...valid(), lambda: 2 }, RangeError, /lambda.*got 2/],
  // nextValues / bootstrapValues / truncated combinations.
  [
    'both nextValues and bootstrapValues',
    { ...valid(), bootstrapValues: new Float32Array(2) },
    TypeError,
    /exactly one of nextValues \[T, N\] or bootstrapValues \[N\], got both/,
  ],
  [
    'neither nextValues nor bootstrapValues',
    without('nextValues'),
    TypeError,
    /exactly one of nextValues.*bootstrapValues.*neither/,
  ],
  [
    'truncated with bootstrapValues',
    { ...withBootstrap(), truncated: new Uint8Array(8) },
    TypeError,
    /truncated needs nextValues/,
  ],
  // Flags.
  [
    'terminated flag 2',
    { ...valid(), terminated: badFlags(5, 2) },
    RangeError,
    /^terminated\[5\] must be 0 or 1, got 2$/,
  ],
  [
    'truncated flag 255',
    { ...valid(), truncated: badFlags(3, 255) },
    RangeError,
    /^truncated\[3\] must be 0 or 1, got 255$/,
  ],
  // threads.
  ['threads 0', { ...valid(), threads: 0 }, RangeError, /threads must be an integer in \[1, 1024\], got 0/],
  ['threads 1.5', { ...valid(), threads: 1.5 }, RangeError, /threads.*1\.5/],
  ['threads 5000', { ...valid(), threads: 5000 }, RangeError, /threads.*5000/],
  ['threads string', { ...valid(), threads: 'all' }, RangeError, /threads.*string/],
  // Outputs aliasing inputs.
  [
    'advantages === rewards',
    (() => {
      const a = valid();
      return { ...a, advantages: a.rewards };
    })(),
    RangeError,
    /advantages must not share memory with rewards/,
  ],
  [
    'returns overlapping values',
    { ...valid(), values: shared.subarray(0, 8), returns: shared.subarray(4, 12) },
    RangeError,
    /returns must not share memory with values/,
  ],
  [
    'returns === advantages',
    (() => {
      const out = new Float32Array(8);
      return { ...valid(), advantages: out, returns: out };
    })(),
    RangeError,
    /returns must not share memory with advantages/,
  ],
];

describe.skipIf(skipNative)('argument validation', () => {
  it.each(cases)('gae: %s', (_name, args, cls, pattern) => {
    const call = () => addon().gae(args as NativeGaeArgs);
    expect(call).toThrow(cls);
    expect(call).toThrow(pattern);
  });

  it.each(cases)('gaeAsync rejects: %s', async (_name, args, cls, pattern) => {
    let promise: Promise<unknown> | undefined;
    expect(() => {
      promise = addon().gaeAsync(args as NativeGaeArgs);
    }).not.toThrow();
    await expect(promise).rejects.toThrow(cls);
    await expect(promise).rejects.toThrow(pattern);
  });

  it('a call without arguments throws a TypeError', () => {
    const gae = addon().gae as unknown as () => unknown;
    expect(() => gae()).toThrow(TypeError);
  });

  it('accepts the valid baselines (the cases above differ from them in one argument)', () => {
    expect(() => addon().gae(valid() as unknown as NativeGaeArgs)).not.toThrow();
    expect(() => addon().gae(withBootstrap() as unknown as NativeGaeArgs)).not.toThrow();
    expect(() =>
      addon().gae({ ...valid(), truncated: new Uint8Array(8), threads: 1 } as unknown as NativeGaeArgs),
    ).not.toThrow();
  });

  it('propagates an exception thrown by a property getter', async () => {
    const args = Object.defineProperty(valid(), 'values', {
      get() {
        throw new SyntaxError('getter failed');
      },
    });
    expect(() => addon().gae(args as unknown as NativeGaeArgs)).toThrow(/getter failed/);
    await expect(addon().gaeAsync(args as unknown as NativeGaeArgs)).rejects.toThrow(/getter failed/);
  });

  it('reports the first invalid flag of a large array', async () => {
    const size = 1 << 18;
    const terminated = new Uint8Array(size);
    terminated[200_001] = 3;
    terminated[250_000] = 9;
    const args = {
      rewards: new Float32Array(size),
      values: new Float32Array(size),
      nextValues: new Float32Array(size),
      terminated,
      numEnvs: 64,
      gamma: 0.9,
      lambda: 0.9,
    };
    expect(() => addon().gae(args)).toThrow(/^terminated\[200001\] must be 0 or 1, got 3$/);
    await expect(addon().gaeAsync(args)).rejects.toThrow(/^terminated\[200001\] must be 0 or 1, got 3$/);
  });
});

describe.skipIf(skipNative)('fuzzing with malformed arguments', () => {
  const keys = [
    'rewards',
    'values',
    'nextValues',
    'bootstrapValues',
    'terminated',
    'truncated',
    'numEnvs',
    'gamma',
    'lambda',
    'advantages',
    'returns',
    'threads',
  ] as const;
  const len = fc.integer({ min: 0, max: 12 });
  const anyValue: fc.Arbitrary<unknown> = fc.oneof(
    fc.constantFrom(
      undefined,
      null,
      true,
      0,
      1,
      2,
      -1,
      0.5,
      2.5,
      1e300,
      Number.NaN,
      Number.POSITIVE_INFINITY,
      '',
      'x',
      3n,
    ),
    fc.constant(Symbol('s')),
    fc.double(),
    fc.integer({ min: -5, max: 20 }),
    len.map((n) => new Float32Array(n).fill(Number.NaN)),
    len.map((n) => new Float32Array(n)),
    len.map((n) => new Float64Array(n)),
    len.chain((n) => fc.uint8Array({ minLength: n, maxLength: n })),
    len.map((n) => new Int8Array(n)),
    len.map((n) => new BigInt64Array(n)),
    len.map((n) => Buffer.alloc(n, 1)),
    len.map((n) => new Array(n).fill(0)),
    fc.constant(new ArrayBuffer(16)),
    fc.constant({}),
    fc.constant(() => 0),
  );
  const malformed = fc.oneof(
    // Arbitrary bags of keys.
    fc.record(
      Object.fromEntries(keys.map((k) => [k, anyValue])) as Record<
        (typeof keys)[number],
        fc.Arbitrary<unknown>
      >,
      {
        requiredKeys: [],
      },
    ),
    // A valid call with one or two arguments replaced.
    fc
      .tuple(fc.constantFrom(...keys), anyValue, fc.constantFrom(...keys), anyValue, fc.boolean())
      .map(([k1, v1, k2, v2, two]) => {
        const args = valid();
        args[k1] = v1;
        if (two) args[k2] = v2;
        return args;
      }),
    // Not an object at all.
    anyValue,
  );

  it('never crashes: each call returns or throws TypeError/RangeError (sync and async)', async () => {
    const outcomes = { ok: 0, TypeError: 0, RangeError: 0 };
    const samples = fc.sample(malformed, { numRuns: 400, seed: 20240 });
    for (const args of samples) {
      try {
        const r = addon().gae(args as NativeGaeArgs);
        expect(r.advantages).toBeInstanceOf(Float32Array);
        outcomes.ok++;
      } catch (err) {
        expect(err instanceof TypeError || err instanceof RangeError, String(err)).toBe(true);
        outcomes[(err as Error).name as 'TypeError' | 'RangeError']++;
      }
      const settled = await addon()
        .gaeAsync(args as NativeGaeArgs)
        .then(
          () => 'ok',
          (err: unknown) =>
            err instanceof TypeError || err instanceof RangeError ? 'error' : `unexpected ${String(err)}`,
        );
      expect(settled === 'ok' || settled === 'error', settled).toBe(true);
    }
    expect(outcomes.ok + outcomes.TypeError + outcomes.RangeError).toBe(400);
    expect(outcomes.TypeError).toBeGreaterThan(0);
    expect(outcomes.RangeError).toBeGreaterThan(0);
  });

  it('the loss and token kernels never crash either (clippedSurrogate, valueLoss, klEstimate, gaeTokens; sync and async)', async () => {
    const lossKeys = {
      clippedSurrogate: [
        'logProbs',
        'oldLogProbs',
        'advantages',
        'clipRange',
        'clipRangeHigh',
        'dualClip',
        'mask',
        'normalizeAdvantages',
        'aggregation',
        'seqLen',
        'gradLogProbs',
        'threads',
      ],
      valueLoss: ['values', 'oldValues', 'returns', 'clipRange', 'gradValues', 'threads'],
      klEstimate: ['logProbs', 'refLogProbs', 'kind', 'values', 'gradLogProbs', 'threads'],
      gaeTokens: [
        'rewards',
        'values',
        'mask',
        'batchSize',
        'seqLen',
        'gamma',
        'lambda',
        'bootstrapValues',
        'advantages',
        'returns',
        'threads',
      ],
    } as const;
    const validLoss = {
      clippedSurrogate: () => ({
        logProbs: new Float32Array(4),
        oldLogProbs: new Float32Array(4),
        advantages: new Float32Array(4),
        clipRange: 0.2,
      }),
      valueLoss: () => ({
        values: new Float32Array(4),
        oldValues: new Float32Array(4),
        returns: new Float32Array(4),
        clipRange: 0.2,
      }),
      klEstimate: () => ({ logProbs: new Float32Array(4), refLogProbs: new Float32Array(4), kind: 'k2' }),
      gaeTokens: () => ({
        rewards: new Float32Array(4),
        values: new Float32Array(4),
        mask: Uint8Array.from([1, 0, 1, 1]),
        batchSize: 2,
        seqLen: 2,
        gamma: 0.9,
        lambda: 0.9,
      }),
    };
    const value = fc.oneof(
      anyValue,
      fc.constantFrom('k1', 'k2', 'k3', 'token-mean', 'seq-mean-token-sum', 'seq-mean-token-mean'),
    );
    for (const fn of ['clippedSurrogate', 'valueLoss', 'klEstimate', 'gaeTokens'] as const) {
      const keys = lossKeys[fn];
      const bags = fc.oneof(
        fc.record(Object.fromEntries(keys.map((k) => [k, value])) as Record<string, fc.Arbitrary<unknown>>, {
          requiredKeys: [],
        }),
        fc
          .tuple(fc.constantFrom(...keys), value, fc.constantFrom(...keys), value, fc.boolean())
          .map(([k1, v1, k2, v2, two]) => {
            const args: Record<string, unknown> = validLoss[fn]();
            args[k1] = v1;
            if (two) args[k2] = v2;
            return args;
          }),
        anyValue,
        fc.constant(0).map(() => validLoss[fn]()),
      );
      const outcomes = { ok: 0, error: 0 };
      const sync = addon()[fn] as (a: unknown) => unknown;
      const async = addon()[`${fn}Async`] as (a: unknown) => Promise<unknown>;
      for (const args of fc.sample(bags, { numRuns: 300, seed: 20241 })) {
        try {
          sync(args);
          outcomes.ok++;
        } catch (err) {
          expect(err instanceof TypeError || err instanceof RangeError, `${fn}: ${String(err)}`).toBe(true);
          outcomes.error++;
        }
        const settled = await async(args).then(
          () => 'ok',
          (err: unknown) =>
            err instanceof TypeError || err instanceof RangeError ? 'error' : `unexpected ${String(err)}`,
        );
        expect(settled === 'ok' || settled === 'error', settled).toBe(true);
      }
      expect(outcomes.ok, `${fn} ${JSON.stringify(outcomes)}`).toBeGreaterThan(0);
      expect(outcomes.error, fn).toBeGreaterThan(0);
    }
  });
});

describe.skipIf(skipNative)(
  'every kernel: unknown options, checkFinite and non-finite inputs (the addon itself)',
  () => {
    const f = (len: number, x = 0.5) => new Float32Array(len).fill(x);
    const layers = [
      { inSize: 2, outSize: 3, activation: 'tanh' },
      { inSize: 3, outSize: 2, activation: 'linear' },
    ];
    const P = 2 * 3 + 3 + 3 * 2 + 2; // categorical
    /** [function, valid arguments, a float array to poison, its name]. */
    const kernels: [string, () => Args, string][] = [
      ['gae', valid, 'values'],
      [
        'gaeTokens',
        () => ({
          rewards: f(8),
          values: f(8),
          mask: new Uint8Array(8).fill(1),
          batchSize: 2,
          seqLen: 4,
          gamma: 1,
          lambda: 1,
        }),
        'rewards',
      ],
      [
        'clippedSurrogate',
        () => ({ logProbs: f(8), oldLogProbs: f(8), advantages: f(8), clipRange: 0.2 }),
        'oldLogProbs',
      ],
      ['valueLoss', () => ({ values: f(8), returns: f(8) }), 'returns'],
      ['klEstimate', () => ({ logProbs: f(8), refLogProbs: f(8), kind: 'k2' }), 'refLogProbs'],
      [
        'fisherVectorProduct',
        () => ({ layers, head: 'categorical', params: f(P), states: f(8), vector: f(P) }),
        'vector',
      ],
      [
        'conjugateGradientFisher',
        () => ({ layers, head: 'categorical', params: f(P), states: f(8), b: f(P) }),
        'b',
      ],
      [
        'meanKl',
        () => ({
          policyOld: { layers, head: 'categorical', params: f(P) },
          policyNew: { layers, head: 'categorical', params: f(P) },
          states: f(8),
        }),
        'states',
      ],
      [
        'surrogateAndKl',
        () => ({
          policy: { layers, head: 'categorical' },
          oldParams: f(P),
          newParams: f(P),
          states: f(8),
          actions: new Int32Array(4),
          advantages: f(4),
          oldLogProbs: f(4),
        }),
        'advantages',
      ],
    ];
    type Fn = (args: unknown) => unknown;
    const fn = (name: string) => (addon() as unknown as Record<string, Fn>)[name];

    it.each(kernels)('%s', async (name, args, poisoned) => {
      const sync = fn(name);
      const async_ = fn(`${name}Async`);
      expect(() => sync(args())).not.toThrow();
      expect(() => sync({ ...args(), checkFinite: true, threads: 1 })).not.toThrow();
      const unknown = new RegExp(
        `^${name}(Async)? arguments has an unknown option 'bogus' \\(accepted: .*checkFinite\\)$`,
      );
      expect(() => sync({ ...args(), bogus: 1 })).toThrow(TypeError);
      expect(() => sync({ ...args(), bogus: 1 })).toThrow(unknown);
      await expect(async_({ ...args(), bogus: 1 })).rejects.toThrow(unknown);
      expect(() => sync({ ...args(), checkFinite: 'yes' })).toThrow(
        new TypeError('checkFinite must be a boolean, got string'),
      );
      const bad = args();
      const array = (bad[poisoned] as Float32Array).slice();
      array[3] = Number.NEGATIVE_INFINITY;
      bad[poisoned] = array;
      const message = `${poisoned}[3] must be finite, got -Infinity`;
      expect(() => sync(bad)).toThrow(new RangeError(message));
      await expect(async_(bad)).rejects.toThrow(new RangeError(message));
      expect(() => sync({ ...bad, checkFinite: false })).not.toThrow();
      await expect(async_({ ...bad, checkFinite: false })).resolves.toBeDefined();
    });
  },
);
