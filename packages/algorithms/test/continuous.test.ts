import { BaseEnv, Box, register, registeredIds } from '@proximal/envs';
import { describe, expect, it } from 'vitest';
import { envActions, PPO, TRPO } from '../src/index.js';

/** One-step continuous bandit: reward −(a − 0.5)² for a in [−1, 1]; the optimum is a = 0.5. */
class TargetBandit extends BaseEnv<Float32Array, Float32Array> {
  readonly observationSpace = new Box(new Float32Array([0]), new Float32Array([1]));
  readonly actionSpace = new Box(new Float32Array([-1]), new Float32Array([1]));
  readonly metadata = { renderModes: [] };
  reset(options?: { seed?: number }) {
    this.seedFromReset(options);
    return { observation: Float32Array.from([1]), info: {} };
  }
  step(action: Float32Array) {
    const a = action[0];
    return {
      observation: Float32Array.from([1]),
      reward: -((a - 0.5) ** 2),
      terminated: true,
      truncated: false,
      info: {},
    };
  }
}
if (!registeredIds().includes('TargetBandit-v0')) {
  register({ id: 'TargetBandit-v0', entryPoint: () => new TargetBandit() });
}

describe('continuous actions (diagonal Gaussian policy)', () => {
  it('actions sent to a Box env are clipped to its bounds; discrete ones become int32 indices', () => {
    const head = {
      kind: 'diag-gaussian' as const,
      dim: 2,
      low: Float32Array.from([-1, 0]),
      high: Float32Array.from([1, 2]),
    };
    expect(Array.from(envActions(head, Float32Array.from([3, -5, 0.5, 1.5])))).toEqual([1, 0, 0.5, 1.5]);
    const d = envActions({ kind: 'categorical', nvec: [3] }, Float32Array.from([2, 0]));
    expect(d).toBeInstanceOf(Int32Array);
    expect(Array.from(d)).toEqual([2, 0]);
  });

  it('PPO moves the mean action to the optimum', async () => {
    const model = await PPO.create({
      env: 'TargetBandit-v0',
      numEnvs: 8,
      seed: 1,
      nSteps: 32,
      batchSize: 64,
      nEpochs: 5,
      learningRate: 3e-3,
      policyKwargs: { netArch: [16] },
    });
    await model.learn({ totalTimesteps: 8192 });
    const a = model.predict(Float32Array.from([1]), { deterministic: true }) as Float32Array;
    expect(a).toBeInstanceOf(Float32Array);
    expect(a[0]).toBeGreaterThan(0.35);
    expect(a[0]).toBeLessThan(0.65);
    // exploration noise shrinks: log-std decreased from its initial 0
    expect((model.policy.logStd!.dataSync() as Float32Array)[0]).toBeLessThan(0);
    model.dispose();
  });

  it('TRPO does the same with its natural-gradient step', async () => {
    const model = await TRPO.create({
      env: 'TargetBandit-v0',
      numEnvs: 8,
      seed: 2,
      nSteps: 64,
      batchSize: 128,
      targetKl: 0.05,
      policyKwargs: { netArch: [16] },
    });
    await model.learn({ totalTimesteps: 8192 });
    const a = model.predict(Float32Array.from([1]), { deterministic: true }) as Float32Array;
    expect(Math.abs(a[0] - 0.5)).toBeLessThan(0.2);
    model.dispose();
  });
});
