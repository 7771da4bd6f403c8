import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { clippedSurrogate, clippedSurrogateReference } from '../src/index.js';

const f32 = (xs: number[]) => Float32Array.from(xs);

describe('clippedSurrogate (TypeScript reference)', () => {
  it('hand-computed: unclipped, clipped above, clipped below', () => {
    // ratios e^0 = 1, e^ln1.5 = 1.5 (A>0: clipped to 1.2), e^ln0.5 = 0.5 (A<0: clipped to 0.8, min picks 0.8*A... )
    const logProbs = f32([0, Math.log(1.5), Math.log(0.5)]);
    const r = clippedSurrogate(
      { logProbs, oldLogProbs: f32([0, 0, 0]), advantages: f32([2, 1, -1]), clipRange: 0.2 },
      { backend: 'js' },
    );
    // objectives: 1*2 = 2; min(1.5, 1.2) = 1.2; min(-0.5, -0.8) = -0.8
    expect(r.loss).toBeCloseTo(-(2 + 1.2 - 0.8) / 3, 6);
    // gradient: element 0 unclipped: -(r*A)/n = -2/3; elements 1 and 2 on clipped branches: 0
    expect(r.gradLogProbs[0]).toBeCloseTo(-2 / 3, 6);
    expect(r.gradLogProbs[1]).toBe(0);
    expect(r.gradLogProbs[2]).toBe(0);
    expect(r.clipFraction).toBeCloseTo(2 / 3, 6);
    expect(r.ratioMean).toBeCloseTo((1 + 1.5 + 0.5) / 3, 5);
    expect(r.approxKlK1).toBeCloseTo(-(Math.log(1.5) + Math.log(0.5)) / 3, 6);
    expect(r.approxKl).toBeCloseTo((0.5 - Math.log(1.5) + -0.5 - Math.log(0.5)) / 3, 6);
  });

  it('a ratio outside the range with a favourable sign keeps its gradient (pessimistic bound)', () => {
    // ratio 0.5 with A > 0: min(0.5*A, 0.8*A) = 0.5*A, the unclipped branch, so the gradient flows
    const r = clippedSurrogate(
      { logProbs: f32([Math.log(0.5)]), oldLogProbs: f32([0]), advantages: f32([1]), clipRange: 0.2 },
      { backend: 'js' },
    );
    expect(r.gradLogProbs[0]).toBeCloseTo(-0.5, 6);
  });

  it('asymmetric and dual clip', () => {
    const asym = clippedSurrogate(
      {
        logProbs: f32([Math.log(1.25)]),
        oldLogProbs: f32([0]),
        advantages: f32([1]),
        clipRange: 0.2,
        clipRangeHigh: 0.28,
      },
      { backend: 'js' },
    );
    expect(asym.loss).toBeCloseTo(-1.25, 6); // inside [0.8, 1.28]
    const dual = clippedSurrogate(
      {
        logProbs: f32([Math.log(5)]),
        oldLogProbs: f32([0]),
        advantages: f32([-1]),
        clipRange: 0.2,
        dualClip: 3,
      },
      { backend: 'js' },
    );
    expect(dual.loss).toBeCloseTo(3, 6); // max(min(-5, -1.2), -3) = -3
    expect(dual.gradLogProbs[0]).toBe(0);
  });

  it('mask excludes elements from the mean', () => {
    const r = clippedSurrogate(
      {
        logProbs: f32([0, 0]),
        oldLogProbs: f32([0, 0]),
        advantages: f32([1, 100]),
        clipRange: 0.2,
        mask: Uint8Array.from([1, 0]),
      },
      { backend: 'js' },
    );
    expect(r.loss).toBeCloseTo(-1, 6);
    expect(r.gradLogProbs[1]).toBe(0);
  });

  it('gradient matches central finite differences away from the clip kinks', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(
            fc.double({ min: -0.5, max: 0.5, noNaN: true }),
            fc.double({ min: -3, max: 3, noNaN: true }),
          ),
          {
            minLength: 2,
            maxLength: 30,
          },
        ),
        fc.boolean(),
        (pairs, normalize) => {
          const logProbs = f32(pairs.map((p) => p[0]));
          const advantages = f32(pairs.map((p) => p[1]));
          const oldLogProbs = new Float32Array(pairs.length);
          const args = { logProbs, oldLogProbs, advantages, clipRange: 0.2, normalizeAdvantages: normalize };
          const { gradLogProbs } = clippedSurrogate(args, { backend: 'js' });
          const h = 1e-3;
          for (let i = 0; i < logProbs.length; i++) {
            const ratio = Math.exp(logProbs[i]);
            if (Math.abs(ratio - 0.8) < 0.01 || Math.abs(ratio - 1.2) < 0.01) continue; // kink
            const plus = logProbs.slice();
            plus[i] += h;
            const minus = logProbs.slice();
            minus[i] -= h;
            const fd =
              (clippedSurrogate({ ...args, logProbs: plus }, { backend: 'js' }).loss -
                clippedSurrogate({ ...args, logProbs: minus }, { backend: 'js' }).loss) /
              (plus[i] - minus[i]);
            expect(Math.abs(fd - gradLogProbs[i])).toBeLessThan(1e-4 * Math.max(1, Math.abs(fd)));
          }
        },
      ),
      { numRuns: 100 },
    );
  });

  it('normalizeAdvantages uses the unbiased std (as CleanRL/SB3)', () => {
    // advantages [1, 3]: mean 2, unbiased std sqrt(2) → normalized ±1/sqrt(2); ratio 1 → loss = -mean = 0
    const r = clippedSurrogate(
      {
        logProbs: f32([0, 0]),
        oldLogProbs: f32([0, 0]),
        advantages: f32([1, 3]),
        clipRange: 0.2,
        normalizeAdvantages: true,
      },
      { backend: 'js' },
    );
    expect(r.loss).toBeCloseTo(0, 6);
    expect(r.gradLogProbs[1]).toBeCloseTo(-1 / Math.SQRT2 / 2, 5);
  });

  it('rejects bad input naming the argument', () => {
    const ok = { logProbs: f32([0, 0]), oldLogProbs: f32([0, 0]), advantages: f32([1, 1]), clipRange: 0.2 };
    expect(() => clippedSurrogate({ ...ok, advantages: f32([1]) })).toThrow(
      /advantages has length 1, expected 2/,
    );
    expect(() => clippedSurrogate({ ...ok, logProbs: [0, 0] as never })).toThrow(
      /logProbs must be a Float32Array/,
    );
    expect(() => clippedSurrogate({ ...ok, clipRange: -1 })).toThrow(/clipRange/);
    expect(() => clippedSurrogate({ ...ok, dualClip: 0.5 })).toThrow(/dualClip/);
    expect(() =>
      clippedSurrogate({ ...ok, logProbs: f32([]), oldLogProbs: f32([]), advantages: f32([]) }),
    ).toThrow(/empty/);
  });
});

