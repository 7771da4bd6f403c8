// groupRelativeAdvantages and grpoLoss: hand-computed cases, an independent float64 re-implementation
// (tensor by tensor, as TRL writes it), central finite differences, padding, tied groups,
// validation and js–native parity.
import { describe, expect, it } from 'vitest';
import {
  type GrpoLossArgs,
  type GrpoLossType,
  groupRelativeAdvantages,
  groupRelativeAdvantagesAsync,
  groupRelativeAdvantagesReference,
  grpoLoss,
  grpoLossAsync,
  grpoLossReference,
  type ImportanceSamplingLevel,
  Random,
} from '../src/index.js';
import { maxRelError, nativeAvailable } from './helpers.js';

const hasNative = nativeAvailable();
const f32 = (xs: number[]) => Float32Array.from(xs);
const u8 = (xs: number[]) => Uint8Array.from(xs);

/** torch.std (Bessel) written as the two sums Σx and Σx². */
function torchStd(xs: number[]): number {
  const n = xs.length;
  const s = xs.reduce((a, b) => a + b, 0);
  const s2 = xs.reduce((a, b) => a + b * b, 0);
  return Math.sqrt(Math.max(0, (s2 - (s * s) / n) / (n - 1)));
}

describe('groupRelativeAdvantages', () => {
  it('centres by the group mean and scales by the group / batch std or not at all', () => {
    const rewards = f32([1, 3, 5, 5]);
    const g = groupRelativeAdvantagesReference({ rewards, numGenerations: 2 });
    const s = Math.SQRT2 + 1e-4;
    expect(Array.from(g.advantages)).toEqual([Math.fround(-1 / s), Math.fround(1 / s), 0, 0]);
    expect(Array.from(g.groupMean)).toEqual([2, 5]);
    expect(g.groupStd[0]).toBeCloseTo(Math.SQRT2, 6);
    expect(g.groupStd[1]).toBe(0);
    expect(g.fracRewardZeroStd).toBe(0.5);
    const none = groupRelativeAdvantagesReference({ rewards, numGenerations: 2, scaleRewards: 'none' });
    expect(Array.from(none.advantages)).toEqual([-1, 1, 0, 0]);
    const batch = groupRelativeAdvantagesReference({ rewards, numGenerations: 2, scaleRewards: 'batch' });
    const sb = Math.sqrt(11 / 3);
    expect(batch.batchStd).toBeCloseTo(sb, 12);
    expect(batch.advantages[0]).toBeCloseTo(-1 / (sb + 1e-4), 6);
    expect(batch.advantages[2]).toBe(0);
  });

  it('matches an independent re-implementation on random rewards', () => {
    const rng = new Random(5);
    for (const G of [2, 3, 8]) {
      const rewards = Float32Array.from({ length: G * 7 }, () => Math.round(rng.uniform() * 4) / 2);
      rewards.fill(1.5, 0, G); // one tied group
      for (const scaleRewards of ['group', 'batch', 'none'] as const) {
        const r = groupRelativeAdvantagesReference({ rewards, numGenerations: G, scaleRewards });
        const all = Array.from(rewards);
        const batchStd = torchStd(all);
        let ties = 0;
        for (let k = 0; k < 7; k++) {
          const grp = all.slice(k * G, (k + 1) * G);
          const mean = grp.reduce((a, b) => a + b, 0) / G;
          const std = torchStd(grp);
          if (grp.every((x) => x === grp[0])) ties++;
          for (let j = 0; j < G; j++) {
            const want =
              scaleRewards === 'none'
                ? grp[j] - mean
                : (grp[j] - mean) / ((scaleRewards === 'group' ? std : batchStd) + 1e-4);
            expect(r.advantages[k * G + j]).toBeCloseTo(want, 5);
          }
          expect(r.groupStd[k]).toBeCloseTo(std, 5);
        }
        expect(r.advantages.subarray(0, G).every((x) => x === 0)).toBe(true);
        expect(r.fracRewardZeroStd).toBe(ties / 7);
        expect(r.batchStd).toBeCloseTo(batchStd, 10);
      }
    }
  });

  it('rejects bad arguments', () => {
    const rewards = f32([1, 2, 3, 4]);
    expect(() => groupRelativeAdvantages({ rewards, numGenerations: 3 }, { backend: 'js' })).toThrow(
      /rewards has length 4, expected a positive multiple of numGenerations = 3/,
    );
    expect(() => groupRelativeAdvantages({ rewards, numGenerations: 1 }, { backend: 'js' })).toThrow(
      /numGenerations must be an integer ≥ 2, got 1/,
    );
    expect(() =>
      groupRelativeAdvantages(
        { rewards, numGenerations: 2, scaleRewards: 'std' as 'group' },
        { backend: 'js' },
      ),
    ).toThrow(/scaleRewards must be one of 'group', 'batch', 'none', got 'std'/);
    expect(() =>
      groupRelativeAdvantages({ rewards: [1, 2] as unknown as Float32Array, numGenerations: 2 }),
    ).toThrow(TypeError);
    expect(() =>
      groupRelativeAdvantages({ rewards, numGenerations: 2, scale: 'none' } as never, { backend: 'js' }),
    ).toThrow(/unknown option 'scale'/);
  });
});

