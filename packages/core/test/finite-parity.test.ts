// Non-finite inputs (issue 12): every kernel of @proximal/core, on the 'js' and the 'native' backend,
// rejects a NaN or ±Infinity in any float array argument with the same RangeError naming the
// argument and the first bad index; `checkFinite: false` skips the check; conjugate gradient stops
// with an error naming the iteration when a product is not finite.
import { describe, expect, it } from 'vitest';
import {
  Adam,
  clipGradNorm,
  clippedSurrogate,
  clippedSurrogateAsync,
  conjugateGradient,
  conjugateGradientFisher,
  conjugateGradientFisherAsync,
  DiagGaussian,
  fisherVectorProduct,
  fisherVectorProductAsync,
  gae,
  gaeAsync,
  gaeTokens,
  gaeTokensAsync,
  type KernelOptions,
  klEstimate,
  klEstimateAsync,
  type MlpPolicy,
  meanKl,
  meanKlAsync,
  policyParamCount,
  surrogateAndKl,
  surrogateAndKlAsync,
  valueLoss,
  valueLossAsync,
} from '../src/index.js';
import { nativeAvailable } from './helpers.js';

const backends: ('js' | 'native')[] = nativeAvailable() ? ['js', 'native'] : ['js'];

/** Deterministic values in [-1, 1). */
function floats(n: number, seed: number): Float32Array {
  const out = new Float32Array(n);
  let a = seed >>> 0;
  for (let i = 0; i < n; i++) {
    a = (Math.imul(a, 1664525) + 1013904223) >>> 0;
    out[i] = a / 2 ** 31 - 1;
  }
  return out;
}

const layers = [
  { inSize: 3, outSize: 4, activation: 'tanh' as const },
  { inSize: 4, outSize: 2, activation: 'linear' as const },
];
const P = policyParamCount({ layers, head: 'diag-gaussian' });
const BATCH = 5;

/**
 * One kernel: fresh valid float inputs by name (the names the errors use) and a call with options.
 * `run` and `runAsync` read the arrays from `a`, so replacing one entry puts a bad value there.
 */
interface Case {
  kernel: string;
  arrays: () => Record<string, Float32Array>;
  run: (a: Record<string, Float32Array>, o: KernelOptions) => unknown;
  runAsync: (a: Record<string, Float32Array>, o: KernelOptions) => Promise<unknown>;
}

const T = 4;
const N = 3;
const mask = Uint8Array.from([1, 1, 0, 1, 1, 1, 1, 0, 1, 1, 1, 1]);

const gaeArgs = (a: Record<string, Float32Array>) => ({
  rewards: a.rewards,
  values: a.values,
  nextValues: a.nextValues,
  terminated: new Uint8Array(T * N),
  truncated: new Uint8Array(T * N),
  numEnvs: N,
  gamma: 0.99,
  lambda: 0.95,
});
const gaeBootArgs = (a: Record<string, Float32Array>) => ({
  rewards: a.rewards,
  values: a.values,
  bootstrapValues: a.bootstrapValues,
  terminated: new Uint8Array(T * N),
  numEnvs: N,
  gamma: 0.99,
  lambda: 0.95,
});
const tokenArgs = (a: Record<string, Float32Array>) => ({
  rewards: a.rewards,
  values: a.values,
  mask,
  batchSize: 3,
  seqLen: 4,
  gamma: 1,
  lambda: 0.95,
  bootstrapValues: a.bootstrapValues,
});
const surrogateArgs = (a: Record<string, Float32Array>) => ({
  logProbs: a.logProbs,
  oldLogProbs: a.oldLogProbs,
  advantages: a.advantages,
  clipRange: 0.2,
  mask,
  normalizeAdvantages: true,
});
const valueArgs = (a: Record<string, Float32Array>) => ({
  values: a.values,
  oldValues: a.oldValues,
  returns: a.returns,
  clipRange: 0.2,
});
const policy = (params: Float32Array): MlpPolicy => ({ layers, head: 'diag-gaussian', params });
const lineSearchArgs = (a: Record<string, Float32Array>) => ({
  policy: { layers, head: 'diag-gaussian' as const },
  oldParams: a.oldParams,
  newParams: a.newParams,
  states: a.states,
  actions: a.actions,
  advantages: a.advantages,
  oldLogProbs: a.oldLogProbs,
});

