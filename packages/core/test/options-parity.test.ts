// Option parity (issue 12): the 'js' and 'native' backends accept the same options with the same
// meaning and checks, and refuse the same unknown options with the same message. Each kernel gets
// the same option sets on both backends; the outcome (result, or error class and message) must match.
import { describe, expect, it } from 'vitest';
import {
  clippedSurrogate,
  conjugateGradientFisher,
  fisherVectorProduct,
  gae,
  gaeTokens,
  klEstimate,
  type MlpPolicy,
  meanKl,
  policyParamCount,
  surrogateAndKl,
  valueLoss,
} from '../src/index.js';
import { nativeAvailable } from './helpers.js';

const hasNative = nativeAvailable();

type Outcome = { ok: true; value: unknown } | { ok: false; error: string; message: string };

function outcome(f: () => unknown): Outcome {
  try {
    return { ok: true, value: f() };
  } catch (e) {
    const err = e as Error;
    return { ok: false, error: err.constructor.name, message: err.message };
  }
}

/** Same acceptance on both backends; same error class and message; results equal within 1e-5. */
function expectSameOutcome(js: Outcome, native: Outcome, label: string): void {
  expect({ label, ok: native.ok }).toEqual({ label, ok: js.ok });
  if (!js.ok && !native.ok) {
    expect({ label, error: native.error, message: native.message }).toEqual({
      label,
      error: js.error,
      message: js.message,
    });
  }
}

const n = 12;
const f = (seed: number, len = n) => Float32Array.from({ length: len }, (_, i) => Math.sin(seed * 7 + i));
const layers = [
  { inSize: 3, outSize: 4, activation: 'tanh' as const },
  { inSize: 4, outSize: 2, activation: 'linear' as const },
];
const P = policyParamCount({ layers, head: 'categorical' });
const pol = (seed: number): MlpPolicy => ({ layers, head: 'categorical', params: f(seed, P) });

/** [label, args extras (merged into the valid arguments), options] per kernel. */
type Variant = [string, Record<string, unknown>, Record<string, unknown>];
const optionSets: Variant[] = [
  ['no options', {}, {}],
  ['threads 1', {}, { threads: 1 }],
  ['threads 3', {}, { threads: 3 }],
  ['threads 0', {}, { threads: 0 }],
  ['threads 1.5', {}, { threads: 1.5 }],
  ['threads 1025', {}, { threads: 1025 }],
  ['threads "2"', {}, { threads: '2' }],
  ['checkFinite false', {}, { checkFinite: false }],
  ['checkFinite "no"', {}, { checkFinite: 'no' }],
  ['checkFinite null', {}, { checkFinite: null }],
  ['unknown option', {}, { treads: 2 }],
  ['maxIterations on a kernel without it', {}, { maxIterations: 3 }],
  ['unknown argument', { gammma: 0.9 }, {}],
  ['options not an object', {}, 5 as never],
];

function run(kernel: string, extra: Record<string, unknown>, options: Record<string, unknown>): Outcome {
  return outcome(() => {
    switch (kernel) {
      case 'gae':
        return gae(
          {
            rewards: f(1),
            values: f(2),
            nextValues: f(3),
            terminated: new Uint8Array(n),
            numEnvs: 3,
            gamma: 0.9,
            lambda: 0.9,
            ...extra,
          } as never,
          options,
        );
      case 'gaeTokens':
        return gaeTokens(
          {
            rewards: f(1),
            values: f(2),
            mask: new Uint8Array(n).fill(1),
            batchSize: 3,
            seqLen: 4,
            gamma: 1,
            lambda: 0.9,
            ...extra,
          } as never,
          options,
        );
      case 'clippedSurrogate':
        return clippedSurrogate(
          { logProbs: f(1), oldLogProbs: f(2), advantages: f(3), clipRange: 0.2, ...extra } as never,
          options,
        );
      case 'valueLoss':
        return valueLoss({ values: f(1), returns: f(2), ...extra } as never, options);
      case 'klEstimate':
        return klEstimate(f(1), f(2), 'k3', { ...options, ...extra } as never);
      case 'fisherVectorProduct':
        return fisherVectorProduct(pol(1), f(2, 15), f(3, P), { ...options, ...extra } as never);
      case 'conjugateGradientFisher':
        return conjugateGradientFisher(pol(1), f(2, 15), f(3, P), { ...options, ...extra } as never);
      case 'meanKl':
        return meanKl(pol(1), pol(2), f(3, 15), { ...options, ...extra } as never);
      case 'surrogateAndKl':
        return surrogateAndKl(
          {
            policy: { layers, head: 'categorical' },
            oldParams: f(1, P),
            newParams: f(2, P),
            states: f(3, 15),
            actions: Int32Array.from([0, 1, 1, 0, 1]),
            advantages: f(4, 5),
            oldLogProbs: f(5, 5),
            ...extra,
          } as never,
          options,
        );
      default:
        throw new Error(kernel);
    }
  });
}

const withBackend = (o: Record<string, unknown>, backend: string) =>
  typeof o === 'object' ? { ...o, backend } : o;

const kernels = [
  'gae',
  'gaeTokens',
  'clippedSurrogate',
  'valueLoss',
  'klEstimate',
  'fisherVectorProduct',
  'conjugateGradientFisher',
  'meanKl',
  'surrogateAndKl',
];

const alias = f(9);

