// TRPO's line-search evaluation (surrogateAndKl, meanKl): the native addon against the TypeScript
// reference on random policies (fast-check), thread-count independence, async variants, and the
// same errors from both backends.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type Activation,
  backendInfo,
  type MlpLayer,
  type MlpPolicy,
  meanKl,
  meanKlAsync,
  meanKlReference,
  type PolicyHead,
  policyLogProbs,
  policyParamCount,
  type SurrogateAndKlArgs,
  surrogateAndKl,
  surrogateAndKlAsync,
  surrogateAndKlReference,
} from '../src/index.js';
import { nativeAvailable } from './helpers.js';

const hasNative = nativeAvailable();
const TOL = 1e-5;

/** Relative error of two scalars with an absolute floor near zero. */
const relErr = (a: number, b: number, floor = 1e-9) => Math.abs(a - b) / Math.max(Math.abs(b), floor);

/** mulberry32 */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Problem {
  args: SurrogateAndKlArgs;
  step: number;
}

/** A random policy, a candidate `step` away, states, actions (taken from π_old), advantages and old log-probs. */
function makeProblem(
  seed: number,
  sizes: number[],
  activation: Activation,
  head: PolicyHead,
  batch: number,
  step: number,
  paramScale = 0.5,
): Problem {
  const r = rng(seed);
  const layers: MlpLayer[] = sizes.slice(1).map((outSize, i) => ({
    inSize: sizes[i],
    outSize,
    activation: i === sizes.length - 2 ? 'linear' : activation,
  }));
  const P = policyParamCount({ layers, head });
  const oldParams = Float32Array.from({ length: P }, () => (r() * 2 - 1) * paramScale);
  const newParams = oldParams.map((x) => x + (r() * 2 - 1) * step);
  const obs = sizes[0];
  const act = sizes[sizes.length - 1];
  const states = Float32Array.from({ length: batch * obs }, () => r() * 4 - 2);
  const actions =
    head === 'categorical'
      ? Int32Array.from({ length: batch }, () => Math.floor(r() * act))
      : Float32Array.from({ length: batch * act }, () => r() * 4 - 2);
  const old: MlpPolicy = { layers, head, params: oldParams };
  return {
    args: {
      policy: { layers, head },
      oldParams,
      newParams,
      states,
      actions,
      advantages: Float32Array.from({ length: batch }, () => r() * 4 - 2),
      oldLogProbs: policyLogProbs(old, states, actions),
    },
    step,
  };
}

const problems: fc.Arbitrary<Problem> = fc
  .record({
    seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
    sizes: fc.array(fc.integer({ min: 1, max: 12 }), { minLength: 2, maxLength: 4 }),
    activation: fc.constantFrom<Activation>('tanh', 'relu', 'linear'),
    head: fc.constantFrom<PolicyHead>('categorical', 'diag-gaussian'),
    batch: fc.integer({ min: 1, max: 300 }),
    step: fc.constantFrom(0, 1e-3, 0.01, 0.1, 0.5),
  })
  .map((p) => makeProblem(p.seed, p.sizes, p.activation, p.head, p.batch, p.step));

/** ≤ 1e-5 relative (floor 1e-9); non-finite values (an overflowing ratio) must be the same. */
function expectParity(native: { surrogate: number; kl: number }, ref: { surrogate: number; kl: number }) {
  for (const key of ['surrogate', 'kl'] as const) {
    if (Number.isFinite(ref[key])) expect(relErr(native[key], ref[key])).toBeLessThanOrEqual(TOL);
    else expect(native[key]).toBe(ref[key]);
  }
}