const cases: Case[] = [
  {
    kernel: 'gae (nextValues)',
    arrays: () => ({ rewards: floats(12, 1), values: floats(12, 2), nextValues: floats(12, 3) }),
    run: (a, o) => gae(gaeArgs(a), o),
    runAsync: (a, o) => gaeAsync(gaeArgs(a), o),
  },
  {
    kernel: 'gae (bootstrapValues)',
    arrays: () => ({ rewards: floats(12, 1), values: floats(12, 2), bootstrapValues: floats(N, 3) }),
    run: (a, o) => gae(gaeBootArgs(a), o),
    runAsync: (a, o) => gaeAsync(gaeBootArgs(a), o),
  },
  {
    kernel: 'gaeTokens',
    arrays: () => ({ rewards: floats(12, 4), values: floats(12, 5), bootstrapValues: floats(3, 6) }),
    run: (a, o) => gaeTokens(tokenArgs(a), o),
    runAsync: (a, o) => gaeTokensAsync(tokenArgs(a), o),
  },
  {
    kernel: 'clippedSurrogate',
    arrays: () => ({ logProbs: floats(12, 7), oldLogProbs: floats(12, 8), advantages: floats(12, 9) }),
    run: (a, o) => clippedSurrogate(surrogateArgs(a), o),
    runAsync: (a, o) => clippedSurrogateAsync(surrogateArgs(a), o),
  },
  {
    kernel: 'valueLoss',
    arrays: () => ({ values: floats(12, 10), oldValues: floats(12, 11), returns: floats(12, 12) }),
    run: (a, o) => valueLoss(valueArgs(a), o),
    runAsync: (a, o) => valueLossAsync(valueArgs(a), o),
  },
  {
    kernel: 'klEstimate',
    arrays: () => ({ logProbs: floats(12, 13), refLogProbs: floats(12, 14) }),
    run: (a, o) => klEstimate(a.logProbs, a.refLogProbs, 'k3', o),
    runAsync: (a, o) => klEstimateAsync(a.logProbs, a.refLogProbs, 'k3', o),
  },
  {
    kernel: 'fisherVectorProduct',
    arrays: () => ({ params: floats(P, 15), states: floats(BATCH * 3, 16), vector: floats(P, 17) }),
    run: (a, o) => fisherVectorProduct(policy(a.params), a.states, a.vector, o),
    runAsync: (a, o) => fisherVectorProductAsync(policy(a.params), a.states, a.vector, o),
  },
  {
    kernel: 'conjugateGradientFisher',
    arrays: () => ({ params: floats(P, 18), states: floats(BATCH * 3, 19), b: floats(P, 20) }),
    run: (a, o) => conjugateGradientFisher(policy(a.params), a.states, a.b, { ...o, damping: 0.1 }),
    runAsync: (a, o) => conjugateGradientFisherAsync(policy(a.params), a.states, a.b, { ...o, damping: 0.1 }),
  },
  {
    kernel: 'meanKl',
    arrays: () => ({
      'policyOld.params': floats(P, 21),
      'policyNew.params': floats(P, 22),
      states: floats(BATCH * 3, 23),
    }),
    run: (a, o) => meanKl(policy(a['policyOld.params']), policy(a['policyNew.params']), a.states, o),
    runAsync: (a, o) =>
      meanKlAsync(policy(a['policyOld.params']), policy(a['policyNew.params']), a.states, o),
  },
  {
    kernel: 'surrogateAndKl',
    arrays: () => ({
      oldParams: floats(P, 24),
      newParams: floats(P, 25),
      states: floats(BATCH * 3, 26),
      actions: floats(BATCH * 2, 27),
      advantages: floats(BATCH, 28),
      oldLogProbs: floats(BATCH, 29),
    }),
    run: (a, o) => surrogateAndKl(lineSearchArgs(a), o),
    runAsync: (a, o) => surrogateAndKlAsync(lineSearchArgs(a), o),
  },
];

