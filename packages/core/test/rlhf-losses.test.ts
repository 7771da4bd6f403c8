// dpoLoss, bradleyTerryLoss, tokenRewards and the KL controllers: hand-computed values, an
// independent float64 re-implementation, central finite differences and validation.
import { describe, expect, it } from 'vitest';
import {
  AdaptiveKlController,
  bradleyTerryLoss,
  type DpoLossType,
  dpoLoss,
  FixedKlController,
  Random,
  tokenRewards,
} from '../src/index.js';

const f32 = (xs: number[]) => Float32Array.from(xs);
const u8 = (xs: number[]) => Uint8Array.from(xs);
const softplus = (x: number) => (x > 30 ? x : Math.log(1 + Math.exp(x)));

/** Central differences of f at x (float64), one coordinate at a time. */
function fdGrad(f: (x: Float64Array) => number, x0: ArrayLike<number>, h = 1e-6): Float64Array {
  const x = Float64Array.from(x0);
  const g = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const xi = x[i];
    x[i] = xi + h;
    const up = f(x);
    x[i] = xi - h;
    const down = f(x);
    x[i] = xi;
    g[i] = (up - down) / (2 * h);
  }
  return g;
}

function expectClose(a: ArrayLike<number>, b: ArrayLike<number>, tol: number) {
  expect(a.length).toBe(b.length);
  for (let i = 0; i < a.length; i++) expect(Math.abs(a[i] - b[i])).toBeLessThan(tol * (1 + Math.abs(b[i])));
}

describe('dpoLoss', () => {
  it('hand-computed sigmoid loss at h = 0 is log 2 with gradient ∓β/2 per pair', () => {
    const z = f32([-3]);
    const r = dpoLoss({
      chosenLogProbs: z,
      rejectedLogProbs: z,
      refChosenLogProbs: z,
      refRejectedLogProbs: z,
      beta: 0.1,
    });
    expect(r.loss).toBeCloseTo(Math.LN2, 12);
    expect(r.gradChosenLogProbs[0]).toBeCloseTo(-0.05, 7);
    expect(r.gradRejectedLogProbs[0]).toBeCloseTo(0.05, 7);
    expect(r.rewardAccuracy).toBe(0);
  });

  const rng = new Random(3);
  const B = 6;
  const rand = (s: number) => Float32Array.from({ length: B }, () => -20 + s * (rng.uniform() * 2 - 1));
  const data = {
    chosenLogProbs: rand(8),
    rejectedLogProbs: rand(8),
    refChosenLogProbs: rand(8),
    refRejectedLogProbs: rand(8),
  };
  const chosenLengths = Int32Array.from({ length: B }, (_, i) => 3 + i);
  const rejectedLengths = Int32Array.from({ length: B }, (_, i) => 9 - i);

  /** DPO written directly from the papers' formulas, in float64; x = [chosen…, rejected…]. */
  function direct(x: ArrayLike<number>, type: DpoLossType, beta: number, ls: number): number {
    let s = 0;
    for (let i = 0; i < B; i++) {
      const lc = type === 'ipo' ? chosenLengths[i] : 1;
      const lr = type === 'ipo' ? rejectedLengths[i] : 1;
      const h = (x[i] - data.refChosenLogProbs[i]) / lc - (x[B + i] - data.refRejectedLogProbs[i]) / lr;
      if (type === 'sigmoid') s += (1 - ls) * softplus(-beta * h) + ls * softplus(beta * h);
      else if (type === 'hinge') s += Math.max(0, 1 - beta * h);
      else s += (h - 1 / (2 * beta)) ** 2;
    }
    return s / B;
  }

  it.each([
    ['sigmoid', 0.1, 0],
    ['sigmoid', 0.5, 0.2],
    ['hinge', 0.5, 0],
    ['ipo', 0.3, 0],
  ] as const)('%s (β = %s, ls = %s) matches the direct formula and finite differences', (type, beta, ls) => {
    const r = dpoLoss({
      ...data,
      beta,
      lossType: type,
      labelSmoothing: ls,
      ...(type === 'ipo' ? { chosenLengths, rejectedLengths } : {}),
    });
    const x = [...data.chosenLogProbs, ...data.rejectedLogProbs];
    expect(r.loss).toBeCloseTo(direct(x, type, beta, ls), 6);
    const g = fdGrad((v) => direct(v, type, beta, ls), x);
    expectClose(r.gradChosenLogProbs, g.subarray(0, B), 1e-5);
    expectClose(r.gradRejectedLogProbs, g.subarray(B), 1e-5);
    let correct = 0;
    for (let i = 0; i < B; i++) {
      const lc = type === 'ipo' ? chosenLengths[i] : 1;
      const lr = type === 'ipo' ? rejectedLengths[i] : 1;
      const rc = (beta * (data.chosenLogProbs[i] - data.refChosenLogProbs[i])) / lc;
      const rr = (beta * (data.rejectedLogProbs[i] - data.refRejectedLogProbs[i])) / lr;
      expect(r.chosenRewards[i]).toBeCloseTo(rc, 5);
      expect(r.rejectedRewards[i]).toBeCloseTo(rr, 5);
      if (rc > rr) correct++;
    }
    expect(r.rewardAccuracy).toBe(correct / B);
    // the random pairs put hinge terms on both sides of the kink
    if (type === 'hinge') {
      expect(r.gradChosenLogProbs.some((v) => v === 0)).toBe(true);
      expect(r.gradChosenLogProbs.some((v) => v !== 0)).toBe(true);
    }
  });

  it('rejects bad arguments', () => {
    expect(() => dpoLoss({ ...data, beta: 0 })).toThrow(/beta must be a finite number > 0, got 0/);
    expect(() => dpoLoss({ ...data, lossType: 'kto' as DpoLossType })).toThrow(
      /lossType must be one of 'sigmoid', 'hinge', 'ipo', got 'kto'/,
    );
    expect(() => dpoLoss({ ...data, labelSmoothing: 0.6 })).toThrow(
      /labelSmoothing must be a finite number in \[0, 0.5\]/,
    );
    expect(() => dpoLoss({ ...data, lossType: 'hinge', labelSmoothing: 0.1 })).toThrow(
      /labelSmoothing applies to lossType 'sigmoid' only/,
    );
    expect(() => dpoLoss({ ...data, lossType: 'ipo' })).toThrow(
      /chosenLengths is required with lossType 'ipo'/,
    );
    expect(() => dpoLoss({ ...data, chosenLengths, rejectedLengths })).toThrow(
      /apply to lossType 'ipo' only/,
    );
    expect(() =>
      dpoLoss({ ...data, lossType: 'ipo', chosenLengths: new Int32Array(B), rejectedLengths }),
    ).toThrow(/chosenLengths\[0\] must be ≥ 1, got 0/);
    expect(() => dpoLoss({ ...data, rejectedLogProbs: new Float32Array(2) })).toThrow(
      /rejectedLogProbs has length 2, expected 6 \(= chosenLogProbs.length\)/,
    );
    expect(() => dpoLoss({ ...data, gamma: 1 } as never)).toThrow(/unknown option 'gamma'/);
  });
});

