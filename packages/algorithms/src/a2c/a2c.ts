import { Adam, clipGradNorm, explainedVariance, RMSprop } from '@proximal/core';
import { OnPolicyAlgorithm, type OnPolicyOptions } from '../common/on-policy.js';
import { normalizeAdvantages } from '../common/rollout-buffer.js';
import { scheduleValue } from '../common/schedules.js';
import { initTf } from '../tf.js';
import {
  A2C_DEFAULTS,
  A2C_RMSPROP_ALPHA,
  type A2cHyperparameters,
  deserializeA2cHyperparameters,
  resolveA2cHyperparameters,
  serializeA2cHyperparameters,
} from './config.js';
import { a2cLossAndGradient } from './loss.js';

/** Constructor options of {@link A2C}: the environment, hyperparameters and run settings. */
export interface A2cOptions extends OnPolicyOptions, Partial<A2cHyperparameters> {}

/**
 * Advantage Actor-Critic, the synchronous variant of A3C (Mnih et al. 2016, "Asynchronous Methods
 * for Deep Reinforcement Learning", Algorithm S3), following Stable-Baselines3's `A2C`: rollouts of
 * `nSteps` (default 5) per env, GAE(γ, λ) through `@proximal/core` (λ = 1 by default: the paper's
 * n-step returns), then one gradient step on the whole rollout (nSteps × numEnvs transitions) of
 *
 * loss = −mean(A · log π(a|s)) − entCoef · mean H(π(·|s)) + vfCoef · mean (R − V(s))²,
 *
 * with gradient-norm clipping and core's {@link RMSprop} (α = 0.99, ε = rmsPropEps; PyTorch's
 * `torch.optim.RMSprop` as SB3 uses it) or, with `useRmsProp: false`, core's Adam (ε = 1e-5).
 * Advantages are not normalized unless `normalizeAdvantage`. Discrete, MultiDiscrete and Box
 * action spaces (optionally gSDE for Box). Learning-rate schedules, callbacks, normalization,
 * `predict`, checkpoints and resume are the shared {@link OnPolicyAlgorithm}'s.
 *
 * Same seed and same tfjs/core backends → the same results.
 *
 * @example
 * const model = await A2C.create({ env: 'CartPole-v1', numEnvs: 8, seed: 1 });
 * await model.learn({ totalTimesteps: 100_000 });
 */
export class A2C extends OnPolicyAlgorithm<A2cHyperparameters> {
  /** RMSprop (`useRmsProp`, the default) or Adam, over the policy's flat parameters. */
  readonly optimizer: RMSprop | Adam;
  private readonly params: Float32Array;

  private constructor(o: A2cOptions, tfBackend: string) {
    super('A2C', o, A2C_DEFAULTS, (numEnvs) => resolveA2cHyperparameters(o, numEnvs), tfBackend);
    const h = this.hyperparameters;
    this.params = this.policy.getFlatParams();
    const learningRate = scheduleValue(h.learningRate, 1);
    this.optimizer = h.useRmsProp
      ? new RMSprop(this.params.length, { learningRate, alpha: A2C_RMSPROP_ALPHA, epsilon: h.rmsPropEps })
      : new Adam(this.params.length, { learningRate, epsilon: 1e-5 });
  }

  /**
   * Creates an A2C agent (initializing tfjs first).
   * @throws TypeError/RangeError for an invalid env, an unsupported action space, an unknown option
   *   or an invalid hyperparameter, naming it with the expected and actual value.
   */
  static async create(options: A2cOptions): Promise<A2C> {
    const backend = await initTf(options?.tfBackend ?? 'auto');
    return new A2C(options, backend);
  }

