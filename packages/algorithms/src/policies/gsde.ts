/**
 * Generalized State-Dependent Exploration (gSDE; Raffin, Kober & Stulp 2021, "Smooth Exploration
 * for Robotic Reinforcement Learning", sec. 3–4), with the semantics of Stable-Baselines3's
 * `StateDependentNoiseDistribution`:
 *
 * - the action is a = μ(s) + z(s) W, where z(s) ∈ R^d is the policy's last hidden layer (the
 *   "latent features", d = latentDim) and W ∈ R^{d×m} an exploration matrix with independent
 *   entries W_ij ~ N(0, s_ij²), resampled only every `sdeSampleFreq` steps (or once per rollout);
 * - given s, a is Gaussian with mean μ(s) and per-dimension variance σ_j²(s) = Σ_i z_i(s)² s_ij² + ε
 *   (ε = 1e-6), the distribution whose log-probability, entropy and KL divergence the losses use;
 * - s = exp(ℓ) (or `expln(ℓ)`: exp(ℓ) for ℓ ≤ 0, log1p(ℓ) + 1 above, with `useExpln`) of a learned
 *   log-std ℓ of shape [d, m] (`fullStd`) or [d, 1] shared by the action dimensions;
 * - the features enter the variance as constants (SB3's `learn_features=False`): gradients of the
 *   variance flow into ℓ only, not into the network.
 *
 * This module holds the float64 reference of that distribution on flat parameters (actor MLP in
 * `@proximal/core`'s layout, then ℓ row-major), the mean KL and surrogate for TRPO's line search,
 * and the analytic Fisher-vector product TRPO needs ({@link GsdeFisher}). `GsdeFisher` and
 * `GsdeShape` are public; the rest is internal to the package.
 */
import type { MlpLayer } from '@proximal/core';

/** SB3's ε added to the gSDE variance. */
export const GSDE_EPSILON = 1e-6;

const LOG_2PI = Math.log(2 * Math.PI);

/** Shape of a gSDE actor: an MLP whose last layer is the linear mean layer, and the log-std options. */
export interface GsdeShape {
  /** Actor layers (core `Mlp` layout): hidden layers, then the linear mean layer [latentDim → actionDim]. */
  layers: readonly MlpLayer[];
  /** Width d of the latent features (input of the last layer). */
  latentDim: number;
  /** Action dimensions m. */
  actionDim: number;
  /** ℓ of shape [d, m] (true) or [d, 1] (false). */
  fullStd: boolean;
  /** expln instead of exp for s = f(ℓ). */
  useExpln: boolean;
}

/** Number of log-std parameters: d·m with `fullStd`, else d. */
export function gsdeLogStdSize(shape: Pick<GsdeShape, 'latentDim' | 'actionDim' | 'fullStd'>): number {
  return shape.latentDim * (shape.fullStd ? shape.actionDim : 1);
}

/** Number of actor MLP parameters (before ℓ in the flat vector). */
export function mlpSize(layers: readonly MlpLayer[]): number {
  let n = 0;
  for (const l of layers) n += l.inSize * l.outSize + l.outSize;
  return n;
}

/**
 * s = exp(ℓ) or expln(ℓ) and ds/dℓ, expanded to [d, m] (row-major) whatever the shape of ℓ.
 * @returns `std` and `dstd` float64 [d·m].
 */
export function gsdeStd(
  logStd: ArrayLike<number>,
  shape: Pick<GsdeShape, 'latentDim' | 'actionDim' | 'fullStd' | 'useExpln'>,
): { std: Float64Array; dstd: Float64Array } {
  const { latentDim: d, actionDim: m, fullStd, useExpln } = shape;
  const std = new Float64Array(d * m);
  const dstd = new Float64Array(d * m);
  for (let i = 0; i < d; i++) {
    for (let j = 0; j < m; j++) {
      const l = logStd[fullStd ? i * m + j : i];
      let s: number;
      let ds: number;
      if (useExpln && l > 0) {
        s = Math.log1p(l + GSDE_EPSILON) + 1;
        ds = 1 / (1 + l + GSDE_EPSILON);
      } else {
        s = Math.exp(l);
        ds = s;
      }
      std[i * m + j] = s;
      dstd[i * m + j] = ds;
    }
  }
  return { std, dstd };
}

/**
 * Per-dimension standard deviations σ_j = sqrt(Σ_i z_i² s_ij² + ε) for a batch of latent features.
 * @param latent float [batch, d]; `std` from {@link gsdeStd}.
 * @returns float64 [batch, m].
 */
