import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Normalizer, PPO } from '../src/index.js';

describe('Normalizer (VecNormalize semantics)', () => {
  it('observations converge to zero mean / unit variance and are clipped', () => {
    const n = new Normalizer(2, 1, 0.99, { normObs: true, clipObs: 3 });
    for (let i = 0; i < 2000; i++)
      n.observations(Float32Array.from([10 + Math.sin(i), -5 + 2 * Math.cos(i)]), true);
    const z = n.observations(Float32Array.from([10, -5]), false);
    expect(Math.abs(z[0])).toBeLessThan(0.05);
    expect(n.observations(Float32Array.from([1000, -5]), false)[0]).toBe(3);
  });

  it('rewards are divided by the std of the discounted return, which resets at episode ends', () => {
    const n = new Normalizer(1, 1, 0.5, { normReward: true, clipReward: 100 });
    const out: number[] = [];
    for (let i = 0; i < 200; i++) out.push(n.rewards(Float32Array.from([1]), Uint8Array.from([i % 2]))[0]);
    // returns alternate 1 (after a reset) and 1.5: std 0.25 → reward 1 scales to ≈ 4
    expect(out.at(-1)).toBeCloseTo(1 / Math.sqrt(n.retRms.var[0] + 1e-8), 6);
    expect(Math.sqrt(n.retRms.var[0])).toBeCloseTo(0.25, 1);
  });

  it('scaleRewards scales by the current return statistics without updating them (off-policy sampling)', () => {
    const n = new Normalizer(1, 2, 0.9, { normReward: true, clipReward: 2 });
    for (let i = 0; i < 50; i++)
      n.rewards(Float32Array.of(1, -0.5 * i), Uint8Array.of(i % 5 === 0 ? 1 : 0, 0));
    const count = n.retRms.count;
    const std = Math.sqrt(n.retRms.var[0] + n.epsilon);
    const s = n.scaleRewards(Float32Array.of(0.5, -1e6));
    expect(s[0]).toBeCloseTo(0.5 / std, 6);
    expect(s[1]).toBe(-2); // clipped
    expect(n.retRms.count).toBe(count);
    const off = new Normalizer(1, 1, 0.9);
    const r = Float32Array.of(3);
    expect(off.scaleRewards(r)).toBe(r);
  });

  it('rejects bad options', () => {
    expect(() => new Normalizer(2, 1, 0.99, { clipObs: 0 })).toThrow(/clipObs must be > 0/);
  });

  it('PPO saves and restores the statistics with the model', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'proximal-norm-'));
    try {
      const m = await PPO.create({
        env: 'CartPole-v1',
        numEnvs: 2,
        nSteps: 32,
        batchSize: 32,
        seed: 1,
        normalize: { normObs: true, normReward: true },
      });
      await m.learn({ totalTimesteps: 128 });
      await m.save(dir);
      const l = await PPO.load(dir);
      expect(Array.from(l.normalizer.obsRms.mean)).toEqual(Array.from(m.normalizer.obsRms.mean));
      expect(l.normalizer.retRms.count).toBe(m.normalizer.retRms.count);
      const obs = Float32Array.from([0.1, 0.2, -0.1, 0.3]);
      expect(Array.from(l.predict(obs, { deterministic: true }) as Float32Array)).toEqual(
        Array.from(m.predict(obs, { deterministic: true }) as Float32Array),
      );
      m.dispose();
      l.dispose();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
