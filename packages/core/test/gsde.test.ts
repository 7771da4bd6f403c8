import { describe, expect, it } from 'vitest';
import {
  GSDE_EPSILON,
  GsdeFisher,
  type GsdeShape,
  gaussianLogProb,
  gaussianMeanKl,
  gsdeDistributions,
  gsdeSurrogateAndKl,
  Random,
} from '../src/index.js';

const LOG_2PI = Math.log(2 * Math.PI);

/** obs → [latent] tanh → actions linear. */
const shapeOf = (fullStd: boolean, useExpln: boolean, obs = 3, latent = 5, actions = 2): GsdeShape => ({
  layers: [
    { inSize: obs, outSize: latent, activation: 'tanh' },
    { inSize: latent, outSize: actions, activation: 'linear' },
  ],
  latentDim: latent,
  actionDim: actions,
  fullStd,
  useExpln,
});

/** Direct float64 formulas: z = tanh(x W1 + b1), μ = z W2 + b2, σ_j² = Σ_i z_i² s_ij² + ε. */
function direct(shape: GsdeShape, p: Float64Array, obs: Float32Array) {
  const [l1, l2] = shape.layers;
  const d = l1.outSize;
  const m = l2.outSize;
  const nMlp = l1.inSize * d + d + d * m + m;
  const ell = p.subarray(nMlp);
  const f = (x: number) =>
    shape.useExpln ? (x <= 0 ? Math.exp(x) : Math.log1p(x + GSDE_EPSILON) + 1) : Math.exp(x);
  const rows = [];
  for (let b = 0; b < obs.length / l1.inSize; b++) {
    const z = Array.from({ length: d }, (_, i) => {
      let a = p[l1.inSize * d + i];
      for (let k = 0; k < l1.inSize; k++) a += obs[b * l1.inSize + k] * p[k * d + i];
      return Math.tanh(a);
    });
    const o2 = l1.inSize * d + d;
    const mean = Array.from({ length: m }, (_, j) => {
      let a = p[o2 + d * m + j];
      for (let i = 0; i < d; i++) a += z[i] * p[o2 + i * m + j];
      return a;
    });
    const sigma = Array.from({ length: m }, (_, j) => {
      let v = GSDE_EPSILON;
      for (let i = 0; i < d; i++) v += z[i] ** 2 * f(ell[shape.fullStd ? i * m + j : i]) ** 2;
      return Math.sqrt(v);
    });
    rows.push({ z, mean, sigma });
  }
  return rows;
}

/** (fullStd, useExpln) combinations: both ℓ shapes, and both expln branches. */
const CASES = [
  [true, false],
  [false, false],
  [true, true],
] as const;