const bad: [string, number][] = [
  ['NaN', Number.NaN],
  ['Infinity', Number.POSITIVE_INFINITY],
  ['-Infinity', Number.NEGATIVE_INFINITY],
];

describe.each(backends)('non-finite inputs on the %s backend', (backend) => {
  for (const c of cases) {
    it(`${c.kernel}: valid inputs pass, and so do bad ones with checkFinite: false`, async () => {
      expect(() => c.run(c.arrays(), { backend })).not.toThrow();
      for (const name of Object.keys(c.arrays())) {
        const a = c.arrays();
        a[name][1] = Number.NaN;
        expect(() => c.run(a, { backend, checkFinite: false })).not.toThrow();
        await expect(c.runAsync(a, { backend, checkFinite: false })).resolves.toBeDefined();
      }
    });

    it(`${c.kernel}: NaN / ±Infinity in each array → RangeError naming it and the first bad index`, async () => {
      for (const name of Object.keys(c.arrays())) {
        for (const [label, value] of bad) {
          const a = c.arrays();
          const k = Math.min(3, a[name].length - 1);
          a[name][k] = value;
          a[name][a[name].length - 1] = value; // a later bad element: the first one is reported
          const message = `${name}[${k}] must be finite, got ${label}`;
          expect(() => c.run(a, { backend })).toThrow(new RangeError(message));
          await expect(c.runAsync(a, { backend })).rejects.toThrow(new RangeError(message));
          // The arrays are checked in argument order: a bad element in an earlier array wins.
          const first = Object.keys(a)[0];
          if (first !== name) {
            a[first][0] = value;
            expect(() => c.run(a, { backend })).toThrow(`${first}[0] must be finite`);
          }
        }
      }
    });
  }

  it('masked kernels check only the elements with mask = 1', () => {
    // mask[2] = 0: a NaN there is not used, and not reported
    const t = cases.find((c) => c.kernel === 'gaeTokens')!;
    const s = cases.find((c) => c.kernel === 'clippedSurrogate')!;
    for (const c of [t, s]) {
      for (const name of Object.keys(c.arrays())) {
        if (name === 'bootstrapValues') continue;
        const a = c.arrays();
        a[name][2] = Number.NaN;
        expect(() => c.run(a, { backend })).not.toThrow();
      }
    }
    // valueLoss reads oldValues only with clipRange
    const v = valueLoss(
      { values: floats(4, 1), oldValues: Float32Array.of(Number.NaN, 0, 0, 0), returns: floats(4, 2) },
      { backend },
    );
    expect(Number.isFinite(v.loss)).toBe(true);
  });

  it('a large array: the first bad index whatever the thread split', () => {
    const n = 1 << 19;
    const args = {
      rewards: new Float32Array(n),
      values: new Float32Array(n),
      nextValues: new Float32Array(n),
      terminated: new Uint8Array(n),
      numEnvs: 64,
      gamma: 0.99,
      lambda: 0.95,
    };
    args.values[n - 3] = Number.NaN;
    args.values[n / 2 + 7] = Number.POSITIVE_INFINITY;
    for (const threads of [1, 2, 3]) {
      expect(() => gae(args, { backend, threads })).toThrow(
        new RangeError(`values[${n / 2 + 7}] must be finite, got Infinity`),
      );
    }
    const logProbs = new Float32Array(n);
    logProbs[n - 1] = Number.NaN;
    const s = { logProbs, oldLogProbs: new Float32Array(n), advantages: new Float32Array(n), clipRange: 0.2 };
    expect(() => clippedSurrogate(s, { backend, threads: 2 })).toThrow(
      new RangeError(`logProbs[${n - 1}] must be finite, got NaN`),
    );
  });

  it('conjugateGradientFisher: a non-finite Fisher-vector product stops CG naming the iteration', async () => {
    // log-std −400: 1/σ² = e^800 overflows float64, so the first product is not finite
    const params = floats(P, 30);
    params.fill(-400, P - 2);
    const states = floats(BATCH * 3, 31);
    const b = floats(P, 32);
    const pattern =
      /^Fisher-vector product\[\d+\] must be finite, got .+ \(conjugate gradient iteration 1\)$/;
    expect(() => conjugateGradientFisher(policy(params), states, b, { backend })).toThrow(pattern);
    await expect(conjugateGradientFisherAsync(policy(params), states, b, { backend })).rejects.toThrow(
      pattern,
    );
    // without the check, CG stops silently as before
    const res = conjugateGradientFisher(policy(params), states, b, { backend, checkFinite: false });
    expect(res.iterations).toBe(0);
  });

  it('checkFinite must be a boolean; threads an integer in [1, 1024] (checked on js too)', () => {
    const c = cases[0];
    expect(() => c.run(c.arrays(), { backend, checkFinite: 1 as never })).toThrow(
      new TypeError('checkFinite must be a boolean, got 1'),
    );
    expect(() => c.run(c.arrays(), { backend, threads: 0 })).toThrow(
      new RangeError('threads must be an integer in [1, 1024], got 0'),
    );
  });
});

