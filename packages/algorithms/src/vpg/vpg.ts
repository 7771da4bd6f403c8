import { Adam, explainedVariance } from '@proximal/core';
import { OnPolicyAlgorithm, type OnPolicyOptions } from '../common/on-policy.js';
import { normalizeAdvantages } from '../common/rollout-buffer.js';
import { scheduleValue } from '../common/schedules.js';
import { initTf } from '../tf.js';
import { criticLossAndGradient } from '../trpo/gradients.js';
import { type EpisodeCarry, newEpisodeCarry, vpgAdvantages } from './advantages.js';
import {
  deserializeVpgHyperparameters,
  resolveVpgHyperparameters,
  serializeVpgHyperparameters,
  VPG_DEFAULTS,
  type VpgHyperparameters,
} from './config.js';
import { logProbsOf, policyGradientLossAndGradient } from './loss.js';

/** Constructor options of {@link VPG}: the environment, hyperparameters and run settings. */
export interface VpgOptions extends OnPolicyOptions, Partial<VpgHyperparameters> {}

/**
 * Vanilla policy gradient / REINFORCE (Williams 1992, "Simple Statistical Gradient-Following
 * Algorithms for Connectionist Reinforcement Learning"; Sutton et al. 2000, "Policy Gradient
 * Methods for Reinforcement Learning with Function Approximation"), as OpenAI Spinning Up's `vpg`:
 * each iteration (Spinning Up's epoch) collects nSteps × numEnvs steps, computes Ψ_t
 * (`advantageEstimator`: total return, reward-to-go, reward-to-go minus a learned baseline, or
 * GAE(γ, λ) of Schulman et al. 2016, the default; see {@link vpgAdvantages}), normalizes it over
 * the rollout (`normalizeAdvantage`), takes ONE Adam step on the policy loss
 * −mean(log π(a|s)·Ψ) over the whole rollout, then fits the value function by `trainVIters` Adam
 * steps (`vfLearningRate`) of mean-squared regression on the rewards-to-go. Discrete,
 * MultiDiscrete and Box action spaces; separate policy and value networks.
 *
 * Episodes cut by a time limit or by the end of a rollout are completed with γ·V(s) of the state
 * where they were cut, for every estimator (terminated episodes with 0): the env runs in
 * same-step autoreset mode and reports the final observation. Same seed and same tfjs/core
 * backends → the same results.
 *
 * @example
 * const model = await VPG.create({ env: 'CartPole-v1', seed: 1 });
 * await model.learn({ totalTimesteps: 200_000 });
 */
export class VPG extends OnPolicyAlgorithm<VpgHyperparameters> {
  private readonly policyOptimizer: Adam;
  private readonly policyParams: Float32Array;
  private readonly criticOptimizer: Adam;
  private readonly criticParams: Float32Array;
  /** 'totalReturn': the episodes in progress across rollouts (reset with the envs). */
  private readonly carry: EpisodeCarry;
  private carryObs: Float32Array | null = null;

  private constructor(o: VpgOptions, tfBackend: string) {
    super('VPG', o, VPG_DEFAULTS, (numEnvs) => resolveVpgHyperparameters(o, numEnvs), tfBackend);
    if (this.policy.trunk) {
      throw new RangeError(
        'VPG trains the policy and the value function with separate optimizers (Spinning Up): policyKwargs.netArch.shared must be empty',
      );
    }
    const h = this.hyperparameters;
    this.policyParams = this.policy.policyParams();
    this.criticParams = this.policy.critic.toMlp().params.slice();
    // PyTorch's Adam defaults (Spinning Up uses torch.optim.Adam with its default ε = 1e-8)
    this.policyOptimizer = new Adam(this.policyParams.length, {
      learningRate: scheduleValue(h.learningRate, 1),
      epsilon: 1e-8,
    });
    this.criticOptimizer = new Adam(this.criticParams.length, {
      learningRate: scheduleValue(h.vfLearningRate, 1),
      epsilon: 1e-8,
    });
    this.carry = newEpisodeCarry(this.env.numEnvs);
  }

  /**
   * Creates a VPG agent (initializing tfjs first).
   * @throws TypeError/RangeError for an invalid env, an unsupported action space, a shared
   *   network trunk or an invalid hyperparameter, naming it with the expected and actual value.
   */
  static async create(options: VpgOptions): Promise<VPG> {
    const backend = await initTf(options?.tfBackend ?? 'auto');
    return new VPG(options, backend);
  }

  /** The base rollout, then Ψ_t and the value targets of {@link vpgAdvantages} in the buffer. */
  protected override collectRollout(): { returns: number[]; lengths: number[] } {
    // a new lastObs means the envs were reset (learn's first call, or after load): no episode continues
    if (this.lastObs !== this.carryObs) {
      this.carry.returnSoFar.fill(0);
      this.carry.discount.fill(1);
    }
    const finished = super.collectRollout();
    this.carryObs = this.lastObs;
    const b = this.buffer;
    const h = this.hyperparameters;
    const { advantages, returns } = vpgAdvantages({
      estimator: h.advantageEstimator,
      rewards: b.rewards,
      values: b.values,
      nextValues: b.nextValues,
      terminated: b.terminated,
      truncated: b.truncated,
      numEnvs: b.numEnvs,
      gamma: h.gamma,
      gaeLambda: h.gaeLambda,
      carry: this.carry,
    });
    b.advantages = advantages;
    b.returns = returns;
    return finished;
  }

