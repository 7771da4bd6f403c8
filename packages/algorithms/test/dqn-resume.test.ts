import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BaseEnv, Box, Discrete, type EnvMetadata, register } from '@proximal/envs';
import { afterAll, describe, expect, it } from 'vitest';
import { DQN, type DqnOptions, linearSchedule, PPO } from '../src/index.js';

/**
 * A deterministic chain (as in resume.test.ts): reset always gives the same observation and every
 * episode lasts exactly EPISODE steps, so at a multiple of EPISODE vector steps all envs have just
 * been reset and a fresh reset on resume is the state an uninterrupted run has there.
 */
const EPISODE = 8;
class Chain extends BaseEnv<Float32Array, number> {
  readonly observationSpace = new Box(-100, 100, [2]);
  readonly actionSpace = new Discrete(2);
  readonly metadata: EnvMetadata = { renderModes: [] };
  private t = 0;
  private x = 0;
  reset() {
    this.t = 0;
    this.x = 0;
    return { observation: Float32Array.from([0, 0]), info: {} };
  }
  step(action: number) {
    this.t++;
    this.x += action === 1 ? 1 : -1;
    return {
      observation: Float32Array.from([this.t / EPISODE, this.x / EPISODE]),
      reward: action === this.t % 2 ? 1 : -0.5,
      // the last step is a truncation (time limit): bootstrapped from the final observation
      terminated: false,
      truncated: this.t >= EPISODE,
      info: {},
    };
  }
}
register({ id: 'DqnResumeChain-v0', entryPoint: () => new Chain() });

const work = await mkdtemp(join(tmpdir(), 'proximal-dqn-'));
afterAll(() => rm(work, { recursive: true, force: true }));

const baseOptions: DqnOptions = {
  env: 'DqnResumeChain-v0',
  numEnvs: 2,
  seed: 3,
  learningStarts: 20,
  trainFreq: 4,
  gradientSteps: 2,
  batchSize: 16,
  bufferSize: 1000,
  targetUpdateInterval: 24,
  learningRate: linearSchedule(3e-3),
  explorationFraction: 0.5,
  policyKwargs: { netArch: [16] },
  normalize: { normObs: true, normReward: true },
};