describe('gSDE distribution', () => {
  for (const [fullStd, useExpln] of CASES) {
    it(`means, stds, log-probabilities and entropies match the direct formula (fullStd ${fullStd}, useExpln ${useExpln})`, () => {
      const rng = new Random(1);
      const shape = shapeOf(fullStd, useExpln);
      const nMlp = 3 * 5 + 5 + 5 * 2 + 2;
      const n = nMlp + (fullStd ? 10 : 5);
      // log-stds on both sides of 0 (expln branches)
      const p = Float64Array.from({ length: n }, (_, k) =>
        k < nMlp ? 0.8 * (rng.uniform() * 2 - 1) : rng.uniform() * 2 - 1.2,
      );
      const obs = Float32Array.from({ length: 4 * 3 }, () => rng.uniform() * 2 - 1);
      const actions = Float32Array.from({ length: 4 * 2 }, () => rng.normal());
      const ref = direct(shape, p, obs);
      const dist = gsdeDistributions(shape, p, obs);
      const lp = gaussianLogProb(dist.mean, dist.sigma, actions, 2);
      ref.forEach((r, b) => {
        for (let i = 0; i < 5; i++) expect(dist.latent[b * 5 + i]).toBeCloseTo(r.z[i], 12);
        let want = 0;
        for (let j = 0; j < 2; j++) {
          expect(dist.mean[b * 2 + j]).toBeCloseTo(r.mean[j], 12);
          expect(dist.sigma[b * 2 + j]).toBeCloseTo(r.sigma[j], 12);
          want +=
            -0.5 * ((actions[b * 2 + j] - r.mean[j]) / r.sigma[j]) ** 2 -
            Math.log(r.sigma[j]) -
            0.5 * LOG_2PI;
        }
        expect(lp[b]).toBeCloseTo(want, 10);
        // entropy = −E[log p]: Σ_j log σ_j + ½(log 2π + 1)
        const h = r.sigma.reduce((s, sg) => s + Math.log(sg) + 0.5 * (LOG_2PI + 1), 0);
        const hFromLp = -gaussianLogProb(r.mean, r.sigma, r.mean, 2)[0] + 0.5 * 2;
        expect(hFromLp).toBeCloseTo(h, 10);
      });
      // KL with itself is 0; the line-search surrogate at θ_old with its own log-probs is mean(Â)
      expect(gaussianMeanKl(dist, dist, 2)).toBeCloseTo(0, 12);
      const adv = Float32Array.from([1, -2, 0.5, 3]);
      const { surrogate, kl } = gsdeSurrogateAndKl({
        shape,
        oldParams: p,
        newParams: p,
        states: obs,
        actions,
        advantages: adv,
        oldLogProbs: lp,
      });
      expect(kl).toBeCloseTo(0, 12);
      expect(surrogate).toBeCloseTo(0.625, 10);
    });
  }

  it('rejects states whose length is not a multiple of the input size', () => {
    const p = new Float64Array(3 * 5 + 5 + 5 * 2 + 2 + 10);
    expect(() => gsdeDistributions(shapeOf(true, false), p, new Float32Array(4))).toThrow(RangeError);
    expect(() => new GsdeFisher(shapeOf(true, false), p, new Float32Array(0))).toThrow(RangeError);
    expect(() => new GsdeFisher(shapeOf(true, false), p.subarray(1), new Float32Array(3))).toThrow(/params/);
  });
});

/** Mean KL(π_θ0 ‖ π_θ) with the features of θ0 in both variances (as the gradient sees them). */
function detachedKl(shape: GsdeShape, p0: Float64Array, p: Float64Array, states: Float32Array): number {
  return gaussianMeanKl(
    gsdeDistributions(shape, p0, states),
    gsdeDistributions(shape, p, states, p0),
    shape.actionDim,
  );
}

describe('gSDE Fisher-vector product', () => {
  for (const [fullStd, useExpln] of CASES) {
    it(`equals the Hessian of the mean KL by finite differences (fullStd ${fullStd}, useExpln ${useExpln})`, () => {
      const rng = new Random(11);
      const shape = shapeOf(fullStd, useExpln, 2, 3, 2);
      const n = 2 * 3 + 3 + 3 * 2 + 2 + (fullStd ? 6 : 3);
      const p0 = Float64Array.from({ length: n }, (_, k) =>
        k < n - (fullStd ? 6 : 3) ? rng.normal() : rng.uniform() - 0.3,
      );
      const states = Float32Array.from({ length: 5 * 2 }, () => rng.normal());
      const fisher = new GsdeFisher(shape, p0, states);
      expect(fisher.size).toBe(n);
      const eps = 1e-4;
      const at = (dk: number, k: number, dl: number, l: number) => {
        const p = Float64Array.from(p0);
        p[k] += dk * eps;
        p[l] += dl * eps;
        return detachedKl(shape, p0, p, states);
      };
      let maxErr = 0;
      let maxAbs = 0;
      for (let k = 0; k < n; k++) {
        const e = new Float32Array(n);
        e[k] = 1;
        const col = fisher.product(e);
        for (let l = 0; l < n; l++) {
          const h = (at(1, k, 1, l) - at(1, k, -1, l) - at(-1, k, 1, l) + at(-1, k, -1, l)) / (4 * eps * eps);
          maxErr = Math.max(maxErr, Math.abs(col[l] - h));
          maxAbs = Math.max(maxAbs, Math.abs(h));
        }
      }
      expect(maxAbs).toBeGreaterThan(0.1);
      expect(maxErr).toBeLessThan(1e-4 * Math.max(1, maxAbs));
      // damping adds λ v
      const v = Float32Array.from({ length: n }, () => rng.normal());
      const f0 = fisher.product(v);
      const f1 = fisher.product(v, 0.1);
      for (let k = 0; k < n; k++) expect(f1[k]).toBeCloseTo(f0[k] + 0.1 * v[k], 5);
    });
  }
});