export function gsdeSigma(latent: ArrayLike<number>, std: Float64Array, d: number, m: number): Float64Array {
  const batch = latent.length / d;
  const out = new Float64Array(batch * m);
  for (let b = 0; b < batch; b++) {
    for (let j = 0; j < m; j++) {
      let v = GSDE_EPSILON;
      for (let i = 0; i < d; i++) {
        const z = latent[b * d + i];
        const s = std[i * m + j];
        v += z * z * s * s;
      }
      out[b * m + j] = Math.sqrt(v);
    }
  }
  return out;
}

/** Float64 forward pass of `layers` on states [batch, inSize]; returns every layer's output (h_1..h_L). */
function forwardAll(layers: readonly MlpLayer[], params: ArrayLike<number>, states: ArrayLike<number>) {
  const batch = states.length / layers[0].inSize;
  const hs: Float64Array[] = [];
  let x: ArrayLike<number> = states;
  let o = 0;
  for (const { inSize, outSize, activation } of layers) {
    const y = new Float64Array(batch * outSize);
    const bias = o + inSize * outSize;
    for (let b = 0; b < batch; b++) {
      for (let k = 0; k < outSize; k++) y[b * outSize + k] = params[bias + k];
      for (let i = 0; i < inSize; i++) {
        const xi = x[b * inSize + i];
        if (xi === 0) continue;
        const row = o + i * outSize;
        for (let k = 0; k < outSize; k++) y[b * outSize + k] += xi * params[row + k];
      }
      if (activation === 'tanh')
        for (let k = 0; k < outSize; k++) y[b * outSize + k] = Math.tanh(y[b * outSize + k]);
      else if (activation === 'relu')
        for (let k = 0; k < outSize; k++) y[b * outSize + k] = Math.max(0, y[b * outSize + k]);
    }
    hs.push(y);
    x = y;
    o = bias + outSize;
  }
  return hs;
}

/** The gSDE Gaussians N(μ(s), σ(s)²) of flat parameters θ = [actor, ℓ] at `states`. */
export interface GsdeDistributions {
  /** float64 [batch, m] */
  mean: Float64Array;
  /** float64 [batch, m] */
  sigma: Float64Array;
  /** Latent features z(s), float64 [batch, d]. */
  latent: Float64Array;
}

/**
 * Means, standard deviations and latent features of the gSDE policy with flat parameters `params`
 * at `states` (float [batch, layers[0].inSize]). With `featuresFrom`, σ uses the latent features of
 * other parameters (the features as constants, as the gradient sees them) while μ and ℓ come from
 * `params`.
 */
export function gsdeDistributions(
  shape: GsdeShape,
  params: ArrayLike<number>,
  states: ArrayLike<number>,
  featuresFrom?: ArrayLike<number>,
): GsdeDistributions {
  const { layers, latentDim: d, actionDim: m } = shape;
  const hs = forwardAll(layers, params, states);
  const latent = layers.length > 1 ? hs[hs.length - 2] : Float64Array.from(states);
  const mean = hs[hs.length - 1];
  let zf = latent;
  if (featuresFrom) {
    const other = forwardAll(layers, featuresFrom, states);
    zf = layers.length > 1 ? other[other.length - 2] : latent;
  }
  const n = mlpSize(layers);
  const logStd = Array.prototype.slice.call(params, n, n + gsdeLogStdSize(shape)) as number[];
  const { std } = gsdeStd(logStd, shape);
  return { mean, sigma: gsdeSigma(zf, std, d, m), latent };
}

/** Σ_j log N(a_j; μ_j, σ_j²) per row, float64 [batch]. */
export function gaussianLogProb(
  mean: ArrayLike<number>,
  sigma: ArrayLike<number>,
  actions: ArrayLike<number>,
  m: number,
): Float64Array {
  const batch = mean.length / m;
  const out = new Float64Array(batch);
  for (let b = 0; b < batch; b++) {
    let s = 0;
    for (let j = 0; j < m; j++) {
      const k = b * m + j;
      const z = (actions[k] - mean[k]) / sigma[k];
      s += -0.5 * z * z - Math.log(sigma[k]) - 0.5 * LOG_2PI;
    }
    out[b] = s;
  }
  return out;
}

/** Mean over rows of KL(N(μ0, σ0²) ‖ N(μ1, σ1²)), summed over the m action dimensions. */
export function gaussianMeanKl(p: GsdeDistributions, q: GsdeDistributions, m: number): number {
  let kl = 0;
  for (let k = 0; k < p.mean.length; k++) {
    const s0 = p.sigma[k];
    const s1 = q.sigma[k];
    const dm = p.mean[k] - q.mean[k];
    kl += Math.log(s1 / s0) + (s0 * s0 + dm * dm) / (2 * s1 * s1) - 0.5;
  }
  return kl / (p.mean.length / m);
}

/**
 * TRPO's line-search quantities for a gSDE policy: the surrogate mean_s[exp(log π_new(a|s) −
 * oldLogProbs_s) · Â_s] and the mean KL(π_old ‖ π_new) over `states`, both in float64 (the features
 * of each parameter vector enter its own variance, as the policy evaluates them).
 */
