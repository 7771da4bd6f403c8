import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Random } from '@proximal/core';
import { BaseEnv, Box, Discrete, makeVec, register, registeredIds } from '@proximal/envs';
import { describe, expect, it } from 'vitest';
import { backtrackingLineSearch, PPO, TRPO } from '../src/index.js';

/** One-step two-armed bandit: arm 0 pays 1, arm 1 pays 0; a constant observation. */
class TwoArmedBandit extends BaseEnv<Float32Array, number> {
  readonly observationSpace = new Box(new Float32Array([0]), new Float32Array([1]));
  readonly actionSpace = new Discrete(2);
  readonly metadata = { renderModes: [] };
  reset(options?: { seed?: number }) {
    this.seedFromReset(options);
    return { observation: Float32Array.from([1]), info: {} };
  }
  step(action: number) {
    return {
      observation: Float32Array.from([1]),
      reward: action === 0 ? 1 : 0,
      terminated: true,
      truncated: false,
      info: {},
    };
  }
}
if (!registeredIds().includes('TwoArmedBandit-v0')) {
  register({ id: 'TwoArmedBandit-v0', entryPoint: () => new TwoArmedBandit() });
}

describe('TRPO', () => {
  it('one step on a two-armed bandit lands on the KL boundary and favours the better arm', async () => {
    const targetKl = 0.01;
    const model = await TRPO.create({
      env: 'TwoArmedBandit-v0',
      numEnvs: 8,
      seed: 3,
      nSteps: 64,
      batchSize: 64,
      targetKl,
      cgMaxSteps: 50,
      cgDamping: 0,
      nCriticUpdates: 1,
      policyKwargs: { netArch: [] },
    });
    const obs = Float32Array.from([1]);
    let metrics: Record<string, number> = {};
    await model.learn({ totalTimesteps: 512, callback: (c) => void (metrics = c.metrics) });
    expect(metrics['train/is_line_search_success']).toBe(1);
    // the quadratic model of the KL puts the full step on the boundary; backtracking keeps it inside
    expect(metrics['train/kl_divergence_loss']).toBeLessThanOrEqual(targetKl);
    expect(metrics['train/kl_divergence_loss']).toBeGreaterThan(0.5 * targetKl);
    // the greedy action is now the better arm, and its probability rose from 1/2
    expect(model.predict(obs, { deterministic: true })).toBe(0);
    const { logProbs } = model.policy.act(obs, new Random(1), true);
    expect(Math.exp(logProbs[0])).toBeGreaterThan(0.5);
    model.dispose();
  });

  it('learns CartPole-v1: mean training return rises well above random', async () => {
    const model = await TRPO.create({
      env: 'CartPole-v1',
      numEnvs: 4,
      seed: 1,
      nSteps: 512,
      batchSize: 256,
      nCriticUpdates: 5,
    });
    const curve: number[] = [];
    await model.learn({
      totalTimesteps: 24_576,
      callback: (c) => void curve.push(c.metrics['rollout/ep_rew_mean']),
    });
    expect(curve[0]).toBeLessThan(45);
    expect(curve.at(-1)!).toBeGreaterThan(100);
    model.dispose();
  }, 300_000);

  it('save/load round trip; a PPO checkpoint is refused', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'proximal-trpo-'));
    try {
      const m = await TRPO.create({ env: 'CartPole-v1', numEnvs: 2, seed: 1, nSteps: 64, batchSize: 64 });
      await m.learn({ totalTimesteps: 128 });
      await m.save(join(dir, 'trpo'));
      const l = await TRPO.load(join(dir, 'trpo'));
      expect(l.policy.getFlatParams()).toEqual(m.policy.getFlatParams());
      expect(l.numTimesteps).toBe(128);
      const p = await PPO.create({ env: 'CartPole-v1', nSteps: 32, batchSize: 32 });
      await p.save(join(dir, 'ppo'));
      await expect(TRPO.load(join(dir, 'ppo'))).rejects.toThrow(/holds a PPO model, not TRPO/);
      m.dispose();
      l.dispose();
      p.dispose();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('rejects invalid hyperparameters and unsupported action spaces', async () => {
    await expect(TRPO.create({ env: 'CartPole-v1', cgDamping: -1 })).rejects.toThrow(
      /cgDamping must be a finite number ≥ 0, got -1/,
    );
    await expect(TRPO.create({ env: 'CartPole-v1', lineSearchShrinkingFactor: 1 })).rejects.toThrow(
      /lineSearchShrinkingFactor/,
    );
    await expect(
      TRPO.create({ env: 'CartPole-v1', policyKwargs: { netArch: [64, 0] as number[] } }),
    ).rejects.toThrow(/policyKwargs.netArch must be an array of integers in \[1, 65536\]/);
    await expect(TRPO.create({ env: 'CartPole-v1', sdeSampleFreq: 1.5 })).rejects.toThrow(/sdeSampleFreq/);
    await expect(TRPO.create({ env: makeVec('CartPole-v1', { numEnvs: 1 }) })).rejects.toThrow(/same-step/);
  });
});

describe('backtrackingLineSearch', () => {
  it('rejects steps that raise the KL past the target and accepts the first inside', () => {
    const tried: number[] = [];
    const r = backtrackingLineSearch(
      (f) => {
        tried.push(f);
        return { kl: 0.02 * f * f, surrogate: f };
      },
      { oldSurrogate: 0, targetKl: 0.01, shrink: 0.8, maxIter: 10 },
    );
    expect(r.accepted).toBe(true);
    expect(tried.slice(0, 2)).toEqual([1, 0.8]);
    expect(r.fraction).toBeCloseTo(0.8 ** 2, 12); // 0.02·0.64 = 0.0128 > 0.01, 0.02·0.4096 = 0.0082
    expect(r.tries).toBe(3);
  });

  it('rejects a step that does not improve the surrogate, and gives up after maxIter', () => {
    const r = backtrackingLineSearch(() => ({ kl: 0, surrogate: -1 }), {
      oldSurrogate: 0,
      targetKl: 0.01,
      shrink: 0.5,
      maxIter: 4,
    });
    expect(r).toMatchObject({ accepted: false, fraction: 0, tries: 4 });
    expect(() =>
      backtrackingLineSearch(() => ({ kl: 0, surrogate: 1 }), {
        oldSurrogate: 0,
        targetKl: 1,
        shrink: 1,
        maxIter: 1,
      }),
    ).toThrow(/shrink/);
  });
});
