import { Adam, clipGradNorm, explainedVariance, gae, Random } from '@proximal/core';
import { makeVec, type VectorEnv } from '@proximal/envs';
import { type CallbackLike, type TrainingContext, toCallbacks } from '../common/callbacks.js';
import { readCheckpoint, writeCheckpoint } from '../common/checkpoint.js';
import { EpisodeTracker } from '../common/episode-tracker.js';
import { type NormalizationOptions, Normalizer } from '../common/normalization.js';
import { RolloutBuffer } from '../common/rollout-buffer.js';
import { scheduleValue } from '../common/schedules.js';
import { describeVecEnv } from '../common/spaces.js';
import { type ActionHead, headFromSpace, headToJSON } from '../policies/action-head.js';
import { ActorCriticPolicy } from '../policies/actor-critic.js';
import { initTf, type TfBackend } from '../tf.js';
import {
  deserializePpoHyperparameters,
  type PpoHyperparameters,
  resolvePpoHyperparameters,
  serializePpoHyperparameters,
} from './config.js';
import { ppoLossAndGradient } from './loss.js';

/** Constructor options of {@link PPO}: the environment, hyperparameters and run settings. */
export interface PpoOptions extends Partial<PpoHyperparameters> {
  /** A vector env, or a registered env id (then `numEnvs` copies are made with same-step autoreset). */
  env: VectorEnv | string;
  /** Number of envs when `env` is an id. Default 1. */
  numEnvs?: number;
  /** Seed of the network initialization, action sampling, minibatch shuffling and env resets. */
  seed?: number;
  /** tfjs backend (default 'auto': tfjs-node(-gpu) when installed, else wasm). */
  tfBackend?: TfBackend;
  /** Observation/reward normalization as SB3's VecNormalize (saved with the model). Default off. */
  normalize?: NormalizationOptions;
}

/** Options of {@link PPO.learn}. */
export interface LearnOptions {
  /** Environment steps to take (summed over envs), rounded up to whole rollouts. */
  totalTimesteps: number;
  callback?: CallbackLike;
  /** Continue the step counter and schedules of an earlier `learn` (default true, as SB3). */
  resetNumTimesteps?: boolean;
}

/**
 * Proximal Policy Optimization with the clipped surrogate objective (Schulman et al. 2017,
 * "Proximal Policy Optimization Algorithms", Algorithm 1), following Stable-Baselines3's `PPO`:
 * on-policy rollouts of `nSteps` per env, GAE(γ, λ) through `@proximal/core`, `nEpochs` passes of
 * shuffled minibatches, per-minibatch advantage normalization, value loss, entropy bonus,
 * gradient-norm clipping and learning-rate/clip-range schedules. Discrete (categorical) actions.
 *
 * Truncated episodes are bootstrapped from the value of their final observation (the env runs in
 * same-step autoreset mode and reports it), as SB3 does.
 *
 * Same seed and same tfjs/core backends → the same results.
 *
 * @example
 * const model = await PPO.create({ env: 'CartPole-v1', numEnvs: 8, seed: 1 });
 * await model.learn({ totalTimesteps: 100_000 });
 */
export class PPO {
  readonly env: VectorEnv;
  readonly envId: string | null;
  readonly hyperparameters: PpoHyperparameters;
  readonly seed: number;
  readonly policy: ActorCriticPolicy;
  /** β of the 'kl-penalty' objective (adapted during training). */
  klCoef: number;
  readonly tfBackend: string;
  numTimesteps = 0;
  iterations = 0;
  readonly episodes = new EpisodeTracker(100);
  private readonly rng: Random;
  private readonly optimizer: Adam;
  private readonly params: Float32Array;
  private readonly buffer: RolloutBuffer;
  private lastObs: Float32Array | null = null;
  /** Observation/reward normalization (SB3's VecNormalize semantics), off unless asked for. */
  readonly normalizer: Normalizer;
  private totalForSchedule = 1;
  private startTimesteps = 0;

