import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Adam, RMSprop } from '@proximal/core';
import { afterAll, describe, expect, it } from 'vitest';
import { a2cLossAndGradient } from '../src/a2c/loss.js';
import { A2C, A2C_DEFAULTS, linearSchedule, PPO } from '../src/index.js';

const work = await mkdtemp(join(tmpdir(), 'proximal-a2c-'));
afterAll(() => rm(work, { recursive: true, force: true }));

describe('A2C', () => {
  it("has Stable-Baselines3's defaults (RMSprop α = 0.99, ε = 1e-5, one step per rollout)", async () => {
    expect(A2C_DEFAULTS).toEqual({
      learningRate: 7e-4,
      nSteps: 5,
      gamma: 0.99,
      gaeLambda: 1,
      entCoef: 0,
      vfCoef: 0.5,
      maxGradNorm: 0.5,
      rmsPropEps: 1e-5,
      useRmsProp: true,
      normalizeAdvantage: false,
      useSde: false,
      sdeSampleFreq: -1,
      policyKwargs: { netArch: [64, 64], activationFn: 'tanh' },
    });
    const m = await A2C.create({ env: 'CartPole-v1', numEnvs: 2, seed: 0 });
    expect(m.optimizer).toBeInstanceOf(RMSprop);
    expect(m.optimizer.toJSON()).toMatchObject({
      learningRate: 7e-4,
      alpha: 0.99,
      epsilon: 1e-5,
      centered: false,
    });
    await m.learn({ totalTimesteps: 3 * 5 * 2 });
    expect(m.numTimesteps).toBe(30);
    expect(m.optimizer.t).toBe(3); // one gradient step per rollout of nSteps × numEnvs = 10
    m.dispose();
    const adam = await A2C.create({ env: 'CartPole-v1', seed: 0, useRmsProp: false });
    expect(adam.optimizer).toBeInstanceOf(Adam);
    expect(adam.optimizer.toJSON()).toMatchObject({ learningRate: 7e-4, epsilon: 1e-5 });
    adam.dispose();
  });

  it('the loss and its gradient match a hand computation (linear softmax policy and linear critic)', async () => {
    const m = await A2C.create({ env: 'CartPole-v1', seed: 1, policyKwargs: { netArch: [] } });
    const D = 4;
    const K = 2;
    // flat layout: actor W [D, K] row-major, actor b [K], critic W [D, 1], critic b [1]
    expect(m.policy.numParams).toBe(D * K + K + D + 1);
    const params = Float32Array.from({ length: m.policy.numParams }, (_, i) => Math.sin(1.7 * i + 0.3));
    m.policy.setFlatParams(params);
    const B = 3;
    const obs = Float32Array.of(0.5, -1, 0.25, 2, -0.3, 0.8, -1.5, 0.1, 1, 1, -0.5, -0.7);
    const actions = Float32Array.of(1, 0, 1);
    const advantages = Float32Array.of(1.5, -0.5, 0.75);
    const returns = Float32Array.of(2, -1, 0.5);
    const entCoef = 0.1;
    const vfCoef = 0.5;
    const s = a2cLossAndGradient(
      m.policy,
      { observations: obs, actions, advantages, returns },
      { entCoef, vfCoef },
    );

    const W = (d: number, k: number) => params[d * K + k];
    const bias = (k: number) => params[D * K + k];
    const Wv = (d: number) => params[D * K + K + d];
    const bv = params[D * K + K + D];
    const grad = new Float64Array(params.length);
    let pg = 0;
    let ent = 0;
    let vl = 0;
    for (let i = 0; i < B; i++) {
      const x = (d: number) => obs[i * D + d];
      const z = [0, 1].map((k) => bias(k) + [0, 1, 2, 3].reduce((acc, d) => acc + x(d) * W(d, k), 0));
      const lse = Math.log(Math.exp(z[0]) + Math.exp(z[1]));
      const logp = z.map((zk) => zk - lse);
      const p = logp.map(Math.exp);
      const H = -(p[0] * logp[0] + p[1] * logp[1]);
      const a = actions[i];
      const A = advantages[i];
      const V = bv + [0, 1, 2, 3].reduce((acc, d) => acc + x(d) * Wv(d), 0);
      pg += -A * logp[a];
      ent += H;
      vl += (returns[i] - V) ** 2;
      for (let k = 0; k < K; k++) {
        // d(−A log p_a)/dz_k = −A (1[k = a] − p_k);  d(−c H)/dz_k = c p_k (log p_k + H)
        const dz = (-A * ((k === a ? 1 : 0) - p[k]) + entCoef * p[k] * (logp[k] + H)) / B;
        for (let d = 0; d < D; d++) grad[d * K + k] += x(d) * dz;
        grad[D * K + k] += dz;
      }
      const dV = (vfCoef * 2 * (V - returns[i])) / B;
      for (let d = 0; d < D; d++) grad[D * K + K + d] += x(d) * dV;
      grad[D * K + K + D] += dV;
    }
    expect(s.policyLoss).toBeCloseTo(pg / B, 5);
    expect(s.entropy).toBeCloseTo(ent / B, 5);
    expect(s.valueLoss).toBeCloseTo(vl / B, 5);
    expect(s.loss).toBeCloseTo(pg / B - entCoef * (ent / B) + vfCoef * (vl / B), 5);
    expect(s.grads.length).toBe(params.length);
    for (let j = 0; j < params.length; j++) expect(s.grads[j]).toBeCloseTo(grad[j], 5);
    m.dispose();
  });

  it('learns CartPole-v1: mean training return rises well above random (~22)', async () => {
    const model = await A2C.create({ env: 'CartPole-v1', numEnvs: 8, seed: 2 });
    const curve: number[] = [];
    await model.learn({
      totalTimesteps: 40_000,
      callback: (ctx) => {
        curve.push(ctx.metrics['rollout/ep_rew_mean']);
        return undefined;
      },
    });
    const early = curve.find((x) => Number.isFinite(x))!;
    const late = curve[curve.length - 1];
    expect(early).toBeLessThan(40);
    expect(late).toBeGreaterThan(100);
    model.dispose();
  }, 120_000);

  it('is deterministic: same seed, same parameters after training', async () => {
    const run = async (seed: number) => {
      const m = await A2C.create({ env: 'CartPole-v1', numEnvs: 2, seed, normalizeAdvantage: true });
      await m.learn({ totalTimesteps: 200 });
      const p = m.policy.getFlatParams();
      m.dispose();
      return Array.from(p);
    };
    const a = await run(5);
    expect(await run(5)).toEqual(a);
    expect(await run(6)).not.toEqual(a);
  });

  it('follows a learning-rate schedule (SB3 progress convention)', async () => {
    const m = await A2C.create({
      env: 'CartPole-v1',
      numEnvs: 2,
      seed: 1,
      learningRate: linearSchedule(1e-3),
    });
    const lrs: number[] = [];
    await m.learn({
      totalTimesteps: 40,
      callback: (ctx) => {
        lrs.push(ctx.metrics['train/learning_rate']);
        return undefined;
      },
    });
    // progress remaining after each of the 4 rollouts of 10 steps: 0.75, 0.5, 0.25, 0
    expect(lrs.map((x) => Number(x.toPrecision(6)))).toEqual([7.5e-4, 5e-4, 2.5e-4, 0]);
    m.dispose();
  });

  for (const useRmsProp of [true, false]) {
    it(`save/load round trip reproduces predictions and optimizer state (${useRmsProp ? 'RMSprop' : 'Adam'})`, async () => {
      const m = await A2C.create({
        env: 'CartPole-v1',
        numEnvs: 2,
        seed: 1,
        useRmsProp,
        learningRate: linearSchedule(1e-3),
      });
      await m.learn({ totalTimesteps: 100 });
      const dir = join(work, `model-${useRmsProp}`);
      await m.save(dir);
      const loaded = await A2C.load(dir);
      const obs = Float32Array.from({ length: 40 }, (_, i) => Math.sin(i));
      expect(Array.from(loaded.predict(obs, { deterministic: true }) as Int32Array)).toEqual(
        Array.from(m.predict(obs, { deterministic: true }) as Int32Array),
      );
      expect(loaded.policy.getFlatParams()).toEqual(m.policy.getFlatParams());
      expect(loaded.numTimesteps).toBe(100);
      expect(loaded.hyperparameters.useRmsProp).toBe(useRmsProp);
      expect(loaded.hyperparameters.learningRate).toBeTypeOf('function');
      // the step count and settings; the learning rate is set from the schedule at each update
      expect({ ...loaded.optimizer.toJSON(), learningRate: 0 }).toEqual({
        ...m.optimizer.toJSON(),
        learningRate: 0,
      });
      if (m.optimizer instanceof RMSprop) {
        expect((loaded.optimizer as RMSprop).squareAvg).toEqual(m.optimizer.squareAvg);
      } else {
        expect((loaded.optimizer as Adam).m).toEqual(m.optimizer.m);
        expect((loaded.optimizer as Adam).v).toEqual(m.optimizer.v);
      }
      m.dispose();
      loaded.dispose();
    });
  }

  it('a PPO checkpoint is refused, and an A2C one by PPO', async () => {
    const ppo = await PPO.create({ env: 'CartPole-v1', seed: 1, nSteps: 16, batchSize: 16 });
    await ppo.save(join(work, 'ppo'));
    ppo.dispose();
    await expect(A2C.load(join(work, 'ppo'))).rejects.toThrow(/holds a PPO model, not A2C/);
    const a2c = await A2C.create({ env: 'CartPole-v1', seed: 1 });
    await a2c.save(join(work, 'a2c'));
    a2c.dispose();
    await expect(PPO.load(join(work, 'a2c'))).rejects.toThrow(/holds a A2C model, not PPO/);
  });

  it('rejects bad options with clear errors', async () => {
    await expect(A2C.create({ env: 'CartPole-v1', batchSize: 8 } as never)).rejects.toThrow(
      /A2C options: unknown option 'batchSize'/,
    );
    await expect(A2C.create({ env: 'CartPole-v1', rms_prop_eps: 1e-5 } as never)).rejects.toThrow(
      /unknown option 'rms_prop_eps' \(did you mean 'rmsPropEps'\?\)/,
    );
    await expect(A2C.create({ env: 'CartPole-v1', rmsPropEps: 0 })).rejects.toThrow(
      new RangeError('rmsPropEps must be a finite number > 0, got 0'),
    );
    await expect(A2C.create({ env: 'CartPole-v1', useRmsProp: 1 as never })).rejects.toThrow(
      new TypeError('useRmsProp must be a boolean, got 1'),
    );
    await expect(A2C.create({ env: 'CartPole-v1', nSteps: 0 })).rejects.toThrow(
      /nSteps must be a positive integer/,
    );
    await expect(A2C.create({ env: 'CartPole-v1', maxGradNorm: 0 })).rejects.toThrow(
      /maxGradNorm must be > 0/,
    );
    await expect(A2C.create({ env: 'CartPole-v1', vfCoef: -1 })).rejects.toThrow(/vfCoef must be/);
    await expect(A2C.create({ env: 'CartPole-v1', gaeLambda: 1.5 })).rejects.toThrow(/gaeLambda must be/);
    await expect(A2C.create({ env: 'CartPole-v1', learningRate: () => Number.NaN })).rejects.toThrow(
      /learningRate: the schedule must return/,
    );
  });
});
