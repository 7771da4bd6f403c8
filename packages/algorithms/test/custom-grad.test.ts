import { GSDE_EPSILON, Random } from '@proximal/core';
import { Box, Discrete, MultiDiscrete } from '@proximal/envs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Minibatch } from '../src/common/rollout-buffer.js';
import { ActorCriticPolicy, headFromSpace, initTf, type PolicyKwargs } from '../src/index.js';
import { type PpoLossOptions, ppoLossAndGradient } from '../src/ppo/loss.js';
import { criticLossAndGradient, surrogateGradient } from '../src/trpo/gradients.js';

/**
 * The gradients that cross from @proximal/core's kernels into tfjs (`tf.customGrad`: PPO's fused
 * clipped surrogate, and the fused dense layers of every network) against central finite
 * differences of the same losses written out here in float64, independently of tfjs and core.
 */

const LOG_2PI = Math.log(2 * Math.PI);
const B = 8;
const OBS_DIM = 3;

beforeAll(async () => {
  await initTf('wasm');
});

interface Layer {
  inSize: number;
  outSize: number;
  activation: string;
}

/** float64 forward of a core-layout MLP (per layer: kernel [in, out] row-major, bias [out]) from params[offset]. */
function mlp64(layers: Layer[], params: Float64Array, offset: number, x: Float64Array, batch: number) {
  let h: Float64Array = x;
  let o = offset;
  for (const l of layers) {
    const y = new Float64Array(batch * l.outSize);
    const bias = o + l.inSize * l.outSize;
    for (let b = 0; b < batch; b++) {
      for (let j = 0; j < l.outSize; j++) {
        let z = params[bias + j];
        for (let i = 0; i < l.inSize; i++) z += h[b * l.inSize + i] * params[o + i * l.outSize + j];
        y[b * l.outSize + j] =
          l.activation === 'tanh' ? Math.tanh(z) : l.activation === 'relu' ? Math.max(0, z) : z;
      }
    }
    o = bias + l.outSize;
    h = y;
  }
  return { out: h, offset: o };
}

/** log π(a|s), entropy and V(s) in float64 from flat parameters in the policy's order. */
function forward64(
  policy: ActorCriticPolicy,
  params: Float64Array,
  obs: Float32Array,
  actions: Float32Array,
  frozenLatent?: Float64Array,
) {
  let features: Float64Array = Float64Array.from(obs);
  let o = 0;
  if (policy.trunk) ({ out: features, offset: o } = mlp64(policy.trunk.layers, params, o, features, B));
  // gSDE: the latent features z (the actor's last hidden layer) feed the mean layer
  const L = policy.actor.layers.length;
  let latent = features;
  if (policy.useSde && L > 1)
    ({ out: latent, offset: o } = mlp64(policy.actor.layers.slice(0, L - 1), params, o, features, B));
  const actor = mlp64(policy.actor.layers.slice(policy.useSde ? L - 1 : 0), params, o, latent, B);
  o = actor.offset;
  const out = actor.out;
  const logProbs = new Float64Array(B);
  const entropy = new Float64Array(B);
  const head = policy.head;
  if (head.kind === 'diag-gaussian' && policy.useSde) {
    // σ_j² = Σ_i z_i² exp(2ℓ_ij) + ε with z held constant (SB3's learn_features=False): `frozenLatent`
    const m = head.dim;
    const d = policy.latentDim;
    const logStd = params.subarray(o, o + d * m);
    o += d * m;
    const z = frozenLatent ?? latent;
    for (let b = 0; b < B; b++) {
      for (let j = 0; j < m; j++) {
        let variance = GSDE_EPSILON;
        for (let i = 0; i < d; i++) variance += z[b * d + i] ** 2 * Math.exp(2 * logStd[i * m + j]);
        const logSigma = 0.5 * Math.log(variance);
        logProbs[b] +=
          (-0.5 * (actions[b * m + j] - out[b * m + j]) ** 2) / variance - logSigma - 0.5 * LOG_2PI;
        entropy[b] += logSigma + 0.5 * (LOG_2PI + 1);
      }
    }
  } else if (head.kind === 'diag-gaussian') {
    const m = head.dim;
    const logStd = params.subarray(o, o + m);
    o += m;
    for (let b = 0; b < B; b++) {
      for (let j = 0; j < m; j++) {
        const z = (actions[b * m + j] - out[b * m + j]) / Math.exp(logStd[j]);
        logProbs[b] += -0.5 * z * z - logStd[j] - 0.5 * LOG_2PI;
        entropy[b] += logStd[j] + 0.5 * (LOG_2PI + 1);
      }
    }
  } else {
    const width = head.nvec.reduce((s, n) => s + n, 0);
    for (let b = 0; b < B; b++) {
      let start = 0;
      head.nvec.forEach((n, j) => {
        const logits = Array.from(out.subarray(b * width + start, b * width + start + n));
        const max = Math.max(...logits);
        const lse = max + Math.log(logits.reduce((s, l) => s + Math.exp(l - max), 0));
        logProbs[b] += logits[actions[b * head.nvec.length + j]] - lse;
        for (const l of logits) entropy[b] -= Math.exp(l - lse) * (l - lse);
        start += n;
      });
    }
  }
  const values = mlp64(policy.critic.layers, params, o, features, B).out;
  return { logProbs, entropy, values, latent };
}

