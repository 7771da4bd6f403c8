import { BaseEnv, Box, MultiDiscrete, register, registeredIds } from '@proximal/envs';
import { describe, expect, it } from 'vitest';
import { PPO } from '../src/index.js';

/** One-step bandit over MultiDiscrete([2, 3]): reward 1 for a₀ = 1 plus 1 for a₁ = 2. */
class ComboBandit extends BaseEnv<Float32Array, Int32Array> {
  readonly observationSpace = new Box(new Float32Array([0]), new Float32Array([1]));
  readonly actionSpace = new MultiDiscrete([2, 3]);
  readonly metadata = { renderModes: [] };
  reset(options?: { seed?: number }) {
    this.seedFromReset(options);
    return { observation: Float32Array.from([1]), info: {} };
  }
  step(action: Int32Array) {
    const reward = (action[0] === 1 ? 1 : 0) + (action[1] === 2 ? 1 : 0);
    return { observation: Float32Array.from([1]), reward, terminated: true, truncated: false, info: {} };
  }
}
if (!registeredIds().includes('ComboBandit-v0'))
  register({ id: 'ComboBandit-v0', entryPoint: () => new ComboBandit() });

describe('MultiDiscrete actions', () => {
  it('PPO learns the best combination of independent categorical sub-actions', async () => {
    const model = await PPO.create({
      env: 'ComboBandit-v0',
      numEnvs: 8,
      seed: 1,
      nSteps: 16,
      batchSize: 64,
      nEpochs: 4,
      learningRate: 3e-3,
      entCoef: 0,
      policyKwargs: { netArch: [16] },
    });
    await model.learn({ totalTimesteps: 4096 });
    const a = model.predict(Float32Array.from([1]), { deterministic: true }) as Int32Array;
    expect(a).toBeInstanceOf(Int32Array);
    expect(Array.from(a)).toEqual([1, 2]);
    expect(model.episodes.meanReturn()).toBeGreaterThan(1.5);
    model.dispose();
  });
});
