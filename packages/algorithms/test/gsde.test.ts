import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gsdeDistributions, Random } from '@proximal/core';
import { BaseEnv, Box, register, registeredIds } from '@proximal/envs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ActorCriticPolicy, initTf, PPO, TRPO, tf } from '../src/index.js';

const LOG_2PI = Math.log(2 * Math.PI);

beforeAll(async () => {
  await initTf('wasm');
});

const head = (dim: number) => ({
  kind: 'diag-gaussian' as const,
  dim,
  low: new Float32Array(dim).fill(-10),
  high: new Float32Array(dim).fill(10),
});

/** A small gSDE policy (obs 3 → [5] tanh → 2 actions) with random log-std entries. */
function smallPolicy(fullStd: boolean, useExpln: boolean, seed = 1) {
  const rng = new Random(seed);
  const policy = new ActorCriticPolicy(3, head(2), { netArch: [5], fullStd, useExpln }, rng, {
    useSde: true,
  });
  const p = policy.getFlatParams();
  const actorSize = policy.actor.numParams;
  // larger output weights than the 0.01-gain init, and log-stds on both sides of 0 (expln branches)
  for (let k = 0; k < actorSize; k++) p[k] = 0.8 * (rng.uniform() * 2 - 1);
  for (let k = actorSize; k < actorSize + policy.logStd!.size; k++) p[k] = rng.uniform() * 2 - 1.2;
  policy.setFlatParams(p);
  policy.syncInference();
  return { policy, rng };
}

/**
 * The reference distribution rows (latent z, means, stds) of core's float64 gSDE math, itself
 * checked against the direct formulas in @proximal/core's test/gsde.test.ts.
 */
function direct(policy: ActorCriticPolicy, obs: Float32Array) {
  const { latent, mean, sigma } = gsdeDistributions(policy.gsdeShape(), policy.getFlatParams(), obs);
  const d = policy.latentDim;
  const m = mean.length / (obs.length / policy.actor.layers[0].inSize);
  return Array.from({ length: mean.length / m }, (_, b) => ({
    z: Array.from(latent.subarray(b * d, (b + 1) * d)),
    mean: Array.from(mean.subarray(b * m, (b + 1) * m)),
    sigma: Array.from(sigma.subarray(b * m, (b + 1) * m)),
  }));
}

const logProbOf = (a: ArrayLike<number>, mean: number[], sigma: number[]) =>
  mean.reduce((s, mu, j) => s - 0.5 * ((a[j] - mu) / sigma[j]) ** 2 - Math.log(sigma[j]) - 0.5 * LOG_2PI, 0);