const mean = (a: ArrayLike<number>) => Array.from(a).reduce((s, x) => s + x, 0) / a.length;
const clip = (x: number, lo: number, hi: number) => Math.min(Math.max(x, lo), hi);

/**
 * PPO's loss in float64, as Schulman et al. 2017 eqs. 7–9 and SB3's `PPO.train`:
 * −mean(min(r·Â, clip(r, 1−ε, 1+ε)·Â)) (dual clip: max(·, c·Â) where Â < 0; Â normalized with the
 * unbiased std + 1e-8) + vfCoef·mean((V − R)²) (clipped: max with (V_old + clip(V − V_old) − R)²)
 * − entCoef·mean(H) (+ klCoef·mean(r − 1 − log r) for the penalty objective, unclipped).
 */
function ppoLoss64(
  policy: ActorCriticPolicy,
  params: Float64Array,
  mb: Minibatch,
  o: PpoLossOptions,
  frozenLatent?: Float64Array,
) {
  const { logProbs, entropy, values } = forward64(policy, params, mb.observations, mb.actions, frozenLatent);
  let adv = Array.from(mb.advantages);
  if (o.normalizeAdvantage) {
    const mu = mean(adv);
    const std = Math.sqrt(adv.reduce((s, a) => s + (a - mu) ** 2, 0) / (adv.length - 1));
    adv = adv.map((a) => (a - mu) / (std + 1e-8));
  }
  let pg = 0;
  let kl = 0;
  let v = 0;
  for (let b = 0; b < B; b++) {
    const logRatio = logProbs[b] - mb.logProbs[b];
    const r = Math.exp(logRatio);
    let obj =
      o.objective === 'clip'
        ? Math.min(r * adv[b], clip(r, 1 - o.clipRange, 1 + o.clipRange) * adv[b])
        : r * adv[b];
    if (o.objective === 'clip' && o.dualClip !== null && adv[b] < 0) obj = Math.max(obj, o.dualClip * adv[b]);
    pg -= obj / B;
    kl += (r - 1 - logRatio) / B;
    const unclipped = (values[b] - mb.returns[b]) ** 2;
    if (o.clipRangeVf === null) v += unclipped / B;
    else {
      const vc = mb.values[b] + clip(values[b] - mb.values[b], -o.clipRangeVf, o.clipRangeVf);
      v += Math.max(unclipped, (vc - mb.returns[b]) ** 2) / B;
    }
  }
  return pg + o.vfCoef * v - o.entCoef * mean(entropy) + (o.objective === 'penalty' ? o.klCoef * kl : 0);
}

/** Central differences of f at x (float64), step h·max(1, |x_i|). */
function finiteDifferences(f: (x: Float64Array) => number, x0: ArrayLike<number>, h = 1e-6) {
  const x = Float64Array.from(x0);
  const g = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const xi = x[i];
    const step = h * Math.max(1, Math.abs(xi));
    x[i] = xi + step;
    const up = f(x);
    x[i] = xi - step;
    const down = f(x);
    x[i] = xi;
    g[i] = (up - down) / (2 * step);
  }
  return g;
}

/**
 * float32 gradient vs float64 finite differences: every component within 2e-4 of the largest
 * |component| (float32 round-off is ~1e-6 of it on these tiny networks; a wrong or missing term is
 * far above), and a gradient that is not trivially small.
 */
