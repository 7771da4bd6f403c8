import { Adam, clipGradNorm, explainedVariance } from '@proximal/core';
import { OnPolicyAlgorithm, type OnPolicyOptions } from '../common/on-policy.js';
import { scheduleValue } from '../common/schedules.js';
import { initTf } from '../tf.js';
import {
  deserializePpoHyperparameters,
  PPO_DEFAULTS,
  type PpoHyperparameters,
  resolvePpoHyperparameters,
  serializePpoHyperparameters,
} from './config.js';
import { ppoLossAndGradient } from './loss.js';

export type { LearnOptions } from '../common/on-policy.js';

/** Constructor options of {@link PPO}: the environment, hyperparameters and run settings. */
export interface PpoOptions extends OnPolicyOptions, Partial<PpoHyperparameters> {}

/**
 * Proximal Policy Optimization (Schulman et al. 2017, "Proximal Policy Optimization Algorithms",
 * Algorithm 1), following Stable-Baselines3's `PPO`: on-policy rollouts of `nSteps` per env, GAE(γ, λ)
 * through `@proximal/core`, `nEpochs` passes of shuffled minibatches, per-minibatch advantage
 * normalization, the clipped surrogate through core's fused kernel (or the KL-penalty objective with
 * the adaptive coefficient), optional dual clip and value clipping, entropy bonus, gradient-norm
 * clipping, target-KL early stopping and learning-rate/clip-range schedules. Discrete,
 * MultiDiscrete and Box action spaces; for Box, optionally generalized State-Dependent Exploration
 * (`useSde`, `sdeSampleFreq`; Raffin et al. 2021).
 *
 * Truncated episodes are bootstrapped from the value of their final observation (the env runs in
 * same-step autoreset mode and reports it), as SB3 does. Same seed and same tfjs/core backends → the
 * same results.
 *
 * @example
 * const model = await PPO.create({ env: 'CartPole-v1', numEnvs: 8, seed: 1 });
 * await model.learn({ totalTimesteps: 100_000 });
 */
export class PPO extends OnPolicyAlgorithm<PpoHyperparameters> {
  /** β of the 'kl-penalty' objective (adapted during training). */
  klCoef: number;
  private readonly optimizer: Adam;
  private readonly params: Float32Array;

  private constructor(o: PpoOptions, tfBackend: string) {
    super('PPO', o, PPO_DEFAULTS, (numEnvs) => resolvePpoHyperparameters(o, numEnvs), tfBackend);
    this.klCoef = this.hyperparameters.klCoef;
    this.params = this.policy.getFlatParams();
    this.optimizer = new Adam(this.params.length, {
      learningRate: scheduleValue(this.hyperparameters.learningRate, 1),
      epsilon: 1e-5,
    });
  }

  /**
   * Creates a PPO agent (initializing tfjs first).
   * @throws TypeError/RangeError for an invalid env, an unsupported action space or an invalid
   *   hyperparameter, naming it with the expected and actual value.
   */
  static async create(options: PpoOptions): Promise<PPO> {
    const backend = await initTf(options?.tfBackend ?? 'auto');
    return new PPO(options, backend);
  }

