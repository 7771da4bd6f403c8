import { describe, expect, it } from 'vitest';
import { Categorical, explainedVariance, mlpForward, Random, RunningMeanStd } from '../src/index.js';

describe('Random', () => {
  it('is deterministic per seed and differs across seeds', () => {
    const a = new Random(7);
    const b = new Random(7);
    const c = new Random(8);
    const xs = Array.from({ length: 5 }, () => a.uniform());
    expect(Array.from({ length: 5 }, () => b.uniform())).toEqual(xs);
    expect(Array.from({ length: 5 }, () => c.uniform())).not.toEqual(xs);
  });

  it('uniform is in [0, 1) with mean ≈ 1/2, normal has mean ≈ 0 and variance ≈ 1', () => {
    const r = new Random(1);
    let s = 0;
    let s2 = 0;
    const n = 100_000;
    for (let i = 0; i < n; i++) {
      const u = r.uniform();
      expect(u >= 0 && u < 1).toBe(true);
      s += u;
      const z = r.normal();
      s2 += z * z;
    }
    expect(s / n).toBeCloseTo(0.5, 2);
    expect(s2 / n).toBeCloseTo(1, 1);
  });

  it('integer is unbiased over a small range and rejects bad n', () => {
    const r = new Random(3);
    const counts = [0, 0, 0];
    for (let i = 0; i < 30_000; i++) counts[r.integer(3)]++;
    for (const c of counts) expect(Math.abs(c - 10_000)).toBeLessThan(500);
    expect(() => r.integer(0)).toThrow(/n must be/);
    expect(() => new Random(-1)).toThrow(/seed/);
  });

  it('permutation is a permutation', () => {
    const p = new Random(5).permutation(100);
    expect(Array.from(p).sort((x, y) => x - y)).toEqual(Array.from({ length: 100 }, (_, i) => i));
  });
});

describe('Categorical', () => {
  it('logProb, entropy and mode on known logits', () => {
    const d = new Categorical(Float32Array.from([0, 0, Math.log(2), 0]), 2);
    expect(d.logProb([0, 0])[0]).toBeCloseTo(Math.log(0.5), 6);
    expect(d.logProb([0, 0])[1]).toBeCloseTo(Math.log(2 / 3), 6);
    expect(d.entropy()[0]).toBeCloseTo(Math.log(2), 6);
    expect(Array.from(d.mode())).toEqual([0, 0]);
    expect(() => d.logProb([0, 2])).toThrow(/actions\[1\]/);
  });

  it('sampling frequencies follow the probabilities', () => {
    const d = new Categorical(Float32Array.from([Math.log(0.2), Math.log(0.3), Math.log(0.5)]), 3);
    const rng = new Random(11);
    const counts = [0, 0, 0];
    for (let i = 0; i < 20_000; i++) counts[d.sample(rng)[0]]++;
    expect(counts[0] / 20_000).toBeCloseTo(0.2, 1);
    expect(counts[2] / 20_000).toBeCloseTo(0.5, 1);
  });

  it('is stable for large logits', () => {
    const d = new Categorical(Float32Array.from([1000, 0]), 2);
    expect(d.logProb([0])[0]).toBeCloseTo(0, 6);
    expect(() => new Categorical(Float32Array.from([Number.NaN, 0]), 2)).toThrow(/logits\[0\]/);
  });
});

describe('explainedVariance and RunningMeanStd', () => {
  it('explained variance: perfect = 1, mean predictor = 0', () => {
    const y = Float32Array.from([1, 2, 3, 4]);
    expect(explainedVariance(y, y)).toBe(1);
    expect(explainedVariance(Float32Array.from([2.5, 2.5, 2.5, 2.5]), y)).toBeCloseTo(0, 6);
    expect(explainedVariance(y, Float32Array.from([1, 1, 1, 1]))).toBeNaN();
  });

  it('running mean/std merges batches like one big batch', () => {
    const rms = new RunningMeanStd(2, 0);
    const data = Array.from({ length: 50 }, (_, i) => [Math.sin(i), i * 0.1]);
    rms.update(data.slice(0, 17).flat());
    rms.update(data.slice(17).flat());
    const mean0 = data.reduce((s, d) => s + d[0], 0) / 50;
    const var0 = data.reduce((s, d) => s + (d[0] - mean0) ** 2, 0) / 50;
    expect(rms.mean[0]).toBeCloseTo(mean0, 10);
    expect(rms.var[0]).toBeCloseTo(var0, 10);
    expect(() => rms.update([1, 2, 3])).toThrow(/multiple of size/);
  });
});

describe('mlpForward', () => {
  it('computes act(xW + b) layer by layer', () => {
    // 2 -> 2 tanh -> 1 linear; W1 = [[1,0],[0,1]], b1 = [0, 1]; W2 = [[1],[2]], b2 = [0.5]
    const params = Float32Array.from([1, 0, 0, 1, 0, 1, 1, 2, 0.5]);
    const mlp = {
      layers: [
        { inSize: 2, outSize: 2, activation: 'tanh' as const },
        { inSize: 2, outSize: 1, activation: 'linear' as const },
      ],
      params,
    };
    const out = mlpForward(mlp, Float32Array.from([0.5, -1, 0, 0]));
    expect(out[0]).toBeCloseTo(Math.tanh(0.5) + 2 * Math.tanh(0) + 0.5, 6);
    expect(out[1]).toBeCloseTo(Math.tanh(0) + 2 * Math.tanh(1) + 0.5, 6);
    expect(() => mlpForward(mlp, Float32Array.from([1, 2, 3]))).toThrow(/multiple of the input size 2/);
  });
});