function expectGradientClose(actual: Float32Array, expected: Float64Array) {
  expect(actual.length).toBe(expected.length);
  const scale = Math.max(...Array.from(expected, Math.abs));
  expect(scale).toBeGreaterThan(1e-2);
  let worst = 0;
  let worstAt = -1;
  for (let i = 0; i < expected.length; i++) {
    const e = Math.abs(actual[i] - expected[i]);
    if (e > worst) [worst, worstAt] = [e, i];
  }
  expect(
    worst / scale,
    `worst parameter ${worstAt}: ${actual[worstAt]} vs ${expected[worstAt]}`,
  ).toBeLessThan(2e-4);
}

function makePolicy(space: unknown, kwargs: PolicyKwargs, seed: number, useSde = false) {
  const policy = new ActorCriticPolicy(
    OBS_DIM,
    headFromSpace(space, 'PPO'),
    { orthoInit: false, ...kwargs },
    new Random(seed),
    { useSde },
  );
  policy.syncInference();
  return policy;
}

/**
 * A minibatch whose old log-probabilities put the ratios r = π/π_old on both sides of the clip
 * range [0.8, 1.2] and beyond the dual clip 3 (log r = −0.5, 0.5, ±0.05, 1.5, ...), at least 0.05
 * away from every kink; old values and returns likewise put V on both branches of the value clip.
 */
function minibatch(policy: ActorCriticPolicy, seed: number): Minibatch {
  const rng = new Random(seed);
  const observations = Float32Array.from({ length: B * OBS_DIM }, () => rng.uniformRange(-1, 1));
  const head = policy.head;
  const actions =
    head.kind === 'diag-gaussian'
      ? Float32Array.from({ length: B * head.dim }, () => rng.uniformRange(-1.5, 1.5))
      : Float32Array.from({ length: B * head.nvec.length }, (_, k) =>
          Math.floor(rng.uniform() * head.nvec[k % head.nvec.length]),
        );
  const params = Float64Array.from(policy.getFlatParams());
  const { logProbs, values } = forward64(policy, params, observations, actions);
  const logRatio = [-0.5, 0.5, 0.05, -0.05, 1.5, -0.3, 0.1, 0];
  const valueOffset = [0.5, -0.5, 0.05, -0.05, 0.3, -0.3, 0.1, -0.02];
  const returnOffset = [1.0, -0.8, 0.6, 0.2, -1.2, 0.9, -0.4, 0.7];
  return {
    observations,
    actions,
    logProbs: Float32Array.from(logProbs, (lp, b) => lp - logRatio[b]),
    advantages: Float32Array.from([1.2, -0.7, 0.4, -1.1, -0.9, 0.8, -0.35, 0.6]),
    values: Float32Array.from(values, (v, b) => v + valueOffset[b]),
    returns: Float32Array.from(values, (v, b) => v + returnOffset[b]),
  };
}

const CLIP: PpoLossOptions = {
  objective: 'clip',
  clipRange: 0.2,
  dualClip: null,
  clipRangeVf: null,
  normalizeAdvantage: true,
  entCoef: 0.01,
  vfCoef: 0.5,
  klCoef: 0,
};

const HEADS: [string, unknown][] = [
  ['Discrete(3)', new Discrete(3)],
  ['MultiDiscrete([2, 3])', new MultiDiscrete([2, 3])],
  ['Box(2) (diagonal Gaussian)', new Box(-1, 1, [2])],
];

const CASES: [string, PolicyKwargs, PpoLossOptions][] = [
  ['surrogate only', { netArch: [5] }, { ...CLIP, entCoef: 0, vfCoef: 0 }],
  ['clip + value + entropy', { netArch: [5] }, CLIP],
  [
    'dual clip, clipped value loss, raw advantages, shared trunk',
    { netArch: { shared: [4], pi: [3], vf: [3] } },
    { ...CLIP, dualClip: 3, clipRangeVf: 0.2, normalizeAdvantage: false, entCoef: 0.1, vfCoef: 0.7 },
  ],
  ['KL penalty objective', { netArch: [5] }, { ...CLIP, objective: 'penalty', klCoef: 0.3, entCoef: 0.05 }],
];

