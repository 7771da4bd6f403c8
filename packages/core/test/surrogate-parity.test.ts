import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  backendInfo,
  type ClippedSurrogateArgs,
  clippedSurrogate,
  clippedSurrogateAsync,
  clippedSurrogateReference,
  type KlKind,
  klEstimate,
  klEstimateAsync,
  klEstimateReference,
  type ValueLossArgs,
  valueLoss,
  valueLossAsync,
  valueLossReference,
} from '../src/index.js';
import { maxRelError, nativeAvailable } from './helpers.js';

const hasNative = nativeAvailable();
const TOL = 1e-5;

/** Relative error of two scalars with an absolute floor near zero (as maxRelError). */
const relErr = (a: number, b: number, floor = 1e-6) => Math.abs(a - b) / Math.max(Math.abs(b), floor);

const floatArray = (n: number, min: number, max: number) =>
  fc.float32Array({ minLength: n, maxLength: n, min: Math.fround(min), max: Math.fround(max), noNaN: true });

/** Random clipped-surrogate problems: sizes 1..300 (and a few large), every option combination. */
const surrogateArgs: fc.Arbitrary<ClippedSurrogateArgs> = fc.integer({ min: 1, max: 300 }).chain((n) =>
  fc.record(
    {
      logProbs: floatArray(n, -3, 0),
      oldLogProbs: floatArray(n, -3, 0),
      advantages: floatArray(n, -5, 5),
      clipRange: fc.double({ min: 0, max: 0.5, noNaN: true }),
      clipRangeHigh: fc.option(fc.double({ min: 0, max: 0.5, noNaN: true }), { nil: undefined }),
      dualClip: fc.option(fc.double({ min: 1.01, max: 10, noNaN: true }), { nil: undefined }),
      mask: fc.option(
        fc.array(fc.boolean(), { minLength: n, maxLength: n }).map((b) => Uint8Array.from(b, Number)),
        { nil: undefined },
      ),
      normalizeAdvantages: fc.option(fc.boolean(), { nil: undefined }),
    },
    { requiredKeys: ['logProbs', 'oldLogProbs', 'advantages', 'clipRange'] },
  ),
);

/** Token batches [S, L] with a random aggregation mode (seqLen always given, as a caller would). */
const aggregatedArgs: fc.Arbitrary<ClippedSurrogateArgs> = fc
  .record({ seqs: fc.integer({ min: 1, max: 24 }), seqLen: fc.integer({ min: 1, max: 40 }) })
  .chain(({ seqs, seqLen }) => {
    const n = seqs * seqLen;
    return fc.record(
      {
        logProbs: floatArray(n, -3, 0),
        oldLogProbs: floatArray(n, -3, 0),
        advantages: floatArray(n, -5, 5),
        clipRange: fc.double({ min: 0, max: 0.5, noNaN: true }),
        dualClip: fc.option(fc.double({ min: 1.01, max: 10, noNaN: true }), { nil: undefined }),
        // sparse masks too, so that some sequences have no token at all
        mask: fc.option(
          fc
            .double({ min: 0, max: 1, noNaN: true })
            .chain((p) =>
              fc
                .array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: n, maxLength: n })
                .map((u) => Uint8Array.from(u, (x) => (x < p ? 1 : 0))),
            ),
          { nil: undefined },
        ),
        normalizeAdvantages: fc.option(fc.boolean(), { nil: undefined }),
        aggregation: fc.constantFrom('token-mean', 'seq-mean-token-sum', 'seq-mean-token-mean' as const),
        seqLen: fc.constant(seqLen),
      },
      { requiredKeys: ['logProbs', 'oldLogProbs', 'advantages', 'clipRange', 'aggregation', 'seqLen'] },
    );
  });