  private constructor(o: PpoOptions, tfBackend: string) {
    if (o === null || typeof o !== 'object') throw new TypeError('PPO options must be an object');
    this.seed = o.seed ?? Math.floor(Math.random() * 2 ** 31);
    this.tfBackend = tfBackend;
    if (typeof o.env === 'string') {
      this.envId = o.env;
      this.env = makeVec(o.env, { numEnvs: o.numEnvs ?? 1, autoresetMode: 'same-step' });
    } else {
      if (!o.env || typeof (o.env as VectorEnv).step !== 'function') {
        throw new TypeError('env must be a VectorEnv or a registered env id string');
      }
      this.env = o.env;
      this.envId = (o.env as { spec?: { id?: string } }).spec?.id ?? null;
      if (this.env.autoresetMode !== 'same-step') {
        throw new RangeError(
          `env.autoresetMode must be 'same-step' (PPO bootstraps truncated episodes from the final observation), got '${this.env.autoresetMode}'`,
        );
      }
    }
    const { obsDim } = describeVecEnv(this.env, 'PPO');
    const head = headFromSpace(this.env.singleActionSpace, 'PPO');
    this.hyperparameters = resolvePpoHyperparameters(o, this.env.numEnvs);
    this.klCoef = this.hyperparameters.klCoef;
    this.normalizer = new Normalizer(obsDim, this.env.numEnvs, this.hyperparameters.gamma, o.normalize ?? {});
    this.rng = new Random(this.seed);
    this.policy = new ActorCriticPolicy(obsDim, head, this.hyperparameters.policyKwargs, this.rng.spawn());
    this.params = this.policy.getFlatParams();
    this.optimizer = new Adam(this.params.length, {
      learningRate: scheduleValue(this.hyperparameters.learningRate, 1),
      epsilon: 1e-5,
    });
    this.buffer = new RolloutBuffer(
      this.hyperparameters.nSteps,
      this.env.numEnvs,
      obsDim,
      this.policy.actionSize,
    );
  }

  /**
   * Creates a PPO agent (initializing tfjs first).
   * @throws TypeError/RangeError for an invalid env, an unsupported action space (only Discrete) or
   *   an invalid hyperparameter, naming it with the expected and actual value.
   */
  static async create(options: PpoOptions): Promise<PPO> {
    const backend = await initTf(options?.tfBackend ?? 'auto');
    return new PPO(options, backend);
  }

  /**
   * Trains for `totalTimesteps` environment steps. Callbacks run after every iteration; one that
   * returns `false` stops training.
   * @returns this agent.
   * @throws RangeError when totalTimesteps is not a positive integer; Error when a loss or
   *   observation becomes NaN (training never continues on NaN).
   */
  async learn({ totalTimesteps, callback, resetNumTimesteps = true }: LearnOptions): Promise<this> {
    if (!Number.isInteger(totalTimesteps) || totalTimesteps <= 0) {
      throw new RangeError(`totalTimesteps must be a positive integer, got ${String(totalTimesteps)}`);
    }
    const callbacks = toCallbacks(callback);
    if (resetNumTimesteps || this.lastObs === null) {
      this.numTimesteps = resetNumTimesteps ? 0 : this.numTimesteps;
      this.lastObs = this.env.reset({ seed: this.seed }).observations.slice();
    }
    this.startTimesteps = this.numTimesteps;
    // as SB3: schedules run over [0, numTimesteps + totalTimesteps] when continuing
    this.totalForSchedule = this.numTimesteps + totalTimesteps;
    for (const c of callbacks)
      await c.onTrainingStart?.({ totalTimesteps, model: this, numTimesteps: this.numTimesteps });
    const stepsPerIteration = this.hyperparameters.nSteps * this.env.numEnvs;
    let ctx: TrainingContext | null = null;
    const t0 = performance.now();
    while (this.numTimesteps - this.startTimesteps < totalTimesteps) {
      const finished = this.collectRollout();
      this.numTimesteps += stepsPerIteration;
      const train = this.train();
      this.iterations++;
      const elapsed = (performance.now() - t0) / 1000;
      const metrics: Record<string, number> = {
        'rollout/ep_rew_mean': this.episodes.meanReturn(),
        'rollout/ep_len_mean': this.episodes.meanLength(),
        'time/fps': (this.numTimesteps - this.startTimesteps) / elapsed,
        'time/iterations': this.iterations,
        'time/time_elapsed': elapsed,
        'time/total_timesteps': this.numTimesteps,
        'time/episodes': this.episodes.totalEpisodes,
        ...train,
      };
      ctx = {
        model: this,
        numTimesteps: this.numTimesteps,
        iteration: this.iterations,
        metrics,
        episodeReturns: finished.returns,
        episodeLengths: finished.lengths,
      };
      let stop = false;
      for (const c of callbacks) if ((await c.onIterationEnd?.(ctx)) === false) stop = true;
      if (stop) break;
    }
    for (const c of callbacks) if (ctx) await c.onTrainingEnd?.(ctx);
    return this;
  }

  private progressRemaining(): number {
    return Math.max(0, 1 - this.numTimesteps / this.totalForSchedule);
  }