describe('gSDE distribution', () => {
  for (const [fullStd, useExpln] of [
    [true, false],
    [false, false],
    [true, true],
  ] as const) {
    it(`log-probabilities and entropies match the direct formula (fullStd ${fullStd}, useExpln ${useExpln})`, () => {
      const { policy, rng } = smallPolicy(fullStd, useExpln);
      const obs = Float32Array.from({ length: 4 * 3 }, () => rng.uniform() * 2 - 1);
      const ref = direct(policy, obs);
      policy.resetNoise(4, rng);
      const { actions, logProbs } = policy.act(obs, rng);
      const { logProbs: tfLp, entropy } = tf.tidy(() => {
        const out = policy.evaluateActions(tf.tensor2d(obs, [4, 3]), {
          continuous: tf.tensor2d(actions, [4, 2]),
        });
        return { logProbs: out.logProbs.dataSync(), entropy: out.entropy.dataSync() };
      });
      ref.forEach((r, b) => {
        const a = actions.subarray(b * 2, b * 2 + 2);
        const lp = logProbOf(a, r.mean, r.sigma);
        expect(logProbs[b]).toBeCloseTo(lp, 4);
        expect(tfLp[b]).toBeCloseTo(lp, 4);
        const h = r.sigma.reduce((s, sg) => s + Math.log(sg) + 0.5 * (LOG_2PI + 1), 0);
        expect(entropy[b]).toBeCloseTo(h, 4);
        // the sample is μ(s) + z(s)·W_b with env b's exploration matrix
        for (let j = 0; j < 2; j++) {
          let noise = 0;
          for (let i = 0; i < 5; i++) noise += r.z[i] * policy.explorationMatrices![b * 10 + i * 2 + j];
          expect(a[j]).toBeCloseTo(r.mean[j] + noise, 4);
        }
      });
      // deterministic actions are the means
      const det = policy.act(obs, rng, true).actions;
      ref.forEach((r, b) => {
        expect(det[b * 2]).toBeCloseTo(r.mean[0], 5);
        expect(det[b * 2 + 1]).toBeCloseTo(r.mean[1], 5);
      });
      policy.dispose();
    });
  }

  it('samples over fresh noise matrices have the distribution’s standard deviation', () => {
    const { policy, rng } = smallPolicy(true, false, 2);
    const obs = Float32Array.from([0.3, -0.5, 0.9]);
    const r = direct(policy, obs)[0];
    const n = 4000;
    const sums = [0, 0];
    const sq = [0, 0];
    for (let k = 0; k < n; k++) {
      policy.resetNoise(1, rng);
      const a = policy.act(obs, rng).actions;
      for (let j = 0; j < 2; j++) {
        sums[j] += a[j] - r.mean[j];
        sq[j] += (a[j] - r.mean[j]) ** 2;
      }
    }
    for (let j = 0; j < 2; j++) {
      expect(Math.abs(sums[j] / n)).toBeLessThan(0.1 * r.sigma[j]);
      expect(Math.sqrt(sq[j] / n) / r.sigma[j]).toBeGreaterThan(0.94);
      expect(Math.sqrt(sq[j] / n) / r.sigma[j]).toBeLessThan(1.06);
    }
    policy.dispose();
  });

  it('the variance sees the features as constants: the entropy has no gradient in the network', () => {
    const { policy } = smallPolicy(true, false, 3);
    const obs = tf.tensor2d([0.1, 0.2, 0.3, -0.4, 0.5, -0.6], [2, 3]);
    const acts = tf.tensor2d([0, 0, 0, 0], [2, 2]);
    const vars = [...policy.actor.variables, policy.logStd!];
    const { grads } = tf.variableGrads(
      () => tf.mean(policy.evaluateActions(obs, { continuous: acts }).entropy) as tf.Scalar,
      vars,
    );
    const absMax = (t: tf.Tensor | undefined) => (t ? Math.max(...t.abs().dataSync()) : 0);
    for (const v of policy.actor.variables) expect(absMax(grads[v.name])).toBe(0);
    expect(absMax(grads[policy.logStd!.name])).toBeGreaterThan(0);
    tf.dispose([obs, acts, ...Object.values(grads)]);
    policy.dispose();
  });

  it('useSde needs a Box action space', () => {
    expect(
      () => new ActorCriticPolicy(2, { kind: 'categorical', nvec: [3] }, {}, new Random(1), { useSde: true }),
    ).toThrow(/Box/);
  });
});

/** Constant observation, wide Box actions; records every action it receives. */
class RecordingEnv extends BaseEnv<Float32Array, Float32Array> {
  static log: number[][] = [];
  readonly observationSpace = new Box(new Float32Array([-1, -1]), new Float32Array([1, 1]));
  readonly actionSpace = new Box(new Float32Array([-100]), new Float32Array([100]));
  readonly metadata = { renderModes: [] };
  readonly id = RecordingEnv.log.push([]) - 1;
  reset(options?: { seed?: number }) {
    this.seedFromReset(options);
    return { observation: Float32Array.from([0.5, -0.5]), info: {} };
  }
  step(action: Float32Array) {
    RecordingEnv.log[this.id].push(action[0]);
    return {
      observation: Float32Array.from([0.5, -0.5]),
      reward: 0,
      terminated: false,
      truncated: false,
      info: {},
    };
  }
}
if (!registeredIds().includes('GsdeRecording-v0')) {
  register({ id: 'GsdeRecording-v0', entryPoint: () => new RecordingEnv() });
}

/** Number of runs of equal consecutive values. */
const runs = (xs: number[]) => xs.filter((x, i) => i === 0 || x !== xs[i - 1]).length;

