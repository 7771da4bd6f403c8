import {
  Adam,
  type CgResult,
  conjugateGradient,
  conjugateGradientFisher,
  explainedVariance,
  fisherVectorProduct,
  GsdeFisher,
  gsdeDistributions,
  gsdeSurrogateAndKl,
  surrogateAndKl,
} from '@proximal/core';
import { OnPolicyAlgorithm, type OnPolicyOptions } from '../common/on-policy.js';
import { normalizeAdvantages } from '../common/rollout-buffer.js';
import { scheduleValue } from '../common/schedules.js';
import { initTf } from '../tf.js';
import {
  deserializeTrpoHyperparameters,
  resolveTrpoHyperparameters,
  serializeTrpoHyperparameters,
  TRPO_DEFAULTS,
  type TrpoHyperparameters,
} from './config.js';
import { criticLossAndGradient, surrogateGradient } from './gradients.js';
import { backtrackingLineSearch } from './line-search.js';

/** Constructor options of {@link TRPO}. */
export interface TrpoOptions extends OnPolicyOptions, Partial<TrpoHyperparameters> {}

/**
 * Trust Region Policy Optimization (Schulman et al. 2015, "Trust Region Policy Optimization",
 * sec. 6 and appendix C), following sb3-contrib's `TRPO`: the policy gradient g of the surrogate,
 * the search direction s ≈ (F + λI)⁻¹ g by conjugate gradient with the analytic Fisher-vector
 * product kept inside `@proximal/core` (native addon when loaded), the maximal step
 * β = √(2δ / sᵀ(F + λI)s), and a backtracking line search (factor 0.8, 10 tries) that accepts
 * θ_old + βαⁱ s only when the mean KL(π_old ‖ π_new) ≤ δ and the surrogate improves; the critic is
 * fitted separately by Adam minibatch regression. Categorical and diagonal-Gaussian MLP policies;
 * with `useSde` the gSDE policy, whose Fisher-vector product is the analytic Gauss–Newton form of
 * `GsdeFisher` (TypeScript) instead of core's kernel.
 *
 * @example
 * const model = await TRPO.create({ env: 'CartPole-v1', numEnvs: 4, seed: 1 });
 * await model.learn({ totalTimesteps: 100_000 });
 */
export class TRPO extends OnPolicyAlgorithm<TrpoHyperparameters> {
  private readonly criticOptimizer: Adam;
  private readonly criticParams: Float32Array;

  private constructor(o: TrpoOptions, tfBackend: string) {
    super('TRPO', o, TRPO_DEFAULTS, (numEnvs) => resolveTrpoHyperparameters(o, numEnvs), tfBackend);
    if (this.policy.head.kind === 'categorical' && this.policy.head.nvec.length !== 1) {
      throw new RangeError('TRPO supports Discrete and Box action spaces, got MultiDiscrete');
    }
    if (this.policy.trunk) {
      throw new RangeError(
        'TRPO needs separate policy and value networks: policyKwargs.netArch.shared must be empty',
      );
    }
    this.criticParams = this.policy.critic.toMlp().params.slice();
    this.criticOptimizer = new Adam(this.criticParams.length, {
      learningRate: scheduleValue(this.hyperparameters.learningRate, 1),
      epsilon: 1e-8,
    });
  }

  /**
   * Creates a TRPO agent (initializing tfjs first).
   * @throws TypeError/RangeError for an invalid env, an unsupported action space or an invalid hyperparameter.
   */
  static async create(options: TrpoOptions): Promise<TRPO> {
    const backend = await initTf(options?.tfBackend ?? 'auto');
    return new TRPO(options, backend);
  }

