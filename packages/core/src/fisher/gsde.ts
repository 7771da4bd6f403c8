/**
 * Generalized State-Dependent Exploration (gSDE; Raffin, Kober & Stulp 2021, "Smooth Exploration
 * for Robotic Reinforcement Learning", sec. 3–4), with the semantics of Stable-Baselines3's
 * `StateDependentNoiseDistribution` (stable_baselines3/common/distributions.py):
 *
 * - the action is a = μ(s) + z(s) W, where z(s) ∈ R^d is the policy's last hidden layer (the
 *   "latent features", d = latentDim) and W ∈ R^{d×m} an exploration matrix with independent
 *   entries W_ij ~ N(0, s_ij²), resampled only every `sdeSampleFreq` steps (or once per rollout);
 * - given s, a is Gaussian with mean μ(s) and per-dimension variance σ_j²(s) = Σ_i z_i(s)² s_ij² + ε
 *   (ε = {@link GSDE_EPSILON}), the distribution whose log-probability, entropy and KL divergence
 *   the losses use;
 * - s = exp(ℓ) (or `expln(ℓ)`: exp(ℓ) for ℓ ≤ 0, log1p(ℓ + ε) + 1 above, with `useExpln`) of a
 *   learned log-std ℓ of shape [d, m] (`fullStd`) or [d, 1] shared by the action dimensions;
 * - the features enter the variance as constants (SB3's `learn_features=False`): gradients of the
 *   variance flow into ℓ only, not into the network.
 *
 * This module holds the float64 reference of that distribution on flat parameters θ = [actor MLP in
 * the {@link Mlp} layout, then ℓ row-major], the mean KL and surrogate for TRPO's line search, and
 * the analytic Fisher-vector product TRPO needs ({@link GsdeFisher}). The MLP passes are the ones of
 * ./mlp-ad.ts (the TypeScript reference of the native MLP kernels).
 */
import type { MlpLayer } from '../mlp.js';
import { forwardState, jvpState, MlpTape, type Params, vjpState } from './mlp-ad.js';
import { type NetLayout, policyLayout } from './policy.js';

/** SB3's ε added to the gSDE variance (and to ℓ inside expln's log1p). */
export const GSDE_EPSILON = 1e-6;

const LOG_2PI = Math.log(2 * Math.PI);