function expectSurrogateParity(
  args: ClippedSurrogateArgs,
  native: ReturnType<typeof clippedSurrogate>,
  ref = clippedSurrogateReference(args),
) {
  expect(relErr(native.loss, ref.loss)).toBeLessThanOrEqual(TOL);
  expect(relErr(native.clipFraction, ref.clipFraction)).toBeLessThanOrEqual(TOL);
  expect(relErr(native.approxKl, ref.approxKl)).toBeLessThanOrEqual(TOL);
  expect(relErr(native.approxKlK1, ref.approxKlK1)).toBeLessThanOrEqual(TOL);
  expect(relErr(native.ratioMean, ref.ratioMean)).toBeLessThanOrEqual(TOL);
  expect(maxRelError(native.gradLogProbs, ref.gradLogProbs)).toBeLessThanOrEqual(TOL);
  // zeros carry the reference's sign (+0 where masked out or on a clipped branch)
  // (collected first: one expect per element costs more than the kernels on 2^18 elements)
  const wrongZeros: number[] = [];
  for (let i = 0; i < ref.gradLogProbs.length && wrongZeros.length < 5; i++) {
    if (ref.gradLogProbs[i] === 0 && !Object.is(native.gradLogProbs[i], ref.gradLogProbs[i]))
      wrongZeros.push(i);
  }
  expect(wrongZeros).toEqual([]);
}

describe.skipIf(!hasNative)('clippedSurrogate: native vs TypeScript reference', () => {
  it("'auto' picks the native kernels", () => {
    expect(backendInfo().auto).toBe('native');
    expect(backendInfo().nativeKernels).toEqual(
      expect.arrayContaining(['clippedSurrogate', 'clippedSurrogateAsync', 'valueLoss', 'klEstimate']),
    );
  });

  it('random sizes and options (mask, normalization, asymmetric and dual clip)', () => {
    fc.assert(
      fc.property(surrogateArgs, (args) => {
        expectSurrogateParity(args, clippedSurrogate(args, { backend: 'native' }));
      }),
      { numRuns: 300, seed: 3101 },
    );
  });

  it('loss aggregation modes (token-mean, seq-mean-token-sum, seq-mean-token-mean) with masks', async () => {
    for (const args of fc.sample(aggregatedArgs, { numRuns: 300, seed: 3104 })) {
      const ref = clippedSurrogateReference(args);
      expectSurrogateParity(args, clippedSurrogate(args, { backend: 'native' }), ref);
      expectSurrogateParity(args, await clippedSurrogateAsync(args, { backend: 'native' }), ref);
    }
  });

  it('aggregation modes on large batches (several threads; long and short sequences)', () => {
    for (const [seqLen, seqs] of [
      [4096, 80],
      [3, 100_001],
      [(1 << 18) + 1, 1],
    ]) {
      const n = seqLen * seqs;
      for (const aggregation of ['seq-mean-token-sum', 'seq-mean-token-mean'] as const) {
        const args: ClippedSurrogateArgs = {
          logProbs: Float32Array.from({ length: n }, (_, i) => -1 - Math.sin(i) * 0.3),
          oldLogProbs: Float32Array.from({ length: n }, (_, i) => -1 - Math.cos(i * 0.7) * 0.3),
          advantages: Float32Array.from({ length: n }, (_, i) => Math.sin(i * 1.3) * 3 + 0.5),
          clipRange: 0.2,
          mask: Uint8Array.from({ length: n }, (_, i) => (i % 7 === 3 || i % seqLen < seqLen / 4 ? 0 : 1)),
          aggregation,
          seqLen,
        };
        expectSurrogateParity(args, clippedSurrogate(args));
      }
    }
  });

  it('large batches on several threads (2^18 + 5 elements)', async () => {
    const samples = fc.sample(
      fc.record({ mask: fc.boolean(), normalize: fc.boolean(), dual: fc.boolean() }),
      { numRuns: 4, seed: 7 },
    );
    const n = (1 << 18) + 5;
    for (const s of samples) {
      const args: ClippedSurrogateArgs = {
        logProbs: Float32Array.from({ length: n }, (_, i) => -1 - Math.sin(i) * 0.3),
        oldLogProbs: Float32Array.from({ length: n }, (_, i) => -1 - Math.cos(i * 0.7) * 0.3),
        advantages: Float32Array.from({ length: n }, (_, i) => Math.sin(i * 1.3) * 3 + 0.5),
        clipRange: 0.2,
        dualClip: s.dual ? 3 : undefined,
        mask: s.mask ? Uint8Array.from({ length: n }, (_, i) => (i % 7 === 3 ? 0 : 1)) : undefined,
        normalizeAdvantages: s.normalize,
      };
      const ref = clippedSurrogateReference(args);
      expectSurrogateParity(args, clippedSurrogate(args), ref);
      expectSurrogateParity(args, await clippedSurrogateAsync(args), ref);
    }
  });

  it('async matches sync and rejects the same bad input', async () => {
    const [args] = fc.sample(surrogateArgs, { numRuns: 1, seed: 11 });
    const sync = clippedSurrogate(args, { backend: 'native' });
    const viaAsync = await clippedSurrogateAsync(args, { backend: 'native' });
    expect(viaAsync.loss).toBe(sync.loss);
    expect(Array.from(viaAsync.gradLogProbs)).toEqual(Array.from(sync.gradLogProbs));
    const bad = { ...args, advantages: new Float32Array(args.logProbs.length + 1) };
    const message = `advantages has length ${args.logProbs.length + 1}, expected ${args.logProbs.length} (= logProbs.length)`;
    expect(() => clippedSurrogate(bad, { backend: 'js' })).toThrow(message);
    expect(() => clippedSurrogate(bad, { backend: 'native' })).toThrow(message);
    await expect(clippedSurrogateAsync(bad, { backend: 'native' })).rejects.toThrow(message);
  });

  it('same error messages as the TypeScript checks', () => {
    const ok = () => ({
      logProbs: new Float32Array(2),
      oldLogProbs: new Float32Array(2),
      advantages: new Float32Array(2),
      clipRange: 0.2,
    });
    const bad: unknown[] = [
      null,
      { ...ok(), logProbs: new Float64Array(2) },
      {
        ...ok(),
        logProbs: new Float32Array(0),
        oldLogProbs: new Float32Array(0),
        advantages: new Float32Array(0),
      },
      { ...ok(), oldLogProbs: new Float32Array(3) },
      { ...ok(), clipRange: -1 },
      { ...ok(), clipRange: Number.NaN },
      { ...ok(), clipRangeHigh: Number.POSITIVE_INFINITY },
      { ...ok(), dualClip: 1 },
      { ...ok(), mask: new Uint8Array(1) },
      { ...ok(), mask: Uint8Array.from([0, 2]) },
      { ...ok(), aggregation: 'seq-mean' },
      { ...ok(), aggregation: 3 },
      { ...ok(), aggregation: 'seq-mean-token-sum' },
      { ...ok(), aggregation: 'seq-mean-token-mean', seqLen: 3 },
      { ...ok(), seqLen: 0 },
      { ...ok(), seqLen: 1.5 },
      { ...ok(), aggregation: 'seq-mean-token-sum', seqLen: 2, mask: Uint8Array.from([1, 5]) },
    ];
    for (const args of bad) {
      let jsError: Error | undefined;
      try {
        clippedSurrogate(args as ClippedSurrogateArgs, { backend: 'js' });
      } catch (err) {
        jsError = err as Error;
      }
      expect(jsError).toBeDefined();
      expect(() => clippedSurrogate(args as ClippedSurrogateArgs, { backend: 'native' })).toThrow(
        jsError!.constructor as typeof Error,
      );
      expect(() => clippedSurrogate(args as ClippedSurrogateArgs, { backend: 'native' })).toThrow(
        jsError!.message.replace('clippedSurrogate arguments', ''),
      );
    }
  });
});