// ---------------------------------------------------------------------------------------------

interface Problem {
  B: number;
  L: number;
  logProbs: Float32Array;
  oldLogProbs: Float32Array;
  refLogProbs: Float32Array;
  advantages: Float32Array;
  mask: Uint8Array;
}

function randomProblem(seed: number, B: number, L: number, spread = 0.3): Problem {
  const rng = new Random(seed);
  const u = () => rng.uniform() * 2 - 1;
  const logProbs = Float32Array.from({ length: B * L }, () => -1 + 0.5 * u());
  const mask = Uint8Array.from({ length: B * L }, () => (u() > -0.6 ? 1 : 0));
  mask.fill(0, 0, L); // one fully padded row
  return {
    B,
    L,
    logProbs,
    oldLogProbs: logProbs.map((x) => x + spread * u()),
    refLogProbs: logProbs.map((x) => x + spread * u()),
    advantages: Float32Array.from({ length: B }, () => u()),
    mask,
  };
}

interface Settings {
  lossType: GrpoLossType;
  importanceSamplingLevel: ImportanceSamplingLevel;
  beta: number;
  epsilon: number;
  epsilonHigh: number;
  delta?: number;
  maxCompletionLength: number;
}

/** TRL's _compute_loss written tensor by tensor in float64 (loss and statistics only). */
function directGrpo(x: ArrayLike<number>, p: Problem, s: Settings) {
  const { B, L, mask } = p;
  const m = (b: number, t: number) => mask[b * L + t];
  const rowCount = (b: number) => Array.from({ length: L }, (_, t) => m(b, t)).reduce((a, c) => a + c, 0);
  const logW: number[][] = [];
  for (let b = 0; b < B; b++) {
    const lr = Array.from({ length: L }, (_, t) => x[b * L + t] - p.oldLogProbs[b * L + t]);
    if (s.importanceSamplingLevel === 'token') logW.push(lr);
    else {
      const mean = lr.reduce((a, v, t) => a + (m(b, t) ? v : 0), 0) / Math.max(1, rowCount(b));
      logW.push([mean]);
    }
  }
  const coef1 = logW.map((row) => row.map(Math.exp));
  const coef2 = coef1.map((row) => row.map((c) => Math.min(Math.max(c, 1 - s.epsilon), 1 + s.epsilonHigh)));
  const coef1d = coef1.map((row) => row.map((c) => (s.delta !== undefined ? Math.min(c, s.delta) : c)));
  const perToken: number[][] = [];
  let klSum = 0;
  for (let b = 0; b < B; b++) {
    const A = p.advantages[b];
    perToken.push(
      Array.from({ length: L }, (_, t) => {
        const j = s.importanceSamplingLevel === 'token' ? t : 0;
        const d = p.refLogProbs[b * L + t] - x[b * L + t];
        const kl = Math.exp(d) - d - 1;
        if (m(b, t)) klSum += kl;
        return -Math.min(coef1d[b][j] * A, coef2[b][j] * A) + s.beta * kl;
      }),
    );
  }
  const masked = (b: number) => perToken[b].reduce((a, v, t) => a + (m(b, t) ? v : 0), 0);
  let total = 0;
  for (let b = 0; b < B; b++) total += rowCount(b);
  let loss: number;
  if (s.lossType === 'grpo') {
    loss = 0;
    for (let b = 0; b < B; b++) loss += masked(b) / Math.max(1, rowCount(b));
    loss /= B;
  } else {
    let sum = 0;
    for (let b = 0; b < B; b++) sum += masked(b);
    loss = s.lossType === 'dr_grpo' ? sum / (B * s.maxCompletionLength) : sum / Math.max(1, total);
  }
  // clip statistics: masked token mean, or a plain mean over the [B, 1] sequence ratios
  const stat = (pred: (c: number, A: number) => boolean) => {
    let c = 0;
    for (let b = 0; b < B; b++) {
      if (s.importanceSamplingLevel === 'sequence') c += pred(coef1d[b][0], p.advantages[b]) ? 1 : 0;
      else for (let t = 0; t < L; t++) c += m(b, t) && pred(coef1d[b][t], p.advantages[b]) ? 1 : 0;
    }
    return c / (s.importanceSamplingLevel === 'sequence' ? B : Math.max(1, total));
  };
  const low = (c: number, A: number) => c < 1 - s.epsilon && A < 0;
  const high = (c: number, A: number) => c > 1 + s.epsilonHigh && A > 0;
  return {
    loss,
    meanKl: klSum / Math.max(1, total),
    clipRatioLow: stat(low),
    clipRatioHigh: stat(high),
    clipRatioRegion: stat((c, A) => low(c, A) || high(c, A)),
  };
}

