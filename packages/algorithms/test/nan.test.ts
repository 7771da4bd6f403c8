import { BaseEnv, Box, Discrete, register, registeredIds } from '@proximal/envs';
import { describe, expect, it } from 'vitest';
import { PPO, TRPO } from '../src/index.js';

/** Emits NaN observations from its 20th step on. */
class NanEnv extends BaseEnv<Float32Array, number> {
  readonly observationSpace = new Box(new Float32Array([-1]), new Float32Array([1]));
  readonly actionSpace = new Discrete(2);
  readonly metadata = { renderModes: [] };
  private t = 0;
  reset(options?: { seed?: number }) {
    this.seedFromReset(options);
    return { observation: Float32Array.from([0]), info: {} };
  }
  step() {
    this.t++;
    return {
      observation: Float32Array.from([this.t >= 20 ? Number.NaN : 0]),
      reward: 0,
      terminated: false,
      truncated: false,
      info: {},
    };
  }
}
/** Finite observations, but a NaN reward from its 20th step on (a broken reward function). */
class NanRewardEnv extends NanEnv {
  private n = 0;
  override step() {
    this.n++;
    return { ...super.step(), observation: Float32Array.from([0]), reward: this.n >= 20 ? Number.NaN : 1 };
  }
}
if (!registeredIds().includes('NanObs-v0')) register({ id: 'NanObs-v0', entryPoint: () => new NanEnv() });
if (!registeredIds().includes('NanReward-v0'))
  register({ id: 'NanReward-v0', entryPoint: () => new NanRewardEnv() });

describe('NaN handling', () => {
  it('training stops with an error naming the NaN observation instead of continuing', async () => {
    const model = await PPO.create({ env: 'NanObs-v0', numEnvs: 1, nSteps: 16, batchSize: 16, seed: 1 });
    let iterations = 0;
    await expect(model.learn({ totalTimesteps: 256, callback: () => void iterations++ })).rejects.toThrow(
      /observation 0 of env 0 is NaN/,
    );
    expect(iterations).toBe(1);
    model.dispose();
  });

  for (const [name, Algo] of [
    ['PPO', PPO],
    ['TRPO', TRPO],
  ] as const) {
    it(`${name}: a NaN reward stops training with an error naming it, before any update uses it`, async () => {
      const model = await Algo.create({
        env: 'NanReward-v0',
        numEnvs: 1,
        nSteps: 32,
        batchSize: 32,
        seed: 1,
      });
      const before = Array.from(model.policy.getFlatParams());
      await expect(model.learn({ totalTimesteps: 256 })).rejects.toThrow(/reward of env 0 is NaN at step 19/);
      // The NaN arrived in the first rollout: no parameter may have been updated with it.
      expect(Array.from(model.policy.getFlatParams())).toEqual(before);
      model.dispose();
    });
  }
});