const valueArgs: fc.Arbitrary<ValueLossArgs> = fc.integer({ min: 1, max: 300 }).chain((n) =>
  fc.oneof(
    fc.record({ values: floatArray(n, -10, 10), returns: floatArray(n, -10, 10) }),
    fc.record({
      values: floatArray(n, -10, 10),
      oldValues: floatArray(n, -10, 10),
      returns: floatArray(n, -10, 10),
      clipRange: fc.double({ min: 0, max: 5, noNaN: true }),
    }),
  ),
);

describe.skipIf(!hasNative)('valueLoss: native vs TypeScript reference', () => {
  it('random sizes, clipped and unclipped', async () => {
    for (const args of fc.sample(valueArgs, { numRuns: 300, seed: 3102 })) {
      const ref = valueLossReference(args);
      for (const native of [valueLoss(args, { backend: 'native' }), await valueLossAsync(args)]) {
        expect(relErr(native.loss, ref.loss)).toBeLessThanOrEqual(TOL);
        expect(relErr(native.clipFraction, ref.clipFraction)).toBeLessThanOrEqual(TOL);
        expect(maxRelError(native.gradValues, ref.gradValues)).toBeLessThanOrEqual(TOL);
      }
    }
  });

  it('large batch on several threads', () => {
    const n = (1 << 18) + 3;
    const args: ValueLossArgs = {
      values: Float32Array.from({ length: n }, (_, i) => Math.sin(i)),
      oldValues: Float32Array.from({ length: n }, (_, i) => Math.sin(i) + Math.cos(i * 0.3) * 0.4),
      returns: Float32Array.from({ length: n }, (_, i) => Math.cos(i * 1.7)),
      clipRange: 0.2,
    };
    const ref = valueLossReference(args);
    const native = valueLoss(args);
    expect(relErr(native.loss, ref.loss)).toBeLessThanOrEqual(TOL);
    expect(relErr(native.clipFraction, ref.clipFraction)).toBeLessThanOrEqual(TOL);
    expect(maxRelError(native.gradValues, ref.gradValues)).toBeLessThanOrEqual(TOL);
  });

  it('same errors as the TypeScript checks', () => {
    const v = new Float32Array(2);
    const bad: unknown[] = [
      { values: v, returns: new Float32Array(1) },
      { values: new Float32Array(0), returns: new Float32Array(0) },
      { values: v, returns: v, clipRange: 0.2 },
      { values: v, returns: v, oldValues: v, clipRange: -0.1 },
    ];
    for (const args of bad) {
      let jsError: Error | undefined;
      try {
        valueLoss(args as ValueLossArgs, { backend: 'js' });
      } catch (err) {
        jsError = err as Error;
      }
      expect(() => valueLoss(args as ValueLossArgs, { backend: 'native' })).toThrow(jsError!.message);
      expect(() => valueLoss(args as ValueLossArgs, { backend: 'native' })).toThrow(
        jsError!.constructor as typeof Error,
      );
    }
  });
});

