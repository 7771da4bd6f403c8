import {
  type Activation,
  Categorical,
  DiagGaussian,
  GSDE_EPSILON,
  type GsdeShape,
  gaussianLogProb,
  gsdeSigma,
  gsdeStd,
  type Mlp,
  mlpForward,
  type Random,
} from '@proximal/core';
import { DenseStack } from '../nn/dense-stack.js';
import { tf } from '../tf.js';
import { type ActionHead, actionSize, headOutputSize } from './action-head.js';

/** Network options, as SB3's `policy_kwargs` (camelCase). */
export interface PolicyKwargs {
  /**
   * Hidden layer sizes of the actor and the critic (separate networks); or `{ pi, vf }` for
   * different sizes, with an optional `shared` trunk that both branch from. Default [64, 64].
   */
  netArch?: number[] | { shared?: number[]; pi: number[]; vf: number[] };
  /** Hidden activation. Default 'tanh'. */
  activationFn?: Activation;
  /**
   * Initial log standard deviation of a Gaussian policy (with gSDE: of every entry of the
   * exploration matrix). Default 0.
   */
  logStdInit?: number;
  /**
   * Orthogonal initialization (Huang et al. 2022; SB3's `ortho_init`). false: PyTorch's default
   * `nn.Linear` initialization, uniform in ±1/√fanIn, for every layer. Default true.
   */
  orthoInit?: boolean;
  /**
   * gSDE only: one log-std per (latent feature, action dimension) pair, shape [latentDim, dim]
   * (true), or one per latent feature shared by the action dimensions, [latentDim, 1]. Default true.
   */
  fullStd?: boolean;
  /**
   * gSDE only: σ = expln(ℓ) (exp(ℓ) for ℓ ≤ 0, log1p(ℓ) + 1 above; keeps the std from growing
   * fast) instead of exp(ℓ). Default false.
   */
  useExpln?: boolean;
}

/** Policy options that belong to the algorithm in SB3 (`use_sde`), not to `policy_kwargs`. */
export interface PolicyOptions {
  /**
   * Generalized State-Dependent Exploration (Raffin et al. 2021) for Box action spaces: the
   * exploration noise is z(s)·W with z(s) the actor's last hidden layer and W a Gaussian matrix
   * held fixed between {@link ActorCriticPolicy.resetNoise} calls. Default false.
   */
  useSde?: boolean;
}

/** tfjs has no stop-gradient op: identity forward, zero gradient. */
const stopGradient = tf.customGrad(((x: tf.Tensor) => ({
  value: tf.clone(x),
  gradFunc: (dy: tf.Tensor) => tf.zerosLike(dy),
})) as Parameters<typeof tf.customGrad>[0]) as (x: tf.Tensor2D) => tf.Tensor2D;

const LOG_2PI = Math.log(2 * Math.PI);

/**
 * MLP actor-critic: a policy network obs → logits (categorical / multi-discrete heads) or means
 * (diagonal Gaussian with a state-independent log-std vector, or with `useSde` the gSDE
 * distribution of Raffin et al. 2021, see @proximal/core's fisher/gsde.ts), and a separate value network obs → V(s).
 * tfjs variables, orthogonal initialization (gain √2 hidden, 0.01 policy output, 1 value output;
 * Huang et al. 2022, "The 37 Implementation Details of PPO") unless `orthoInit: false`.
 * Rollout-time inference runs on the flat parameters through `@proximal/core`'s `mlpForward`.
 *
 * Flat parameter order (also of `trainableVariables`): trunk (if shared), actor (core Mlp layout),
 * log-std (Gaussian only: [dim], or with gSDE [latentDim, dim] / [latentDim, 1] row-major), critic.
 */
export class ActorCriticPolicy {
  readonly obsDim: number;
  readonly head: ActionHead;
  readonly sharedArch: number[];
  readonly piArch: number[];
  readonly vfArch: number[];
  /** Shared trunk (null for separate networks). */
  readonly trunk: DenseStack | null;
  readonly activationFn: Activation;
  readonly actor: DenseStack;
  readonly critic: DenseStack;
  /**
   * Learned log-std: [dim] for the plain Gaussian head; with gSDE [latentDim, dim] (`fullStd`) or
   * [latentDim, 1]. null for discrete heads.
   */
  readonly logStd: tf.Variable | null;
  /** Whether the Gaussian head uses gSDE. */
  readonly useSde: boolean;
  /** gSDE: log-std per (feature, action) pair (else per feature). */
  readonly fullStd: boolean;
  /** gSDE: expln instead of exp for the std. */
  readonly useExpln: boolean;
  /** Width of the latent features gSDE multiplies the noise with (the actor's last hidden layer). */
  readonly latentDim: number;
  /** gSDE: the single exploration matrix [latentDim, dim] (used unless the batch matches `explorationMatrices`). */
  explorationMat: Float32Array | null = null;
  /** gSDE: one exploration matrix per env, [n, latentDim, dim]. */
  explorationMatrices: Float32Array | null = null;
  private trunkMlp: Mlp | null = null;
  private actorMlp: Mlp | null = null;
  private criticMlp: Mlp | null = null;
  private hiddenMlp: Mlp | null = null;
  private meanMlp: Mlp | null = null;
  private logStdData: Float32Array | null = null;
  private sdeStd: Float64Array | null = null;

