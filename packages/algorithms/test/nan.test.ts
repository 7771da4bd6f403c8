import { BaseEnv, Box, Discrete, register, registeredIds } from '@proximal/envs';
import { describe, expect, it } from 'vitest';
import { PPO } from '../src/index.js';

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
if (!registeredIds().includes('NanObs-v0')) register({ id: 'NanObs-v0', entryPoint: () => new NanEnv() });

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
});