  /** Fills the rollout buffer with nSteps × numEnvs transitions; returns the episodes that ended. */
  private collectRollout(): { returns: number[]; lengths: number[] } {
    const { numSteps: T, numEnvs: N, obsDim: D, actionSize: A } = this.buffer;
    const b = this.buffer;
    const returns: number[] = [];
    const lengths: number[] = [];
    this.policy.syncInference();
    let obs = this.lastObs!;
    const finalRows: number[] = [];
    const dones = new Uint8Array(N);
    for (let t = 0; t < T; t++) {
      const obsIn = this.normalizer.observations(obs, true);
      b.observations.set(obsIn, t * N * D);
      const { actions, logProbs } = this.policy.act(obsIn, this.rng);
      b.actions.set(actions, t * N * A);
      b.logProbs.set(logProbs, t * N);
      this.policy.predictValues(obsIn, b.values.subarray(t * N, t * N + N));
      const res = this.env.step(envActions(this.policy.head, actions));
      for (let i = 0; i < N; i++) dones[i] = res.terminated[i] | res.truncated[i];
      b.rewards.set(this.normalizer.rewards(res.rewards, dones), t * N);
      b.terminated.set(res.terminated, t * N);
      b.truncated.set(res.truncated, t * N);
      const infos = res.infos as Record<string, unknown>;
      const mask = infos.finalObservationMask as Uint8Array | undefined;
      const finalObs = infos.finalObservation as Float32Array | undefined;
      finalRows.length = 0;
      for (let i = 0; i < N; i++) if (res.truncated[i] && !res.terminated[i]) finalRows.push(i);
      if (finalRows.length > 0) {
        if (!mask || !finalObs)
          throw new Error('env did not report infos.finalObservation for a truncated episode');
        const rows = new Float32Array(finalRows.length * D);
        finalRows.forEach((i, j) => {
          rows.set(finalObs.subarray(i * D, i * D + D), j * D);
        });
        const v = this.policy.predictValues(this.normalizer.observations(rows, false));
        finalRows.forEach((i, j) => {
          b.nextValues[t * N + i] = v[j];
        });
      }
      const epMask = infos._episode as Uint8Array | undefined;
      const ep = infos.episode as { r: ArrayLike<number>; l: ArrayLike<number> } | undefined;
      if (epMask && ep) {
        for (let i = 0; i < N; i++) {
          if (!epMask[i]) continue;
          this.episodes.push(ep.r[i], ep.l[i]);
          returns.push(ep.r[i]);
          lengths.push(ep.l[i]);
        }
      }
      obs = res.observations.slice();
      for (let i = 0; i < obs.length; i++) {
        if (Number.isNaN(obs[i]))
          throw new Error(
            `observation ${i % D} of env ${Math.floor(i / D)} is NaN at step ${this.numTimesteps + t * N}`,
          );
      }
    }
    this.lastObs = obs;
    const last = this.policy.predictValues(this.normalizer.observations(obs, false));
    for (let t = 0; t < T; t++) {
      for (let i = 0; i < N; i++) {
        const k = t * N + i;
        if (b.terminated[k] || b.truncated[k]) continue; // terminated: unused; truncated: set above
        b.nextValues[k] = t + 1 < T ? b.values[k + N] : last[i];
      }
    }
    const h = this.hyperparameters;
    const res = gae({
      rewards: b.rewards,
      values: b.values,
      nextValues: b.nextValues,
      terminated: b.terminated,
      truncated: b.truncated,
      numEnvs: N,
      gamma: h.gamma,
      lambda: h.gaeLambda,
    });
    b.advantages = res.advantages;
    b.returns = res.returns;
    return { returns, lengths };
  }