describe('bradleyTerryLoss', () => {
  it('hand-computed: equal rewards give log 2 and gradient ∓1/(2B)', () => {
    const r = bradleyTerryLoss({ rewardsChosen: f32([1, 1]), rewardsRejected: f32([1, 1]) });
    expect(r.loss).toBeCloseTo(Math.LN2, 12);
    expect(Array.from(r.gradRewardsChosen)).toEqual([-0.25, -0.25]);
    expect(Array.from(r.gradRewardsRejected)).toEqual([0.25, 0.25]);
    expect(r.accuracy).toBe(0);
  });

  it('matches the direct formula and finite differences, with margin and centring', () => {
    const rng = new Random(8);
    const B = 5;
    const rc = Float32Array.from({ length: B }, () => rng.normal() * 2);
    const rr = Float32Array.from({ length: B }, () => rng.normal() * 2);
    const margin = Float32Array.from({ length: B }, () => rng.uniform());
    const c = 0.01;
    const direct = (x: ArrayLike<number>) => {
      let s = 0;
      let q = 0;
      for (let i = 0; i < B; i++) {
        s += softplus(-(x[i] - x[B + i] - margin[i]));
        q += (x[i] + x[B + i]) ** 2;
      }
      return s / B + (c * q) / B;
    };
    const r = bradleyTerryLoss({
      rewardsChosen: rc,
      rewardsRejected: rr,
      margin,
      centerRewardsCoefficient: c,
    });
    const x = [...rc, ...rr];
    expect(r.loss).toBeCloseTo(direct(x), 10);
    const g = fdGrad(direct, x);
    expectClose(r.gradRewardsChosen, g.subarray(0, B), 1e-6);
    expectClose(r.gradRewardsRejected, g.subarray(B), 1e-6);
    expect(r.accuracy).toBe(Array.from(rc).filter((v, i) => v > rr[i]).length / B);
  });

  it('rejects bad arguments', () => {
    const ok = { rewardsChosen: f32([1, 2]), rewardsRejected: f32([0, 1]) };
    expect(() => bradleyTerryLoss({ ...ok, margin: f32([1]) })).toThrow(/margin has length 1, expected 2/);
    expect(() => bradleyTerryLoss({ ...ok, centerRewardsCoefficient: -1 })).toThrow(
      /centerRewardsCoefficient/,
    );
    expect(() => bradleyTerryLoss({ ...ok, rewardsRejected: [0, 1] as never })).toThrow(TypeError);
    expect(() => bradleyTerryLoss({ ...ok, centerRewards: 1 } as never)).toThrow(
      /unknown option 'centerRewards'/,
    );
  });
});