/** Shape of a gSDE actor: an MLP whose last layer is the linear mean layer, and the log-std options. */
export interface GsdeShape {
  /** Actor layers ({@link Mlp} layout): hidden layers, then the linear mean layer [latentDim → actionDim]. */
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

/**
 * Parameter layout of the actor MLP (validated as core's policies are; the head is unused by the
 * MLP passes of ./mlp-ad.ts).
 */
function actorLayout(layers: readonly MlpLayer[]): NetLayout {
  return policyLayout({ layers: layers as MlpLayer[], head: 'categorical' }, 'shape');
}

/** The parameters as a typed array for ./mlp-ad.ts (typed arrays as they are, others copied to float64). */
function asParams(x: ArrayLike<number>): Params {
  return x instanceof Float32Array || x instanceof Float64Array ? x : Float64Array.from(x);
}

/** Number of states in `states` (float [batch, inSize]). */
function batchOf(states: ArrayLike<number>, inSize: number, allowEmpty: boolean): number {
  if (states.length % inSize !== 0 || (!allowEmpty && states.length === 0)) {
    throw new RangeError(`states has length ${states.length}, expected a positive multiple of ${inSize}`);
  }
  return states.length / inSize;
}

/**
 * The exploration std s = exp(ℓ) or expln(ℓ) and its derivative ds/dℓ, expanded to [d, m]
 * (row-major) whatever the shape of ℓ (Raffin et al. 2021, sec. 4; SB3's
 * `StateDependentNoiseDistribution.get_std`).
 * @param logStd ℓ, float [d, m] with `fullStd`, else [d].
 * @returns `std` and `dstd`, float64 [d·m].
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
 * Per-dimension standard deviations σ_j = sqrt(Σ_i z_i² s_ij² + ε) of the gSDE Gaussian for a batch
 * of latent features (SB3's `StateDependentNoiseDistribution.proba_distribution`).
 * @param latent latent features z, float [batch, d].
 * @param std s from {@link gsdeStd}, float64 [d, m].
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

/** Latent features (h_{L−1}) and outputs (h_L) of the actor for every state, float64. */
function latentAndMean(
  net: NetLayout,
  p: Params,
  states: ArrayLike<number>,
  batch: number,
): { latent: Float64Array; mean: Float64Array } {
  const L = net.layers.length;
  const d = net.layers[L - 1].inSize;
  const tape = new MlpTape(net);
  const latent = new Float64Array(batch * d);
  const mean = new Float64Array(batch * net.outSize);
  for (let s = 0; s < batch; s++) {
    forwardState(net, p, states, s, tape);
    latent.set(tape.h[L - 1], s * d);
    mean.set(tape.h[L], s * net.outSize);
  }
  return { latent, mean };
}

/** The gSDE Gaussians N(μ(s), σ(s)²) of flat parameters θ = [actor, ℓ] at a batch of states. */
export interface GsdeDistributions {
  /** Means μ(s), float64 [batch, m]. */
  mean: Float64Array;
  /** Standard deviations σ(s), float64 [batch, m]. */
  sigma: Float64Array;
  /** Latent features z(s), float64 [batch, d]. */
  latent: Float64Array;
}

/**
 * Means, standard deviations and latent features of the gSDE policy with flat parameters `params`
 * at `states`, in float64. With `featuresFrom`, σ uses the latent features of those other
 * parameters (the features as constants, as the gradient sees them) while μ and ℓ come from
 * `params`.
 * @param params θ = [actor MLP ({@link Mlp} layout), ℓ], float of length ≥ MLP params + ℓ size.
 * @param states float [batch, layers[0].inSize].
 * @param featuresFrom another θ of the same layout (its MLP part is used).
 * @throws TypeError/RangeError when the layers are invalid (as for core's policies) or the length
 *   of `states` is not a multiple of layers[0].inSize.
 */
export function gsdeDistributions(
  shape: GsdeShape,
  params: ArrayLike<number>,
  states: ArrayLike<number>,
  featuresFrom?: ArrayLike<number>,
): GsdeDistributions {
  const { latentDim: d, actionDim: m } = shape;
  const net = actorLayout(shape.layers);
  const batch = batchOf(states, net.inSize, true);
  const { latent, mean } = latentAndMean(net, asParams(params), states, batch);
  const zf = featuresFrom ? latentAndMean(net, asParams(featuresFrom), states, batch).latent : latent;
  const n = net.mlpParams;
  const logStd = Array.prototype.slice.call(params, n, n + gsdeLogStdSize(shape)) as number[];
  const { std } = gsdeStd(logStd, shape);
  return { mean, sigma: gsdeSigma(zf, std, d, m), latent };
}

/**
 * Log-density of a diagonal Gaussian, Σ_j log N(a_j; μ_j, σ_j²) per row.
 * @param mean float [batch, m]; `sigma` float [batch, m] (> 0); `actions` float [batch, m].
 * @returns float64 [batch].
 */
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

/**
 * Mean over rows of KL(N(μ_p, σ_p²) ‖ N(μ_q, σ_q²)), summed over the m action dimensions.
 * @param p, q distributions over the same batch (float64 [batch, m] means and stds).
 * @returns the mean KL (NaN for an empty batch).
 */
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
 * Shapes: `states` float [batch, layers[0].inSize], `actions` float [batch, m], `advantages` and
 * `oldLogProbs` float [batch]; θs as in {@link gsdeDistributions}.
 * @throws as {@link gsdeDistributions}.
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
 * cross terms. With the features constant for the variance (SB3's `learn_features=False`, as the
 * gradient sees them), μ depends on the actor MLP only and σ_j² = Σ_i z_i² s_ij² + ε on ℓ only,
 * so F is block-diagonal:
 *
 * - MLP block: J_μᵀ diag(1/σ²) J_μ, by the forward-mode tangents and reverse-mode cotangents of
 *   ./mlp-ad.ts (Pearlmutter 1994) on activations cached once per θ;
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
  private readonly params: Params;
  private readonly net: NetLayout;
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
   * Caches the activations and σ of θ at `states`.
   * @param shape actor layers and log-std options.
   * @param params flat θ = [actor MLP ({@link Mlp} layout), ℓ], float of length MLP params + ℓ size.
   * @param states float [batch ≥ 1, layers[0].inSize].
   * @throws TypeError/RangeError when the layers are invalid (as for core's policies); RangeError
   *   when params or states have the wrong length.
   */
  constructor(shape: GsdeShape, params: ArrayLike<number>, states: ArrayLike<number>) {
    this.shape = shape;
    const { latentDim: d, actionDim: m } = shape;
    const net = actorLayout(shape.layers);
    this.net = net;
    this.size = net.mlpParams + gsdeLogStdSize(shape);
    if (params.length !== this.size) {
      throw new RangeError(`params has length ${params.length}, expected ${this.size}`);
    }
    this.batch = batchOf(states, net.inSize, false);
    const p = asParams(params);
    this.params = p;
    const L = net.layers.length;
    this.inputs = net.layers.map((l) => new Float64Array(this.batch * l.inSize));
    this.derivs = net.layers.map((l) => new Float64Array(this.batch * l.outSize));
    const tape = new MlpTape(net);
    for (let s = 0; s < this.batch; s++) {
      forwardState(net, p, states, s, tape);
      for (let l = 0; l < L; l++) {
        this.inputs[l].set(tape.h[l], s * net.layers[l].inSize);
        this.derivs[l].set(tape.d[l], s * net.layers[l].outSize);
      }
    }
    const latent = this.inputs[L - 1];
    const logStd = Array.prototype.slice.call(params, net.mlpParams) as number[];
    const { std, dstd } = gsdeStd(logStd, shape);
    const sigma = gsdeSigma(latent, std, d, m);
    this.invSigma = sigma.map((s) => 1 / s);
    this.latentSq = latent.map((z) => z * z);
    this.sds = std.map((s, k) => s * dstd[k]);
  }

  /**
   * F v + damping · v.
   * @param v float32 [size].
   * @param damping λ ≥ 0 added times v.
   * @returns float32 [size].
   * @throws RangeError when v has the wrong length.
   */
  product(v: Float32Array, damping = 0): Float32Array {
    if (v.length !== this.size) throw new RangeError(`v has length ${v.length}, expected ${this.size}`);
    const { latentDim: d, actionDim: m, fullStd } = this.shape;
    const net = this.net;
    const p = this.params;
    const L = net.layers.length;
    const out = new Float64Array(this.size);
    const tape = new MlpTape(net);
    const g = new Float64Array(m);
    const tv = new Float64Array(m);
    for (let s = 0; s < this.batch; s++) {
      // restore the cached activations of state s, then J_μ v (tangents) and J_μᵀ g (cotangents)
      for (let l = 0; l < L; l++) {
        const { inSize, outSize } = net.layers[l];
        tape.h[l].set(this.inputs[l].subarray(s * inSize, (s + 1) * inSize));
        tape.d[l].set(this.derivs[l].subarray(s * outSize, (s + 1) * outSize));
      }
      const jv = jvpState(net, p, v, tape);
      // cotangent g = diag(1/σ²) J_μ v
      for (let j = 0; j < m; j++) {
        const is = this.invSigma[s * m + j];
        g[j] = jv[j] * is * is;
      }
      vjpState(net, p, g, tape, out);
      // ℓ block: t_j = Σ_i (z_i² s_ij s'_ij / σ_j) v_ℓ(i, j); out_ℓ(i, j) += z_i² s_ij s'_ij / σ_j · 2 t_j / σ_j²
      const base = net.mlpParams;
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
