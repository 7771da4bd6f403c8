import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeVec } from '@proximal/envs';
import { describe, expect, it } from 'vitest';
import { evaluatePolicy, linearSchedule, PPO } from '../src/index.js';

const small = { nSteps: 32, batchSize: 32, nEpochs: 4, gamma: 0.98, gaeLambda: 0.8 };

describe('PPO', () => {
  it('learns CartPole-v1: mean training return rises well above random (~22)', async () => {
    const model = await PPO.create({
      env: 'CartPole-v1',
      numEnvs: 8,
      seed: 3,
      ...small,
      batchSize: 256,
      nEpochs: 10,
      learningRate: linearSchedule(1e-3),
    });
    const curve: number[] = [];
    await model.learn({
      totalTimesteps: 30_000,
      callback: (ctx) => {
        curve.push(ctx.metrics['rollout/ep_rew_mean']);
        return undefined;
      },
    });
    const early = curve.find((x) => Number.isFinite(x))!;
    const late = curve[curve.length - 1];
    expect(early).toBeLessThan(40);
    expect(late).toBeGreaterThan(100);
    const ev = await evaluatePolicy(
      model,
      makeVec('CartPole-v1', { numEnvs: 5, autoresetMode: 'same-step' }),
      {
        nEvalEpisodes: 10,
        seed: 99,
      },
    );
    expect(ev.meanReward).toBeGreaterThan(100);
    model.dispose();
  }, 300_000);

  it('is deterministic: same seed, same parameters after training', async () => {
    const run = async (seed: number) => {
      const m = await PPO.create({ env: 'CartPole-v1', numEnvs: 2, seed, ...small });
      await m.learn({ totalTimesteps: 256 });
      const p = m.policy.getFlatParams();
      m.dispose();
      return Array.from(p.slice(0, 50)).concat(Array.from(p.slice(-20)));
    };
    const a = await run(5);
    expect(await run(5)).toEqual(a);
    expect(await run(6)).not.toEqual(a);
  });

  it('save/load round trip reproduces predictions and metadata', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'proximal-ppo-'));
    try {
      const m = await PPO.create({
        env: 'CartPole-v1',
        numEnvs: 2,
        seed: 1,
        ...small,
        learningRate: linearSchedule(1e-3),
      });
      await m.learn({ totalTimesteps: 128 });
      await m.save(join(dir, 'model'));
      const loaded = await PPO.load(join(dir, 'model'));
      const obs = Float32Array.from({ length: 40 }, (_, i) => Math.sin(i));
      expect(Array.from(loaded.predict(obs, { deterministic: true }) as Float32Array)).toEqual(
        Array.from(m.predict(obs, { deterministic: true }) as Float32Array),
      );
      expect(loaded.policy.getFlatParams()).toEqual(m.policy.getFlatParams());
      expect(loaded.numTimesteps).toBe(m.numTimesteps);
      expect(loaded.hyperparameters.nSteps).toBe(32);
      expect(loaded.hyperparameters.learningRate).toBeTypeOf('function');
      m.dispose();
      loaded.dispose();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('rejects bad input with clear errors', async () => {
    await expect(PPO.create({ env: 'CartPole-v1', nSteps: 0 })).rejects.toThrow(
      /nSteps must be a positive integer, got 0/,
    );
    await expect(PPO.create({ env: 'CartPole-v1', batchSize: 10_000, nSteps: 8 })).rejects.toThrow(
      /batchSize must be ≤ nSteps \* numEnvs = 8/,
    );
    await expect(PPO.create({ env: 'CartPole-v1', gamma: 2 })).rejects.toThrow(/gamma/);
    await expect(PPO.create({ env: 'NoSuchEnv-v0' })).rejects.toThrow(/CartPole-v1/);
    await expect(PPO.create({ env: makeVec('CartPole-v1', { numEnvs: 1 }) })).rejects.toThrow(/same-step/);
    const m = await PPO.create({ env: 'CartPole-v1', ...small });
    await expect(m.learn({ totalTimesteps: -5 })).rejects.toThrow(/totalTimesteps/);
    expect(() => m.predict(new Float32Array(3))).toThrow(
      /observation has length 3, expected a positive multiple of obsDim = 4/,
    );
    m.dispose();
    const dir = await mkdtemp(join(tmpdir(), 'proximal-bad-'));
    try {
      await expect(PPO.load(dir)).rejects.toThrow(/does not hold a Proximal model/);
      await writeFile(
        join(dir, 'proximal.json'),
        JSON.stringify({ format: 'proximal-model', formatVersion: 1, algorithm: 'TRPO' }),
      );
      await expect(PPO.load(dir)).rejects.toThrow(/holds a TRPO model, not PPO/);
      // a save cut short: the error names the file instead of a bare JSON parse error
      const full = JSON.stringify({ format: 'proximal-model', formatVersion: 1, algorithm: 'PPO' });
      await writeFile(join(dir, 'proximal.json'), full.slice(0, 30));
      const truncated = PPO.load(dir);
      await expect(truncated).rejects.toThrow(/proximal\.json is corrupt or truncated \(/);
      await expect(PPO.load(dir)).rejects.toThrow(dir);
      await writeFile(join(dir, 'proximal.json'), '[1, 2]');
      await expect(PPO.load(dir)).rejects.toThrow(
        /proximal\.json is corrupt: expected a JSON object, got \[1,2\]/,
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('shared trunk', () => {
  it('PPO with a shared trunk trains, round-trips through save/load, and TRPO refuses it', async () => {
    const { TRPO } = await import('../src/index.js');
    const netArch = { shared: [32], pi: [16], vf: [16] };
    const m = await PPO.create({
      env: 'CartPole-v1',
      numEnvs: 4,
      seed: 1,
      ...small,
      batchSize: 64,
      policyKwargs: { netArch },
    });
    expect(m.policy.trunk).not.toBeNull();
    expect(m.policy.numParams).toBe(4 * 32 + 32 + (32 * 16 + 16 + 16 * 2 + 2) + (32 * 16 + 16 + 16 + 1));
    await m.learn({ totalTimesteps: 512 });
    const dir = await mkdtemp(join(tmpdir(), 'proximal-trunk-'));
    try {
      await m.save(dir);
      const l = await PPO.load(dir);
      expect(l.policy.getFlatParams()).toEqual(m.policy.getFlatParams());
      const obs = Float32Array.from([0.01, 0.2, -0.03, -0.1]);
      expect(l.policy.predictValues(obs)[0]).toBeCloseTo(m.policy.predictValues(obs)[0], 6);
      l.dispose();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    m.dispose();
    await expect(TRPO.create({ env: 'CartPole-v1', policyKwargs: { netArch } })).rejects.toThrow(
      /separate policy and value networks/,
    );
  });
});