  /**
   * @param obsDim observation (feature) size.
   * @param head the action distribution family ({@link headFromSpace}).
   * @param kwargs network shape and initialization.
   * @param rng draws the initial weights (and the first gSDE noise matrix).
   * @param options `useSde` (Box action spaces only).
   * @throws RangeError for `useSde` with a discrete action head.
   */
  constructor(
    obsDim: number,
    head: ActionHead,
    kwargs: PolicyKwargs,
    rng: Random,
    options: PolicyOptions = {},
  ) {
    this.obsDim = obsDim;
    this.head = head;
    this.useSde = options.useSde ?? false;
    if (this.useSde && head.kind !== 'diag-gaussian') {
      throw new RangeError('useSde (gSDE) needs a Box action space, got a discrete one');
    }
    this.fullStd = kwargs.fullStd ?? true;
    this.useExpln = kwargs.useExpln ?? false;
    const ortho = kwargs.orthoInit ?? true;
    const arch = kwargs.netArch ?? [64, 64];
    this.sharedArch = Array.isArray(arch) ? [] : (arch.shared ?? []);
    this.piArch = Array.isArray(arch) ? arch : arch.pi;
    this.vfArch = Array.isArray(arch) ? arch : arch.vf;
    this.activationFn = kwargs.activationFn ?? 'tanh';
    const stack = (sizes: number[], gain: number, name: string, activateLast = false) =>
      ortho
        ? DenseStack.orthogonal(sizes, this.activationFn, gain, rng, name, activateLast)
        : DenseStack.uniform(sizes, this.activationFn, rng, name, activateLast);
    this.trunk =
      this.sharedArch.length > 0 ? stack([obsDim, ...this.sharedArch], Math.SQRT2, 'trunk', true) : null;
    const featureDim = this.sharedArch.length > 0 ? this.sharedArch[this.sharedArch.length - 1] : obsDim;
    this.actor = stack([featureDim, ...this.piArch, headOutputSize(head)], 0.01, 'actor');
    this.critic = stack([featureDim, ...this.vfArch, 1], 1, 'critic');
    this.latentDim = this.piArch.length > 0 ? this.piArch[this.piArch.length - 1] : featureDim;
    const logStdShape =
      head.kind !== 'diag-gaussian'
        ? null
        : this.useSde
          ? [this.latentDim, this.fullStd ? head.dim : 1]
          : [head.dim];
    this.logStd = logStdShape
      ? tf.variable(
          tf.fill(logStdShape, kwargs.logStdInit ?? 0),
          true,
          `logStd#${Math.random().toString(36).slice(2)}`,
        )
      : null;
    if (this.useSde) this.resetNoise(1, rng);
  }

  /** Numbers stored per action (indices or floats). */
  get actionSize(): number {
    return actionSize(this.head);
  }

  get trainableVariables(): tf.Variable[] {
    return [
      ...(this.trunk ? this.trunk.variables : []),
      ...this.actor.variables,
      ...(this.logStd ? [this.logStd] : []),
      ...this.critic.variables,
    ];
  }

  get numParams(): number {
    return (
      (this.trunk?.numParams ?? 0) +
      this.actor.numParams +
      (this.logStd ? this.logStd.size : 0) +
      this.critic.numParams
    );
  }

  /** Refreshes the flat parameter copies used for inference; call after parameters change. */
  syncInference(): void {
    this.trunkMlp = this.trunk ? this.trunk.toMlp() : null;
    this.actorMlp = this.actor.toMlp();
    this.criticMlp = this.critic.toMlp();
    this.logStdData = this.logStd ? (this.logStd.dataSync() as Float32Array).slice() : null;
    if (this.useSde) {
      const layers = this.actor.layers;
      const n = layers.length - 1;
      let hidden = 0;
      for (let i = 0; i < n; i++) hidden += layers[i].inSize * layers[i].outSize + layers[i].outSize;
      const p = this.actorMlp.params;
      this.hiddenMlp = n > 0 ? { layers: layers.slice(0, n), params: p.subarray(0, hidden) } : null;
      this.meanMlp = { layers: [layers[n]], params: p.subarray(hidden) };
      this.sdeStd = gsdeStd(this.logStdData!, this.gsdeShape()).std;
    }
  }