export function gsdeSurrogateAndKl(args: {
  shape: GsdeShape;
  oldParams: ArrayLike<number>;
  newParams: ArrayLike<number>;
  states: ArrayLike<number>;
  actions: ArrayLike<number>;
  advantages: ArrayLike<number>;
  oldLogProbs: ArrayLike<number>;
  /** The old distributions, when already computed (they do not change during a line search). */
  old?: GsdeDistributions;
}): { surrogate: number; kl: number } {
  const m = args.shape.actionDim;
  const old = args.old ?? gsdeDistributions(args.shape, args.oldParams, args.states);
  const cur = gsdeDistributions(args.shape, args.newParams, args.states);
  const lp = gaussianLogProb(cur.mean, cur.sigma, args.actions, m);
  let surrogate = 0;
  for (let b = 0; b < lp.length; b++) surrogate += Math.exp(lp[b] - args.oldLogProbs[b]) * args.advantages[b];
  return { surrogate: surrogate / lp.length, kl: gaussianMeanKl(old, cur, m) };
}

/**
 * Fisher-vector products of a gSDE policy at fixed parameters θ over a batch of states, for
 * TRPO's conjugate gradient (Schulman et al. 2015, appendix C):
 *
 * ```
 * F v = (1/B) Σ_s J_sᵀ M_s J_s v + damping · v
 * ```
 * the generalized Gauss–Newton form (Martens 2014, sec. 9), exact for the Hessian of the mean KL
 * at θ. J_s is the Jacobian of the Gaussian's coordinates (μ(s), σ(s)) w.r.t. θ and M_s the
 * Gaussian's Fisher metric in those coordinates, diag(1/σ²) on μ and diag(2/σ²) on σ, with no
 * cross terms. With the features constant for the variance (`learn_features=False`, as the
 * gradient sees them), μ depends on the actor MLP only and σ_j² = Σ_i z_i² s_ij² + ε on ℓ only,
 * so F is block-diagonal:
 *
 * - MLP block: J_μᵀ diag(1/σ²) J_μ, by forward-mode tangents and reverse-mode cotangents through
 *   the MLP (Pearlmutter 1994) on activations cached once per θ;
 * - ℓ block: ∂σ_j/∂ℓ = z_i² s_ij s'_ij / σ_j for the entries ℓ feeds (one per (i, j) with
 *   `fullStd`, row i for every j otherwise), weighted by 2/σ_j².
 *
 * No second-order autodiff (tfjs's is wrong through tanh/exp, tfjs issue #3252). Float64 inside.
 */
export class GsdeFisher {
  readonly shape: GsdeShape;
  readonly batch: number;
  /** Number of parameters (actor MLP + ℓ). */
  readonly size: number;
  private readonly params: ArrayLike<number>;
  private readonly mlpParams: number;
  /** Layer inputs h_0..h_{L−1} per layer: float64 [batch, inSize_l]. */
  private readonly inputs: Float64Array[];
  /** act'(z_l) per layer: float64 [batch, outSize_l]. */
  private readonly derivs: Float64Array[];
  /** 1/σ per state and action dimension, float64 [batch, m]. */
  private readonly invSigma: Float64Array;
  /** z² per state, float64 [batch, d]. */
  private readonly latentSq: Float64Array;
  /** s_ij · s'_ij, float64 [d, m]. */
  private readonly sds: Float64Array;

  /**
   * @param params flat θ = [actor MLP (core layout), ℓ].
   * @param states float [batch, layers[0].inSize].
   * @throws RangeError when params or states have the wrong length.
   */
  constructor(shape: GsdeShape, params: ArrayLike<number>, states: ArrayLike<number>) {
    this.shape = shape;
    const { layers, latentDim: d, actionDim: m } = shape;
    this.mlpParams = mlpSize(layers);
    this.size = this.mlpParams + gsdeLogStdSize(shape);
    if (params.length !== this.size) {
      throw new RangeError(`params has length ${params.length}, expected ${this.size}`);
    }
    const inSize = layers[0].inSize;
    if (states.length === 0 || states.length % inSize !== 0) {
      throw new RangeError(`states has length ${states.length}, expected a positive multiple of ${inSize}`);
    }
    this.batch = states.length / inSize;
    this.params = params;
    const hs = forwardAll(layers, params, states);
    this.inputs = [Float64Array.from(states), ...hs.slice(0, -1)];
    this.derivs = layers.map((l, i) => {
      const h = hs[i];
      const out = new Float64Array(h.length);
      if (l.activation === 'tanh') for (let k = 0; k < h.length; k++) out[k] = 1 - h[k] * h[k];
      else if (l.activation === 'relu') for (let k = 0; k < h.length; k++) out[k] = h[k] > 0 ? 1 : 0;
      else out.fill(1);
      return out;
    });
    const latent = this.inputs[layers.length - 1];
    const logStd = Array.prototype.slice.call(params, this.mlpParams) as number[];
    const { std, dstd } = gsdeStd(logStd, shape);
    const sigma = gsdeSigma(latent, std, d, m);
    this.invSigma = sigma.map((s) => 1 / s);
    this.latentSq = latent.map((z) => z * z);
    this.sds = std.map((s, k) => s * dstd[k]);
  }

