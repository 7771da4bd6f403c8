import { describe, expect, it } from 'vitest';
import { newEpisodeCarry, type VpgAdvantagesArgs, vpgAdvantages } from '../src/index.js';

/**
 * One env, six steps, γ = 0.5:
 * - episode A: steps 0–1, terminated at step 1 (no bootstrap);
 * - episode B: steps 2–3, truncated at step 3 (bootstrap γ·V(final observation) = 0.5·8);
 * - episode C: steps 4–5, cut by the end of the rollout (bootstrap γ·V(s_6) = 0.5·16).
 *
 * Rewards-to-go by hand: G5 = 6 + 0.5·16 = 14, G4 = 5 + 0.5·14 = 12; G3 = 4 + 0.5·8 = 8,
 * G2 = 3 + 0.5·8 = 7; G1 = 2, G0 = 1 + 0.5·2 = 2.
 */
const one = (): VpgAdvantagesArgs => ({
  estimator: 'gae',
  rewards: Float32Array.of(1, 2, 3, 4, 5, 6),
  values: Float32Array.of(10, 20, 30, 40, 50, 60),
  // V(s_{t+1}); step 1 is terminal (99 must be ignored); step 3: V(final obs) = 8; step 5: V(s_6) = 16
  nextValues: Float32Array.of(20, 99, 40, 8, 60, 16),
  terminated: Uint8Array.of(0, 1, 0, 0, 0, 0),
  truncated: Uint8Array.of(0, 0, 0, 1, 0, 0),
  numEnvs: 1,
  gamma: 0.5,
  gaeLambda: 0.5,
});
const G = [2, 2, 7, 8, 12, 14];

const close = (actual: Float32Array, expected: number[]) => {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) expect(actual[i], `index ${i}`).toBeCloseTo(expected[i], 5);
};