  /**
   * gSDE: draws new exploration matrices W with entries N(0, σ_ij²), σ = exp(ℓ) (or expln): one
   * for single observations and `nEnvs` for batches of that size (SB3's `reset_noise`). The
   * algorithms call it at the start of every rollout and every `sdeSampleFreq` steps.
   * @throws Error when the policy does not use gSDE; RangeError when nEnvs is not a positive integer.
   */
  resetNoise(nEnvs: number, rng: Random): void {
    if (!this.useSde || this.head.kind !== 'diag-gaussian') throw new Error('resetNoise needs a gSDE policy');
    if (!Number.isInteger(nEnvs) || nEnvs < 1) {
      throw new RangeError(`nEnvs must be a positive integer, got ${String(nEnvs)}`);
    }
    const std = gsdeStd(this.logStd!.dataSync() as Float32Array, this.gsdeShape()).std;
    const k = std.length;
    this.explorationMat = new Float32Array(k);
    for (let i = 0; i < k; i++) this.explorationMat[i] = std[i] * rng.normal();
    this.explorationMatrices = new Float32Array(nEnvs * k);
    for (let i = 0; i < nEnvs * k; i++) this.explorationMatrices[i] = std[i % k] * rng.normal();
  }

  /** gSDE: the actor's shape for @proximal/core's gSDE math (trunk and actor layers; the last is the mean layer). */
  gsdeShape(): GsdeShape {
    if (this.head.kind !== 'diag-gaussian') throw new Error('gSDE needs a Gaussian action head');
    return {
      layers: [...(this.trunk ? this.trunk.layers : []), ...this.actor.layers],
      latentDim: this.latentDim,
      actionDim: this.head.dim,
      fullStd: this.fullStd,
      useExpln: this.useExpln,
    };
  }

  /** The policy's part of the flat parameters: trunk, actor, log-std (everything but the critic). */
  policyParams(): Float32Array {
    const n = (this.trunk?.numParams ?? 0) + this.actor.numParams + (this.logStd ? this.logStd.size : 0);
    return this.getFlatParams().slice(0, n);
  }

  /** gSDE inference: latent features [batch, latentDim] and means [batch, dim] from features. */
  private gsdeForward(features: Float32Array): { latent: Float32Array; mean: Float32Array } {
    if (!this.meanMlp) this.syncInference();
    const latent = this.hiddenMlp ? mlpForward(this.hiddenMlp, features) : features;
    return { latent, mean: mlpForward(this.meanMlp!, latent) };
  }

  /** gSDE: actions and log-probabilities (see {@link act}). */
  private actSde(
    features: Float32Array,
    deterministic: boolean,
  ): { actions: Float32Array; logProbs: Float32Array } {
    const m = (this.head as { dim: number }).dim;
    const d = this.latentDim;
    const { latent, mean } = this.gsdeForward(features);
    const batch = mean.length / m;
    const sigma = gsdeSigma(latent, this.sdeStd!, d, m);
    const actions = mean.slice();
    if (!deterministic) {
      const perEnv = batch > 1 && this.explorationMatrices!.length === batch * d * m;
      for (let b = 0; b < batch; b++) {
        const w = perEnv ? this.explorationMatrices! : this.explorationMat!;
        const wo = perEnv ? b * d * m : 0;
        for (let i = 0; i < d; i++) {
          const z = latent[b * d + i];
          if (z === 0) continue;
          for (let j = 0; j < m; j++) actions[b * m + j] += z * w[wo + i * m + j];
        }
      }
    }
    return { actions, logProbs: Float32Array.from(gaussianLogProb(mean, sigma, actions, m)) };
  }

  private mlps(): { actor: Mlp; critic: Mlp } {
    if (!this.actorMlp || !this.criticMlp) this.syncInference();
    return { actor: this.actorMlp!, critic: this.criticMlp! };
  }

  /** Features the actor and critic read: the trunk's output, or the observations themselves. */
  private features(observations: Float32Array): Float32Array {
    if (!this.trunk) return observations;
    if (!this.trunkMlp) this.syncInference();
    return mlpForward(this.trunkMlp!, observations);
  }