/** Kernel-specific variants: preallocated outputs and the options only some kernels have. */
const specific: Record<string, Variant[]> = {
  gae: [
    ['out.advantages', { out: { advantages: new Float32Array(n) } }, {}],
    ['out.returns wrong length', { out: { returns: new Float32Array(n - 1) } }, {}],
    ['out unknown key', { out: { advantage: new Float32Array(n) } }, {}],
    ['out aliasing an input', { out: { advantages: alias }, values: alias }, {}],
    ['top-level advantages (the addon’s spelling)', { advantages: new Float32Array(n) }, {}],
  ],
  gaeTokens: [
    ['out both', { out: { advantages: new Float32Array(n), returns: new Float32Array(n) } }, {}],
    ['out not an object', { out: new Float32Array(n) }, {}],
  ],
  clippedSurrogate: [
    ['out.gradLogProbs', { out: { gradLogProbs: new Float32Array(n) } }, {}],
    ['top-level gradLogProbs', { gradLogProbs: new Float32Array(n) }, {}],
  ],
  valueLoss: [
    ['out.gradValues', { out: { gradValues: new Float32Array(n) } }, {}],
    ['out.gradValues Float64Array', { out: { gradValues: new Float64Array(n) } }, {}],
  ],
  klEstimate: [
    [
      'out.values and out.gradLogProbs',
      { out: { values: new Float32Array(n), gradLogProbs: new Float32Array(n) } },
      {},
    ],
    ['out.values wrong length', { out: { values: new Float32Array(3) } }, {}],
  ],
  fisherVectorProduct: [
    ['damping 0.1', {}, { damping: 0.1 }],
    ['damping -1', {}, { damping: -1 }],
  ],
  conjugateGradientFisher: [
    ['maxIterations 0', {}, { maxIterations: 0 }],
    ['maxIterations 2^31', {}, { maxIterations: 2 ** 31, residualTolerance: 1e-3 }],
    ['maxIterations 2^31 + 1', {}, { maxIterations: 2 ** 31 + 1 }],
    ['maxIterations 2^40', {}, { maxIterations: 2 ** 40 }],
    ['maxIterations -1', {}, { maxIterations: -1 }],
    ['residualTolerance NaN', {}, { residualTolerance: Number.NaN }],
  ],
};

describe.skipIf(!hasNative)('the same options, the same outcome on js and native', () => {
  for (const kernel of kernels) {
    it(kernel, () => {
      for (const [label, extra, options] of [...optionSets, ...(specific[kernel] ?? [])]) {
        const js = run(kernel, extra, withBackend(options, 'js'));
        const native = run(kernel, extra, withBackend(options, 'native'));
        expectSameOutcome(js, native, `${kernel}: ${label}`);
      }
    });
  }

  it('the expected acceptances and refusals', () => {
    for (const backend of ['js', 'native']) {
      expect(run('gae', {}, { backend, threads: 2 }).ok).toBe(true);
      expect(run('gae', {}, { backend, treads: 2 })).toMatchObject({
        ok: false,
        error: 'TypeError',
        message: "options has an unknown option 'treads' (accepted: backend, threads, checkFinite)",
      });
      expect(run('gae', { gammma: 1 }, { backend })).toMatchObject({
        ok: false,
        error: 'TypeError',
        message: expect.stringMatching(/^gae arguments has an unknown option 'gammma' \(accepted: rewards, /),
      });
      expect(run('conjugateGradientFisher', {}, { backend, maxIterations: 2 ** 40 })).toMatchObject({
        ok: false,
        error: 'RangeError',
        message: 'maxIterations must be an integer in [0, 2147483648], got 1099511627776',
      });
      expect(run('fisherVectorProduct', {}, { backend, maxIterations: 2 })).toMatchObject({
        ok: false,
        error: 'TypeError',
      });
    }
  });

  it('preallocated outputs are written and returned on both backends', () => {
    for (const backend of ['js', 'native']) {
      const advantages = new Float32Array(n).fill(7);
      const returns = new Float32Array(n).fill(7);
      const r = run('gae', { out: { advantages, returns } }, { backend });
      expect(r.ok).toBe(true);
      const res = (r as { value: { advantages: Float32Array; returns: Float32Array } }).value;
      expect(res.advantages).toBe(advantages);
      expect(res.returns).toBe(returns);
      const fresh = (run('gae', {}, { backend }) as { value: { advantages: Float32Array } }).value;
      expect(Array.from(advantages)).toEqual(Array.from(fresh.advantages));

      const tokAdv = new Float32Array(n).fill(7);
      const tok = run('gaeTokens', { out: { advantages: tokAdv }, mask: new Uint8Array(n) }, { backend });
      expect((tok as { value: { advantages: Float32Array } }).value.advantages).toBe(tokAdv);
      expect(Array.from(tokAdv)).toEqual(new Array(n).fill(0)); // written everywhere, 0 where masked

      const values = new Float32Array(n);
      const gradLogProbs = new Float32Array(n);
      const kl = run('klEstimate', { out: { values, gradLogProbs } }, { backend });
      const klRes = (kl as { value: { values: Float32Array; gradLogProbs: Float32Array } }).value;
      expect(klRes.values).toBe(values);
      expect(klRes.gradLogProbs).toBe(gradLogProbs);
      expect(values.some((v) => v !== 0)).toBe(true);
    }
  });
});
