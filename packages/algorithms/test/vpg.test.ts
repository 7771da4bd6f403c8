import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Random } from '@proximal/core';
import { BaseEnv, Box, Discrete, type EnvMetadata, register, registeredIds } from '@proximal/envs';
import { afterAll, describe, expect, it } from 'vitest';
import {
  ADVANTAGE_ESTIMATORS,
  linearSchedule,
  PPO,
  VPG,
  VPG_DEFAULTS,
  type VpgOptions,
} from '../src/index.js';

const work = await mkdtemp(join(tmpdir(), 'proximal-vpg-'));
afterAll(() => rm(work, { recursive: true, force: true }));

/** Episodes of exactly 3 steps, reward 1 each, terminated; the observation is the step count. */
class ThreeSteps extends BaseEnv<Float32Array, number> {
  readonly observationSpace = new Box(0, 3, [1]);
  readonly actionSpace = new Discrete(2);
  readonly metadata: EnvMetadata = { renderModes: [] };
  private t = 0;
  reset() {
    this.t = 0;
    return { observation: Float32Array.of(0), info: {} };
  }
  step() {
    this.t++;
    return {
      observation: Float32Array.of(this.t),
      reward: 1,
      terminated: this.t >= 3,
      truncated: false,
      info: {},
    };
  }
}
/** One-step two-armed bandit: arm 0 pays 1, arm 1 pays 0. */
class Bandit extends BaseEnv<Float32Array, number> {
  readonly observationSpace = new Box(0, 1, [1]);
  readonly actionSpace = new Discrete(2);
  readonly metadata: EnvMetadata = { renderModes: [] };
  reset() {
    return { observation: Float32Array.of(1), info: {} };
  }
  step(action: number) {
    return {
      observation: Float32Array.of(1),
      reward: action === 0 ? 1 : 0,
      terminated: true,
      truncated: false,
      info: {},
    };
  }
}
if (!registeredIds().includes('VpgBandit-v0'))
  register({ id: 'VpgBandit-v0', entryPoint: () => new Bandit() });
if (!registeredIds().includes('VpgThreeSteps-v0')) {
  register({ id: 'VpgThreeSteps-v0', entryPoint: () => new ThreeSteps() });
}

