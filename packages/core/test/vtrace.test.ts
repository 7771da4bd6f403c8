import { describe, expect, it } from 'vitest';
import { Random, type VtraceArgs, vtrace } from '../src/index.js';
import { maxRelError } from './helpers.js';

const f32 = (xs: number[]) => Float32Array.from(xs);
const u8 = (xs: number[]) => Uint8Array.from(xs);

/**
 * Espeholt et al. 2018, eq. 1, written as the n-step sum (not the recursion), one column at a time:
 * v_s = V(x_s) + Σ_{t=s}^{T−1} (Π_{i=s}^{t−1} γ_i c_i) δ_t,  δ_t = ρ_t (r_t + γ_t V(x_{t+1}) − V(x_t)),
 * and the policy-gradient advantage of section 4.2, ρ^pg_s (r_s + γ_s v_{s+1} − V(x_s)).
 */
function paperVtrace(a: Required<Omit<VtraceArgs, 'out'>>): { vs: number[]; pg: number[] } {
  const N = a.numEnvs;
  const T = a.rewards.length / N;
  const vs: number[] = new Array(T * N);
  const pg: number[] = new Array(T * N);
  for (let i = 0; i < N; i++) {
    const at = (arr: ArrayLike<number>, t: number) => arr[t * N + i];
    const V = (t: number) => (t === T ? a.bootstrapValues[i] : at(a.values, t));
    const ratio = (t: number) => Math.exp(at(a.targetLogProbs, t) - at(a.behaviourLogProbs, t));
    const disc = (t: number) => (at(a.terminated, t) ? 0 : a.gamma);
    const delta = (t: number) =>
      Math.min(a.clipRhoThreshold, ratio(t)) * (at(a.rewards, t) + disc(t) * V(t + 1) - V(t));
    const c = (t: number) => a.lambda * Math.min(a.clipCThreshold, ratio(t));
    const v = (s: number): number => {
      if (s === T) return a.bootstrapValues[i];
      let sum = 0;
      for (let t = s; t < T; t++) {
        let w = 1;
        for (let j = s; j < t; j++) w *= disc(j) * c(j);
        sum += w * delta(t);
      }
      return V(s) + sum;
    };
    for (let s = 0; s < T; s++) {
      vs[s * N + i] = v(s);
      pg[s * N + i] =
        Math.min(a.clipPgRhoThreshold, ratio(s)) * (at(a.rewards, s) + disc(s) * v(s + 1) - V(s));
    }
  }
  return { vs, pg };
}

function randomCase(seed: number, T: number, N: number) {
  const rng = new Random(seed);
  const arr = (scale: number) => Float32Array.from({ length: T * N }, () => (rng.uniform() - 0.5) * scale);
  return {
    behaviourLogProbs: Float32Array.from({ length: T * N }, () => -rng.uniform() * 3),
    targetLogProbs: Float32Array.from({ length: T * N }, () => -rng.uniform() * 3),
    rewards: arr(4),
    values: arr(10),
    bootstrapValues: Float32Array.from({ length: N }, () => (rng.uniform() - 0.5) * 10),
    terminated: Uint8Array.from({ length: T * N }, () => (rng.uniform() < 0.15 ? 1 : 0)),
    numEnvs: N,
    gamma: 0.5 + rng.uniform() * 0.5,
    lambda: 0.5 + rng.uniform() * 0.5,
    clipRhoThreshold: 0.5 + rng.uniform() * 1.5,
    clipPgRhoThreshold: 0.5 + rng.uniform() * 1.5,
    clipCThreshold: 0.5 + rng.uniform() * 1.5,
  };
}