describe('DQN save / load / resume', () => {
  for (const optimizeMemoryUsage of [false, true]) {
    it(`N steps, save (with the replay buffer), load, M steps = N + M steps uninterrupted${optimizeMemoryUsage ? ' (optimizeMemoryUsage)' : ''}`, async () => {
      const total = 256;
      const options = { ...baseOptions, optimizeMemoryUsage };
      const full = await DQN.create(options);
      await full.learn({ totalTimesteps: total });

      const first = await DQN.create(options);
      // interrupted half-way (at a multiple of EPISODE vector steps), as the CLI does on Ctrl-C
      await first.learn({
        totalTimesteps: total,
        callback: { onIterationEnd: (ctx) => ctx.numTimesteps < total / 2 },
      });
      expect(first.numTimesteps).toBe(total / 2);
      const dir = join(work, 'dqn');
      await first.save(dir, { saveReplayBuffer: true });
      const obs = Float32Array.from({ length: 20 }, (_, i) => Math.sin(i) / 2);
      const before = Array.from(first.predict(obs, { deterministic: true }) as Int32Array);
      first.dispose();

      const resumed = await DQN.load(dir);
      expect(Array.from(resumed.predict(obs, { deterministic: true }) as Int32Array)).toEqual(before);
      expect(resumed.numTimesteps).toBe(total / 2);
      expect(resumed.targetTimesteps).toBe(total);
      expect(resumed.replayBuffer.size()).toBe(total / 2 / 2);
      await resumed.learn({ totalTimesteps: total - resumed.numTimesteps, resetNumTimesteps: false });

      expect(resumed.numTimesteps).toBe(full.numTimesteps);
      expect(resumed.numCalls).toBe(full.numCalls);
      expect(resumed.optimizer.t).toBe(full.optimizer.t);
      expect(resumed.explorationRate).toBe(full.explorationRate);
      expect(resumed.episodes.toJSON()).toEqual(full.episodes.toJSON());
      const close = (a: Float32Array, b: Float32Array) => {
        expect(a.length).toBe(b.length);
        for (let i = 0; i < a.length; i++) expect(a[i]).toBeCloseTo(b[i], 5);
      };
      close(resumed.qNet.params, full.qNet.params);
      close(resumed.qNet.targetParams, full.qNet.targetParams);
      close(resumed.optimizer.m, full.optimizer.m);
      close(resumed.replayBuffer.observations, full.replayBuffer.observations);
      expect(Array.from(resumed.predict(obs, { deterministic: true }) as Int32Array)).toEqual(
        Array.from(full.predict(obs, { deterministic: true }) as Int32Array),
      );
      full.dispose();
      resumed.dispose();
    });
  }

  it('optimizeMemoryUsage: a second learn (envs reset mid-episode) and a resume mid-episode keep exact successors', async () => {
    const m = await DQN.create({ ...baseOptions, optimizeMemoryUsage: true, normalize: undefined });
    await m.learn({ totalTimesteps: 8 }); // 4 vector steps (one trainFreq): mid-episode
    await m.learn({ totalTimesteps: 8 }); // resets the envs
    const b = m.replayBuffer;
    // rows 0-3: first learn, steps 1-4; rows 4-7: second learn, steps 1-4 again (row 3's successor
    // is step 4's observation, not the reset observation that the next add brought)
    const t = Array.from({ length: 16 }, (_, k) => Math.round(b.nextObservation(k)[0] * EPISODE));
    expect(t).toEqual([1, 1, 2, 2, 3, 3, 4, 4, 1, 1, 2, 2, 3, 3, 4, 4]);
    const dir = join(work, 'mid-episode');
    await m.save(dir, { saveReplayBuffer: true });
    const loaded = await DQN.load(dir);
    await loaded.learn({ totalTimesteps: 4, resetNumTimesteps: false });
    expect(loaded.replayBuffer.size()).toBe(12);
    expect(Math.round(loaded.replayBuffer.nextObservation(7 * 2)[0] * EPISODE)).toBe(4);
    m.dispose();
    loaded.dispose();
  });

  it('without saveReplayBuffer the loaded agent predicts the same but starts with an empty buffer', async () => {
    const m = await DQN.create({ ...baseOptions, normalize: undefined });
    await m.learn({ totalTimesteps: 64 });
    const dir = join(work, 'no-buffer');
    await m.save(dir);
    const loaded = await DQN.load(dir);
    expect(loaded.replayBuffer.size()).toBe(0);
    expect(loaded.qNet.params).toEqual(m.qNet.params);
    expect(loaded.qNet.targetParams).toEqual(m.qNet.targetParams);
    expect(loaded.hyperparameters.learningRate).toBeTypeOf('function');
    expect(loaded.explorationRate).toBe(m.explorationRate);
    const obs = Float32Array.from({ length: 40 }, (_, i) => Math.cos(i));
    expect(Array.from(loaded.predict(obs, { deterministic: true }) as Int32Array)).toEqual(
      Array.from(m.predict(obs, { deterministic: true }) as Int32Array),
    );
    await expect(m.save(join(work, 'bad'), { saveReplayBuffer: 'yes' } as never)).rejects.toThrow(
      /saveReplayBuffer must be a boolean/,
    );
    m.dispose();
    loaded.dispose();
  });

  it('refuses checkpoints of another algorithm, and a network that does not match', async () => {
    const ppo = await PPO.create({ env: 'CartPole-v1', seed: 1, nSteps: 16, batchSize: 16 });
    await ppo.save(join(work, 'ppo'));
    ppo.dispose();
    await expect(DQN.load(join(work, 'ppo'))).rejects.toThrow(/holds a PPO model, not DQN/);
    const m = await DQN.create({ env: 'CartPole-v1', seed: 1, policyKwargs: { netArch: [8] } });
    await m.save(join(work, 'dqn-8'));
    m.dispose();
    await expect(DQN.load(join(work, 'dqn-8'), { policyKwargs: { netArch: [9] } })).rejects.toThrow(
      /network.q\[0\] weight has shape \[4, 8\] in the file, but the config builds \[4, 9\]/,
    );
  });
});