  /** One policy-gradient step on the whole rollout, then trainVIters value steps; SB3-named scalars. */
  protected train(): Record<string, number> {
    const h = this.hyperparameters;
    const b = this.buffer;
    const size = b.size;
    const p = this.progressRemaining();
    const lr = scheduleValue(h.learningRate, p);
    const vfLr = scheduleValue(h.vfLearningRate, p);

    // policy: one Adam step on L(θ) = −mean(log π(a|s) · Ψ) over the rollout
    const psi = h.normalizeAdvantage ? normalizeAdvantages(b.advantages) : b.advantages;
    const pg = policyGradientLossAndGradient(this.policy, b.observations, b.actions, psi);
    if (!Number.isFinite(pg.loss)) {
      throw new Error(`VPG policy loss became ${pg.loss} at timestep ${this.numTimesteps}; training stopped`);
    }
    this.policyOptimizer.learningRate = lr;
    this.policyOptimizer.step(this.policyParams, pg.grad);
    const full = this.policy.getFlatParams();
    full.set(this.policyParams, 0);
    this.policy.setFlatParams(full);
    const newLogProbs = logProbsOf(this.policy, b.observations, b.actions);
    let kl = 0;
    for (let i = 0; i < size; i++) kl += b.logProbs[i] - newLogProbs[i];

    // value function: trainVIters Adam steps of mean((V(s) − G)²), batchSize rows each
    this.criticOptimizer.learningRate = vfLr;
    const fullBatch = h.batchSize >= size;
    let perm: Int32Array | null = null;
    let next = size;
    let vSum = 0;
    for (let it = 0; it < h.trainVIters; it++) {
      let obs = b.observations;
      let targets = b.returns;
      if (!fullBatch) {
        if (next + h.batchSize > size) {
          perm = this.rng.permutation(size);
          next = 0;
        }
        const mb = b.gather(perm!, next, next + h.batchSize);
        next += h.batchSize;
        obs = mb.observations;
        targets = mb.returns;
      }
      const { loss, grad } = criticLossAndGradient(this.policy, obs, targets);
      if (!Number.isFinite(loss)) {
        throw new Error(`VPG value loss became ${loss} at timestep ${this.numTimesteps}; training stopped`);
      }
      this.criticOptimizer.step(this.criticParams, grad);
      this.policy.critic.setParams(this.criticParams);
      vSum += loss;
    }
    this.policy.syncInference();
    return {
      'train/policy_gradient_loss': pg.loss,
      'train/value_loss': vSum / h.trainVIters,
      'train/entropy_loss': -pg.entropy,
      'train/approx_kl': kl / size,
      'train/explained_variance': explainedVariance(b.values, b.returns),
      'train/learning_rate': lr,
      'train/vf_learning_rate': vfLr,
      ...this.stdMetric(),
    };
  }

  describeHyperparameters(): Record<string, unknown> {
    return serializeVpgHyperparameters(this.hyperparameters);
  }

  /**
   * Saves the whole agent to `dir` (created if missing): `proximal.json` (algorithm, env id,
   * hyperparameters, network shapes, action head, counters, normalization statistics, both Adam
   * step counts, the RNG state, the schedules' horizon and the episode statistics) and
   * `tensors.bin` (parameters and both optimizers' moments) — enough to continue training after
   * `load` as without the interruption, except that the envs restart from a reset (so
   * 'totalReturn' starts its episodes over). Written atomically (see `writeCheckpoint`).
   * @throws Error when `dir` exists and holds files other than a model's.
   */
  async save(dir: string): Promise<void> {
    await this.saveCheckpoint(
      dir,
      { optimizer: this.policyOptimizer.toJSON(), criticOptimizer: this.criticOptimizer.toJSON() },
      [
        { name: 'adam.m', data: this.policyOptimizer.m },
        { name: 'adam.v', data: this.policyOptimizer.v },
        { name: 'critic.adam.m', data: this.criticOptimizer.m },
        { name: 'critic.adam.v', data: this.criticOptimizer.v },
      ],
    );
  }

  /**
   * Loads an agent saved by {@link VPG.save}, ready to predict or to continue training
   * (`learn({ totalTimesteps, resetNumTimesteps: false })`). The env defaults to the saved env id
   * with the saved numEnvs.
   * @throws Error when `dir` does not hold a Proximal VPG model (e.g. a PPO checkpoint), holds a
   *   newer format version, or parameters whose size does not match the saved network.
   */
  static async load(dir: string, options: Partial<VpgOptions> = {}): Promise<VPG> {
    const { meta, tensors, createOptions } = await OnPolicyAlgorithm.readForLoad(dir, 'VPG', options);
    const model = await VPG.create({
      ...deserializeVpgHyperparameters(meta.hyperparameters as Record<string, unknown>),
      ...createOptions,
    });
    model.restore(dir, meta, tensors);
    model.policyParams.set(model.policy.policyParams());
    model.criticParams.set(model.policy.critic.toMlp().params);
    restoreAdam(model.policyOptimizer, tensors, 'adam', meta.optimizer);
    restoreAdam(model.criticOptimizer, tensors, 'critic.adam', meta.criticOptimizer);
    return model;
  }
}

/** Sets Adam's moments and step count from a checkpoint when they are there with the right size. */
function restoreAdam(opt: Adam, tensors: Map<string, Float32Array>, prefix: string, json: unknown): void {
  const m = tensors.get(`${prefix}.m`);
  const v = tensors.get(`${prefix}.v`);
  if (m && v && m.length === opt.size && v.length === opt.size) {
    opt.m.set(m);
    opt.v.set(v);
    opt.t = (json as { t?: number } | undefined)?.t ?? 0;
  }
}