describe('vtrace', () => {
  it('matches a direct implementation of eq. 1 (n-step sum form) on random rollouts', () => {
    for (let seed = 1; seed <= 30; seed++) {
      const c = randomCase(seed, 1 + (seed % 13), 1 + (seed % 4));
      const got = vtrace(c);
      const want = paperVtrace(c);
      expect(maxRelError(got.vs, want.vs, 1e-4)).toBeLessThan(1e-5);
      expect(maxRelError(got.pgAdvantages, want.pg, 1e-4)).toBeLessThan(1e-5);
    }
  });

  it('on-policy with λ = 1: vs is the n-step bootstrapped return', () => {
    // T = 3, N = 1, γ = 0.5, no termination: v_0 = 1 + 0.5·2 + 0.25·3 + 0.125·8 = 3.75
    const lp = f32([-0.3, -1.2, -0.7]);
    const r = vtrace({
      behaviourLogProbs: lp,
      targetLogProbs: lp,
      rewards: f32([1, 2, 3]),
      values: f32([5, -4, 7]),
      bootstrapValues: f32([8]),
      terminated: u8([0, 0, 0]),
      numEnvs: 1,
      gamma: 0.5,
    });
    expect(Array.from(r.vs)).toEqual([3.75, 5.5, 7]);
    // pg advantage on-policy: r_s + γ v_{s+1} − V(x_s)
    expect(Array.from(r.pgAdvantages)).toEqual([1 + 0.5 * 5.5 - 5, 2 + 0.5 * 7 + 4, 3 + 0.5 * 8 - 7]);
  });

  it('termination drops the bootstrap and cuts the trace; columns are independent', () => {
    const lp = f32([0, 0, 0, 0]);
    const r = vtrace({
      behaviourLogProbs: lp,
      targetLogProbs: lp,
      rewards: f32([1, 10, 2, 20]),
      values: f32([0, 0, 0, 0]),
      bootstrapValues: f32([100, 1000]),
      terminated: u8([1, 0, 0, 0]),
      numEnvs: 2,
      gamma: 1,
    });
    expect(Array.from(r.vs)).toEqual([1, 1030, 102, 1020]);
  });

  it('clips ρ, ρ_pg and c at their thresholds', () => {
    // ratio e^{ln 3} = 3 everywhere; T = 2, N = 1, γ = 1, values 0, bootstrap 0
    const base = {
      behaviourLogProbs: f32([0, 0]),
      targetLogProbs: f32([Math.log(3), Math.log(3)]),
      rewards: f32([1, 1]),
      values: f32([0, 0]),
      bootstrapValues: f32([0]),
      terminated: u8([0, 0]),
      numEnvs: 1,
      gamma: 1,
    };
    // defaults (all 1): δ = r, c = 1 → vs = [2, 1]; pg = [1 + 1, 1]
    let r = vtrace(base);
    expect(Array.from(r.vs)).toEqual([2, 1]);
    expect(Array.from(r.pgAdvantages)).toEqual([2, 1]);
    // ρ̄ = 2: δ = 2; c̄ = 0.5: vs_1 = 2, vs_0 = 2 + 0.5·2 = 3; ρ̄_pg = Infinity: pg = 3·(1 + vs_1), 3·1
    r = vtrace({ ...base, clipRhoThreshold: 2, clipCThreshold: 0.5, clipPgRhoThreshold: Infinity });
    expect(r.vs[0]).toBeCloseTo(3, 5);
    expect(r.vs[1]).toBeCloseTo(2, 5);
    expect(r.pgAdvantages[0]).toBeCloseTo(9, 5);
    expect(r.pgAdvantages[1]).toBeCloseTo(3, 5);
  });

  it('writes into preallocated outputs', () => {
    const c = randomCase(7, 5, 2);
    const out = { vs: new Float32Array(10), pgAdvantages: new Float32Array(10) };
    const r = vtrace({ ...c, out });
    expect(r.vs).toBe(out.vs);
    expect(r.pgAdvantages).toBe(out.pgAdvantages);
    expect(Array.from(r.vs)).toEqual(Array.from(vtrace(c).vs));
  });

  it('refuses bad input with errors naming the argument', () => {
    const c = randomCase(3, 4, 2);
    expect(() => vtrace({ ...c, rewards: f32([1, 2, 3, 4, 5, 6]) })).toThrow(
      'behaviourLogProbs has length 8, expected 6 (= rewards.length)',
    );
    expect(() => vtrace({ ...c, numEnvs: 3 })).toThrow('not a multiple of numEnvs = 3');
    expect(() => vtrace({ ...c, bootstrapValues: f32([1]) })).toThrow(
      'bootstrapValues has length 1, expected 2 (= numEnvs)',
    );
    expect(() => vtrace({ ...c, gamma: 1.5 })).toThrow('gamma must be a finite number in [0, 1], got 1.5');
    expect(() => vtrace({ ...c, clipCThreshold: 0 })).toThrow('clipCThreshold must be a number > 0');
    expect(() => vtrace({ ...c, terminated: new Uint8Array(8).fill(2) })).toThrow(
      'terminated[0] must be 0 or 1, got 2',
    );
    expect(() => vtrace({ ...c, values: c.values.map((x, i) => (i === 5 ? Number.NaN : x)) })).toThrow(
      'values[5] must be finite, got NaN',
    );
    expect(() => vtrace({ ...c, discounts: f32([1]) } as unknown as VtraceArgs)).toThrow(
      "vtrace arguments has an unknown option 'discounts'",
    );
    expect(() => vtrace(c, { foo: 1 } as never)).toThrow("options has an unknown option 'foo'");
    expect(() => vtrace({ ...c, values: [1, 2] as unknown as Float32Array })).toThrow(
      'values must be a Float32Array, got Array(2)',
    );
    expect(() => vtrace(c, { backend: 'native' })).toThrow(/native/);
  });
});
