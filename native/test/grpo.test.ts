// groupRelativeAdvantages / grpoLoss (and ...Async): hand-computed cases, a float64 reference written
// for the tests, thread-count invariance, padding, validation.
import { describe, expect, it } from 'vitest';
import type { NativeGrpoLossArgs } from '../index.js';
import { addon, maxRelativeError, rng, skipNative } from './helpers.js';

const f32 = (xs: number[]) => Float32Array.from(xs);
const u8 = (xs: number[]) => Uint8Array.from(xs);

/** Float64 reference of the token-level, 'bnpo' GRPO loss and its gradient (β·k3 included). */
function referenceBnpo(a: NativeGrpoLossArgs) {
  const { logProbs, oldLogProbs, refLogProbs, advantages, mask, numSequences: B, seqLen: L } = a;
  const eps = a.epsilon ?? 0.2;
  const epsHigh = a.epsilonHigh ?? eps;
  const beta = a.beta ?? 0;
  let total = 0;
  for (const m of mask) total += m;
  const den = Math.max(1, total);
  let loss = 0;
  const grad = new Float64Array(B * L);
  for (let b = 0; b < B; b++) {
    const A = advantages[b];
    for (let t = 0; t < L; t++) {
      const i = b * L + t;
      if (mask[i] === 0) continue;
      const ratio = Math.exp(logProbs[i] - (oldLogProbs ? oldLogProbs[i] : logProbs[i]));
      const clipped = Math.min(Math.max(ratio, 1 - eps), 1 + epsHigh);
      const unclippedWins = ratio * A < clipped * A || clipped === ratio;
      loss -= Math.min(ratio * A, clipped * A);
      grad[i] = unclippedWins ? (-A * ratio) / den : 0;
      if (beta !== 0 && refLogProbs) {
        const d = refLogProbs[i] - logProbs[i];
        loss += beta * (Math.exp(d) - d - 1);
        grad[i] += (beta * (1 - Math.exp(d))) / den;
      }
    }
  }
  return { loss: loss / den, grad };
}

function randomArgs(seed: number, B: number, L: number): NativeGrpoLossArgs {
  const r = rng(seed);
  const n = B * L;
  const logProbs = Float32Array.from({ length: n }, () => -1 - r());
  return {
    logProbs,
    oldLogProbs: logProbs.map((x) => x + 0.4 * (r() - 0.5)),
    refLogProbs: logProbs.map((x) => x + 0.4 * (r() - 0.5)),
    advantages: Float32Array.from({ length: B }, () => 2 * r() - 1),
    mask: Uint8Array.from({ length: n }, () => (r() < 0.8 ? 1 : 0)),
    numSequences: B,
    seqLen: L,
    lossType: 'bnpo',
    beta: 0.04,
    epsilonHigh: 0.28,
  };
}

describe.skipIf(skipNative)('groupRelativeAdvantages (native)', () => {
  it('hand-computed groups, a tied group is exactly 0', async () => {
    const r = addon().groupRelativeAdvantages({ rewards: f32([1, 3, 5, 5]), numGenerations: 2 });
    const s = Math.SQRT2 + 1e-4;
    expect(Array.from(r.advantages)).toEqual([Math.fround(-1 / s), Math.fround(1 / s), 0, 0]);
    expect(r.fracRewardZeroStd).toBe(0.5);
    const a = await addon().groupRelativeAdvantagesAsync({
      rewards: f32([1, 3, 5, 5]),
      numGenerations: 2,
      scaleRewards: 'none',
    });
    expect(Array.from(a.advantages)).toEqual([-1, 1, 0, 0]);
  });

  it('validates', async () => {
    expect(() => addon().groupRelativeAdvantages({ rewards: f32([1, 2, 3]), numGenerations: 2 })).toThrow(
      /rewards has length 3, expected a positive multiple of numGenerations = 2/,
    );
    expect(() =>
      addon().groupRelativeAdvantages({ rewards: new Float64Array(4) as never, numGenerations: 2 }),
    ).toThrow(TypeError);
    await expect(
      addon().groupRelativeAdvantagesAsync({
        rewards: f32([1, 2]),
        numGenerations: 2,
        scaleRewards: 'x' as never,
      }),
    ).rejects.toThrow(/scaleRewards must be one of 'group', 'batch', 'none', got 'x'/);
  });
});

