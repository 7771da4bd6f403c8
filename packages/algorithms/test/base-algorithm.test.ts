import { describe, expect, it } from 'vitest';
import { BaseAlgorithm, DQN, OffPolicyAlgorithm, OnPolicyAlgorithm, PPO } from '../src/index.js';

describe('BaseAlgorithm', () => {
  it('is the common base of the on- and off-policy algorithms, with their shared state and predict', async () => {
    const ppo = await PPO.create({ env: 'CartPole-v1', seed: 1, nSteps: 8, batchSize: 8 });
    const dqn = await DQN.create({ env: 'CartPole-v1', seed: 1 });
    try {
      for (const m of [ppo, dqn]) {
        expect(m).toBeInstanceOf(BaseAlgorithm);
        expect(m.targetTimesteps).toBe(1);
        expect(m.observationEncoder.featureDim).toBe(4);
        const a = m.predict([0, 0, 0, 0], { deterministic: true });
        expect(typeof a).toBe('number');
        expect(m.predict(new Float32Array(8), { deterministic: true })).toBeInstanceOf(Int32Array);
      }
      expect(ppo).toBeInstanceOf(OnPolicyAlgorithm);
      expect(ppo).not.toBeInstanceOf(OffPolicyAlgorithm);
      expect(dqn).toBeInstanceOf(OffPolicyAlgorithm);
    } finally {
      ppo.dispose();
      dqn.dispose();
    }
  });
});
