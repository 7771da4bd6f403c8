import { gae, Random } from '@proximal/core';
import { makeVec, type VectorEnv } from '@proximal/envs';
import { type ActionHead, headFromSpace, headToJSON } from '../policies/action-head.js';
import { ActorCriticPolicy, type PolicyKwargs } from '../policies/actor-critic.js';
import type { TfBackend } from '../tf.js';
import { type CallbackLike, type TrainingContext, toCallbacks } from './callbacks.js';
import { readCheckpoint, type StoredTensor, writeCheckpoint } from './checkpoint.js';
import { EpisodeTracker } from './episode-tracker.js';
import { type NormalizationOptions, Normalizer } from './normalization.js';
import { RolloutBuffer } from './rollout-buffer.js';
import { describeVecEnv } from './spaces.js';

/** Hyperparameters every on-policy algorithm has (SB3's names, camelCase). */
export interface OnPolicyHyperparameters {
  nSteps: number;
  gamma: number;
  gaeLambda: number;
  /** Generalized State-Dependent Exploration for Box action spaces (see {@link ActorCriticPolicy}). */
  useSde: boolean;
  /** With gSDE: draw a new noise matrix every this many steps; ≤ 0: only at the start of each rollout. */
  sdeSampleFreq: number;
  policyKwargs: PolicyKwargs;
}

/** Constructor options shared by the on-policy algorithms. */
export interface OnPolicyOptions {
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

/** Options of `learn`. */
export interface LearnOptions {
  /** Environment steps to take (summed over envs), rounded up to whole rollouts. */
  totalTimesteps: number;
  callback?: CallbackLike;
  /**
   * Start the step counter (and so the schedules' progress) from 0 (default true, as SB3). With
   * false, the counter continues and the schedules run over [0, numTimesteps + totalTimesteps]: to
   * resume an interrupted `learn({ totalTimesteps: T })` from a checkpoint, `load` it and call
   * `learn({ totalTimesteps: T - model.numTimesteps, resetNumTimesteps: false })` (T is also saved,
   * as `model.targetTimesteps`).
   */
  resetNumTimesteps?: boolean;
}

/**
 * The part of PPO, TRPO and their family that is the same (SB3's `OnPolicyAlgorithm`): the vector
 * env in same-step autoreset mode, rollouts of `nSteps` per env into a time-major buffer with
 * truncated episodes bootstrapped from the value of their final observation, GAE(γ, λ) through
 * `@proximal/core`, episode statistics, normalization, callbacks, `predict` and checkpoints.
 * Subclasses implement `train()`, one policy/value update on the filled buffer.
 */
export abstract class OnPolicyAlgorithm<H extends OnPolicyHyperparameters> {
  readonly env: VectorEnv;
  readonly envId: string | null;
  readonly hyperparameters: H;
  readonly seed: number;
  readonly policy: ActorCriticPolicy;
  readonly tfBackend: string;
  numTimesteps = 0;
  iterations = 0;
  readonly episodes = new EpisodeTracker(100);
  /** Observation/reward normalization (SB3's VecNormalize semantics), off unless asked for. */
  readonly normalizer: Normalizer;
  protected readonly rng: Random;
  protected readonly buffer: RolloutBuffer;
  protected lastObs: Float32Array | null = null;
  private totalForSchedule = 1;
  private startTimesteps = 0;

  /**
   * The step count at which the current (or last) `learn` call ends and over which the schedules
   * run (progress remaining = 1 − numTimesteps / targetTimesteps). Saved in checkpoints; 1 before
   * any `learn`.
   */
  get targetTimesteps(): number {
    return this.totalForSchedule;
  }

