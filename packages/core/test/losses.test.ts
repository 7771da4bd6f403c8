import { describe, expect, it } from 'vitest';
import { klEstimate, valueLoss } from '../src/index.js';

const f32 = (xs: number[]) => Float32Array.from(xs);

describe('valueLoss (TypeScript reference)', () => {
  it('unclipped: mean squared error and its gradient', () => {
    const r = valueLoss({ values: f32([1, 2]), returns: f32([0, 3]) }, { backend: 'js' });
    expect(r.loss).toBeCloseTo((1 + 1) / 2, 12);
    expect(Array.from(r.gradValues)).toEqual([1, -1]); // 2 (V − R) / B
    expect(r.clipFraction).toBe(0);
  });

  it('clipped as SB3/CleanRL: max of the two squared errors', () => {
    // elt 0: V − old = 0.1 inside ±0.2 → V_c = V, both terms 1, gradient 2·1/2 = 1
    // elt 1: V − old = 1 clipped to 0.2 → V_c = 1.2; (V − R)² = 4 ≥ 1.44 → unclipped term, gradient 2·2/2 = 2
    const r = valueLoss(
      { values: f32([1, 2]), oldValues: f32([0.9, 1]), returns: f32([0, 0]), clipRange: 0.2 },
      { backend: 'js' },
    );
    expect(r.loss).toBeCloseTo((1 + 4) / 2, 6);
    expect(r.gradValues[0]).toBeCloseTo(1, 6);
    expect(r.gradValues[1]).toBeCloseTo(2, 6);
    expect(r.clipFraction).toBe(0.5);
  });

  it('the clipped term wins and, being clipped, has no gradient', () => {
    // V = 2, old = 0, R = 1.9: (0.1)² = 0.01; V_c = 0.2, (0.2 − 1.9)² = 2.89 → clipped term, gradient 0.
    const r = valueLoss(
      { values: f32([2]), oldValues: f32([0]), returns: f32([1.9]), clipRange: 0.2 },
      { backend: 'js' },
    );
    expect(r.loss).toBeCloseTo(1.7 ** 2, 5);
    expect(Object.is(r.gradValues[0], 0)).toBe(true);
    expect(r.clipFraction).toBe(1);
  });

  it('rejects bad input naming the argument', () => {
    const v = f32([0, 0]);
    expect(() => valueLoss({ values: v, returns: f32([0]) })).toThrow(
      'returns has length 1, expected 2 (= values.length)',
    );
    expect(() => valueLoss({ values: v, returns: v, clipRange: 0.2 })).toThrow(/clipRange needs oldValues/);
    expect(() => valueLoss({ values: f32([]), returns: f32([]) })).toThrow(/values must not be empty/);
  });
});

describe('klEstimate (TypeScript reference)', () => {
  it('k1, k2, k3 and their gradients (hand-computed)', () => {
    const lp = f32([0, 1]);
    const ref = f32([0, 0]); // log r = ref − lp = [0, −1]
    const k1 = klEstimate(lp, ref, 'k1', { backend: 'js' });
    expect(Array.from(k1.values, (x) => x + 0)).toEqual([0, 1]); // −log r = −0 at r = 1
    expect(Array.from(k1.gradLogProbs)).toEqual([1, 1]);
    const k2 = klEstimate(lp, ref, 'k2', { backend: 'js' });
    expect(Array.from(k2.values)).toEqual([0, 0.5]);
    expect(Array.from(k2.gradLogProbs, (x) => x + 0)).toEqual([0, 1]);
    const k3 = klEstimate(lp, ref, 'k3', { backend: 'js' });
    expect(k3.values[1]).toBeCloseTo(Math.exp(-1) - 1 + 1, 6);
    expect(k3.gradLogProbs[1]).toBeCloseTo(1 - Math.exp(-1), 6);
    expect(k3.mean).toBeCloseTo(Math.exp(-1) / 2, 6);
  });

  it('gradients match finite differences', () => {
    const lp = f32([-1.2, -0.3, -2.5]);
    const ref = f32([-1, -0.9, -0.4]);
    for (const kind of ['k1', 'k2', 'k3'] as const) {
      const { gradLogProbs } = klEstimate(lp, ref, kind, { backend: 'js' });
      for (let i = 0; i < lp.length; i++) {
        const h = 1e-3;
        const f = (x: number) => {
          const logR = ref[i] - x;
          return kind === 'k1' ? -logR : kind === 'k2' ? 0.5 * logR * logR : Math.exp(logR) - 1 - logR;
        };
        const fd = (f(lp[i] + h) - f(lp[i] - h)) / (2 * h);
        expect(gradLogProbs[i]).toBeCloseTo(fd, 4);
      }
    }
  });
});

describe('valueLoss with a preallocated out.gradValues (TypeScript reference)', () => {
  it('writes the gradient into out.gradValues and returns that array', () => {
    const args = {
      values: f32([1, 2, 0.5]),
      oldValues: f32([0.8, 2.5, 0.5]),
      returns: f32([0, 3, 1]),
      clipRange: 0.2,
    };
    const fresh = valueLoss(args, { backend: 'js' });
    const grad = new Float32Array(3).fill(7);
    const r = valueLoss({ ...args, out: { gradValues: grad } }, { backend: 'js' });
    expect(r.gradValues).toBe(grad);
    expect(Array.from(grad)).toEqual(Array.from(fresh.gradValues));
    expect(r.loss).toBe(fresh.loss);
  });

  it('rejects a bad out naming out.gradValues', () => {
    const v = f32([1, 2]);
    const r = f32([0, 3]);
    expect(() => valueLoss({ values: v, returns: r, out: { gradValues: new Float32Array(3) } })).toThrow(
      'out.gradValues has length 3, expected 2 (= values.length)',
    );
    expect(() => valueLoss({ values: v, returns: r, out: { gradValues: [0, 0] as never } })).toThrow(
      'out.gradValues must be a Float32Array, got Array(2)',
    );
    expect(() => valueLoss({ values: v, returns: r, out: { gradValues: r } })).toThrow(
      'out.gradValues must not share memory with returns',
    );
  });
});