  protected train(): Record<string, number> {
    const h = this.hyperparameters;
    const b = this.buffer;
    const size = b.size;
    // advantages normalized over the whole rollout (sb3-contrib)
    const adv = h.normalizeAdvantage ? normalizeAdvantages(b.advantages) : b.advantages.slice();
    const sde = this.policy.useSde;
    const policyShape = sde ? null : this.policy.corePolicy();
    const oldParams = policyShape ? policyShape.params : this.policy.policyParams();
    const { surrogate: tfSurrogate, grad } = surrogateGradient(
      this.policy,
      b.observations,
      b.actions,
      adv,
      b.logProbs,
    );
    for (let i = 0; i < grad.length; i++) {
      if (!Number.isFinite(grad[i]))
        throw new Error(`TRPO policy gradient became ${grad[i]} at timestep ${this.numTimesteps}`);
    }
    // states for the Fisher-vector products (every k-th sample with subSamplingFactor k)
    const states =
      h.subSamplingFactor === 1
        ? b.observations
        : b.observations.filter((_, i) => Math.floor(i / this.policy.obsDim) % h.subSamplingFactor === 0);
    const cgOptions = { maxIterations: h.cgMaxSteps };
    let cg: CgResult;
    let fvp: (v: Float32Array) => Float32Array;
    let evaluate: (params: Float32Array) => { surrogate: number; kl: number };
    if (policyShape) {
      cg = conjugateGradientFisher(policyShape, states, grad, { ...cgOptions, damping: h.cgDamping });
      fvp = (v) => fisherVectorProduct(policyShape, states, v, { damping: h.cgDamping });
      const actions = policyShape.head === 'categorical' ? Int32Array.from(b.actions) : b.actions;
      evaluate = (newParams) =>
        surrogateAndKl({
          policy: policyShape,
          oldParams,
          newParams,
          states: b.observations,
          actions,
          advantages: adv,
          oldLogProbs: b.logProbs,
        });
    } else {
      // gSDE: core's analytic Gauss–Newton GsdeFisher (core's generic FVP assumes a
      // state-independent log-std); surrogate and KL of the line search in float64 there too
      const shape = this.policy.gsdeShape();
      const fisher = new GsdeFisher(shape, oldParams, states);
      fvp = (v) => fisher.product(v, h.cgDamping);
      cg = conjugateGradient(fvp, grad, cgOptions);
      const old = gsdeDistributions(shape, oldParams, b.observations);
      evaluate = (newParams) =>
        gsdeSurrogateAndKl({
          shape,
          oldParams,
          newParams,
          states: b.observations,
          actions: b.actions,
          advantages: adv,
          oldLogProbs: b.logProbs,
          old,
        });
    }
    // the line search compares candidates with the surrogate at θ_old computed the same way
    const oldSurrogate = policyShape ? tfSurrogate : evaluate(oldParams).surrogate;
    const s = cg.x;
    const fs = fvp(s);
    let sFs = 0;
    for (let i = 0; i < s.length; i++) sFs += s[i] * fs[i];
    const maxStep = sFs > 0 ? Math.sqrt((2 * h.targetKl) / sFs) : 0;
    const candidate = new Float32Array(oldParams.length);
    const setCandidate = (fraction: number) => {
      for (let i = 0; i < candidate.length; i++) candidate[i] = oldParams[i] + fraction * maxStep * s[i];
    };
    const search =
      maxStep > 0
        ? backtrackingLineSearch(
            (fraction) => {
              setCandidate(fraction);
              return evaluate(candidate);
            },
            {
              oldSurrogate,
              targetKl: h.targetKl,
              shrink: h.lineSearchShrinkingFactor,
              maxIter: h.lineSearchMaxIter,
            },
          )
        : { accepted: false, fraction: 0, tries: 0, kl: 0, surrogate: oldSurrogate };
    const { accepted, kl, surrogate: newSurrogate, tries } = search;
    if (accepted) setCandidate(search.fraction);
    const full = this.policy.getFlatParams();
    if (accepted) full.set(candidate, 0);
    this.policy.setFlatParams(full);

    // critic: nCriticUpdates epochs of minibatch regression onto the returns
    const lr = scheduleValue(h.learningRate, this.progressRemaining());
    this.criticOptimizer.learningRate = lr;
    let vSum = 0;
    let vN = 0;
    for (let epoch = 0; epoch < h.nCriticUpdates; epoch++) {
      const perm = this.rng.permutation(size);
      for (let start = 0; start < size; start += h.batchSize) {
        const mb = b.gather(perm, start, Math.min(size, start + h.batchSize));
        const { loss, grad: g } = criticLossAndGradient(this.policy, mb.observations, mb.returns);
        if (!Number.isFinite(loss))
          throw new Error(`TRPO value loss became ${loss} at timestep ${this.numTimesteps}`);
        this.criticOptimizer.step(this.criticParams, g);
        this.policy.critic.setParams(this.criticParams);
        vSum += loss;
        vN++;
      }
    }
    this.policy.syncInference();
    return {
      'train/policy_objective': newSurrogate,
      'train/kl_divergence_loss': kl,
      'train/is_line_search_success': accepted ? 1 : 0,
      'train/line_search_steps': tries,
      'train/cg_iterations': cg.iterations,
      'train/cg_residual': cg.residual,
      'train/max_step': maxStep,
      'train/value_loss': vSum / Math.max(1, vN),
      'train/explained_variance': explainedVariance(b.values, b.returns),
      'train/learning_rate': lr,
      'train/n_updates': vN,
      ...this.stdMetric(),
    };
  }

  describeHyperparameters(): Record<string, unknown> {
    return serializeTrpoHyperparameters(this.hyperparameters);
  }

  /**
   * Saves the whole agent (policy, critic optimizer state, normalization statistics, counters, RNG
   * state, schedules' horizon, episode statistics) to `dir`, atomically (see `writeCheckpoint`).
   * @throws Error when `dir` exists and holds files other than a model's.
   */
  async save(dir: string): Promise<void> {
    await this.saveCheckpoint(dir, { optimizer: this.criticOptimizer.toJSON() }, [
      { name: 'critic.adam.m', data: this.criticOptimizer.m },
      { name: 'critic.adam.v', data: this.criticOptimizer.v },
    ]);
  }

  /**
   * Loads an agent saved by {@link TRPO.save}.
   * @throws Error when `dir` does not hold a Proximal TRPO model (e.g. a PPO checkpoint), a newer
   *   format, or parameters whose size does not match the saved network.
   */
  static async load(dir: string, options: Partial<TrpoOptions> = {}): Promise<TRPO> {
    const { meta, tensors, createOptions } = await OnPolicyAlgorithm.readForLoad(dir, 'TRPO', options);
    const model = await TRPO.create({
      ...deserializeTrpoHyperparameters(meta.hyperparameters as Record<string, unknown>),
      ...createOptions,
    });
    model.restore(dir, meta, tensors);
    model.criticParams.set(model.policy.critic.toMlp().params);
    const m = tensors.get('critic.adam.m');
    const v = tensors.get('critic.adam.v');
    if (m && v && m.length === model.criticParams.length && v.length === model.criticParams.length) {
      model.criticOptimizer.m.set(m);
      model.criticOptimizer.v.set(v);
      model.criticOptimizer.t = (meta.optimizer as { t?: number } | undefined)?.t ?? 0;
    }
    return model;
  }
}