describe.skipIf(!hasNative)('klEstimate: native vs TypeScript reference', () => {
  it('random sizes and every estimator', async () => {
    const arb = fc
      .integer({ min: 0, max: 300 })
      .chain((n) =>
        fc.tuple(floatArray(n, -8, 0), floatArray(n, -8, 0), fc.constantFrom<KlKind>('k1', 'k2', 'k3')),
      );
    for (const [lp, ref, kind] of fc.sample(arb, { numRuns: 300, seed: 3103 })) {
      const expected = klEstimateReference(lp, ref, kind);
      for (const native of [
        klEstimate(lp, ref, kind, { backend: 'native' }),
        await klEstimateAsync(lp, ref, kind),
      ]) {
        expect(relErr(native.mean, expected.mean)).toBeLessThanOrEqual(TOL);
        expect(maxRelError(native.values, expected.values)).toBeLessThanOrEqual(TOL);
        expect(maxRelError(native.gradLogProbs, expected.gradLogProbs)).toBeLessThanOrEqual(TOL);
      }
    }
  });

  it('same errors as the TypeScript checks', () => {
    const a = new Float32Array(2);
    expect(() => klEstimate(a, new Float32Array(3), 'k1', { backend: 'native' })).toThrow(
      'refLogProbs has length 3, expected 2 (= logProbs.length)',
    );
    expect(() => klEstimate(a, a, 'k4' as KlKind, { backend: 'js' })).toThrow(
      "kind must be 'k1', 'k2' or 'k3', got 'k4'",
    );
    expect(() => klEstimate(a, a, 'k4' as KlKind, { backend: 'native' })).toThrow(
      "kind must be 'k1', 'k2' or 'k3', got 'k4'",
    );
  });
});