  /** nEpochs passes of shuffled minibatches over the buffer; returns SB3-named training scalars. */
  private train(): Record<string, number> {
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
    };
  }

  /** Hyperparameters as JSON (schedules as numbers or "lin_x"), for run configs. */
  describeHyperparameters(): Record<string, unknown> {
    return serializePpoHyperparameters(this.hyperparameters);
  }

  /**
   * Actions for a batch of observations float32 [batch, obsDim] (a single observation is a batch of 1).
   * @param deterministic take the most likely action (the mean for Gaussian policies) instead of sampling (default false).
   * @returns for discrete spaces int32 [batch] (Discrete) or [batch, nvec.length] (MultiDiscrete);
   *   for Box float32 [batch, dim] clipped to the action bounds.
   * @throws TypeError/RangeError when observation is not a Float32Array of a positive multiple of obsDim.
   */
  predict(
    observation: Float32Array,
    { deterministic = false }: { deterministic?: boolean } = {},
  ): Int32Array | Float32Array {
    if (!(observation instanceof Float32Array)) {
      throw new TypeError(
        `observation must be a Float32Array, got ${Object.prototype.toString.call(observation)}`,
      );
    }
    if (observation.length === 0 || observation.length % this.policy.obsDim !== 0) {
      throw new RangeError(
        `observation has length ${observation.length}, expected a positive multiple of obsDim = ${this.policy.obsDim}`,
      );
    }
    const obs = this.normalizer.observations(observation, false);
    return envActions(this.policy.head, this.policy.act(obs, this.rng, deterministic).actions);
  }

  /**
   * Saves the whole agent to `dir` (created if missing): `proximal.json` (algorithm, env id,
   * hyperparameters, network shapes, action head, counters, Adam's step count) and `tensors.bin`
   * (policy parameters and Adam's moment estimates) — enough to continue training with `load`.
   */
  async save(dir: string): Promise<void> {
    await writeCheckpoint(
      dir,
      {
        algorithm: 'PPO',
        envId: this.envId,
        numEnvs: this.env.numEnvs,
        seed: this.seed,
        numTimesteps: this.numTimesteps,
        iterations: this.iterations,
        observationDim: this.policy.obsDim,
        actionHead: headToJSON(this.policy.head),
        hyperparameters: serializePpoHyperparameters(this.hyperparameters),
        klCoef: this.klCoef,
        normalization: this.normalizer.toJSON(),
        network: { actor: this.policy.actor.layers, critic: this.policy.critic.layers },
        optimizer: this.optimizer.toJSON(),
      },
      [
        { name: 'params', data: this.params },
        { name: 'adam.m', data: this.optimizer.m },
        { name: 'adam.v', data: this.optimizer.v },
      ],
    );
  }

  /**
   * Loads an agent saved by {@link PPO.save}, ready to predict or to continue training
   * (`learn({ totalTimesteps, resetNumTimesteps: false })`). The env defaults to the saved env id
   * with the saved numEnvs.
   * @throws Error when `dir` does not hold a Proximal model, holds another algorithm's, a newer
   *   format version, or parameters whose size does not match the saved network.
   */
  static async load(dir: string, options: Partial<PpoOptions> = {}): Promise<PPO> {
    const { meta, tensors } = await readCheckpoint(dir, 'PPO');
    const env = options.env ?? (meta.envId as string | null);
    if (!env) throw new Error(`${dir} was saved without an env id; pass options.env`);
    const norm = meta.normalization as (NormalizationOptions & Parameters<Normalizer['load']>[0]) | undefined;
    const model = await PPO.create({
      ...deserializePpoHyperparameters(meta.hyperparameters as Record<string, unknown>),
      ...(norm ? { normalize: norm } : {}),
      numEnvs: meta.numEnvs as number,
      seed: meta.seed as number,
      ...options,
      env,
    });
    const params = tensors.get('params');
    if (!params || params.length !== model.params.length) {
      throw new Error(
        `${dir} holds ${params?.length ?? 0} policy parameters, but the network built from its config has ${model.params.length}`,
      );
    }
    model.params.set(params);
    model.policy.setFlatParams(model.params);
    model.policy.syncInference();
    const m = tensors.get('adam.m');
    const v = tensors.get('adam.v');
    if (m && v && m.length === params.length && v.length === params.length) {
      model.optimizer.m.set(m);
      model.optimizer.v.set(v);
      model.optimizer.t = (meta.optimizer as { t?: number } | undefined)?.t ?? 0;
    }
    if (norm) model.normalizer.load(norm);
    model.numTimesteps = meta.numTimesteps as number;
    model.iterations = (meta.iterations as number | undefined) ?? 0;
    model.klCoef = (meta.klCoef as number | undefined) ?? model.hyperparameters.klCoef;
    return model;
  }

  /** Releases the tfjs variables and the env. */
  dispose(): void {
    this.policy.dispose();
    this.env.close();
  }
}

/**
 * Converts policy actions (float32 [batch, actionSize]) into what the env takes: int32 indices for
 * discrete heads; for Box, the Gaussian sample clipped to the bounds (SB3 clips too; the unclipped
 * sample is what the buffer stores and the log-probability refers to).
 */
export function envActions(head: ActionHead, actions: Float32Array): Int32Array | Float32Array {
  if (head.kind === 'categorical') return Int32Array.from(actions);
  const out = new Float32Array(actions.length);
  for (let i = 0; i < actions.length; i++) {
    const j = i % head.dim;
    const a = actions[i];
    out[i] = a < head.low[j] ? head.low[j] : a > head.high[j] ? head.high[j] : a;
  }
  return out;
}