function argsOf(p: Problem, s: Settings): GrpoLossArgs {
  return {
    logProbs: p.logProbs,
    oldLogProbs: p.oldLogProbs,
    refLogProbs: p.refLogProbs,
    advantages: p.advantages,
    mask: p.mask,
    numSequences: p.B,
    seqLen: p.L,
    ...s,
  };
}

const SETTINGS: Settings[] = [];
for (const lossType of ['grpo', 'bnpo', 'dr_grpo', 'dapo'] as const) {
  for (const importanceSamplingLevel of ['token', 'sequence'] as const) {
    for (const [beta, delta] of [
      [0, undefined],
      [0.04, 1.25],
    ] as const) {
      SETTINGS.push({
        lossType,
        importanceSamplingLevel,
        beta,
        delta,
        epsilon: importanceSamplingLevel === 'token' ? 0.2 : 0.03,
        epsilonHigh: importanceSamplingLevel === 'token' ? 0.15 : 0.04,
        maxCompletionLength: 9,
      });
    }
  }
}

describe('grpoLoss reference', () => {
  it('hand-computed: one clipped and one unclipped token', () => {
    // ratios 1.5, 0.5 (old = 0), A = 1, ε = 0.2: token 0 clipped (−1.2, gradient 0), token 1 not (−0.5)
    const r = grpoLossReference({
      logProbs: f32([Math.log(1.5), Math.log(0.5), 7]),
      oldLogProbs: f32([0, 0, Number.NaN]),
      advantages: f32([1]),
      mask: u8([1, 1, 0]),
      numSequences: 1,
      seqLen: 3,
      lossType: 'grpo',
    });
    expect(r.loss).toBeCloseTo(-0.85, 6);
    expect(r.gradLogProbs[0]).toBe(0);
    expect(r.gradLogProbs[1]).toBeCloseTo(-0.25, 6);
    expect(r.gradLogProbs[2]).toBe(0);
    expect([r.clipRatioLow, r.clipRatioHigh, r.clipRatioRegion]).toEqual([0, 0.5, 0.5]);
    expect(r.meanKl).toBeNull();
  });

  it('delta clamps the unclipped ratio from above (two-sided GRPO), stopping its gradient', () => {
    // ratio 2, A = −1, ε = 0.2: coef2 = 1.2; with δ = 1.5 the objective is min(−1.5, −1.2) = −1.5
    // (loss 1.5, gradient 0); without δ it is −2 (loss 2, gradient −A·ratio = 2)
    const args: GrpoLossArgs = {
      logProbs: f32([Math.log(2)]),
      oldLogProbs: f32([0]),
      advantages: f32([-1]),
      mask: u8([1]),
      numSequences: 1,
      seqLen: 1,
      lossType: 'bnpo',
    };
    const clamped = grpoLossReference({ ...args, delta: 1.5 });
    expect(clamped.loss).toBeCloseTo(1.5, 6);
    expect(clamped.gradLogProbs[0]).toBe(0);
    expect(clamped.clipRatioLow).toBe(0);
    const plain = grpoLossReference(args);
    expect(plain.loss).toBeCloseTo(2, 6);
    expect(plain.gradLogProbs[0]).toBeCloseTo(2, 6);
  });

  it.each(SETTINGS.map((s) => [`${s.lossType} ${s.importanceSamplingLevel} β=${s.beta}`, s] as const))(
    'matches the direct implementation and central differences (%s)',
    (_name, s) => {
      for (const seed of [1, 2]) {
        const p = randomProblem(seed, 4, 6);
        const r = grpoLossReference(argsOf(p, s));
        const x = Float64Array.from(p.logProbs);
        const d = directGrpo(x, p, s);
        expect(r.loss).toBeCloseTo(d.loss, 9);
        expect(r.meanKl).toBeCloseTo(d.meanKl, 9);
        expect(r.clipRatioLow).toBe(d.clipRatioLow);
        expect(r.clipRatioHigh).toBe(d.clipRatioHigh);
        expect(r.clipRatioRegion).toBe(d.clipRatioRegion);
        const h = 1e-6;
        for (let i = 0; i < x.length; i++) {
          const xi = x[i];
          x[i] = xi + h;
          const up = directGrpo(x, p, s).loss;
          x[i] = xi - h;
          const down = directGrpo(x, p, s).loss;
          x[i] = xi;
          const fd = (up - down) / (2 * h);
          if (p.mask[i]) expect(Math.abs(r.gradLogProbs[i] - fd)).toBeLessThan(1e-6 + 1e-5 * Math.abs(fd));
          else {
            expect(r.gradLogProbs[i]).toBe(0);
            expect(up).toBe(down);
          }
        }
      }
    },
  );

  it('exercises every clipping branch in the random cases', () => {
    let low = 0;
    let high = 0;
    for (const s of SETTINGS) {
      const r = grpoLossReference(argsOf(randomProblem(1, 4, 6), s));
      low += r.clipRatioLow;
      high += r.clipRatioHigh;
    }
    expect(low).toBeGreaterThan(0);
    expect(high).toBeGreaterThan(0);
  });

  it('padding never contributes (NaN at every padded position changes nothing)', () => {
    for (const s of SETTINGS) {
      const p = randomProblem(3, 5, 7);
      const r = grpoLossReference(argsOf(p, s));
      const q = {
        ...p,
        logProbs: p.logProbs.slice(),
        oldLogProbs: p.oldLogProbs.slice(),
        refLogProbs: p.refLogProbs.slice(),
      };
      for (let i = 0; i < q.mask.length; i++) {
        if (!q.mask[i]) q.logProbs[i] = q.oldLogProbs[i] = q.refLogProbs[i] = Number.NaN;
      }
      const rq = grpoLossReference(argsOf(q, s));
      expect(rq.loss).toBe(r.loss);
      expect(rq.meanKl).toBe(r.meanKl);
      expect(rq.gradLogProbs).toEqual(r.gradLogProbs);
    }
  });

  it('a tied group (advantage 0) gets only the KL gradient', () => {
    for (const level of ['token', 'sequence'] as const) {
      const p = randomProblem(4, 6, 5);
      const adv = groupRelativeAdvantagesReference({ rewards: f32([1, 1, 1, 0, 2, 1]), numGenerations: 3 });
      p.advantages = adv.advantages;
      expect(Array.from(p.advantages.subarray(0, 3))).toEqual([0, 0, 0]);
      const beta = 0.1;
      const r = grpoLossReference({
        ...argsOf(p, SETTINGS[0]),
        lossType: 'bnpo',
        beta,
        importanceSamplingLevel: level,
      });
      let total = 0;
      for (const m of p.mask) total += m;
      for (let i = 0; i < 3 * p.L; i++) {
        const want = p.mask[i] ? (beta * (1 - Math.exp(p.refLogProbs[i] - p.logProbs[i]))) / total : 0;
        expect(r.gradLogProbs[i]).toBeCloseTo(want, 7);
      }
      const r0 = grpoLossReference({
        ...argsOf(p, SETTINGS[0]),
        lossType: 'bnpo',
        beta: 0,
        importanceSamplingLevel: level,
      });
      expect(r0.gradLogProbs.subarray(0, 3 * p.L).every((g) => g === 0)).toBe(true);
    }
  });

  it('without oldLogProbs the ratio is 1 (TRL with numIterations = 1)', () => {
    const p = randomProblem(6, 3, 4);
    for (const s of SETTINGS) {
      const { oldLogProbs: _, ...rest } = argsOf(p, s);
      const a = grpoLossReference(rest);
      const b = grpoLossReference({ ...rest, oldLogProbs: p.logProbs });
      expect(a.loss).toBe(b.loss);
      expect(a.gradLogProbs).toEqual(b.gradLogProbs);
      expect(a.clipRatioRegion).toBe(0);
    }
  });

  it('rejects bad arguments with errors naming them', () => {
    const p = randomProblem(1, 2, 3);
    const ok = argsOf(p, SETTINGS[0]);
    const bad: [Partial<Record<keyof GrpoLossArgs | 'foo', unknown>>, RegExp][] = [
      [{ numSequences: 0 }, /numSequences must be an integer ≥ 1, got 0/],
      [{ logProbs: new Float32Array(5) }, /logProbs has length 5, expected 6 \(= numSequences \* seqLen\)/],
      [{ oldLogProbs: new Float64Array(6) }, /oldLogProbs must be a Float32Array, got Float64Array\(6\)/],
      [{ advantages: new Float32Array(3) }, /advantages has length 3, expected 2 \(= numSequences\)/],
      [{ mask: new Float32Array(6) }, /mask must be a Uint8Array/],
      [{ lossType: 'ppo' }, /lossType must be one of 'grpo', 'bnpo', 'dr_grpo', 'dapo', got 'ppo'/],
      [
        { importanceSamplingLevel: 'seq' },
        /importanceSamplingLevel must be one of 'token', 'sequence', got 'seq'/,
      ],
      [{ epsilon: -0.1 }, /epsilon must be a finite number in \[0, /],
      [{ beta: Number.NaN }, /beta must be a finite number in \[0, /],
      [{ beta: 0.1, refLogProbs: undefined }, /refLogProbs is required when beta ≠ 0/],
      [
        { lossType: 'dr_grpo', maxCompletionLength: undefined },
        /maxCompletionLength is required with lossType 'dr_grpo'/,
      ],
      [{ maxCompletionLength: 0 }, /maxCompletionLength must be an integer ≥ 1, got 0/],
      [{ mask: u8([1, 0, 2, 1, 1, 1]) }, /mask\[2\] must be 0 or 1, got 2/],
      [{ foo: 1 }, /unknown option 'foo'/],
    ];
    for (const backend of hasNative ? (['js', 'native'] as const) : (['js'] as const)) {
      for (const [patch, re] of bad) {
        expect(() => grpoLoss({ ...ok, ...patch } as GrpoLossArgs, { backend })).toThrow(re);
      }
    }
  });
});

describe('GRPO: non-finite inputs and kernel options', () => {
  const backends = hasNative ? (['js', 'native'] as const) : (['js'] as const);

  it('refuses a NaN/infinite input where mask = 1 on every backend; padding may hold anything', async () => {
    const p = randomProblem(1, 2, 3);
    const ok = argsOf(p, SETTINGS[0]);
    const mask = u8([1, 1, 0, 1, 1, 1]);
    for (const backend of backends) {
      const lp = Float32Array.from(ok.logProbs);
      lp[4] = Number.NaN;
      expect(() => grpoLoss({ ...ok, mask, logProbs: lp }, { backend })).toThrow(
        /logProbs\[4\] must be finite, got NaN/,
      );
      await expect(grpoLossAsync({ ...ok, mask, logProbs: lp }, { backend })).rejects.toThrow(
        /logProbs\[4\] must be finite, got NaN/,
      );
      const padded = Float32Array.from(ok.logProbs);
      padded[2] = Number.POSITIVE_INFINITY;
      expect(Number.isFinite(grpoLoss({ ...ok, mask, logProbs: padded }, { backend }).loss)).toBe(true);
      expect(() => grpoLoss({ ...ok, advantages: f32([1, Number.NaN]) }, { backend })).toThrow(
        /advantages\[1\] must be finite, got NaN/,
      );
      expect(() =>
        groupRelativeAdvantages(
          { rewards: f32([1, Number.POSITIVE_INFINITY]), numGenerations: 2 },
          { backend },
        ),
      ).toThrow(/rewards\[1\] must be finite, got Infinity/);
      // The opt-out skips the scan: a NaN reward gives NaN advantages instead of an error.
      const r = groupRelativeAdvantages(
        { rewards: f32([1, Number.NaN]), numGenerations: 2 },
        {
          backend,
          checkFinite: false,
        },
      );
      expect(Number.isNaN(r.groupMean[0])).toBe(true);
    }
  });

  it('refuses unknown kernel options and bad threads', async () => {
    const p = randomProblem(1, 2, 3);
    const ok = argsOf(p, SETTINGS[0]);
    for (const backend of backends) {
      expect(() => grpoLoss(ok, { backend, treads: 2 } as never)).toThrow(/unknown option 'treads'/);
      expect(() => grpoLoss(ok, { backend, threads: 0 })).toThrow(
        /threads must be an integer in \[1, 1024\]/,
      );
      await expect(
        groupRelativeAdvantagesAsync({ rewards: f32([1, 2]), numGenerations: 2 }, {
          backend,
          checkFinite: 1,
        } as never),
      ).rejects.toThrow(/checkFinite must be a boolean, got 1/);
      expect(grpoLoss(ok, { backend, threads: 2 }).loss).toBe(grpoLoss(ok, { backend }).loss);
    }
  });
});

describe.skipIf(!hasNative)('GRPO js–native parity', () => {
  it('groupRelativeAdvantages matches (sync and async)', async () => {
    const rng = new Random(9);
    const rewards = Float32Array.from({ length: 64 }, () => rng.uniform());
    rewards.fill(0.25, 8, 16);
    for (const scaleRewards of ['group', 'batch', 'none'] as const) {
      const args = { rewards, numGenerations: 8, scaleRewards };
      const js = groupRelativeAdvantages(args, { backend: 'js' });
      for (const nat of [
        groupRelativeAdvantages(args, { backend: 'native' }),
        await groupRelativeAdvantagesAsync(args, { backend: 'native' }),
      ]) {
        expect(maxRelError(nat.advantages, js.advantages)).toBeLessThanOrEqual(1e-5);
        expect(maxRelError(nat.groupStd, js.groupStd)).toBeLessThanOrEqual(1e-5);
        expect(Array.from(nat.groupMean)).toEqual(Array.from(js.groupMean));
        expect(nat.fracRewardZeroStd).toBe(js.fracRewardZeroStd);
        expect(nat.batchStd).toBeCloseTo(js.batchStd, 12);
      }
    }
  });

  it('grpoLoss matches for every setting (sync, async, and above the threading threshold)', async () => {
    for (const [B, L] of [
      [5, 7],
      [70, 1000],
    ]) {
      const p = randomProblem(11, B, L);
      for (const s of SETTINGS) {
        const args = argsOf(p, s);
        const js = grpoLoss(args, { backend: 'js' });
        for (const nat of [
          grpoLoss(args, { backend: 'native' }),
          await grpoLossAsync(args, { backend: 'native' }),
        ]) {
          expect(Math.abs(nat.loss - js.loss)).toBeLessThanOrEqual(1e-5 * Math.max(1e-3, Math.abs(js.loss)));
          expect(maxRelError(nat.gradLogProbs, js.gradLogProbs, 1e-9)).toBeLessThanOrEqual(1e-5);
          expect(nat.meanKl!).toBeCloseTo(js.meanKl!, 10);
          expect(nat.clipRatioLow).toBeCloseTo(js.clipRatioLow, 12);
          expect(nat.clipRatioHigh).toBeCloseTo(js.clipRatioHigh, 12);
          expect(nat.clipRatioRegion).toBeCloseTo(js.clipRatioRegion, 12);
        }
      }
      const { refLogProbs: _, ...noRef } = argsOf(p, { ...SETTINGS[0], beta: 0 });
      expect(grpoLoss(noRef, { backend: 'native' }).meanKl).toBeNull();
    }
  });

  it('async validation rejects with the same error', async () => {
    const p = randomProblem(1, 2, 3);
    const mask = u8([1, 0, 2, 1, 1, 1]);
    await expect(grpoLossAsync({ ...argsOf(p, SETTINGS[0]), mask }, { backend: 'native' })).rejects.toThrow(
      /mask\[2\] must be 0 or 1, got 2/,
    );
  });
});