describe.skipIf(!hasNative)('preallocated outputs: native vs TypeScript reference', () => {
  it('clippedSurrogate(Async) writes into out.gradLogProbs and returns it, matching the reference', async () => {
    const samples = [
      ...fc.sample(surrogateArgs, { numRuns: 40, seed: 4201 }),
      ...fc.sample(aggregatedArgs, { numRuns: 40, seed: 4202 }),
    ];
    for (const args of samples) {
      const n = args.logProbs.length;
      const ref = clippedSurrogateReference(args);
      const refOut = new Float32Array(n).fill(Number.NaN);
      const refWithOut = clippedSurrogateReference({ ...args, out: { gradLogProbs: refOut } });
      expect(refWithOut.gradLogProbs).toBe(refOut);
      expect(Array.from(refOut)).toEqual(Array.from(ref.gradLogProbs));
      expect(refWithOut.loss).toBe(ref.loss);
      for (const run of [
        (a: ClippedSurrogateArgs) => clippedSurrogate(a, { backend: 'native' }),
        (a: ClippedSurrogateArgs) => clippedSurrogateAsync(a, { backend: 'native' }),
      ]) {
        const grad = new Float32Array(n).fill(Number.NaN);
        const native = await run({ ...args, out: { gradLogProbs: grad } });
        expect(native.gradLogProbs).toBe(grad);
        expectSurrogateParity(args, native, ref);
        const fresh = await run(args);
        expect(Array.from(grad)).toEqual(Array.from(fresh.gradLogProbs));
      }
    }
  });

  it('clippedSurrogate rejects a bad out.gradLogProbs with the same message on both backends', async () => {
    const n = 5;
    const buf = new ArrayBuffer(8 * n);
    const args = {
      logProbs: new Float32Array(buf, 0, n),
      oldLogProbs: new Float32Array(n),
      advantages: Float32Array.from({ length: n }, (_, i) => i - 2),
      clipRange: 0.2,
      mask: new Uint8Array(n).fill(1),
    };
    const cases: [unknown, string][] = [
      [null, 'out must be an object { gradLogProbs?: Float32Array }, got null'],
      [args.advantages, 'out must be an object { gradLogProbs?: Float32Array }, got Float32Array(5)'],
      [
        { gradLogProbs: new Float64Array(n) },
        `out.gradLogProbs must be a Float32Array, got Float64Array(${n})`,
      ],
      [
        { gradLogProbs: new Float32Array(n + 1) },
        `out.gradLogProbs has length ${n + 1}, expected ${n} (= logProbs.length)`,
      ],
      [{ gradLogProbs: args.logProbs }, 'out.gradLogProbs must not share memory with logProbs'],
      [
        { gradLogProbs: new Float32Array(buf, 4 * (n - 1), n) },
        'out.gradLogProbs must not share memory with logProbs',
      ],
      [{ gradLogProbs: args.advantages }, 'out.gradLogProbs must not share memory with advantages'],
      [{ gradLogProbs: new Float32Array(args.mask.buffer, 0, 1) }, 'out.gradLogProbs has length 1'],
    ];
    for (const [out, message] of cases) {
      const bad = { ...args, out: out as never };
      expect(() => clippedSurrogate(bad, { backend: 'js' })).toThrow(message);
      expect(() => clippedSurrogate(bad, { backend: 'native' })).toThrow(message);
      await expect(clippedSurrogateAsync(bad, { backend: 'native' })).rejects.toThrow(message);
      await expect(clippedSurrogateAsync(bad, { backend: 'js' })).rejects.toThrow(message);
    }
    // adjacent, not overlapping: fine
    const grad = new Float32Array(buf, 4 * n, n);
    expect(
      clippedSurrogate({ ...args, out: { gradLogProbs: grad } }, { backend: 'native' }).gradLogProbs,
    ).toBe(grad);
  });

  it('valueLoss(Async) writes into out.gradValues and returns it', async () => {
    const n = 1000;
    const args: ValueLossArgs = {
      values: Float32Array.from({ length: n }, (_, i) => Math.sin(i)),
      oldValues: Float32Array.from({ length: n }, (_, i) => Math.sin(i) + Math.cos(i * 0.3) * 0.3),
      returns: Float32Array.from({ length: n }, (_, i) => Math.cos(i * 1.7)),
      clipRange: 0.2,
    };
    const ref = valueLossReference(args);
    for (const run of [
      (a: ValueLossArgs) => valueLoss(a, { backend: 'native' }),
      (a: ValueLossArgs) => valueLossAsync(a, { backend: 'native' }),
      (a: ValueLossArgs) => valueLoss(a, { backend: 'js' }),
    ]) {
      const grad = new Float32Array(n).fill(Number.NaN);
      const r = await run({ ...args, out: { gradValues: grad } });
      expect(r.gradValues).toBe(grad);
      expect(maxRelError(grad, ref.gradValues)).toBeLessThanOrEqual(TOL);
      expect(relErr(r.loss, ref.loss)).toBeLessThanOrEqual(TOL);
    }
    const bad = { ...args, out: { gradValues: args.oldValues } };
    const message = 'out.gradValues must not share memory with oldValues';
    expect(() => valueLoss(bad, { backend: 'js' })).toThrow(message);
    expect(() => valueLoss(bad, { backend: 'native' })).toThrow(message);
    await expect(valueLossAsync(bad, { backend: 'native' })).rejects.toThrow(message);
  });
});
