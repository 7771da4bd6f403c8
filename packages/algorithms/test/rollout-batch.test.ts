import { describe, expect, it } from 'vitest';
import { PPO } from '../src/index.js';

const options = {
  env: 'CartPole-v1',
  numEnvs: 2,
  nSteps: 16,
  batchSize: 16,
  nEpochs: 2,
  seed: 3,
  tfBackend: 'wasm',
} as const;

describe('collectRolloutBatch / trainOnRollout (the hooks of @proximal/distributed)', () => {
  it('collecting a batch and training on it equals one iteration of learn', async () => {
    const a = await PPO.create(options);
    await a.learn({ totalTimesteps: 32 });
    const b = await PPO.create(options);
    const batch = b.collectRolloutBatch();
    expect(batch.numSteps).toBe(16);
    expect(batch.numEnvs).toBe(2);
    expect(batch.observations.length).toBe(16 * 2 * 4);
    const metrics = b.trainOnRollout(batch, 32);
    expect(Array.from(b.policy.getFlatParams())).toEqual(Array.from(a.policy.getFlatParams()));
    expect(b.numTimesteps).toBe(64); // 32 collected + 32 trained on
    expect(b.iterations).toBe(1);
    expect(Number.isFinite(metrics['train/loss'])).toBe(true);
    a.dispose();
    b.dispose();
  });

  it('refuses a batch of another size, naming both', async () => {
    const m = await PPO.create(options);
    const batch = m.collectRolloutBatch();
    expect(() => m.trainOnRollout({ ...batch, numEnvs: 1 })).toThrow(
      'rollout is [16, 1] (numSteps, numEnvs), expected [16, 2]',
    );
    expect(() => m.trainOnRollout({ ...batch, rewards: new Float32Array(3) })).toThrow(
      'rollout.rewards has length 3, expected 32',
    );
    m.dispose();
  });
});