describe('VPG', () => {
  it('defaults are Spinning Up’s (pi_lr, vf_lr, train_v_iters, gamma, lam, steps_per_epoch, MLPActorCritic)', async () => {
    expect(VPG_DEFAULTS).toMatchObject({
      learningRate: 3e-4,
      vfLearningRate: 1e-3,
      trainVIters: 80,
      gamma: 0.99,
      gaeLambda: 0.97,
      nSteps: 4000,
      batchSize: 4000,
      advantageEstimator: 'gae',
      normalizeAdvantage: true,
      policyKwargs: { netArch: [64, 64], activationFn: 'tanh', orthoInit: false, logStdInit: -0.5 },
    });
    // batchSize defaults to the whole rollout, whatever nSteps and numEnvs are
    const m = await VPG.create({ env: 'CartPole-v1', numEnvs: 3, nSteps: 10, seed: 1 });
    expect(m.hyperparameters.batchSize).toBe(30);
    expect(m.hyperparameters.trainVIters).toBe(80);
    m.dispose();
  });

  it('refuses bad hyperparameters and unknown options, naming them', async () => {
    await expect(VPG.create({ env: 'CartPole-v1', train_v_iters: 5 } as VpgOptions)).rejects.toThrow(
      /unknown option 'train_v_iters' \(did you mean 'trainVIters'\?\)/,
    );
    await expect(VPG.create({ env: 'CartPole-v1', clipRange: 0.2 } as VpgOptions)).rejects.toThrow(
      /VPG options: unknown option 'clipRange'/,
    );
    await expect(
      VPG.create({ env: 'CartPole-v1', advantageEstimator: 'montecarlo' as never }),
    ).rejects.toThrow(
      /advantageEstimator must be 'totalReturn' \| 'rewardToGo' \| 'rewardToGoBaseline' \| 'gae', got "montecarlo"/,
    );
    await expect(VPG.create({ env: 'CartPole-v1', trainVIters: 0 })).rejects.toThrow(
      /trainVIters must be a positive integer, got 0/,
    );
    await expect(VPG.create({ env: 'CartPole-v1', vfLearningRate: -1 })).rejects.toThrow(/vfLearningRate/);
    await expect(VPG.create({ env: 'CartPole-v1', nSteps: 10, batchSize: 11 })).rejects.toThrow(
      /batchSize must be ≤ nSteps \* numEnvs = 10, got 11/,
    );
    await expect(VPG.create({ env: 'CartPole-v1', gaeLambda: 1.5 })).rejects.toThrow(/gaeLambda/);
    await expect(
      VPG.create({
        env: 'CartPole-v1',
        nSteps: 8,
        policyKwargs: { netArch: { shared: [8], pi: [8], vf: [8] } },
      }),
    ).rejects.toThrow(/policyKwargs.netArch.shared must be empty/);
  });

  it('totalReturn in training: an episode cut by the rollout end continues in the next rollout', async () => {
    // γ = 0.5, episodes of 3 steps with reward 1: R(τ) = 1 + 0.5 + 0.25 = 1.75 for every step
    // nSteps = 4: rollout 1 = episode 1 + the first step of episode 2 (cut, bootstrapped with V);
    // rollout 2 = the last two steps of episode 2 (R = 1 from rollout 1 + 0.5·(1 + 0.5) = 1.75), …
    const m = await VPG.create({
      env: 'VpgThreeSteps-v0',
      seed: 2,
      nSteps: 4,
      gamma: 0.5,
      advantageEstimator: 'totalReturn',
      normalizeAdvantage: false,
      trainVIters: 1,
      policyKwargs: { netArch: [4] },
    });
    const buffer = (m as unknown as { buffer: { advantages: Float32Array } }).buffer;
    const psi: number[][] = [];
    const record = () => void psi.push(Array.from(buffer.advantages));
    await m.learn({ totalTimesteps: 8, callback: record });
    expect(psi[0].slice(0, 3)).toEqual([1.75, 1.75, 1.75]);
    expect(psi[0][3]).not.toBe(1.75); // 1 + 0.5·V(s), V learned
    expect(psi[1].slice(0, 2)).toEqual([1.75, 1.75]);
    // a new learn resets the envs: the episode in progress is dropped, not continued
    psi.length = 0;
    await m.learn({ totalTimesteps: 4, callback: record });
    expect(psi[0].slice(0, 3)).toEqual([1.75, 1.75, 1.75]);
    m.dispose();
  });

  it('learns CartPole-v1 with the default GAE estimator: mean training return rises well above random', async () => {
    const m = await VPG.create({
      env: 'CartPole-v1',
      numEnvs: 4,
      seed: 1,
      nSteps: 250,
      learningRate: 1e-2,
      trainVIters: 10,
      policyKwargs: { netArch: [32] },
    });
    const curve: number[] = [];
    // seeds 1, 2, 3 reach 145, 166, 198 here (rising steadily); random play gives ~22
    await m.learn({
      totalTimesteps: 40_000,
      callback: (c) => void curve.push(c.metrics['rollout/ep_rew_mean']),
    });
    expect(curve[0]).toBeLessThan(35);
    expect(curve.at(-1)!).toBeGreaterThan(100);
    m.dispose();
  });

  it('every advantageEstimator moves a two-armed bandit towards the better arm', async () => {
    for (const advantageEstimator of ADVANTAGE_ESTIMATORS) {
      const m = await VPG.create({
        env: 'VpgBandit-v0',
        numEnvs: 8,
        seed: 4,
        nSteps: 8,
        learningRate: 0.1,
        trainVIters: 5,
        advantageEstimator,
        policyKwargs: { netArch: [] },
      });
      const obs = Float32Array.of(1);
      const p0 = () => Math.exp(m.policy.act(obs, new Random(0), true).logProbs[0]);
      const before = p0();
      await m.learn({ totalTimesteps: 640 });
      expect(m.predict(obs, { deterministic: true }), advantageEstimator).toBe(0);
      expect(p0(), advantageEstimator).toBeGreaterThan(Math.max(0.8, before + 0.1));
      m.dispose();
    }
  });

  it('trains a Gaussian policy (Pendulum-v1) from Spinning Up’s initial log-std −0.5', async () => {
    const m = await VPG.create({ env: 'Pendulum-v1', numEnvs: 2, seed: 5, nSteps: 32, trainVIters: 2 });
    expect(Array.from(m.policy.logStd!.dataSync())).toEqual([-0.5]);
    const metrics: Record<string, number>[] = [];
    await m.learn({ totalTimesteps: 128, callback: (c) => void metrics.push(c.metrics) });
    expect(metrics).toHaveLength(2);
    const last = metrics[1];
    for (const k of ['train/policy_gradient_loss', 'train/value_loss', 'train/approx_kl', 'train/std'])
      expect(Number.isFinite(last[k]), k).toBe(true);
    expect(last['train/std']).not.toBeCloseTo(Math.exp(-0.5), 9); // the policy step moved the log-std
    const action = m.predict(Float32Array.of(1, 0, 0), { deterministic: true }) as Float32Array;
    expect(action).toBeInstanceOf(Float32Array);
    expect(Math.abs(action[0])).toBeLessThanOrEqual(2);
    m.dispose();
  });

  it('is deterministic with a seed', async () => {
    const run = async () => {
      const m = await VPG.create({
        env: 'CartPole-v1',
        numEnvs: 2,
        seed: 7,
        nSteps: 32,
        batchSize: 16,
        trainVIters: 3,
      });
      await m.learn({ totalTimesteps: 128 });
      const p = m.policy.getFlatParams();
      m.dispose();
      return p;
    };
    expect(await run()).toEqual(await run());
  });

  it('save/load round trip gives identical predictions; resume continues exactly; a PPO checkpoint is refused', async () => {
    const options: VpgOptions = {
      env: 'VpgThreeSteps-v0',
      numEnvs: 2,
      seed: 3,
      nSteps: 6, // a multiple of the episode length: every rollout ends with fresh episodes
      batchSize: 4,
      trainVIters: 3,
      learningRate: linearSchedule(1e-2),
      vfLearningRate: linearSchedule(1e-2),
      policyKwargs: { netArch: [8] },
    };
    const whole = await VPG.create(options);
    await whole.learn({ totalTimesteps: 48 });
    const half = await VPG.create(options);
    // interrupted half-way, as the CLI does on Ctrl-C: a callback stops training
    await half.learn({ totalTimesteps: 48, callback: (c) => c.numTimesteps < 24 });
    expect(half.numTimesteps).toBe(24);
    await half.save(join(work, 'half'));
    const loaded = await VPG.load(join(work, 'half'));
    expect(loaded.policy.getFlatParams()).toEqual(half.policy.getFlatParams());
    const obs = Float32Array.of(0, 1, 2, 3);
    expect(loaded.predict(obs, { deterministic: true })).toEqual(half.predict(obs, { deterministic: true }));
    expect(loaded.policy.predictValues(obs)).toEqual(half.policy.predictValues(obs));
    expect(loaded.hyperparameters.batchSize).toBe(4);
    expect(loaded.targetTimesteps).toBe(48);
    await loaded.learn({ totalTimesteps: 24, resetNumTimesteps: false });
    expect(loaded.numTimesteps).toBe(48);
    expect(loaded.policy.getFlatParams()).toEqual(whole.policy.getFlatParams());
    const p = await PPO.create({ env: 'CartPole-v1', nSteps: 32, batchSize: 32 });
    await p.save(join(work, 'ppo'));
    await expect(VPG.load(join(work, 'ppo'))).rejects.toThrow(/holds a PPO model, not VPG/);
    for (const x of [whole, half, loaded, p]) x.dispose();
  });
});