  /**
   * Samples (or, deterministic, takes the mode of) actions for observations float32 [batch, obsDim].
   * With gSDE the sample is μ(s) + z(s)·W with the current exploration matrices (W per env when the
   * batch has one row per env, else the single matrix), and `rng` is not used.
   * @returns actions as float32 [batch, actionSize] (indices for discrete heads) and their log-probabilities [batch].
   */
  act(
    observations: Float32Array,
    rng: Random,
    deterministic = false,
  ): { actions: Float32Array; logProbs: Float32Array } {
    if (this.useSde) return this.actSde(this.features(observations), deterministic);
    const out = mlpForward(this.mlps().actor, this.features(observations));
    const batch = observations.length / this.obsDim;
    if (this.head.kind === 'diag-gaussian') {
      const d = new DiagGaussian(out, this.logStdData!, this.head.dim);
      const actions = deterministic ? d.mode() : d.sample(rng);
      return { actions, logProbs: d.logProb(actions) };
    }
    const { nvec } = this.head;
    const width = headOutputSize(this.head);
    const actions = new Float32Array(batch * nvec.length);
    const logProbs = new Float32Array(batch);
    let offset = 0;
    nvec.forEach((n, j) => {
      const logits = new Float32Array(batch * n);
      for (let b = 0; b < batch; b++)
        logits.set(out.subarray(b * width + offset, b * width + offset + n), b * n);
      const c = new Categorical(logits, n);
      const a = deterministic ? c.mode() : c.sample(rng);
      const lp = c.logProb(a);
      for (let b = 0; b < batch; b++) {
        actions[b * nvec.length + j] = a[b];
        logProbs[b] += lp[b];
      }
      offset += n;
    });
    return { actions, logProbs };
  }

  /** V(s) for a batch of observations, float32 [batch]. */
  predictValues(observations: Float32Array, out?: Float32Array): Float32Array {
    return mlpForward(this.mlps().critic, this.features(observations), out);
  }

  /**
   * Training-time forward pass in tfjs: log-probabilities [B] of `actions` (float32 [B, actionSize];
   * for discrete heads pass `oneHot` [B, Σ nvec] instead), entropies [B] and values [B].
   */
  evaluateActions(
    observations: tf.Tensor2D,
    actions: { oneHot: tf.Tensor2D } | { continuous: tf.Tensor2D },
  ): { logProbs: tf.Tensor1D; entropy: tf.Tensor1D; values: tf.Tensor1D } {
    const features = this.trunk ? this.trunk.apply(observations) : observations;
    const values = tf.reshape(this.critic.apply(features), [-1]) as tf.Tensor1D;
    if (this.useSde) {
      const { logProbs, entropy } = this.evaluateSde(
        features,
        (actions as { continuous: tf.Tensor2D }).continuous,
      );
      return { logProbs, entropy, values };
    }
    const out = this.actor.apply(features);
    if (this.head.kind === 'diag-gaussian') {
      const a = (actions as { continuous: tf.Tensor2D }).continuous;
      const logStd = this.logStd!;
      const z = tf.div(tf.sub(a, out), tf.exp(logStd));
      const perDim = tf.sub(tf.mul(-0.5, tf.square(z)), tf.add(logStd, 0.5 * LOG_2PI));
      const logProbs = tf.sum(perDim, 1) as tf.Tensor1D;
      const entropy = tf.mul(
        tf.ones([out.shape[0]]),
        tf.sum(tf.add(logStd, 0.5 * (LOG_2PI + 1))),
      ) as tf.Tensor1D;
      return { logProbs, entropy, values };
    }
    const oneHot = (actions as { oneHot: tf.Tensor2D }).oneHot;
    const parts = this.head.nvec.length === 1 ? [out] : tf.split(out, this.head.nvec, 1);
    const logPmf =
      parts.length === 1
        ? tf.logSoftmax(out)
        : tf.concat(
            parts.map((p) => tf.logSoftmax(p)),
            1,
          );
    const logProbs = tf.sum(tf.mul(logPmf, oneHot), 1) as tf.Tensor1D;
    const entropy = tf.neg(tf.sum(tf.mul(tf.exp(logPmf), logPmf), 1)) as tf.Tensor1D;
    return { logProbs, entropy, values };
  }

