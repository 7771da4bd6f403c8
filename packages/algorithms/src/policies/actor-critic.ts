import { type Activation, Categorical, type Mlp, mlpForward, type Random } from '@proximal/core';
import { DenseStack } from '../nn/dense-stack.js';
import { tf } from '../tf.js';

/** Network options, as SB3's `policy_kwargs` (camelCase). */
export interface PolicyKwargs {
  /** Hidden layer sizes, shared by the actor and the critic (separate networks). Default [64, 64]. */
  netArch?: number[];
  /** Hidden activation. Default 'tanh'. */
  activationFn?: Activation;
}

/**
 * MLP actor-critic for discrete actions: a policy network obs → logits and a separate value
 * network obs → V(s), both tfjs variable stacks with orthogonal initialization (gain √2 hidden,
 * 0.01 policy output, 1 value output; Huang et al. 2022, "The 37 Implementation Details of PPO").
 * Rollout-time inference runs on the flat parameters through `@proximal/core`'s `mlpForward`.
 */
export class CategoricalActorCritic {
  readonly obsDim: number;
  readonly numActions: number;
  readonly netArch: number[];
  readonly activationFn: Activation;
  readonly actor: DenseStack;
  readonly critic: DenseStack;
  private actorMlp: Mlp | null = null;
  private criticMlp: Mlp | null = null;

  constructor(obsDim: number, numActions: number, kwargs: PolicyKwargs, rng: Random) {
    this.obsDim = obsDim;
    this.numActions = numActions;
    this.netArch = kwargs.netArch ?? [64, 64];
    this.activationFn = kwargs.activationFn ?? 'tanh';
    this.actor = DenseStack.orthogonal(
      [obsDim, ...this.netArch, numActions],
      this.activationFn,
      0.01,
      rng,
      'actor',
    );
    this.critic = DenseStack.orthogonal([obsDim, ...this.netArch, 1], this.activationFn, 1, rng, 'critic');
  }

  get trainableVariables(): tf.Variable[] {
    return [...this.actor.variables, ...this.critic.variables];
  }

  /** Refreshes the flat parameter copies used for inference; call after every optimizer step phase. */
  syncInference(): void {
    this.actorMlp = this.actor.toMlp();
    this.criticMlp = this.critic.toMlp();
  }

  private mlps(): { actor: Mlp; critic: Mlp } {
    if (!this.actorMlp || !this.criticMlp) this.syncInference();
    return { actor: this.actorMlp!, critic: this.criticMlp! };
  }

  /** Action distribution for a batch of observations float32 [batch, obsDim]. */
  distribution(observations: Float32Array): Categorical {
    return new Categorical(mlpForward(this.mlps().actor, observations), this.numActions);
  }

  /** V(s) for a batch of observations, float32 [batch]. */
  predictValues(observations: Float32Array, out?: Float32Array): Float32Array {
    return mlpForward(this.mlps().critic, observations, out);
  }

  /** Training-time forward pass in tfjs: logits [B, K] and values [B]. */
  forward(observations: tf.Tensor2D): { logits: tf.Tensor2D; values: tf.Tensor1D } {
    const logits = this.actor.apply(observations);
    const values = tf.reshape(this.critic.apply(observations), [-1]) as tf.Tensor1D;
    return { logits, values };
  }

  /** Number of parameters (actor and critic). */
  get numParams(): number {
    return this.actor.numParams + this.critic.numParams;
  }

  /** All parameters as one flat vector: actor then critic, each in core's Mlp layout (the order of `trainableVariables`). */
  getFlatParams(): Float32Array {
    const { actor, critic } = this.getParams();
    const out = new Float32Array(actor.length + critic.length);
    out.set(actor, 0);
    out.set(critic, actor.length);
    return out;
  }

  /** Inverse of {@link getFlatParams}. @throws RangeError on a length mismatch. */
  setFlatParams(params: Float32Array): void {
    if (params.length !== this.numParams) {
      throw new RangeError(`params has length ${params.length}, expected ${this.numParams}`);
    }
    const n = this.actor.numParams;
    this.actor.setParams(params.subarray(0, n));
    this.critic.setParams(params.subarray(n));
  }

  /** Flat parameters: actor then critic (each in core's Mlp layout). */
  getParams(): { actor: Float32Array; critic: Float32Array } {
    return { actor: this.actor.toMlp().params.slice(), critic: this.critic.toMlp().params.slice() };
  }

  setParams(p: { actor: Float32Array; critic: Float32Array }): void {
    this.actor.setParams(p.actor);
    this.critic.setParams(p.critic);
    this.syncInference();
  }

  dispose(): void {
    this.actor.dispose();
    this.critic.dispose();
  }
}
