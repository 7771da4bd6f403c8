import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { NativeFvpArgs, NativeMlpLayer } from '../index.js';
import { addon, randomPolicyArb, rng, skipNative } from './helpers.js';

type Args = Record<string, unknown>;

const layers: NativeMlpLayer[] = [
  { inSize: 3, outSize: 4, activation: 'tanh' },
  { inSize: 4, outSize: 2, activation: 'linear' },
];
const P = 3 * 4 + 4 + 4 * 2 + 2; // 26 (+ 2 log-std for 'diag-gaussian')

function valid(head: 'categorical' | 'diag-gaussian' = 'categorical'): Args {
  const n = P + (head === 'diag-gaussian' ? 2 : 0);
  const r = rng(7);
  return {
    layers,
    head,
    params: Float32Array.from({ length: n }, () => r() - 0.5),
    states: Float32Array.from({ length: 5 * 3 }, () => r() * 2 - 1),
    vector: Float32Array.from({ length: n }, () => r() - 0.5),
    damping: 0.1,
  };
}

function cgArgs(args: Args): Args {
  const { vector, ...rest } = args;
  return { ...rest, b: vector };
}

const cases: [string, unknown, typeof TypeError | typeof RangeError, RegExp][] = [
  ['undefined arguments', undefined, TypeError, /arguments must be an object, got undefined/],
  ['an array', [1], TypeError, /arguments must be an object, got Array\(1\)/],
  [
    'layers missing',
    { ...valid(), layers: undefined },
    TypeError,
    /^layers must be a non-empty array, got undefined$/,
  ],
  [
    'layers empty',
    { ...valid(), layers: [] },
    TypeError,
    /^layers must be a non-empty array, got Array\(0\)$/,
  ],
  ['layer is a number', { ...valid(), layers: [3] }, TypeError, /^layers\[0\] must be an object/],
  [
    'inSize string',
    { ...valid(), layers: [{ ...layers[0], inSize: '3' }, layers[1]] },
    RangeError,
    /^layers\[0\]\.inSize must be an integer in \[1, 16777216\], got string$/,
  ],
  [
    'outSize too large',
    { ...valid(), layers: [{ ...layers[0], outSize: 2 ** 25 }, layers[1]] },
    RangeError,
    /^layers\[0\]\.outSize must be an integer in \[1, 16777216\]/,
  ],
  [
    'activation missing',
    { ...valid(), layers: [layers[0], { inSize: 4, outSize: 2 }] },
    RangeError,
    /^layers\[1\]\.activation must be 'tanh', 'relu' or 'linear', got undefined$/,
  ],
  [
    'sizes do not chain',
    { ...valid(), layers: [layers[0], { ...layers[1], inSize: 3 }] },
    RangeError,
    /^layers\[1\]\.inSize is 3, expected 4 \(layers\[0\]\.outSize\)$/,
  ],
  [
    'head unknown',
    { ...valid(), head: 'softmax' },
    RangeError,
    /^head must be 'categorical' or 'diag-gaussian', got 'softmax'$/,
  ],
  ['head missing', { ...valid(), head: undefined }, RangeError, /^head must be .*, got undefined$/],
  [
    'params Float64Array',
    { ...valid(), params: new Float64Array(P) },
    TypeError,
    /^params must be a Float32Array, got Float64Array\(26\)$/,
  ],
  [
    'params short',
    { ...valid(), params: new Float32Array(P - 1) },
    RangeError,
    /^params has length 25, expected 26 \(/,
  ],
  [
    'gaussian without log-std',
    { ...valid(), head: 'diag-gaussian' },
    RangeError,
    /^params has length 26, expected 28 \(.*log-std\)$/,
  ],
  [
    'states Uint8Array',
    { ...valid(), states: new Uint8Array(15) },
    TypeError,
    /^states must be a Float32Array, got Uint8Array\(15\)$/,
  ],
  [
    'states ragged',
    { ...valid(), states: new Float32Array(14) },
    RangeError,
    /^states has length 14, which is not a multiple of obsDim = 3/,
  ],
  [
    'states empty',
    { ...valid(), states: new Float32Array(0) },
    RangeError,
    /^states must hold at least one state, got length 0$/,
  ],
  [
    'damping negative',
    { ...valid(), damping: -1 },
    RangeError,
    /^damping must be a finite number ≥ 0, got -1$/,
  ],
  [
    'damping Infinity',
    { ...valid(), damping: Infinity },
    RangeError,
    /^damping must be a finite number ≥ 0, got Infinity$/,
  ],
  [
    'damping string',
    { ...valid(), damping: '0.1' },
    RangeError,
    /^damping must be a finite number ≥ 0, got string$/,
  ],
  ['threads 0', { ...valid(), threads: 0 }, RangeError, /^threads must be an integer in \[1, 1024\], got 0$/],
  [
    'vector missing',
    { ...valid(), vector: undefined },
    TypeError,
    /^vector must be a Float32Array, got undefined$/,
  ],
  [
    'vector long',
    { ...valid(), vector: new Float32Array(P + 1) },
    RangeError,
    /^vector has length 27, expected 26 \(= params.length\)$/,
  ],
];

describe.skipIf(skipNative)('fisherVectorProduct / conjugateGradientFisher: argument validation', () => {
  for (const [name, args, cls, pattern] of cases) {
    it(`fisherVectorProduct: ${name}`, async () => {
      expect(() => addon().fisherVectorProduct(args as NativeFvpArgs)).toThrow(cls);
      expect(() => addon().fisherVectorProduct(args as NativeFvpArgs)).toThrow(pattern);
      await expect(addon().fisherVectorProductAsync(args as NativeFvpArgs)).rejects.toThrow(pattern);
    });
    if (name.startsWith('vector')) continue;
    const cg =
      args !== null && typeof args === 'object' && !Array.isArray(args) ? cgArgs(args as Args) : args;
    it(`conjugateGradientFisher: ${name}`, async () => {
      const call = () => addon().conjugateGradientFisher(cg as never);
      expect(call).toThrow(cls);
      expect(call).toThrow(pattern);
      await expect(addon().conjugateGradientFisherAsync(cg as never)).rejects.toThrow(pattern);
    });
  }

  it('conjugateGradientFisher: b, maxIterations and residualTolerance', () => {
    const base = cgArgs(valid());
    const cg = (a: Args) => () => addon().conjugateGradientFisher(a as never);
    expect(cg({ ...base, b: undefined })).toThrow(/^b must be a Float32Array, got undefined$/);
    expect(cg({ ...base, b: new Float32Array(3) })).toThrow(
      /^b has length 3, expected 26 \(= params.length\)$/,
    );
    expect(cg({ ...base, maxIterations: -1 })).toThrow(/^maxIterations must be an integer in \[0, /);
    expect(cg({ ...base, maxIterations: 1.5 })).toThrow(RangeError);
    expect(cg({ ...base, residualTolerance: -1e-3 })).toThrow(
      /^residualTolerance must be a finite number ≥ 0/,
    );
    expect(cg({ ...base, residualTolerance: Number.NaN })).toThrow(RangeError);
    const zero = addon().conjugateGradientFisher({ ...base, maxIterations: 0 } as never);
    expect(zero.iterations).toBe(0);
    expect(Array.from(zero.x).every((x) => x === 0)).toBe(true);
  });
});

describe.skipIf(skipNative)('fisherVectorProduct: behaviour', () => {
  it('async, thread counts and repeated calls agree; inputs are not modified', async () => {
    for (const head of ['categorical', 'diag-gaussian'] as const) {
      const args = valid(head) as unknown as NativeFvpArgs;
      const before = Float32Array.from(args.vector);
      const sync = addon().fisherVectorProduct(args);
      expect(sync).toBeInstanceOf(Float32Array);
      expect(sync.length).toBe(args.params.length);
      expect(Array.from(args.vector)).toEqual(Array.from(before));
      expect(await addon().fisherVectorProductAsync(args)).toEqual(sync);
      expect(addon().fisherVectorProduct({ ...args, threads: 1 })).toEqual(sync); // batch 5: one thread anyway
      const cg = addon().conjugateGradientFisher(cgArgs(args as never) as never);
      expect(await addon().conjugateGradientFisherAsync(cgArgs(args as never) as never)).toEqual(cg);
    }
  });

  it('F is linear in v and symmetric: uᵀ F v = vᵀ F u', () => {
    const r = rng(3);
    const big: NativeFvpArgs = {
      layers: [
        { inSize: 6, outSize: 40, activation: 'relu' },
        { inSize: 40, outSize: 33, activation: 'tanh' },
        { inSize: 33, outSize: 5, activation: 'linear' },
      ],
      head: 'categorical',
      params: Float32Array.from({ length: 6 * 40 + 40 + 40 * 33 + 33 + 33 * 5 + 5 }, () => r() - 0.5),
      states: Float32Array.from({ length: 700 * 6 }, () => r() * 2 - 1),
      vector: new Float32Array(0),
    };
    const n = big.params.length;
    const u = Float32Array.from({ length: n }, () => r() - 0.5);
    const v = Float32Array.from({ length: n }, () => r() - 0.5);
    const Fu = addon().fisherVectorProduct({ ...big, vector: u });
    const Fv = addon().fisherVectorProduct({ ...big, vector: v });
    const dot = (a: Float32Array, b: Float32Array) => a.reduce((s, x, i) => s + x * b[i], 0);
    expect(dot(u, Fv)).toBeCloseTo(dot(v, Fu), 4);
    const F2v = addon().fisherVectorProduct({ ...big, vector: v.map((x) => 2 * x) });
    for (let i = 0; i < n; i++) expect(F2v[i]).toBeCloseTo(2 * Fv[i], 5);
    // Threads: same values to rounding, and the same bits on a repeated call.
    const t1 = addon().fisherVectorProduct({ ...big, vector: v, threads: 1 });
    const t4 = addon().fisherVectorProduct({ ...big, vector: v, threads: 4 });
    for (let i = 0; i < n; i++) expect(Math.abs(t1[i] - t4[i])).toBeLessThan(1e-6 * (1 + Math.abs(t1[i])));
    expect(addon().fisherVectorProduct({ ...big, vector: v, threads: 4 })).toEqual(t4);
  });

  it('fuzz: arbitrary argument values throw TypeError/RangeError or return a Float32Array, never crash', () => {
    const anyValue = fc.oneof(
      fc.constant(undefined),
      fc.constant(null),
      fc.integer({ min: -3, max: 40 }),
      fc.double(),
      fc.string({ maxLength: 4 }),
      fc.constantFrom('tanh', 'relu', 'linear', 'categorical', 'diag-gaussian'),
      fc.integer({ min: 0, max: 40 }).map((n) => new Float32Array(n)),
      fc.integer({ min: 0, max: 8 }).map((n) => new Float64Array(n)),
      fc.array(fc.integer(), { maxLength: 3 }),
    );
    const layer = fc.record({
      inSize: fc.oneof(fc.integer({ min: 1, max: 4 }), anyValue),
      outSize: fc.oneof(fc.integer({ min: 1, max: 4 }), anyValue),
      activation: fc.oneof(fc.constantFrom('tanh', 'relu', 'linear'), anyValue),
    });
    fc.assert(
      fc.property(
        fc.oneof(fc.array(layer, { maxLength: 3 }), anyValue),
        fc.oneof(fc.constantFrom('categorical', 'diag-gaussian'), anyValue),
        anyValue,
        anyValue,
        anyValue,
        fc.oneof(fc.double({ min: 0, max: 2, noNaN: true }), anyValue),
        fc.oneof(fc.constant(undefined), fc.integer({ min: -1, max: 3 })),
        (ls, head, params, states, vector, damping, threads) => {
          const args = { layers: ls, head, params, states, vector, damping, threads };
          for (const call of [
            () => addon().fisherVectorProduct(args as never),
            () => addon().conjugateGradientFisher({ ...args, b: vector } as never),
          ]) {
            try {
              const out = call() as unknown;
              expect(out instanceof Float32Array || (out as { x?: unknown }).x instanceof Float32Array).toBe(
                true,
              );
            } catch (e) {
              expect(e instanceof TypeError || e instanceof RangeError).toBe(true);
            }
          }
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('fuzz: valid random networks give finite results of the right length', () => {
    fc.assert(
      fc.property(randomPolicyArb(200), ({ layers: ls, head, numParams: n, batch, seed }) => {
        const r = rng(seed);
        const args = {
          layers: ls,
          head,
          params: Float32Array.from({ length: n }, () => r() * 2 - 1),
          states: Float32Array.from({ length: batch * ls[0].inSize }, () => r() * 4 - 2),
          vector: Float32Array.from({ length: n }, () => r() * 2 - 1),
        } as NativeFvpArgs;
        const out = addon().fisherVectorProduct(args);
        expect(out.length).toBe(n);
        expect(out.every(Number.isFinite)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