describe('vpgAdvantages: Ψ_t by hand (termination, truncation, rollout cut)', () => {
  it('rewardToGo: G_t, bootstrapped with V at the truncation and the rollout end, 0 at the termination', () => {
    const r = vpgAdvantages({ ...one(), estimator: 'rewardToGo' });
    close(r.advantages, G);
    close(r.returns, G);
  });

  it('rewardToGoBaseline: G_t − V(s_t)', () => {
    const r = vpgAdvantages({ ...one(), estimator: 'rewardToGoBaseline' });
    close(r.advantages, [2 - 10, 2 - 20, 7 - 30, 8 - 40, 12 - 50, 14 - 60]);
    close(r.returns, G);
  });

  it('totalReturn: the episode’s discounted return from its first step, at every step', () => {
    const r = vpgAdvantages({ ...one(), estimator: 'totalReturn' });
    close(r.advantages, [2, 2, 7, 7, 12, 12]);
    close(r.returns, G);
  });

  it('gae: GAE(γ, λ) advantages; the value targets stay the rewards-to-go', () => {
    // δ = r + γ(1 − term)V' − V = [1, −18, −7, −32, −15, −46]; γλ = 0.25, recursion cut at every done
    // A1 = −18, A0 = 1 − 0.25·18 = −3.5; A3 = −32, A2 = −7 − 8 = −15; A5 = −46, A4 = −15 − 11.5 = −26.5
    const r = vpgAdvantages(one());
    close(r.advantages, [-3.5, -18, -15, -32, -26.5, -46]);
    close(r.returns, G);
    // λ = 1 is the reward-to-go minus the baseline
    close(vpgAdvantages({ ...one(), gaeLambda: 1 }).advantages, [-8, -18, -23, -32, -38, -46]);
  });

  it('totalReturn carries an episode across rollouts: earlier rewards and the discount of its steps so far', () => {
    // the env's episode A began 2 steps before this rollout and earned 2 + 0.5·2 = 3 then (discount 0.25)
    const carry = newEpisodeCarry(1);
    carry.returnSoFar[0] = 3;
    carry.discount[0] = 0.25;
    const r = vpgAdvantages({ ...one(), estimator: 'totalReturn', carry });
    close(r.advantages, [3 + 0.25 * 2, 3 + 0.25 * 2, 7, 7, 12, 12]);
    // episode C continues: 5 + 0.5·6 = 8 earned so far, discount 0.5² = 0.25
    expect(carry.returnSoFar[0]).toBeCloseTo(8, 12);
    expect(carry.discount[0]).toBeCloseTo(0.25, 12);
    // next rollout: C ends at its first step (terminated, reward 1): R = 8 + 0.25·1
    const next = vpgAdvantages({
      estimator: 'totalReturn',
      rewards: Float32Array.of(1),
      values: Float32Array.of(0),
      nextValues: Float32Array.of(0),
      terminated: Uint8Array.of(1),
      truncated: Uint8Array.of(0),
      numEnvs: 1,
      gamma: 0.5,
      gaeLambda: 0.5,
      carry,
    });
    close(next.advantages, [8.25]);
    expect([carry.returnSoFar[0], carry.discount[0]]).toEqual([0, 1]);
  });

  it('reads time-major [T, N] arrays: two envs interleaved give each env’s own result', () => {
    const a = one();
    // env 1: reward 1 each step, V = 0, no episode end; bootstrap V(s_6) = 2 → G_t = 2 at every step
    const inter = <T extends Float32Array | Uint8Array>(x: T, y: number[]): T => {
      const out = new (x.constructor as new (n: number) => T)(x.length * 2);
      x.forEach((v, t) => {
        out[2 * t] = v;
        out[2 * t + 1] = y[t];
      });
      return out;
    };
    const carry = newEpisodeCarry(2);
    const args: VpgAdvantagesArgs = {
      ...a,
      estimator: 'totalReturn',
      rewards: inter(a.rewards, [1, 1, 1, 1, 1, 1]),
      values: inter(a.values, [0, 0, 0, 0, 0, 0]),
      nextValues: inter(a.nextValues, [0, 0, 0, 0, 0, 2]),
      terminated: inter(a.terminated, [0, 0, 0, 0, 0, 0]),
      truncated: inter(a.truncated, [0, 0, 0, 0, 0, 0]),
      numEnvs: 2,
      carry,
    };
    const r = vpgAdvantages(args);
    const env = (x: Float32Array, i: number) => Array.from(x).filter((_, k) => k % 2 === i);
    expect(env(r.advantages, 0)).toEqual([2, 2, 7, 7, 12, 12]);
    expect(env(r.advantages, 1)).toEqual([2, 2, 2, 2, 2, 2]);
    expect(env(r.returns, 1)).toEqual([2, 2, 2, 2, 2, 2]);
    expect(carry.returnSoFar[1]).toBeCloseTo(1 + 0.5 + 0.25 + 0.125 + 0.0625 + 0.03125, 12);
    expect(carry.discount[1]).toBe(0.5 ** 6);
  });

  it('with γ = 1 and no cut, totalReturn is the episode’s sum of rewards (Williams’ R)', () => {
    const r = vpgAdvantages({
      estimator: 'totalReturn',
      rewards: Float32Array.of(1, 2, 3, 10),
      values: new Float32Array(4),
      nextValues: new Float32Array(4),
      terminated: Uint8Array.of(0, 0, 1, 1),
      truncated: new Uint8Array(4),
      numEnvs: 1,
      gamma: 1,
      gaeLambda: 0.97,
    });
    expect(Array.from(r.advantages)).toEqual([6, 6, 6, 10]);
  });

  it('refuses an unknown estimator, a carry of the wrong size and bad arrays, naming them', () => {
    expect(() => vpgAdvantages({ ...one(), estimator: 'montecarlo' as never })).toThrow(
      /estimator must be 'totalReturn' \| 'rewardToGo' \| 'rewardToGoBaseline' \| 'gae', got "montecarlo"/,
    );
    expect(() => vpgAdvantages({ ...one(), estimator: 'totalReturn', carry: newEpisodeCarry(3) })).toThrow(
      /carry.returnSoFar must be a Float64Array of length numEnvs = 1, got length 3/,
    );
    expect(() => vpgAdvantages({ ...one(), values: new Float32Array(5) })).toThrow(/values/);
    expect(() => vpgAdvantages({ ...one(), gamma: 2 })).toThrow(/gamma/);
  });
});