describe.skipIf(!hasNative)('surrogateAndKl / meanKl: native vs TypeScript reference', () => {
  it("'auto' picks the native kernels", () => {
    expect(backendInfo().nativeKernels).toEqual(
      expect.arrayContaining(['surrogateAndKl', 'surrogateAndKlAsync', 'meanKl', 'meanKlAsync']),
    );
  });

  it('random networks, heads, activations, batches and step sizes', () => {
    fc.assert(
      fc.property(problems, ({ args, step }) => {
        const ref = surrogateAndKlReference(args);
        const native = surrogateAndKl(args, { backend: 'native' });
        expectParity(native, ref);
        if (step === 0) expect(native.kl).toBe(0);
        const pOld = { ...args.policy, params: args.oldParams };
        const pNew = { ...args.policy, params: args.newParams };
        expect(
          relErr(meanKl(pOld, pNew, args.states), meanKlReference(pOld, pNew, args.states)),
        ).toBeLessThanOrEqual(TOL);
        // meanKl is surrogateAndKl's kl
        expect(meanKl(pOld, pNew, args.states, { backend: 'native' })).toBe(native.kl);
      }),
      { numRuns: 300, seed: 4242 },
    );
  });

  it('large batches, several threads: the same bits for every thread count', async () => {
    for (const head of ['categorical', 'diag-gaussian'] as const) {
      const { args } = makeProblem(9, [17, 64, 64, 6], 'tanh', head, 5000, 0.01, 0.3);
      const ref = surrogateAndKlReference(args);
      const one = surrogateAndKl(args, { threads: 1 });
      expectParity(one, ref);
      for (const threads of [2, 3, 7]) {
        expect(surrogateAndKl(args, { threads })).toEqual(one);
      }
      expect(surrogateAndKl(args)).toEqual(one);
      expect(await surrogateAndKlAsync(args)).toEqual(one);
      const pOld = { ...args.policy, params: args.oldParams };
      const pNew = { ...args.policy, params: args.newParams };
      expect(await meanKlAsync(pOld, pNew, args.states, { threads: 2 })).toBe(one.kl);
    }
  });

  it('extreme inputs: large logits and log-stds, saturated tanh, overflowing ratios', () => {
    for (const head of ['categorical', 'diag-gaussian'] as const) {
      for (const [scale, step] of [
        [3, 0.3],
        [8, 0.3],
        [8, 2],
      ]) {
        const { args } = makeProblem(17, [4, 9, 5], 'tanh', head, 200, step, scale);
        expectParity(surrogateAndKl(args), surrogateAndKlReference(args));
      }
    }
  });

  it('meanKl of two policies with different hidden layers', () => {
    for (const head of ['categorical', 'diag-gaussian'] as const) {
      const a = makeProblem(21, [5, 7, 3], 'tanh', head, 100, 0);
      const b = makeProblem(22, [5, 4, 6, 3], 'relu', head, 100, 0);
      const pOld: MlpPolicy = { ...a.args.policy, params: a.args.oldParams };
      const pNew: MlpPolicy = { ...b.args.policy, params: b.args.oldParams };
      const ref = meanKlReference(pOld, pNew, a.args.states);
      expect(ref).toBeGreaterThan(0);
      expect(relErr(meanKl(pOld, pNew, a.args.states), ref)).toBeLessThanOrEqual(TOL);
      expect(
        relErr(meanKl(pNew, pOld, a.args.states), meanKlReference(pNew, pOld, a.args.states)),
      ).toBeLessThanOrEqual(TOL);
    }
  });

  it('the Gaussian log-std of each policy is read after its own MLP parameters', () => {
    // Same means (a zero last layer), log-stds 0 and ½: KL = Σ_j ½ + e^0/(2e^1) − ½ per state.
    const small: MlpPolicy = {
      layers: [{ inSize: 2, outSize: 2, activation: 'linear' }],
      head: 'diag-gaussian',
      params: Float32Array.of(0, 0, 0, 0, 0, 0, 0, 0),
    };
    const wide: MlpPolicy = {
      layers: [
        { inSize: 2, outSize: 3, activation: 'tanh' },
        { inSize: 3, outSize: 2, activation: 'linear' },
      ],
      head: 'diag-gaussian',
      params: new Float32Array(2 * 3 + 3 + 3 * 2 + 2 + 2).fill(0),
    };
    wide.params.fill(0.5, wide.params.length - 2);
    const states = Float32Array.of(1, 2, -1, 0.5);
    const expected = 2 * (0.5 + 1 / (2 * Math.E) - 0.5);
    for (const backend of ['js', 'native'] as const) {
      expect(meanKl(small, wide, states, { backend })).toBeCloseTo(expected, 6);
    }
  });

  it('async matches sync; the same errors from both backends (sync and async)', async () => {
    const { args } = makeProblem(31, [3, 4, 2], 'tanh', 'categorical', 6, 0.1);
    expect(await surrogateAndKlAsync(args, { backend: 'native' })).toEqual(
      surrogateAndKl(args, { backend: 'native' }),
    );
    const g = makeProblem(32, [3, 4, 2], 'tanh', 'diag-gaussian', 6, 0.1).args;
    const bad: unknown[] = [
      null,
      { ...args, policy: 3 },
      { ...args, policy: { layers: [], head: 'categorical' } },
      { ...args, policy: { ...args.policy, head: 'beta' } },
      { ...args, oldParams: new Float64Array(args.oldParams.length) },
      { ...args, newParams: new Float32Array(3) },
      { ...args, states: new Float32Array(7) },
      { ...args, states: new Float32Array(0) },
      { ...args, actions: Float32Array.from(args.actions) },
      { ...args, actions: new Int32Array(5) },
      { ...args, actions: Int32Array.of(0, 1, 2, 0, 1, 0) },
      { ...args, actions: Int32Array.of(0, 1, -1, 0, 1, 0), advantages: new Float32Array(5) },
      { ...args, advantages: new Float32Array(5) },
      { ...args, oldLogProbs: [1, 2, 3, 4, 5, 6] },
      { ...g, actions: new Int32Array(12) },
      { ...g, actions: new Float32Array(6) },
    ];
    for (const a of bad) {
      let jsError: Error | undefined;
      try {
        surrogateAndKl(a as SurrogateAndKlArgs, { backend: 'js' });
      } catch (err) {
        jsError = err as Error;
      }
      expect(jsError).toBeDefined();
      const message = jsError!.message.replace('surrogateAndKl arguments', '');
      expect(() => surrogateAndKl(a as SurrogateAndKlArgs, { backend: 'native' })).toThrow(
        jsError!.constructor as typeof Error,
      );
      expect(() => surrogateAndKl(a as SurrogateAndKlArgs, { backend: 'native' })).toThrow(message);
      await expect(surrogateAndKlAsync(a as SurrogateAndKlArgs, { backend: 'native' })).rejects.toThrow(
        message,
      );
    }
    for (const threads of [0, 1.5, 2000]) {
      expect(() => surrogateAndKl(args, { backend: 'js', threads })).toThrow(
        `threads must be an integer in [1, 1024], got ${threads}`,
      );
      expect(() => surrogateAndKl(args, { backend: 'native', threads })).toThrow(
        `threads must be an integer in [1, 1024], got ${threads}`,
      );
    }
    const p: MlpPolicy = { ...args.policy, params: args.oldParams };
    const gp: MlpPolicy = { ...g.policy, params: g.oldParams };
    const badKl: [unknown, unknown, unknown][] = [
      [undefined, p, args.states],
      [p, 'x', args.states],
      [{ ...p, params: new Float32Array(2) }, p, args.states],
      [p, { ...p, params: new Float64Array(2) }, args.states],
      [p, gp, args.states],
      [p, { ...p, layers: [{ inSize: 3, outSize: 3, activation: 'tanh' }] }, args.states],
      [p, p, new Float32Array(4)],
      [p, p, Int32Array.of(1, 2, 3)],
    ];
    for (const [a, b, s] of badKl) {
      let jsError: Error | undefined;
      try {
        meanKl(a as MlpPolicy, b as MlpPolicy, s as Float32Array, { backend: 'js' });
      } catch (err) {
        jsError = err as Error;
      }
      expect(jsError).toBeDefined();
      expect(() => meanKl(a as MlpPolicy, b as MlpPolicy, s as Float32Array, { backend: 'native' })).toThrow(
        jsError!.constructor as typeof Error,
      );
      expect(() => meanKl(a as MlpPolicy, b as MlpPolicy, s as Float32Array, { backend: 'native' })).toThrow(
        jsError!.message,
      );
      await expect(
        meanKlAsync(a as MlpPolicy, b as MlpPolicy, s as Float32Array, { backend: 'native' }),
      ).rejects.toThrow(jsError!.message);
    }
  });
});
