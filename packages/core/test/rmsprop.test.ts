import { describe, expect, it } from 'vitest';
import { RMSprop } from '../src/index.js';

describe('RMSprop (torch.optim.RMSprop semantics)', () => {
  it("has PyTorch's defaults", () => {
    const o = new RMSprop(2);
    expect(o.toJSON()).toEqual({
      t: 0,
      learningRate: 1e-2,
      alpha: 0.99,
      epsilon: 1e-8,
      centered: false,
      momentum: 0,
    });
  });

  it('matches a hand computation over two steps', () => {
    // step 1: v = (1 − α) g², so the step is lr · g / (|g| √(1 − α)) = lr / √0.1 in the direction of −g
    const o = new RMSprop(3, { learningRate: 0.1, alpha: 0.9, epsilon: 1e-8 });
    const p = Float32Array.of(1, -2, 0.5);
    o.step(p, Float32Array.of(0.5, -1, 0));
    const s1 = 0.1 / (Math.sqrt(0.1) + 1e-8); // 0.316227...
    expect(p[0]).toBeCloseTo(1 - s1, 6);
    expect(p[1]).toBeCloseTo(-2 + s1, 6);
    expect(p[2]).toBe(0.5); // zero gradient, zero step
    expect(o.squareAvg[0]).toBeCloseTo(0.025, 7);
    expect(o.squareAvg[1]).toBeCloseTo(0.1, 7);
    // step 2 with g = (0.5, 0, 2): v = (0.9·0.025 + 0.1·0.25, 0.9·0.1, 0.1·4) = (0.0475, 0.09, 0.4)
    o.step(p, Float32Array.of(0.5, 0, 2));
    expect(o.squareAvg[0]).toBeCloseTo(0.0475, 7);
    expect(o.squareAvg[1]).toBeCloseTo(0.09, 7);
    expect(p[0]).toBeCloseTo(1 - s1 - 0.05 / (Math.sqrt(0.0475) + 1e-8), 6); // 0.454356...
    expect(p[1]).toBeCloseTo(-2 + s1, 6);
    expect(p[2]).toBeCloseTo(0.5 - 0.2 / (Math.sqrt(0.4) + 1e-8), 6);
    expect(o.t).toBe(2);
  });

  it('places ε outside the square root (a large ε shrinks the first step to lr·g/(√((1−α)g²) + ε))', () => {
    const o = new RMSprop(1, { learningRate: 1, alpha: 0.75, epsilon: 0.5 });
    const p = Float32Array.of(0);
    o.step(p, Float32Array.of(2)); // v = 0.25 · 4 = 1 → step = 2 / (1 + 0.5)
    expect(p[0]).toBeCloseTo(-4 / 3, 6);
  });

  it('centered: divides by sqrt(v − ḡ²) + ε', () => {
    // step 1: v − ḡ² = (1 − α) g² − (1 − α)² g² = α (1 − α) g² = 0.09 g² for α = 0.9
    const o = new RMSprop(1, { learningRate: 0.3, alpha: 0.9, epsilon: 1e-8, centered: true });
    const p = Float32Array.of(0);
    o.step(p, Float32Array.of(-4));
    expect(p[0]).toBeCloseTo(0.3 / 0.3, 6);
    expect(o.gradAvg[0]).toBeCloseTo(-0.4, 7);
    // step 2, g = 1: v = 0.9·1.6 + 0.1 = 1.54, ḡ = −0.36 + 0.1 = −0.26, v − ḡ² = 1.4724
    o.step(p, Float32Array.of(1));
    expect(p[0]).toBeCloseTo(1 - 0.3 / Math.sqrt(1.4724), 5);
  });

  it('momentum: b ← μ b + g / d, p ← p − lr b', () => {
    const o = new RMSprop(1, { learningRate: 0.1, alpha: 0.5, epsilon: 1e-8, momentum: 0.9 });
    const p = Float32Array.of(0);
    o.step(p, Float32Array.of(1)); // v = 0.5, b = 1/√0.5 = √2
    expect(p[0]).toBeCloseTo(-0.1 * Math.SQRT2, 6);
    o.step(p, Float32Array.of(1)); // v = 0.75, b = 0.9·√2 + 1/√0.75
    expect(p[0]).toBeCloseTo(-0.1 * Math.SQRT2 - 0.1 * (0.9 * Math.SQRT2 + 1 / Math.sqrt(0.75)), 5);
  });

  it('minimizes a badly scaled quadratic', () => {
    // f(p) = 0.5 (100 p0² + 0.01 p1²): RMSprop's per-coordinate scaling moves both coordinates
    const o = new RMSprop(2, { learningRate: 0.01 });
    const p = Float32Array.of(1, 1);
    for (let i = 0; i < 500; i++) o.step(p, Float32Array.of(100 * p[0], 0.01 * p[1]));
    expect(Math.abs(p[0])).toBeLessThan(0.05);
    expect(Math.abs(p[1])).toBeLessThan(0.05);
  });

  it('refuses bad options and inputs with clear errors, as Adam does', () => {
    expect(() => new RMSprop(0)).toThrow(new RangeError('size must be a positive integer, got 0'));
    expect(() => new RMSprop(2.5)).toThrow(/size must be a positive integer, got 2.5/);
    expect(() => new RMSprop(2, { learningrate: 1 } as never)).toThrow(
      /RMSprop options has an unknown option 'learningrate'/,
    );
    expect(() => new RMSprop(2, { learningRate: -1 })).toThrow(
      /learningRate must be a finite number ≥ 0, got -1/,
    );
    expect(() => new RMSprop(2, { learningRate: Number.NaN })).toThrow(/learningRate .* got NaN/);
    expect(() => new RMSprop(2, { alpha: 1 })).toThrow(new RangeError('alpha must be in [0, 1), got 1'));
    expect(() => new RMSprop(2, { epsilon: 0 })).toThrow(/epsilon must be a finite number > 0, got 0/);
    expect(() => new RMSprop(2, { momentum: -0.1 })).toThrow(/momentum must be a finite number ≥ 0/);
    expect(() => new RMSprop(2, { centered: 1 as never })).toThrow(
      new TypeError('centered must be a boolean, got 1'),
    );
    expect(() => new RMSprop(2, { checkFinite: 'no' as never })).toThrow(/checkFinite must be a boolean/);
    expect(() => new RMSprop(2, null as never)).toThrow(TypeError);
    const o = new RMSprop(3);
    expect(() => o.step(Float32Array.of(1, 2), Float32Array.of(1, 2, 3))).toThrow(
      new RangeError('params has length 2, expected 3 (= optimizer size)'),
    );
    expect(() => o.step(new Float32Array(3), [1, 2, 3] as never)).toThrow(
      new TypeError('grads must be a Float32Array, got Array(3)'),
    );
    expect(o.t).toBe(0);
  });

  it('rejects a non-finite parameter or gradient (nothing updated) unless checkFinite: false', () => {
    const o = new RMSprop(3);
    const params = Float32Array.of(1, Number.NaN, 3);
    expect(() => o.step(params, Float32Array.of(0.1, 0.1, 0.1))).toThrow(
      new RangeError('params[1] must be finite, got NaN'),
    );
    const good = Float32Array.of(1, 2, 3);
    expect(() => o.step(good, Float32Array.of(0, Number.POSITIVE_INFINITY, 0))).toThrow(
      new RangeError('grads[1] must be finite, got Infinity'),
    );
    expect(Array.from(good)).toEqual([1, 2, 3]);
    expect(Array.from(o.squareAvg)).toEqual([0, 0, 0]);
    expect(o.t).toBe(0);
    const lax = new RMSprop(3, { checkFinite: false });
    lax.step(params, Float32Array.of(0.1, 0.1, 0.1));
    expect(lax.t).toBe(1);
  });
});