describe('clippedSurrogate loss aggregation', () => {
  // Two sequences of L = 3 with ratio 1 everywhere (objective = advantage, gradient = −weight·A):
  // sequence 0 masks [1, 1, 0] with A [1, 2, 9]; sequence 1 masks [0, 1, 0] with A [9, 4, 9].
  const base = {
    logProbs: new Float32Array(6),
    oldLogProbs: new Float32Array(6),
    advantages: Float32Array.from([1, 2, 9, 9, 4, 9]),
    clipRange: 0.2,
    mask: Uint8Array.from([1, 1, 0, 0, 1, 0]),
  };

  it("'token-mean' (default) averages over the 3 masked tokens", () => {
    const r = clippedSurrogateReference({ ...base, aggregation: 'token-mean' });
    expect(r.loss).toBeCloseTo(-(1 + 2 + 4) / 3, 12);
    expect(Array.from(r.gradLogProbs)).toEqual(
      Array.from(Float32Array.from([-1 / 3, -2 / 3, 0, 0, -4 / 3, 0])),
    );
    expect(clippedSurrogateReference(base).loss).toBe(r.loss);
  });

  it("'seq-mean-token-sum': per-sequence sums (3 and 4), then their mean", () => {
    const r = clippedSurrogateReference({ ...base, aggregation: 'seq-mean-token-sum', seqLen: 3 });
    expect(r.loss).toBeCloseTo(-(3 + 4) / 2, 12);
    expect(Array.from(r.gradLogProbs)).toEqual([-0.5, -1, 0, 0, -2, 0]);
  });

  it("'seq-mean-token-mean': per-sequence means (1.5 and 4), then their mean; stats stay token means", () => {
    const r = clippedSurrogateReference({ ...base, aggregation: 'seq-mean-token-mean', seqLen: 3 });
    expect(r.loss).toBeCloseTo(-(1.5 + 4) / 2, 12);
    expect(Array.from(r.gradLogProbs)).toEqual([-0.25, -0.5, 0, 0, -2, 0]);
    expect(r.ratioMean).toBe(1);
    expect(r.clipFraction).toBe(0);
  });

  it('sequences without a masked token are left out of the mean', () => {
    const mask = Uint8Array.from([1, 1, 0, 0, 0, 0]);
    const sum = clippedSurrogateReference({ ...base, mask, aggregation: 'seq-mean-token-sum', seqLen: 3 });
    expect(sum.loss).toBeCloseTo(-3, 12);
    const mean = clippedSurrogateReference({ ...base, mask, aggregation: 'seq-mean-token-mean', seqLen: 3 });
    expect(mean.loss).toBeCloseTo(-1.5, 12);
  });

  it('seqLen is required for the seq modes and must divide the batch (RangeError naming seqLen)', () => {
    expect(() => clippedSurrogateReference({ ...base, aggregation: 'seq-mean-token-sum' })).toThrow(
      new RangeError(
        "seqLen is required with aggregation 'seq-mean-token-sum' (an integer ≥ 1 dividing logProbs.length)",
      ),
    );
    expect(() =>
      clippedSurrogateReference({ ...base, aggregation: 'seq-mean-token-mean', seqLen: 4 }),
    ).toThrow(new RangeError('logProbs has length 6, which is not a multiple of seqLen = 4'));
    expect(() => clippedSurrogateReference({ ...base, seqLen: 0 })).toThrow(
      new RangeError('seqLen must be an integer ≥ 1, got 0'),
    );
    expect(() => clippedSurrogateReference({ ...base, aggregation: 'sum' as never })).toThrow(
      new RangeError(
        "aggregation must be 'token-mean', 'seq-mean-token-sum' or 'seq-mean-token-mean', got 'sum'",
      ),
    );
  });
});