  /**
   * F v + damping · v.
   * @param v float32 [size].
   * @returns float32 [size].
   * @throws RangeError when v has the wrong length.
   */
  product(v: Float32Array, damping = 0): Float32Array {
    if (v.length !== this.size) throw new RangeError(`v has length ${v.length}, expected ${this.size}`);
    const { layers, latentDim: d, actionDim: m, fullStd } = this.shape;
    const p = this.params;
    const L = layers.length;
    const out = new Float64Array(this.size);
    const widths = [layers[0].inSize, ...layers.map((l) => l.outSize)];
    const maxW = Math.max(...widths);
    const tanA = new Float64Array(maxW);
    const tanB = new Float64Array(maxW);
    const cot = new Float64Array(maxW);
    const cot2 = new Float64Array(maxW);
    const offsets: number[] = [];
    let off = 0;
    for (const l of layers) {
      offsets.push(off);
      off += l.inSize * l.outSize + l.outSize;
    }
    const tv = new Float64Array(m);
    for (let s = 0; s < this.batch; s++) {
      // tangents: dz_l = dh_l W_l + h_l dW_l + db_l, dh_{l+1} = act'(z_l) ⊙ dz_l, dh_0 = 0
      let dx = tanA;
      let dz = tanB;
      for (let l = 0; l < L; l++) {
        const { inSize, outSize } = layers[l];
        const w = offsets[l];
        const b = w + inSize * outSize;
        const x = this.inputs[l];
        for (let o = 0; o < outSize; o++) dz[o] = v[b + o];
        for (let i = 0; i < inSize; i++) {
          const xi = x[s * inSize + i];
          const dxi = l === 0 ? 0 : dx[i];
          const row = w + i * outSize;
          for (let o = 0; o < outSize; o++) dz[o] += dxi * p[row + o] + xi * v[row + o];
        }
        const der = this.derivs[l];
        for (let o = 0; o < outSize; o++) dz[o] *= der[s * outSize + o];
        const t = dx;
        dx = dz;
        dz = t;
      }
      // dx now holds J_μ v; cotangent g = diag(1/σ²) J_μ v
      let g = cot;
      let gNext = cot2;
      for (let j = 0; j < m; j++) {
        const is = this.invSigma[s * m + j];
        g[j] = dx[j] * is * is;
      }
      for (let l = L - 1; l >= 0; l--) {
        const { inSize, outSize } = layers[l];
        const w = offsets[l];
        const b = w + inSize * outSize;
        const der = this.derivs[l];
        for (let o = 0; o < outSize; o++) g[o] *= der[s * outSize + o];
        for (let o = 0; o < outSize; o++) out[b + o] += g[o];
        const x = this.inputs[l];
        for (let i = 0; i < inSize; i++) {
          const xi = x[s * inSize + i];
          const row = w + i * outSize;
          let acc = 0;
          for (let o = 0; o < outSize; o++) {
            out[row + o] += xi * g[o];
            acc += g[o] * p[row + o];
          }
          gNext[i] = acc;
        }
        const t = g;
        g = gNext;
        gNext = t;
      }
      // ℓ block: t_j = Σ_i (z_i² s_ij s'_ij / σ_j) v_ℓ(i, j); out_ℓ(i, j) += z_i² s_ij s'_ij / σ_j · 2 t_j / σ_j²
      const base = this.mlpParams;
      for (let j = 0; j < m; j++) {
        let t = 0;
        for (let i = 0; i < d; i++) {
          t += this.latentSq[s * d + i] * this.sds[i * m + j] * v[base + (fullStd ? i * m + j : i)];
        }
        const is = this.invSigma[s * m + j];
        tv[j] = 2 * t * is * is * is * is; // J_σ's 1/σ, M's 2/σ², J_σᵀ's 1/σ
      }
      for (let i = 0; i < d; i++) {
        const zi = this.latentSq[s * d + i];
        for (let j = 0; j < m; j++) out[base + (fullStd ? i * m + j : i)] += zi * this.sds[i * m + j] * tv[j];
      }
    }
    const result = new Float32Array(this.size);
    for (let k = 0; k < this.size; k++) result[k] = out[k] / this.batch + damping * v[k];
    return result;
  }
}