describe('conjugateGradient (matrix-vector product callback)', () => {
  const diag = Float32Array.from([1, 2, 3, 4, 5, 6]);
  const matVec = (v: Float32Array) => v.map((x, i) => x * diag[i]);

  it('a NaN or infinite right-hand side throws naming b and the index (it used to return x = 0)', () => {
    for (const [label, value] of bad) {
      const b = floats(6, 1);
      b[4] = value;
      expect(() => conjugateGradient(matVec, b)).toThrow(new RangeError(`b[4] must be finite, got ${label}`));
      const res = conjugateGradient(matVec, b, { checkFinite: false });
      expect(res.iterations).toBe(0);
    }
  });

  it('a non-finite product stops CG with an error naming the element and the iteration', () => {
    let calls = 0;
    const flaky = (v: Float32Array) => {
      const out = matVec(v);
      if (++calls === 3) out[2] = Number.NaN;
      return out;
    };
    expect(() => conjugateGradient(flaky, floats(6, 2), { maxIterations: 6 })).toThrow(
      new RangeError('matVec result[2] must be finite, got NaN (conjugate gradient iteration 3)'),
    );
    calls = 0;
    expect(conjugateGradient(flaky, floats(6, 2), { maxIterations: 6, checkFinite: false }).iterations).toBe(
      2,
    );
  });
});

describe('optimizer and distribution inputs', () => {
  it('Adam.step rejects a non-finite parameter or gradient (nothing updated) unless checkFinite: false', () => {
    const adam = new Adam(3);
    const params = Float32Array.of(1, Number.NaN, 3);
    expect(() => adam.step(params, Float32Array.of(0.1, 0.1, 0.1))).toThrow(
      new RangeError('params[1] must be finite, got NaN'),
    );
    expect(adam.t).toBe(0);
    expect(() =>
      adam.step(Float32Array.of(1, 2, 3), Float32Array.of(0, Number.POSITIVE_INFINITY, 0)),
    ).toThrow(new RangeError('grads[1] must be finite, got Infinity'));
    const lax = new Adam(3, { checkFinite: false });
    lax.step(params, Float32Array.of(0.1, 0.1, 0.1));
    expect(lax.t).toBe(1);
    expect(() => new Adam(3, { learningrate: 1 } as never)).toThrow(/unknown option 'learningrate'/);
  });

  it('clipGradNorm rejects a non-finite gradient (it used to return NaN and leave it unclipped)', () => {
    const grads = Float32Array.of(3, Number.NaN, 4);
    expect(() => clipGradNorm(grads, 1)).toThrow(new RangeError('grads[1] must be finite, got NaN'));
    expect(Number.isNaN(clipGradNorm(grads, 1, { checkFinite: false }))).toBe(true);
  });

  it('DiagGaussian.logProb rejects non-finite actions', () => {
    const d = new DiagGaussian(Float32Array.of(0, 0), Float32Array.of(0, 0), 2);
    expect(() => d.logProb([0, Number.NEGATIVE_INFINITY])).toThrow(
      new RangeError('actions[1] must be finite, got -Infinity'),
    );
  });
});
