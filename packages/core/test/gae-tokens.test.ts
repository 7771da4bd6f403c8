import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type GaeTokensArgs,
  gaeReference,
  gaeTokens,
  gaeTokensAsync,
  gaeTokensReference,
} from '../src/index.js';
import { maxRelError, nativeAvailable } from './helpers.js';

const hasNative = nativeAvailable();
const f32 = (xs: number[]) => Float32Array.from(xs);
const u8 = (xs: number[]) => Uint8Array.from(xs);

describe('gaeTokens reference (hand-computed)', () => {
  it('skips padding inside a row and bootstraps after the last valid token', () => {
    // one row, L = 4, mask [1, 0, 1, 0], γ = λ = 0.5, bootstrap 2
    // l = 2: delta = 1 + 0.5·2 − 1 = 1, A = 1, ret = 2
    // l = 0 (next valid is l = 2, V = 1): delta = 2 + 0.5·1 − 0.5 = 2, A = 2 + 0.25·1 = 2.25, ret = 2.75
    const r = gaeTokensReference({
      rewards: f32([2, 100, 1, 100]),
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

  it('rows are independent; default bootstrap is 0; a fully masked row is all zeros', () => {
    // B = 3, L = 2; row 0 = [prompt, response], row 1 = [response, response], row 2 masked out
    // row 0: l = 1: delta = 3 − 1 = 2 → A = 2, ret = 3
    // row 1 (γ = 1, λ = 0.5): l = 1: delta = 1 − 0 = 1; l = 0: delta = 0 + 0 − 2 = −2, A = −2 + 0.5 = −1.5
    const r = gaeTokensReference({
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

  it('an all-ones row equals time-major gae with one env and a bootstrap value', () => {
    const rewards = f32([0.5, -1, 2, 0.25, 1]);
    const values = f32([1, 0.5, -0.5, 2, 0]);
    const tokens = gaeTokensReference({
      rewards,
      values,
      mask: new Uint8Array(5).fill(1),
      batchSize: 1,
      seqLen: 5,
      gamma: 0.9,
      lambda: 0.8,
      bootstrapValues: f32([3]),
    });
    const classic = gaeReference({
      rewards,
      values,
      bootstrapValues: f32([3]),
      terminated: new Uint8Array(5),
      numEnvs: 1,
      gamma: 0.9,
      lambda: 0.8,
    });
    expect(Array.from(tokens.advantages)).toEqual(Array.from(classic.advantages));
    expect(Array.from(tokens.returns)).toEqual(Array.from(classic.returns));
  });

  it('validates its arguments, naming them', () => {
    const ok = (): GaeTokensArgs => ({
      rewards: new Float32Array(6),
      values: new Float32Array(6),
      mask: new Uint8Array(6),
      batchSize: 2,
      seqLen: 3,
      gamma: 1,
      lambda: 1,
    });
    expect(() => gaeTokensReference({ ...ok(), batchSize: 0 })).toThrow(
      new RangeError('batchSize must be an integer ≥ 1, got 0'),
    );
    expect(() => gaeTokensReference({ ...ok(), seqLen: 4 })).toThrow(
      'rewards has length 6, expected 8 (= batchSize * seqLen)',
    );
    expect(() => gaeTokensReference({ ...ok(), values: new Float32Array(5) })).toThrow(
      'values has length 5, expected 6 (= batchSize * seqLen)',
    );
    expect(() => gaeTokensReference({ ...ok(), mask: new Float32Array(6) as never })).toThrow(
      new TypeError('mask must be a Uint8Array, got Float32Array(6)'),
    );
    expect(() => gaeTokensReference({ ...ok(), bootstrapValues: new Float32Array(3) })).toThrow(
      'bootstrapValues has length 3, expected 2 (= batchSize)',
    );
    expect(() => gaeTokensReference({ ...ok(), gamma: 1.5 })).toThrow(RangeError);
    expect(() => gaeTokensReference({ ...ok(), mask: u8([0, 0, 0, 0, 2, 0]) })).toThrow(
      'mask[4] must be 0 or 1, got 2',
    );
  });
});

const floats = (n: number) =>
  fc.float32Array({ minLength: n, maxLength: n, min: -10, max: 10, noNaN: true, noDefaultInfinity: true });

/** Random token batches: B in 1..8, L in 1..40, masks from all-zero to all-one, optional bootstrap. */
const tokenArgs: fc.Arbitrary<GaeTokensArgs> = fc
  .record({ b: fc.integer({ min: 1, max: 8 }), l: fc.integer({ min: 1, max: 40 }) })
  .chain(({ b, l }) =>
    fc.record(
      {
        rewards: floats(b * l),
        values: floats(b * l),
        mask: fc
          .double({ min: 0, max: 1, noNaN: true })
          .chain((p) =>
            fc
              .array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: b * l, maxLength: b * l })
              .map((u) => Uint8Array.from(u, (x) => (x < p ? 1 : 0))),
          ),
        batchSize: fc.constant(b),
        seqLen: fc.constant(l),
        gamma: fc.double({ min: 0, max: 1, noNaN: true }),
        lambda: fc.double({ min: 0, max: 1, noNaN: true }),
        bootstrapValues: fc.option(floats(b), { nil: undefined }),
      },
      { requiredKeys: ['rewards', 'values', 'mask', 'batchSize', 'seqLen', 'gamma', 'lambda'] },
    ),
  );

describe('gaeTokens reference properties', () => {
  it('outputs are 0 where masked and returns − advantages = values where valid', () => {
    fc.assert(
      fc.property(tokenArgs, (args) => {
        const { advantages, returns } = gaeTokensReference(args);
        for (let i = 0; i < args.mask.length; i++) {
          if (!args.mask[i]) {
            expect(advantages[i]).toBe(0);
            expect(returns[i]).toBe(0);
          } else {
            expect(returns[i]).toBeCloseTo(advantages[i] + args.values[i], 4);
          }
        }
      }),
      { numRuns: 100, seed: 4201 },
    );
  });

  it('equals gae on the compacted rows (padding removed)', () => {
    fc.assert(
      fc.property(tokenArgs, (args) => {
        const { advantages } = gaeTokensReference(args);
        for (let b = 0; b < args.batchSize; b++) {
          const idx: number[] = [];
          for (let l = 0; l < args.seqLen; l++)
            if (args.mask[b * args.seqLen + l]) idx.push(b * args.seqLen + l);
          if (idx.length === 0) continue;
          const compact = gaeReference({
            rewards: Float32Array.from(idx, (k) => args.rewards[k]),
            values: Float32Array.from(idx, (k) => args.values[k]),
            bootstrapValues: f32([args.bootstrapValues ? args.bootstrapValues[b] : 0]),
            terminated: new Uint8Array(idx.length),
            numEnvs: 1,
            gamma: args.gamma,
            lambda: args.lambda,
          });
          expect(Array.from(idx, (k) => advantages[k])).toEqual(Array.from(compact.advantages));
        }
      }),
      { numRuns: 100, seed: 4202 },
    );
  });
});

describe.skipIf(!hasNative)('gaeTokens: native vs TypeScript reference', () => {
  it('random batches and masks (≤ 1e-5 relative; in fact bit for bit)', async () => {
    await fc.assert(
      fc.asyncProperty(tokenArgs, async (args) => {
        const ref = gaeTokensReference(args);
        for (const native of [gaeTokens(args, { backend: 'native' }), await gaeTokensAsync(args)]) {
          expect(maxRelError(native.advantages, ref.advantages)).toBeLessThanOrEqual(1e-5);
          expect(maxRelError(native.returns, ref.returns)).toBeLessThanOrEqual(1e-5);
          expect(Array.from(native.advantages)).toEqual(Array.from(ref.advantages));
        }
      }),
      { numRuns: 200, seed: 4203 },
    );
  });

  it('a large batch on several threads', () => {
    const b = 64;
    const l = 2048;
    const n = b * l;
    const args: GaeTokensArgs = {
      rewards: Float32Array.from({ length: n }, (_, i) => Math.sin(i * 0.37)),
      values: Float32Array.from({ length: n }, (_, i) => Math.cos(i * 0.11)),
      mask: Uint8Array.from({ length: n }, (_, i) => (i % l < 100 || (i * 7) % 13 === 0 ? 0 : 1)),
      batchSize: b,
      seqLen: l,
      gamma: 0.999,
      lambda: 0.95,
      bootstrapValues: Float32Array.from({ length: b }, (_, i) => i / b),
    };
    const ref = gaeTokensReference(args);
    const native = gaeTokens(args);
    expect(maxRelError(native.advantages, ref.advantages)).toBeLessThanOrEqual(1e-5);
    expect(maxRelError(native.returns, ref.returns)).toBeLessThanOrEqual(1e-5);
  });

  it('same errors as the TypeScript checks (sync and async)', async () => {
    const ok = () => ({
      rewards: new Float32Array(6),
      values: new Float32Array(6),
      mask: new Uint8Array(6),
      batchSize: 2,
      seqLen: 3,
      gamma: 1,
      lambda: 1,
    });
    const bad: unknown[] = [
      undefined,
      { ...ok(), rewards: new Float64Array(6) },
      { ...ok(), batchSize: 1.5 },
      { ...ok(), seqLen: undefined },
      { ...ok(), seqLen: 2 },
      { ...ok(), values: new Float32Array(7) },
      { ...ok(), mask: undefined },
      { ...ok(), mask: new Uint8Array(5) },
      { ...ok(), bootstrapValues: new Float32Array(6) },
      { ...ok(), bootstrapValues: null },
      { ...ok(), gamma: -0.1 },
      { ...ok(), lambda: Number.NaN },
      { ...ok(), mask: u8([1, 1, 1, 1, 1, 7]) },
    ];
    for (const args of bad) {
      let jsError: Error | undefined;
      try {
        gaeTokens(args as GaeTokensArgs, { backend: 'js' });
      } catch (err) {
        jsError = err as Error;
      }
      expect(jsError).toBeDefined();
      const message = jsError!.message.replace('gaeTokens arguments', '');
      const cls = jsError!.constructor as typeof Error;
      expect(() => gaeTokens(args as GaeTokensArgs, { backend: 'native' })).toThrow(cls);
      expect(() => gaeTokens(args as GaeTokensArgs, { backend: 'native' })).toThrow(message);
      await expect(gaeTokensAsync(args as GaeTokensArgs, { backend: 'native' })).rejects.toThrow(message);
    }
  });
});