  /**
   * gSDE log-probabilities and entropies in tfjs: μ from the actor, σ_j² = Σ_i z_i² s_ij² + ε with
   * the latent features z as constants (SB3's `learn_features=False`) and s = exp(ℓ) or expln(ℓ).
   */
  private evaluateSde(
    features: tf.Tensor2D,
    actions: tf.Tensor2D,
  ): { logProbs: tf.Tensor1D; entropy: tf.Tensor1D } {
    const m = (this.head as { dim: number }).dim;
    const L = this.actor.layers.length;
    const latent = L > 1 ? this.actor.applyRange(features, 0, L - 1) : features;
    const mean = this.actor.applyRange(latent, L - 1, L);
    const l = this.logStd!;
    const std = this.useExpln
      ? tf.where(tf.lessEqual(l, 0), tf.exp(l), tf.add(tf.log1p(tf.add(tf.relu(l), GSDE_EPSILON)), 1))
      : tf.exp(l);
    const std2 = tf.square(this.fullStd ? std : tf.mul(std, tf.ones([this.latentDim, m])));
    const variance = tf.add(tf.matMul(tf.square(stopGradient(latent)), std2 as tf.Tensor2D), GSDE_EPSILON);
    const logSigma = tf.mul(0.5, tf.log(variance));
    const z2 = tf.div(tf.square(tf.sub(actions, mean)), variance);
    const logProbs = tf.sum(tf.sub(tf.mul(-0.5, z2), tf.add(logSigma, 0.5 * LOG_2PI)), 1) as tf.Tensor1D;
    const entropy = tf.sum(tf.add(logSigma, 0.5 * (LOG_2PI + 1)), 1) as tf.Tensor1D;
    return { logProbs, entropy };
  }

  /** One-hot encoding float32 [B, Σ nvec] of discrete actions float32 [B, nvec.length]. */
  oneHot(actions: Float32Array): Float32Array {
    if (this.head.kind !== 'categorical') throw new Error('oneHot needs a discrete action head');
    const { nvec } = this.head;
    const width = headOutputSize(this.head);
    const batch = actions.length / nvec.length;
    const out = new Float32Array(batch * width);
    for (let b = 0; b < batch; b++) {
      let offset = 0;
      for (let j = 0; j < nvec.length; j++) {
        out[b * width + offset + actions[b * nvec.length + j]] = 1;
        offset += nvec[j];
      }
    }
    return out;
  }

  /** All parameters as one flat vector in `trainableVariables` order. */
  getFlatParams(): Float32Array {
    const out = new Float32Array(this.numParams);
    let o = 0;
    for (const v of this.trainableVariables) {
      const d = v.dataSync() as Float32Array;
      out.set(d, o);
      o += d.length;
    }
    return out;
  }

  /** Inverse of {@link getFlatParams}. @throws RangeError on a length mismatch. */
  setFlatParams(params: Float32Array): void {
    if (params.length !== this.numParams) {
      throw new RangeError(`params has length ${params.length}, expected ${this.numParams}`);
    }
    const t = this.trunk?.numParams ?? 0;
    const a = t + this.actor.numParams;
    const s = this.logStd ? this.logStd.size : 0;
    this.trunk?.setParams(params.subarray(0, t));
    this.actor.setParams(params.subarray(t, a));
    if (this.logStd) {
      const logStd = this.logStd;
      tf.tidy(() => logStd.assign(tf.tensor(params.subarray(a, a + s), logStd.shape)));
    }
    this.critic.setParams(params.subarray(a + s));
    this.trunkMlp = null;
    this.actorMlp = null;
    this.criticMlp = null;
    this.hiddenMlp = null;
    this.meanMlp = null;
  }

  /**
   * The policy part as `@proximal/core`'s MLP policy for Fisher-vector products:
   * `{ layers, head, params }` with params = actor parameters then the log-std (Gaussian).
   * @throws Error for multi-discrete heads (core's kernels cover categorical and Gaussian) and for
   *   gSDE policies (whose Fisher is {@link GsdeFisher}'s, not core's).
   */
  corePolicy(): { layers: Mlp['layers']; head: 'categorical' | 'diag-gaussian'; params: Float32Array } {
    if (this.useSde) {
      throw new Error(
        "core's Fisher-vector products assume a state-independent log-std; gSDE policies use GsdeFisher",
      );
    }
    if (this.head.kind === 'categorical' && this.head.nvec.length !== 1) {
      throw new Error('Fisher-vector products support Discrete and Box action spaces, not MultiDiscrete');
    }
    const n = (this.trunk?.numParams ?? 0) + this.actor.numParams + (this.logStd ? this.logStd.size : 0);
    const layers = [...(this.trunk ? this.trunk.layers : []), ...this.actor.layers];
    return { layers, head: this.head.kind, params: this.getFlatParams().slice(0, n) };
  }

  dispose(): void {
    this.trunk?.dispose();
    this.actor.dispose();
    this.critic.dispose();
    this.logStd?.dispose();
  }
}