describe.skipIf(skipNative)('grpoLoss (native)', () => {
  it('hand-computed: one clipped and one unclipped token', () => {
    const r = addon().grpoLoss({
      logProbs: f32([Math.log(1.5), Math.log(0.5), 0]),
      oldLogProbs: f32([0, 0, 0]),
      advantages: f32([1]),
      mask: u8([1, 1, 0]),
      numSequences: 1,
      seqLen: 3,
      lossType: 'grpo',
    });
    expect(r.loss).toBeCloseTo(-0.85, 6);
    expect(r.gradLogProbs[0]).toBe(0);
    expect(r.gradLogProbs[1]).toBeCloseTo(-0.25, 6);
    expect([r.clipRatioLow, r.clipRatioHigh, r.clipRatioRegion]).toEqual([0, 0.5, 0.5]);
    expect(r.meanKl).toBeNull();
  });

  it('matches a float64 reference; the result does not depend on the thread count', async () => {
    for (const [B, L] of [
      [3, 5],
      [80, 1000],
    ]) {
      const args = randomArgs(B * 31 + L, B, L);
      const want = referenceBnpo(args);
      const one = addon().grpoLoss({ ...args, threads: 1 });
      expect(Math.abs(one.loss - want.loss)).toBeLessThan(1e-9);
      const scale = Math.max(...Array.from(want.grad, Math.abs));
      expect(
        maxRelativeError(
          one.gradLogProbs.map((g) => g / scale),
          Float32Array.from(want.grad, (g) => g / scale),
        ),
      ).toBeLessThan(1e-6);
      const many = await addon().grpoLossAsync({ ...args, threads: 4 });
      expect(many.loss).toBe(one.loss);
      expect(many.gradLogProbs).toEqual(one.gradLogProbs);
    }
  });

  it('NaN padding never leaks', () => {
    const args = randomArgs(5, 4, 9);
    const r = addon().grpoLoss({ ...args, importanceSamplingLevel: 'sequence' });
    const nan = (x: Float32Array) => x.map((v, i) => (args.mask[i] ? v : Number.NaN));
    const q = addon().grpoLoss({
      ...args,
      importanceSamplingLevel: 'sequence',
      logProbs: nan(args.logProbs),
      oldLogProbs: nan(args.oldLogProbs!),
      refLogProbs: nan(args.refLogProbs!),
    });
    expect(q.loss).toBe(r.loss);
    expect(q.gradLogProbs).toEqual(r.gradLogProbs);
  });

  it('validates (throws, never crashes)', async () => {
    const ok = randomArgs(1, 2, 3);
    expect(() => addon().grpoLoss(null as never)).toThrow(/grpoLoss arguments must be an object, got null/);
    expect(() => addon().grpoLoss({ ...ok, seqLen: 4 })).toThrow(
      /logProbs has length 6, expected 8 \(= numSequences \* seqLen\)/,
    );
    expect(() => addon().grpoLoss({ ...ok, lossType: undefined as never })).toThrow(
      /lossType must be one of 'grpo', 'bnpo', 'dr_grpo', 'dapo', got undefined/,
    );
    expect(() => addon().grpoLoss({ ...ok, refLogProbs: undefined })).toThrow(
      /refLogProbs is required when beta ≠ 0/,
    );
    expect(() => addon().grpoLoss({ ...ok, threads: 0 })).toThrow(
      /threads must be an integer in \[1, 1024\]/,
    );
    await expect(addon().grpoLossAsync({ ...ok, mask: u8([1, 3, 0, 0, 0, 0]) })).rejects.toThrow(
      /mask\[1\] must be 0 or 1, got 3/,
    );
  });
});
