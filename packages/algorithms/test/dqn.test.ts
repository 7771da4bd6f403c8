import { Adam } from '@proximal/core';
import { describe, expect, it } from 'vitest';
import { DQN, DQN_DEFAULTS, dqnLossAndGradient, dqnTargets, linearSchedule } from '../src/index.js';

describe('DQN', () => {
  it("has Stable-Baselines3's defaults (Adam ε = 1e-8, ReLU [64, 64], Huber loss) and doubleQ off", async () => {
    expect(DQN_DEFAULTS).toEqual({
      learningRate: 1e-4,
      bufferSize: 1_000_000,
      learningStarts: 100,
      batchSize: 32,
      tau: 1,
      gamma: 0.99,
      trainFreq: 4,
      gradientSteps: 1,
      optimizeMemoryUsage: false,
      targetUpdateInterval: 10_000,
      explorationFraction: 0.1,
      explorationInitialEps: 1,
      explorationFinalEps: 0.05,
      maxGradNorm: 10,
      doubleQ: false,
      policyKwargs: { netArch: [64, 64], activationFn: 'relu' },
    });
    const m = await DQN.create({ env: 'CartPole-v1', seed: 0 });
    expect(m.optimizer).toBeInstanceOf(Adam);
    expect(m.optimizer.toJSON()).toMatchObject({ learningRate: 1e-4, epsilon: 1e-8 });
    expect(m.qNet.layers.map((l) => [l.inSize, l.outSize, l.activation])).toEqual([
      [4, 64, 'relu'],
      [64, 64, 'relu'],
      [64, 2, 'linear'],
    ]);
    // 200 steps: training phases every 4 steps once numTimesteps > 100 → steps 104, 108, ..., 200
    await m.learn({ totalTimesteps: 200 });
    expect(m.numTimesteps).toBe(200);
    expect(m.optimizer.t).toBe(25);
    // ε after 200 of 200 steps: past explorationFraction → final
    expect(m.explorationRate).toBe(0.05);
    m.dispose();
  });

  it('gradientSteps −1 takes one gradient step per transition collected (trainFreq × numEnvs)', async () => {
    const m = await DQN.create({
      env: 'CartPole-v1',
      numEnvs: 2,
      seed: 0,
      learningStarts: 8,
      trainFreq: 4,
      gradientSteps: -1,
      batchSize: 8,
      policyKwargs: { netArch: [8] },
    });
    // phases after 8, 16, 24, 32 steps; the first is not past learningStarts
    await m.learn({ totalTimesteps: 32 });
    expect(m.optimizer.t).toBe(3 * 8);
    m.dispose();
  });

  it('TD targets: DQN takes max_a Q_target(s′, a), Double DQN Q_target(s′, argmax_a Q_online(s′, a)); terminal rows do not bootstrap', () => {
    const rewards = Float32Array.of(1, -0.5, 2);
    const dones = Float32Array.of(0, 0, 1);
    // B = 3, A = 3
    const nextTargetQ = Float32Array.of(0.5, 2, -1, /**/ 3, 1, 0, /**/ 7, 8, 9);
    const nextOnlineQ = Float32Array.of(4, 1, 0, /**/ 0, 0, 5, /**/ 1, 2, 3);
    const gamma = 0.9;
    const dqn = dqnTargets({ rewards, dones, nextTargetQ, numActions: 3, gamma });
    // 1 + 0.9·2, −0.5 + 0.9·3, 2 (terminal)
    expect(Array.from(dqn)).toEqual([1 + 0.9 * 2, -0.5 + 0.9 * 3, 2].map(Math.fround));
    const ddqn = dqnTargets({
      rewards,
      dones,
      nextTargetQ,
      nextOnlineQ,
      numActions: 3,
      gamma,
      doubleQ: true,
    });
    // online argmax: 0 and 2 → target values 0.5 and 0
    expect(Array.from(ddqn)).toEqual([1 + 0.9 * 0.5, -0.5 + 0.9 * 0, 2].map(Math.fround));
    expect(() => dqnTargets({ rewards, dones, nextTargetQ, numActions: 3, gamma, doubleQ: true })).toThrow(
      /nextOnlineQ is required/,
    );
    expect(() => dqnTargets({ rewards, dones: [0, 0], nextTargetQ, numActions: 3, gamma })).toThrow(
      /dones has length 2, expected 3/,
    );
  });

  it('the Huber loss and its gradient match a hand computation (linear Q-network)', async () => {
    const m = await DQN.create({ env: 'CartPole-v1', seed: 1, policyKwargs: { netArch: [] } });
    const D = 4;
    const A = 2;
    const q = m.qNet;
    expect(q.numParams).toBe(D * A + A);
    q.params.set(Float32Array.from({ length: q.numParams }, (_, i) => Math.sin(1.3 * i + 0.2)));
    q.syncStack();
    const x = Float32Array.of(0.5, -1, 0.25, 2, -0.3, 0.8, -1.5, 0.1, 1, 1, -0.5, -0.7);
    const actions = Float32Array.of(1, 0, 1);
    const B = 3;
    const Q = (i: number, a: number) =>
      q.params[D * A + a] + [0, 1, 2, 3].reduce((s, d) => s + x[i * D + d] * q.params[d * A + a], 0);
    // targets chosen so that the rows fall in both branches of the Huber loss
    const targets = Float32Array.of(Q(0, 1) + 0.4, Q(1, 0) - 3, Q(2, 1) + 2.5);
    const s = dqnLossAndGradient(q, x, actions, targets);
    let loss = 0;
    const grad = new Float64Array(q.numParams);
    for (let i = 0; i < B; i++) {
      const a = actions[i];
      const d = Q(i, a) - targets[i];
      loss += Math.abs(d) < 1 ? 0.5 * d * d : Math.abs(d) - 0.5;
      const g = Math.max(-1, Math.min(1, d)) / B;
      for (let k = 0; k < D; k++) grad[k * A + a] += x[i * D + k] * g;
      grad[D * A + a] += g;
    }
    expect(s.loss).toBeCloseTo(loss / B, 5);
    expect(s.qMean).toBeCloseTo((Q(0, 1) + Q(1, 0) + Q(2, 1)) / B, 5);
    for (let j = 0; j < q.numParams; j++) expect(s.grads[j]).toBeCloseTo(grad[j], 5);
    // the inference path (core's mlpForward) agrees with the hand computation
    const qv = q.qValues(x);
    for (let i = 0; i < B; i++) for (let a = 0; a < A; a++) expect(qv[i * A + a]).toBeCloseTo(Q(i, a), 5);
    m.dispose();
  });

  it('target network: hard copy every targetUpdateInterval steps (counted per vector step), Polyak with tau < 1', async () => {
    const m = await DQN.create({
      env: 'CartPole-v1',
      numEnvs: 2,
      seed: 3,
      learningStarts: 0,
      trainFreq: 1,
      targetUpdateInterval: 8, // every ⌊8 / 2⌋ = 4 vector steps
      learningRate: 1e-2,
    });
    const q = m.qNet;
    const changed: [number, boolean, boolean][] = [];
    let last = q.targetParams.slice();
    await m.learn({
      totalTimesteps: 16,
      callback: (ctx) => {
        changed.push([
          ctx.numTimesteps,
          q.targetParams.some((v, i) => v !== last[i]),
          q.targetParams.every((v, i) => v === q.params[i]),
        ]);
        last = q.targetParams.slice();
        return undefined;
      },
    });
    // copied after vector steps 4 and 8 (before that iteration's gradient step moves θ away again)
    expect(changed).toEqual([
      [2, false, false],
      [4, false, false],
      [6, false, false],
      [8, true, false],
      [10, false, false],
      [12, false, false],
      [14, false, false],
      [16, true, false],
    ]);
    const before = q.targetParams.slice();
    q.updateTarget(0.25);
    for (let i = 0; i < before.length; i += 97) {
      expect(q.targetParams[i]).toBeCloseTo(0.75 * before[i] + 0.25 * q.params[i], 6);
    }
    q.updateTarget(1);
    expect(q.targetParams).toEqual(q.params);
    m.dispose();
  });

  it('is deterministic: same seed, same parameters; follows a learning-rate schedule', async () => {
    const run = async (seed: number) => {
      const lrs: number[] = [];
      const m = await DQN.create({
        env: 'CartPole-v1',
        seed,
        learningStarts: 16,
        trainFreq: 8,
        gradientSteps: 2,
        learningRate: linearSchedule(1e-3),
      });
      await m.learn({
        totalTimesteps: 64,
        callback: (ctx) => {
          lrs.push(ctx.metrics['train/learning_rate']);
          return undefined;
        },
      });
      const p = Array.from(m.qNet.params);
      m.dispose();
      return { p, lrs };
    };
    const a = await run(5);
    expect((await run(5)).p).toEqual(a.p);
    expect((await run(6)).p).not.toEqual(a.p);
    // progress remaining at the 8 iterations of 8 steps: training from step 24 on
    expect(a.lrs.map((x) => (x === undefined ? x : Number(x.toPrecision(6))))).toEqual([
      undefined,
      undefined,
      6.25e-4,
      5e-4,
      3.75e-4,
      2.5e-4,
      1.25e-4,
      0,
    ]);
  });

  it('predict: greedy Q argmax (number for one observation, Int32Array for a batch); ε-greedy when not deterministic', async () => {
    const m = await DQN.create({ env: 'CartPole-v1', seed: 4 });
    const obs = Float32Array.of(0.1, -0.2, 0.03, 0.4, -0.1, 0.2, -0.03, -0.4);
    const q = m.qNet.qValues(obs);
    const greedy = [q[0] >= q[1] ? 0 : 1, q[2] >= q[3] ? 0 : 1];
    expect(m.predict(obs.subarray(0, 4), { deterministic: true })).toBe(greedy[0]);
    expect(Array.from(m.predict(obs, { deterministic: true }) as Int32Array)).toEqual(greedy);
    // ε = 1 before training: uniformly random actions, both seen
    const seen = new Set<number>();
    for (let i = 0; i < 50; i++) seen.add(m.predict(obs.subarray(0, 4)) as number);
    expect(seen).toEqual(new Set([0, 1]));
    expect(() => m.predict([1, 2, 3])).toThrow(/positive multiple of obsDim = 4/);
    m.dispose();
  });

  it('one-hot encodes Discrete observations (FrozenLake-v1)', async () => {
    const m = await DQN.create({ env: 'FrozenLake-v1', seed: 0, learningStarts: 10 });
    expect(m.qNet.obsDim).toBe(16);
    expect(m.replayBuffer.obsDim).toBe(1); // raw states are stored, one value each
    await m.learn({ totalTimesteps: 40 });
    expect(typeof m.predict(5, { deterministic: true })).toBe('number');
    expect(() => m.predict(16)).toThrow(/integer in \[0, 16\)/);
    m.dispose();
  });

  it('refuses bad options with clear errors', async () => {
    await expect(DQN.create({ env: 'CartPole-v1', buffer_size: 10 } as never)).rejects.toThrow(
      /DQN options: unknown option 'buffer_size' \(did you mean 'bufferSize'\?\)/,
    );
    await expect(DQN.create({ env: 'CartPole-v1', target_update_interval: 10 } as never)).rejects.toThrow(
      /did you mean 'targetUpdateInterval'/,
    );
    await expect(DQN.create({ env: 'CartPole-v1', nSteps: 5 } as never)).rejects.toThrow(
      /unknown option 'nSteps'/,
    );
    await expect(DQN.create({ env: 'Pendulum-v1' })).rejects.toThrow(
      /DQN needs a Discrete action space, got Box/,
    );
    await expect(DQN.create({ env: 'CartPole-v1', bufferSize: 1e12 })).rejects.toThrow(
      /bufferSize is too large: bufferSize = 1000000000000.*MAX_REPLAY_BUFFER_BYTES/,
    );
    await expect(DQN.create({ env: 'CartPole-v1', tau: 0 })).rejects.toThrow(
      /tau must be in \(0, 1\], got 0/,
    );
    await expect(DQN.create({ env: 'CartPole-v1', gradientSteps: 0 })).rejects.toThrow(
      /gradientSteps must be a positive integer or -1/,
    );
    await expect(DQN.create({ env: 'CartPole-v1', explorationFinalEps: 1.5 })).rejects.toThrow(
      /explorationFinalEps must be in \[0, 1\], got 1.5/,
    );
    await expect(DQN.create({ env: 'CartPole-v1', doubleQ: 'yes' } as never)).rejects.toThrow(
      /doubleQ must be a boolean/,
    );
    await expect(
      DQN.create({ env: 'CartPole-v1', policyKwargs: { netArch: { pi: [8], vf: [8] } } } as never),
    ).rejects.toThrow(/policyKwargs.netArch must be an array/);
    await expect(DQN.create({ env: 'CartPole-v1', policyKwargs: { orthoInit: true } })).rejects.toThrow(
      /policyKwargs: unknown option 'orthoInit'/,
    );
  });
});