  protected constructor(
    readonly algorithm: string,
    o: OnPolicyOptions,
    resolve: (numEnvs: number) => H,
    tfBackend: string,
  ) {
    if (o === null || typeof o !== 'object') throw new TypeError(`${algorithm} options must be an object`);
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
          `env.autoresetMode must be 'same-step' (${algorithm} bootstraps truncated episodes from the final observation), got '${this.env.autoresetMode}'`,
        );
      }
    }
    const { obsDim } = describeVecEnv(this.env, algorithm);
    const head = headFromSpace(this.env.singleActionSpace, algorithm);
    this.hyperparameters = resolve(this.env.numEnvs);
    this.normalizer = new Normalizer(obsDim, this.env.numEnvs, this.hyperparameters.gamma, o.normalize ?? {});
    this.rng = new Random(this.seed);
    this.policy = new ActorCriticPolicy(obsDim, head, this.hyperparameters.policyKwargs, this.rng.spawn(), {
      useSde: this.hyperparameters.useSde,
    });
    this.buffer = new RolloutBuffer(
      this.hyperparameters.nSteps,
      this.env.numEnvs,
      obsDim,
      this.policy.actionSize,
    );
  }

  /** One update on the filled rollout buffer; returns SB3-named training scalars. */
  protected abstract train(): Record<string, number>;

  /** Hyperparameters as JSON (schedules as numbers or "lin_x"), for run configs and checkpoints. */
  abstract describeHyperparameters(): Record<string, unknown>;

  /** Saves the whole agent to a directory (see the subclass). */
  abstract save(dir: string): Promise<void>;

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
      // A loaded agent continuing (numTimesteps > 0) starts from a fresh reset: the envs' own state
      // (physical state, RNG, episode in progress) is not in checkpoints. Its seed differs from the
      // first reset's so that the resumed run does not replay the same initial states.
      this.lastObs = this.env.reset({ seed: this.seed + this.numTimesteps }).observations.slice();
      this.normalizer.resetReturns(); // the episodes start over (SB3's VecNormalize.reset)
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

  /** SB3's `train/std`: the mean of exp(log-std) for Gaussian policies (nothing for discrete ones). */
  protected stdMetric(): Record<string, number> {
    if (!this.policy.logStd) return {};
    const l = this.policy.logStd.dataSync() as Float32Array;
    let s = 0;
    for (const x of l) s += Math.exp(x);
    return { 'train/std': s / l.length };
  }

  protected progressRemaining(): number {
    return Math.max(0, 1 - this.numTimesteps / this.totalForSchedule);
  }

  /** Fills the rollout buffer with nSteps × numEnvs transitions; returns the episodes that ended. */
  protected collectRollout(): { returns: number[]; lengths: number[] } {
    const { numSteps: T, numEnvs: N, obsDim: D, actionSize: A } = this.buffer;
    const b = this.buffer;
    const returns: number[] = [];
    const lengths: number[] = [];
    this.policy.syncInference();
    let obs = this.lastObs!;
    const finalRows: number[] = [];
    const dones = new Uint8Array(N);
    const { useSde, sdeSampleFreq } = this.hyperparameters;
    for (let t = 0; t < T; t++) {
      // gSDE: new exploration matrices at the start of the rollout and every sdeSampleFreq steps (SB3)
      if (useSde && (t === 0 || (sdeSampleFreq > 0 && t % sdeSampleFreq === 0))) {
        this.policy.resetNoise(N, this.rng);
      }
      const obsIn = this.normalizer.observations(obs, true);
      b.observations.set(obsIn, t * N * D);
      const { actions, logProbs } = this.policy.act(obsIn, this.rng);
      b.actions.set(actions, t * N * A);
      b.logProbs.set(logProbs, t * N);
      this.policy.predictValues(obsIn, b.values.subarray(t * N, t * N + N));
      const res = this.env.step(envActions(this.policy.head, actions));
      for (let i = 0; i < N; i++) dones[i] = res.terminated[i] | res.truncated[i];
      for (let i = 0; i < N; i++) {
        if (!Number.isFinite(res.rewards[i]))
          throw new Error(`reward of env ${i} is ${res.rewards[i]} at step ${this.numTimesteps + t * N}`);
      }
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

  /** Metadata and tensors every checkpoint holds; subclasses add their optimizer state. */
  protected async saveCheckpoint(
    dir: string,
    meta: Record<string, unknown>,
    tensors: StoredTensor[],
  ): Promise<void> {
    await writeCheckpoint(
      dir,
      {
        algorithm: this.algorithm,
        envId: this.envId,
        numEnvs: this.env.numEnvs,
        seed: this.seed,
        numTimesteps: this.numTimesteps,
        iterations: this.iterations,
        observationDim: this.policy.obsDim,
        actionHead: headToJSON(this.policy.head),
        hyperparameters: this.describeHyperparameters(),
        network: { actor: this.policy.actor.layers, critic: this.policy.critic.layers },
        normalization: this.normalizer.toJSON(),
        // resume state: the algorithm's RNG, the schedules' horizon and the episode statistics
        rng: this.rng.getState(),
        targetTimesteps: this.totalForSchedule,
        episodes: this.episodes.toJSON(),
        ...meta,
      },
      [{ name: 'params', data: this.policy.getFlatParams() }, ...tensors],
    );
  }

  /**
   * Reads a checkpoint and the options to rebuild its agent with (`create` then {@link restore}).
   * @throws Error as `readCheckpoint`, or when it was saved without an env id and none is given.
   */
  protected static async readForLoad(
    dir: string,
    algorithm: string,
    options: Partial<OnPolicyOptions>,
  ): Promise<{
    meta: Record<string, unknown>;
    tensors: Map<string, Float32Array>;
    createOptions: OnPolicyOptions & Record<string, unknown>;
  }> {
    const { meta, tensors } = await readCheckpoint(dir, algorithm);
    const env = options.env ?? (meta.envId as string | null);
    if (!env) throw new Error(`${dir} was saved without an env id; pass options.env`);
    const norm = meta.normalization as NormalizationOptions | undefined;
    return {
      meta,
      tensors,
      createOptions: {
        numEnvs: meta.numEnvs as number,
        seed: meta.seed as number,
        ...(norm ? { normalize: norm } : {}),
        ...options,
        env,
      },
    };
  }

  /**
   * Restores parameters, counters, normalization statistics, the RNG
   * state, the schedules' horizon ({@link targetTimesteps}) and the episode statistics from a
   * checkpoint; checkpoints written before the last four existed restore without them.
   * @throws Error when the saved parameters do not match the network built from the config;
   *   RangeError when the saved RNG, normalization or episode state is malformed.
   */
  protected restore(
    dir: string,
    meta: Record<string, unknown>,
    tensors: Map<string, Float32Array>,
  ): Float32Array {
    const params = tensors.get('params');
    if (!params || params.length !== this.policy.numParams) {
      throw new Error(
        `${dir} holds ${params?.length ?? 0} policy parameters, but the network built from its config has ${this.policy.numParams}`,
      );
    }
    this.policy.setFlatParams(params);
    this.policy.syncInference();
    const norm = meta.normalization as Parameters<Normalizer['load']>[0] | undefined;
    if (norm) this.normalizer.load(norm);
    this.numTimesteps = meta.numTimesteps as number;
    this.iterations = (meta.iterations as number | undefined) ?? 0;
    const rng = meta.rng as Parameters<Random['setState']>[0] | undefined;
    if (rng !== undefined) this.rng.setState(rng);
    const episodes = meta.episodes as Parameters<EpisodeTracker['load']>[0] | undefined;
    if (episodes !== undefined) this.episodes.load(episodes);
    const target = meta.targetTimesteps;
    this.totalForSchedule =
      typeof target === 'number' && Number.isFinite(target) && target > 0
        ? target
        : Math.max(1, this.numTimesteps);
    return params;
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