describe('PPO gradient through tf.customGrad vs float64 finite differences', () => {
  for (const [headName, space] of HEADS) {
    for (const [caseName, kwargs, o] of CASES) {
      it(`${headName}: ${caseName}`, () => {
        const policy = makePolicy(space, { ...kwargs, logStdInit: -0.3 }, 11);
        const mb = minibatch(policy, 5);
        const theta = policy.getFlatParams();
        const stats = ppoLossAndGradient(policy, mb, o);
        const loss64 = ppoLoss64(policy, Float64Array.from(theta), mb, o);
        expect(Math.abs(stats.loss - loss64)).toBeLessThan(1e-5 * (1 + Math.abs(loss64)));
        if (o.objective === 'clip') {
          // the batch really has clipped and unclipped ratios (log r = ±0.5, 1.5 vs ±0.05, 0.1, 0)
          expect(stats.surrogate.clipFraction).toBeGreaterThan(0);
          expect(stats.surrogate.clipFraction).toBeLessThan(1);
        }
        const fd = finiteDifferences((x) => ppoLoss64(policy, x, mb, o), theta);
        expectGradientClose(stats.grads, fd);
        policy.dispose();
      });
    }
  }
});

describe('PPO gradient of a gSDE policy vs float64 finite differences (latent features held constant)', () => {
  for (const [caseName, o] of [
    ['clip + value + entropy', { ...CLIP, entCoef: 0.05 }],
    ['dual clip, clipped value loss', { ...CLIP, dualClip: 3, clipRangeVf: 0.2, normalizeAdvantage: false }],
  ] as [string, PpoLossOptions][]) {
    it(caseName, () => {
      const policy = makePolicy(new Box(-1, 1, [2]), { netArch: [4], logStdInit: -0.5 }, 19, true);
      const mb = minibatch(policy, 8);
      const theta = policy.getFlatParams();
      const frozen = forward64(policy, Float64Array.from(theta), mb.observations, mb.actions).latent;
      const stats = ppoLossAndGradient(policy, mb, o);
      const loss64 = ppoLoss64(policy, Float64Array.from(theta), mb, o, frozen);
      expect(Math.abs(stats.loss - loss64)).toBeLessThan(1e-5 * (1 + Math.abs(loss64)));
      expect(stats.surrogate.clipFraction).toBeGreaterThan(0);
      const fd = finiteDifferences((x) => ppoLoss64(policy, x, mb, o, frozen), theta);
      expectGradientClose(stats.grads, fd);
      policy.dispose();
    });
  }
});

describe('TRPO gradients vs float64 finite differences', () => {
  for (const [headName, space] of HEADS.filter(([n]) => !n.startsWith('Multi'))) {
    it(`${headName}: surrogate gradient w.r.t. the policy parameters`, () => {
      const policy = makePolicy(space, { netArch: [5], logStdInit: -0.3 }, 13);
      const mb = minibatch(policy, 6);
      const nPolicy = policy.actor.numParams + (policy.logStd ? policy.logStd.size : 0);
      const all = Float64Array.from(policy.getFlatParams());
      const surrogate64 = (x: Float64Array) => {
        all.set(x, 0);
        const { logProbs } = forward64(policy, all, mb.observations, mb.actions);
        return mean(Array.from(logProbs, (lp, b) => Math.exp(lp - mb.logProbs[b]) * mb.advantages[b]));
      };
      const policyParams = policy.policyParams();
      const r = surrogateGradient(policy, mb.observations, mb.actions, mb.advantages, mb.logProbs);
      expect(r.surrogate).toBeCloseTo(surrogate64(Float64Array.from(policyParams)), 5);
      expect(policyParams.length).toBe(nPolicy);
      expectGradientClose(r.grad, finiteDifferences(surrogate64, policyParams));
      policy.dispose();
    });
  }

  it('critic loss gradient w.r.t. the value parameters', () => {
    const policy = makePolicy(new Discrete(3), { netArch: [5] }, 17);
    const mb = minibatch(policy, 7);
    const theta = policy.getFlatParams();
    const start = theta.length - policy.critic.numParams;
    const all = Float64Array.from(theta);
    const loss64 = (x: Float64Array) => {
      all.set(x, start);
      const { values } = forward64(policy, all, mb.observations, mb.actions);
      return mean(Array.from(values, (v, b) => (v - mb.returns[b]) ** 2));
    };
    const r = criticLossAndGradient(policy, mb.observations, mb.returns);
    expect(r.loss).toBeCloseTo(loss64(Float64Array.from(theta.subarray(start))), 5);
    expectGradientClose(r.grad, finiteDifferences(loss64, theta.subarray(start)));
    policy.dispose();
  });
});