describe('gSDE in rollouts', () => {
  for (const [freq, expected] of [
    [4, 4],
    [-1, 1],
    [1, 16],
  ] as const) {
    it(`draws a new noise matrix every sdeSampleFreq = ${freq} steps (once per rollout when ≤ 0)`, async () => {
      RecordingEnv.log = [];
      const model = await PPO.create({
        env: 'GsdeRecording-v0',
        numEnvs: 2,
        seed: 5,
        nSteps: 16,
        batchSize: 32,
        nEpochs: 1,
        useSde: true,
        sdeSampleFreq: freq,
        policyKwargs: { netArch: [8] },
      });
      await model.learn({ totalTimesteps: 64 });
      const [a, b] = RecordingEnv.log;
      expect(a.length).toBe(64 / 2);
      // the observation never changes, so the action changes only when the noise does
      for (let r = 0; r < 2; r++) {
        expect(runs(a.slice(r * 16, r * 16 + 16))).toBe(expected);
        expect(runs(b.slice(r * 16, r * 16 + 16))).toBe(expected);
      }
      expect(a[0]).not.toBe(b[0]); // one matrix per env
      model.dispose();
    });
  }
});

/** One-step continuous bandit: reward −(a − 0.5)²; the optimum is a = 0.5. */
class Target extends BaseEnv<Float32Array, Float32Array> {
  readonly observationSpace = new Box(new Float32Array([0]), new Float32Array([1]));
  readonly actionSpace = new Box(new Float32Array([-1]), new Float32Array([1]));
  readonly metadata = { renderModes: [] };
  reset(options?: { seed?: number }) {
    this.seedFromReset(options);
    return { observation: Float32Array.from([1]), info: {} };
  }
  step(action: Float32Array) {
    return {
      observation: Float32Array.from([1]),
      reward: -((action[0] - 0.5) ** 2),
      terminated: true,
      truncated: false,
      info: {},
    };
  }
}
if (!registeredIds().includes('GsdeTarget-v0'))
  register({ id: 'GsdeTarget-v0', entryPoint: () => new Target() });

describe('PPO and TRPO with gSDE', () => {
  it('PPO moves the mean action to the optimum and saves/loads the gSDE log-std', async () => {
    const model = await PPO.create({
      env: 'GsdeTarget-v0',
      numEnvs: 8,
      seed: 1,
      nSteps: 32,
      batchSize: 64,
      nEpochs: 5,
      learningRate: 3e-3,
      useSde: true,
      sdeSampleFreq: 1,
      policyKwargs: { netArch: [16], logStdInit: -1 },
    });
    await model.learn({ totalTimesteps: 8192 });
    const a = model.predict(Float32Array.from([1]), { deterministic: true }) as Float32Array;
    expect(Math.abs(a[0] - 0.5)).toBeLessThan(0.15);
    expect(model.policy.logStd!.shape).toEqual([16, 1]);
    const dir = await mkdtemp(join(tmpdir(), 'proximal-gsde-'));
    try {
      await model.save(dir);
      const loaded = await PPO.load(dir);
      expect(loaded.hyperparameters.useSde).toBe(true);
      expect(Array.from(loaded.policy.getFlatParams())).toEqual(Array.from(model.policy.getFlatParams()));
      expect(
        (loaded.predict(Float32Array.from([1]), { deterministic: true }) as Float32Array)[0],
      ).toBeCloseTo(a[0], 6);
      loaded.dispose();
    } finally {
      await rm(dir, { recursive: true, force: true });
      model.dispose();
    }
  });

  it('TRPO takes natural-gradient steps inside the trust region with the gSDE Fisher', async () => {
    const targetKl = 0.02;
    const model = await TRPO.create({
      env: 'GsdeTarget-v0',
      numEnvs: 8,
      seed: 2,
      nSteps: 64,
      batchSize: 128,
      targetKl,
      useSde: true,
      sdeSampleFreq: 1,
      policyKwargs: { netArch: [16], logStdInit: -1 },
    });
    const kls: number[] = [];
    let accepted = 0;
    await model.learn({
      totalTimesteps: 8192,
      callback: (c) => {
        kls.push(c.metrics['train/kl_divergence_loss']);
        accepted += c.metrics['train/is_line_search_success'];
        return undefined;
      },
    });
    expect(accepted).toBeGreaterThan(kls.length / 2);
    for (const kl of kls) expect(kl).toBeLessThanOrEqual(targetKl);
    const a = model.predict(Float32Array.from([1]), { deterministic: true }) as Float32Array;
    expect(Math.abs(a[0] - 0.5)).toBeLessThan(0.2);
    model.dispose();
  });
});