describe('tokenRewards', () => {
  const base = {
    logProbs: f32([-1, -2, -0.5, 9, -1, -1, 9, 9]),
    refLogProbs: f32([-1.5, -1, -0.5, 9, -2, -1, 9, 9]),
    mask: u8([1, 1, 1, 0, 1, 1, 0, 0]),
    scores: f32([2, -1]),
    numSequences: 2,
    seqLen: 4,
    klCoef: 0.1,
  };

  it('k1: −β·(logp − ref) per completion token, the score on the last one, 0 at padding', () => {
    const r = tokenRewards(base);
    // row 0: k1 = [0.5, −1, 0], score 2 at t = 2; row 1: k1 = [1, 0], score −1 at t = 1
    expectClose(r.rewards, [-0.05, 0.1, 2, 0, -0.1, -1, 0, 0], 1e-7);
    expectClose(r.kl, [0.5, -1, 0, 0, 1, 0, 0, 0], 1e-7);
  });

  it('k3 and the missing-EOS penalty', () => {
    const r = tokenRewards({ ...base, kl: 'k3', missingEosPenalty: 1.5, hasEos: u8([1, 0]) });
    const k3 = (lp: number, ref: number) => Math.exp(ref - lp) - 1 - (ref - lp);
    expect(r.kl[0]).toBeCloseTo(k3(-1, -1.5), 7);
    expect(r.rewards[4]).toBeCloseTo(-0.1 * k3(-1, -2), 7);
    expect(r.rewards[5]).toBeCloseTo(-1 - 1.5, 7);
    expect(r.rewards[2]).toBeCloseTo(2, 7);
    expect(Array.from(r.scores)).toEqual([2, -2.5]);
  });

  it('rejects bad arguments', () => {
    expect(() => tokenRewards({ ...base, mask: u8([1, 1, 1, 0, 0, 0, 0, 0]) })).toThrow(
      /mask row 1 has no completion token/,
    );
    expect(() => tokenRewards({ ...base, missingEosPenalty: 1 })).toThrow(/must be given together/);
    expect(() => tokenRewards({ ...base, kl: 'k2' as 'k1' })).toThrow(
      /kl must be one of 'k1', 'k3', got 'k2'/,
    );
    expect(() => tokenRewards({ ...base, scores: f32([1]) })).toThrow(
      /scores has length 1, expected 2 \(= numSequences\)/,
    );
    expect(() => tokenRewards({ ...base, klCoef: -1 })).toThrow(/klCoef must be a finite number/);
  });
});

describe('KL controllers', () => {
  it('adaptive: β ← β(1 + clip(KL/target − 1, ±0.2)·n/H)', () => {
    const c = new AdaptiveKlController({ initKlCoef: 0.2, target: 6, horizon: 10000 });
    c.update(9, 256); // error clipped to 0.2
    expect(c.value).toBeCloseTo(0.2 * (1 + (0.2 * 256) / 10000), 14);
    c.update(5.4, 100); // error −0.1
    expect(c.value).toBeCloseTo(0.2 * (1 + (0.2 * 256) / 10000) * (1 - (0.1 * 100) / 10000), 14);
    expect(() => new AdaptiveKlController({ initKlCoef: 0.2, target: 0, horizon: 1 })).toThrow(
      /target must be/,
    );
    expect(() => c.update(Number.NaN, 1)).toThrow(/currentKl must be a finite number/);
  });

  it('fixed: update changes nothing', () => {
    const c = new FixedKlController(0.05);
    c.update(100, 1000);
    expect(c.value).toBe(0.05);
    expect(() => new FixedKlController(-1)).toThrow(RangeError);
  });
});
