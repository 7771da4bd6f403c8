import {
  type Activation,
  Categorical,
  DiagGaussian,
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
  /** Initial log standard deviation of a Gaussian policy. Default 0. */
  logStdInit?: number;
}

const LOG_2PI = Math.log(2 * Math.PI);

/**
 * MLP actor-critic: a policy network obs → logits (categorical / multi-discrete heads) or means
 * (diagonal Gaussian with a state-independent log-std vector), and a separate value network
 * obs → V(s). tfjs variables, orthogonal initialization (gain √2 hidden, 0.01 policy output, 1 value
 * output; Huang et al. 2022, "The 37 Implementation Details of PPO"). Rollout-time inference runs on
 * the flat parameters through `@proximal/core`'s `mlpForward` and distributions.
 *
 * Flat parameter order (also of `trainableVariables`): actor (core Mlp layout), log-std (Gaussian
 * only), critic.
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
  readonly logStd: tf.Variable<tf.Rank.R1> | null;
  private trunkMlp: Mlp | null = null;
  private actorMlp: Mlp | null = null;
  private criticMlp: Mlp | null = null;
  private logStdData: Float32Array | null = null;

  constructor(obsDim: number, head: ActionHead, kwargs: PolicyKwargs, rng: Random) {
    this.obsDim = obsDim;
    this.head = head;
    const arch = kwargs.netArch ?? [64, 64];
    this.sharedArch = Array.isArray(arch) ? [] : (arch.shared ?? []);
    this.piArch = Array.isArray(arch) ? arch : arch.pi;
    this.vfArch = Array.isArray(arch) ? arch : arch.vf;
    this.activationFn = kwargs.activationFn ?? 'tanh';
    this.trunk =
      this.sharedArch.length > 0
        ? DenseStack.orthogonal(
            [obsDim, ...this.sharedArch],
            this.activationFn,
            Math.SQRT2,
            rng,
            'trunk',
            true,
          )
        : null;
    const featureDim = this.sharedArch.length > 0 ? this.sharedArch[this.sharedArch.length - 1] : obsDim;
    this.actor = DenseStack.orthogonal(
      [featureDim, ...this.piArch, headOutputSize(head)],
      this.activationFn,
      0.01,
      rng,
      'actor',
    );
    this.critic = DenseStack.orthogonal([featureDim, ...this.vfArch, 1], this.activationFn, 1, rng, 'critic');
    this.logStd =
      head.kind === 'diag-gaussian'
        ? tf.variable(
            tf.fill([head.dim], kwargs.logStdInit ?? 0),
            true,
            `logStd#${Math.random().toString(36).slice(2)}`,
          )
        : null;
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
   * @returns actions as float32 [batch, actionSize] (indices for discrete heads) and their log-probabilities [batch].
   */
  act(
    observations: Float32Array,
    rng: Random,
    deterministic = false,
  ): { actions: Float32Array; logProbs: Float32Array } {
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
    const out = this.actor.apply(features);
    const values = tf.reshape(this.critic.apply(features), [-1]) as tf.Tensor1D;
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
      tf.tidy(() => logStd.assign(tf.tensor1d(params.subarray(a, a + s))));
    }
    this.critic.setParams(params.subarray(a + s));
    this.trunkMlp = null;
    this.actorMlp = null;
    this.criticMlp = null;
  }

  /**
   * The policy part as `@proximal/core`'s MLP policy for Fisher-vector products:
   * `{ layers, head, params }` with params = actor parameters then the log-std (Gaussian).
   * @throws Error for multi-discrete heads (core's kernels cover categorical and Gaussian).
   */
  corePolicy(): { layers: Mlp['layers']; head: 'categorical' | 'diag-gaussian'; params: Float32Array } {
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