  /** One gradient step on the whole rollout; returns SB3-named training scalars. */
  protected train(): Record<string, number> {
    const h = this.hyperparameters;
    const lr = scheduleValue(h.learningRate, this.progressRemaining());
    this.optimizer.learningRate = lr;
    const b = this.buffer;
    const s = a2cLossAndGradient(
      this.policy,
      {
        observations: b.observations,
        actions: b.actions,
        advantages: h.normalizeAdvantage ? normalizeAdvantages(b.advantages) : b.advantages,
        returns: b.returns,
      },
      { entCoef: h.entCoef, vfCoef: h.vfCoef },
    );
    if (!Number.isFinite(s.loss)) {
      throw new Error(`A2C loss became ${s.loss} at timestep ${this.numTimesteps}; training stopped`);
    }
    clipGradNorm(s.grads, h.maxGradNorm);
    this.optimizer.step(this.params, s.grads);
    this.policy.setFlatParams(this.params);
    this.policy.syncInference();
    return {
      'train/policy_loss': s.policyLoss,
      'train/value_loss': s.valueLoss,
      'train/entropy_loss': -s.entropy,
      'train/loss': s.loss,
      'train/explained_variance': explainedVariance(b.values, b.returns),
      'train/learning_rate': lr,
      'train/n_updates': this.optimizer.t,
      ...this.stdMetric(),
    };
  }

  describeHyperparameters(): Record<string, unknown> {
    return serializeA2cHyperparameters(this.hyperparameters);
  }

  /**
   * Saves the whole agent to `dir` (created if missing): `proximal.json` (algorithm, env id,
   * hyperparameters, network shapes, action head, counters, normalization statistics, the
   * optimizer's kind and step count, the RNG state, the schedules' horizon and the episode
   * statistics) and `tensors.bin` (policy parameters and the optimizer's state: RMSprop's square
   * average, or Adam's moments) — enough to continue training after `load` exactly as without the
   * interruption, except that the envs restart from a reset. Written atomically.
   * @throws Error when `dir` exists and holds files other than a model's.
   */
  async save(dir: string): Promise<void> {
    const opt = this.optimizer;
    await this.saveCheckpoint(
      dir,
      { optimizer: { kind: opt instanceof RMSprop ? 'rmsprop' : 'adam', ...opt.toJSON() } },
      opt instanceof RMSprop
        ? [{ name: 'rmsprop.squareAvg', data: opt.squareAvg }]
        : [
            { name: 'adam.m', data: opt.m },
            { name: 'adam.v', data: opt.v },
          ],
    );
  }

  /**
   * Loads an agent saved by {@link A2C.save}, ready to predict or to continue training
   * (`learn({ totalTimesteps, resetNumTimesteps: false })`). The env defaults to the saved env id
   * with the saved numEnvs. The optimizer state is restored when the loaded agent uses the saved
   * optimizer; `options.useRmsProp` set to the other one starts that optimizer afresh.
   * @throws Error when `dir` does not hold a Proximal model, holds another algorithm's, a newer
   *   format version, parameters whose size does not match the saved network, or lacks the
   *   optimizer state its `proximal.json` names.
   */
  static async load(dir: string, options: Partial<A2cOptions> = {}): Promise<A2C> {
    const { meta, tensors, createOptions } = await OnPolicyAlgorithm.readForLoad(dir, 'A2C', options);
    const model = await A2C.create({
      ...deserializeA2cHyperparameters(meta.hyperparameters as Record<string, unknown>),
      ...createOptions,
    });
    model.params.set(model.restore(dir, meta, tensors));
    const saved = meta.optimizer as { kind?: string; t?: number } | undefined;
    const opt = model.optimizer;
    const kind = opt instanceof RMSprop ? 'rmsprop' : 'adam';
    if (saved?.kind === kind) {
      const names = opt instanceof RMSprop ? ['rmsprop.squareAvg'] : ['adam.m', 'adam.v'];
      const targets = opt instanceof RMSprop ? [opt.squareAvg] : [opt.m, opt.v];
      names.forEach((name, i) => {
        const data = tensors.get(name);
        if (!data || data.length !== model.params.length) {
          throw new Error(
            `${dir}/tensors.bin: the ${kind} state '${name}' has ${data?.length ?? 0} values, expected ${model.params.length}`,
          );
        }
        targets[i].set(data);
      });
      opt.t = saved.t ?? 0;
    }
    return model;
  }
}