describe('clippedSurrogate with a preallocated out.gradLogProbs (TypeScript reference)', () => {
  const args = () => ({
    logProbs: f32([-0.5, -1, -0.2, -2]),
    oldLogProbs: f32([-0.6, -0.7, -0.2, -1.5]),
    advantages: f32([1, -2, 0.5, 3]),
    clipRange: 0.2,
    mask: Uint8Array.from([1, 1, 0, 1]),
  });

  it('writes the gradient into out.gradLogProbs and returns that array (masked-out elements zeroed)', () => {
    const fresh = clippedSurrogate(args(), { backend: 'js' });
    const grad = new Float32Array(4).fill(123);
    const r = clippedSurrogate({ ...args(), out: { gradLogProbs: grad } }, { backend: 'js' });
    expect(r.gradLogProbs).toBe(grad);
    expect(Array.from(grad)).toEqual(Array.from(fresh.gradLogProbs));
    expect(Object.is(grad[2], 0)).toBe(true);
    expect(r.loss).toBe(fresh.loss);
    // out without gradLogProbs: a new array, as without out
    const r2 = clippedSurrogate({ ...args(), out: {} }, { backend: 'js' });
    expect(Array.from(r2.gradLogProbs)).toEqual(Array.from(fresh.gradLogProbs));
  });

  it('rejects a bad out naming out.gradLogProbs', () => {
    const a = args();
    const bad = (out: unknown) => () => clippedSurrogate({ ...a, out: out as never }, { backend: 'js' });
    expect(bad(new Float32Array(4))).toThrow(
      'out must be an object { gradLogProbs?: Float32Array }, got Float32Array(4)',
    );
    expect(bad({ gradLogProbs: new Float64Array(4) })).toThrow(
      'out.gradLogProbs must be a Float32Array, got Float64Array(4)',
    );
    expect(bad({ gradLogProbs: new Float32Array(3) })).toThrow(
      'out.gradLogProbs has length 3, expected 4 (= logProbs.length)',
    );
    expect(bad({ gradLogProbs: a.oldLogProbs })).toThrow(
      'out.gradLogProbs must not share memory with oldLogProbs',
    );
    const buf = new ArrayBuffer(32);
    const aliased = { ...a, logProbs: new Float32Array(buf, 0, 4) };
    expect(() =>
      clippedSurrogate(
        { ...aliased, out: { gradLogProbs: new Float32Array(buf, 12, 4) } },
        { backend: 'js' },
      ),
    ).toThrow('out.gradLogProbs must not share memory with logProbs');
    // adjacent views of one buffer do not overlap
    const ok = clippedSurrogate(
      { ...aliased, out: { gradLogProbs: new Float32Array(buf, 16, 4) } },
      { backend: 'js' },
    );
    expect(ok.gradLogProbs.byteOffset).toBe(16);
  });
});