  /** nEpochs passes of shuffled minibatches over the buffer; returns SB3-named training scalars. */
  protected train(): Record<string, number> {
    const h = this.hyperparameters;
    const p = this.progressRemaining();
    const lr = scheduleValue(h.learningRate, p);
    this.optimizer.learningRate = lr;
    const clipRange = scheduleValue(h.clipRange, p);
    const clipRangeVf = h.clipRangeVf === null ? null : scheduleValue(h.clipRangeVf, p);
    const size = this.buffer.size;
    const sums = { pg: 0, v: 0, ent: 0, kl: 0, clip: 0, loss: 0, n: 0 };
    let continueTraining = true;
    let epochs = 0;
    for (let epoch = 0; epoch < h.nEpochs && continueTraining; epoch++) {
      const perm = this.rng.permutation(size);
      for (let start = 0; start < size; start += h.batchSize) {
        const end = Math.min(size, start + h.batchSize);
        if (end - start < 2 && h.normalizeAdvantage) continue; // SB3 skips 1-element minibatches when normalizing
        const mb = this.buffer.gather(perm, start, end);
        const s = ppoLossAndGradient(this.policy, mb, {
          objective: h.objective === 'kl-penalty' ? 'penalty' : 'clip',
          clipRange,
          dualClip: h.dualClip,
          clipRangeVf,
          normalizeAdvantage: h.normalizeAdvantage,
          entCoef: h.entCoef,
          vfCoef: h.vfCoef,
          klCoef: this.klCoef,
        });
        if (!Number.isFinite(s.loss)) {
          throw new Error(
            `PPO loss became ${s.loss} at timestep ${this.numTimesteps} (epoch ${epoch}); training stopped`,
          );
        }
        clipGradNorm(s.grads, h.maxGradNorm);
        this.optimizer.step(this.params, s.grads);
        this.policy.setFlatParams(this.params);
        sums.pg += s.surrogate.loss;
        sums.v += s.valueLoss;
        sums.ent += s.entropy;
        sums.kl += s.surrogate.approxKl;
        sums.clip += s.surrogate.clipFraction;
        sums.loss += s.loss;
        sums.n++;
        if (h.targetKl !== null && s.surrogate.approxKl > 1.5 * h.targetKl) {
          continueTraining = false;
          break;
        }
      }
      epochs++;
    }
    this.policy.syncInference();
    const meanKl = sums.kl / Math.max(1, sums.n);
    if (h.objective === 'kl-penalty') {
      // adaptive β (Schulman et al. 2017, section 4)
      if (meanKl < h.klTarget / 1.5) this.klCoef /= 2;
      else if (meanKl > h.klTarget * 1.5) this.klCoef *= 2;
    }
    const ev = explainedVariance(this.buffer.values, this.buffer.returns);
    const n = Math.max(1, sums.n);
    return {
      'train/policy_gradient_loss': sums.pg / n,
      'train/value_loss': sums.v / n,
      'train/entropy_loss': -sums.ent / n,
      'train/approx_kl': sums.kl / n,
      'train/clip_fraction': sums.clip / n,
      'train/loss': sums.loss / n,
      'train/explained_variance': ev,
      'train/learning_rate': lr,
      'train/clip_range': clipRange,
      'train/n_epochs_run': epochs,
      'train/n_updates': sums.n,
      ...(h.objective === 'kl-penalty' ? { 'train/kl_coef': this.klCoef } : {}),
      ...this.stdMetric(),
    };
  }

  describeHyperparameters(): Record<string, unknown> {
    return serializePpoHyperparameters(this.hyperparameters);
  }

  /**
   * Saves the whole agent to `dir` (created if missing): `proximal.json` (algorithm, env id,
   * hyperparameters, network shapes, action head, counters, normalization statistics, Adam's step
   * count, the penalty coefficient, the RNG state, the schedules' horizon and the episode
   * statistics) and `tensors.bin` (policy parameters and Adam's moments) — enough to continue
   * training after `load` exactly as without the interruption, except that the envs restart from a
   * reset. Written atomically (see `writeCheckpoint`).
   * @throws Error when `dir` exists and holds files other than a model's.
   */
  async save(dir: string): Promise<void> {
    await this.saveCheckpoint(dir, { klCoef: this.klCoef, optimizer: this.optimizer.toJSON() }, [
      { name: 'adam.m', data: this.optimizer.m },
      { name: 'adam.v', data: this.optimizer.v },
    ]);
  }

  /**
   * Loads an agent saved by {@link PPO.save}, ready to predict or to continue training
   * (`learn({ totalTimesteps, resetNumTimesteps: false })`). The env defaults to the saved env id
   * with the saved numEnvs.
   * @throws Error when `dir` does not hold a Proximal model, holds another algorithm's, a newer
   *   format version, or parameters whose size does not match the saved network.
   */
  static async load(dir: string, options: Partial<PpoOptions> = {}): Promise<PPO> {
    const { meta, tensors, createOptions } = await OnPolicyAlgorithm.readForLoad(dir, 'PPO', options);
    const model = await PPO.create({
      ...deserializePpoHyperparameters(meta.hyperparameters as Record<string, unknown>),
      ...createOptions,
    });
    model.params.set(model.restore(dir, meta, tensors));
    const m = tensors.get('adam.m');
    const v = tensors.get('adam.v');
    if (m && v && m.length === model.params.length && v.length === model.params.length) {
      model.optimizer.m.set(m);
      model.optimizer.v.set(v);
      model.optimizer.t = (meta.optimizer as { t?: number } | undefined)?.t ?? 0;
    }
    model.klCoef = (meta.klCoef as number | undefined) ?? model.hyperparameters.klCoef;
    return model;
  }
}
