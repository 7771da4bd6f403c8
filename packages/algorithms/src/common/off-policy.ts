/**
 * `OffPolicyAlgorithm`: what DQN (and later off-policy methods) share.
 *
 * Source: Stable-Baselines3 `common/off_policy_algorithm.py` (`collect_rollouts`: `learning_starts`
 * steps of uniformly random actions, `train_freq` env steps then `gradient_steps` updates once
 * `num_timesteps > learning_starts`, `_store_transition` with the final observation of ended
 * episodes) and `common/buffers.py` (`ReplayBuffer`, `handle_timeout_termination`).
 */
import { Random } from '@proximal/core';
import { makeVec, type VectorEnv } from '@proximal/envs';
import { type CallbackLike, type TrainingContext, toCallbacks } from './callbacks.js';
import { type StoredTensor, writeCheckpoint } from './checkpoint.js';
import { EpisodeTracker } from './episode-tracker.js';
import type { OffPolicyHyperparameters } from './hyperparameters.js';
import { Normalizer } from './normalization.js';
import { checkEnvOption, NORMALIZE_KEYS, ON_POLICY_OPTION_KEYS, type OnPolicyOptions } from './on-policy.js';
import { checkKnownKeys } from './options.js';
import { checkReplayBufferSize, ReplayBuffer, type ReplayBufferState } from './replay-buffer.js';
import { type ObservationEncoder, observationEncoder, parseObservation } from './spaces.js';

export type { OffPolicyHyperparameters } from './hyperparameters.js';

/**
 * Constructor options shared by the off-policy algorithms: those of the on-policy ones (`env`,
 * `numEnvs`, `seed`, `tfBackend`, `normalize`), with the same meaning.
 */
export type OffPolicyOptions = OnPolicyOptions;

/** Options of `learn` (as the on-policy algorithms'). */
export interface OffPolicyLearnOptions {
  /** Environment steps to take (summed over envs), rounded up to whole training phases (`trainFreq` vector steps). */
  totalTimesteps: number;
  callback?: CallbackLike;
  /**
   * Start the step counter (and so the schedules and ε) from 0 (default true, as SB3). With false
   * the counter continues: to resume an interrupted `learn({ totalTimesteps: T })`, `load` the
   * checkpoint and call `learn({ totalTimesteps: T - model.numTimesteps, resetNumTimesteps: false })`.
   */
  resetNumTimesteps?: boolean;
}

/** Options of `save`. */
export interface OffPolicySaveOptions {
  /**
   * Also save the replay buffer's filled part (SB3's `save_replay_buffer`), so that a loaded agent
   * continues training exactly as without the interruption. Default false (the buffer can be large).
   */
  saveReplayBuffer?: boolean;
}

/**
 * The part of the off-policy algorithms that is the same (SB3's `OffPolicyAlgorithm`): the vector
 * env in same-step autoreset mode; each iteration takes `trainFreq` vector-env steps (uniformly
 * random actions for the first `learningStarts` steps, then the subclass's exploring actions),
 * stores every transition in the {@link ReplayBuffer} with the final observation of each ended
 * episode as its next observation and done = terminated (a truncated episode bootstraps), then,
 * once `numTimesteps > learningStarts`, calls the subclass's `train(gradientSteps, batchSize)`.
 * Episode statistics, normalization (raw observations are stored; observations and rewards are
 * normalized when sampled, as SB3's `_normalize_obs` / `_normalize_reward`), callbacks,
 * `predict`, checkpoints and resume work as in the on-policy algorithms.
 */
export abstract class OffPolicyAlgorithm<H extends OffPolicyHyperparameters> {
  readonly env: VectorEnv;
  readonly envId: string | null;
  readonly hyperparameters: H;
  readonly seed: number;
  readonly tfBackend: string;
  /** Environment steps taken (all envs together). */
  numTimesteps = 0;
  /** Iterations (collection of `trainFreq` steps + training) completed. */
  iterations = 0;
  /** Vector-env steps taken over the agent's life (SB3's `_n_calls`; not reset by `learn`). */
  numCalls = 0;
  readonly episodes = new EpisodeTracker(100);
  /** Observation/reward normalization (SB3's VecNormalize semantics), off unless asked for. */
  readonly normalizer: Normalizer;
  /** Raw env observations → network features (one-hot for Discrete/MultiDiscrete spaces, as SB3). */
  readonly observationEncoder: ObservationEncoder;
  /** The transitions collected, raw observations as the env gives them. */
  readonly replayBuffer: ReplayBuffer;
  protected readonly rng: Random;
  protected lastObs: Float32Array | null = null;
  private totalForSchedule = 1;
  private startTimesteps = 0;

  /** See the on-policy `targetTimesteps`: the step count at which the current (or last) `learn` ends. */
  get targetTimesteps(): number {
    return this.totalForSchedule;
  }

  /**
   * Validates everything before allocating anything: unknown option keys (with the camelCase or
   * closest known name suggested), `env` and `numEnvs`, every hyperparameter (`resolve`), the
   * action space (`checkActionSpace`) and the replay buffer's size; only then creates the env (for
   * an env id), the normalizer and the buffer. The subclass builds its networks after this.
   * @param defaults the algorithm's hyperparameter defaults (their keys are the accepted hyperparameter names).
   * @param resolve merges and validates the hyperparameters for a number of envs.
   * @param checkActionSpace validates the env's single action space and returns the values per stored action.
   * @throws TypeError/RangeError naming the bad option, its value and what was expected.
   */
  protected constructor(
    readonly algorithm: string,
    o: OffPolicyOptions,
    defaults: H,
    resolve: (numEnvs: number) => H,
    tfBackend: string,
    checkActionSpace: (space: unknown) => number,
  ) {
    if (o === null || typeof o !== 'object') throw new TypeError(`${algorithm} options must be an object`);
    checkKnownKeys(o, [...ON_POLICY_OPTION_KEYS, ...Object.keys(defaults)], `${algorithm} options`);
    if (o.normalize !== undefined) {
      if (o.normalize === null || typeof o.normalize !== 'object')
        throw new TypeError(`normalize must be an object, got ${JSON.stringify(o.normalize)}`);
      checkKnownKeys(o.normalize, NORMALIZE_KEYS, 'normalize');
    }
    const numEnvs = checkEnvOption(o, algorithm);
    this.hyperparameters = resolve(numEnvs);
    this.seed = o.seed ?? Math.floor(Math.random() * 2 ** 31);
    this.tfBackend = tfBackend;
    if (typeof o.env === 'string') {
      this.envId = o.env;
      this.env = makeVec(o.env, { numEnvs, autoresetMode: 'same-step' });
    } else {
      this.env = o.env;
      this.envId = (o.env as { spec?: { id?: string } }).spec?.id ?? null;
      if (this.env.autoresetMode !== 'same-step') {
        throw new RangeError(
          `env.autoresetMode must be 'same-step' (${algorithm} stores the final observation of ended episodes), got '${this.env.autoresetMode}'`,
        );
      }
    }
    this.observationEncoder = observationEncoder(this.env.singleObservationSpace, algorithm);
    const actionDim = checkActionSpace(this.env.singleActionSpace);
    const h = this.hyperparameters;
    const rawDim = this.observationEncoder.rawDim;
    checkReplayBufferSize(h.bufferSize, this.env.numEnvs, rawDim, actionDim, h.optimizeMemoryUsage);
    this.normalizer = new Normalizer(
      this.observationEncoder.featureDim,
      this.env.numEnvs,
      h.gamma,
      o.normalize ?? {},
    );
    this.rng = new Random(this.seed);
    this.replayBuffer = new ReplayBuffer({
      bufferSize: h.bufferSize,
      obsDim: rawDim,
      actionDim,
      numEnvs: this.env.numEnvs,
      optimizeMemoryUsage: h.optimizeMemoryUsage,
    });
  }

  /**
   * Actions for a batch of network features float32 [batch, featureDim], float32 [batch, actionDim]:
   * the exploring ones in training (`deterministic` false), the greedy ones otherwise.
   */
  protected abstract act(features: Float32Array, deterministic: boolean): Float32Array;

  /** `n` actions drawn uniformly from the action space (the first `learningStarts` steps), float32 [n, actionDim]. */
  protected abstract randomActions(n: number): Float32Array;

  /** Stored actions float32 [batch, actionDim] → what `VectorEnv.step` / `Env.step` take. */
  protected abstract envActions(actions: Float32Array): Int32Array | Float32Array;

  /** `gradientSteps` updates on batches of `batchSize` sampled transitions; returns SB3-named training scalars. */
  protected abstract train(gradientSteps: number, batchSize: number): Record<string, number>;

  /** Called after every vector-env step with the counters updated (SB3's `_on_step`: ε, target updates). */
  protected onStep(): void {}

  /** Scalars the subclass adds to every iteration's metrics (e.g. `rollout/exploration_rate`). */
  protected rolloutMetrics(): Record<string, number> {
    return {};
  }

  /** Hyperparameters as JSON (schedules as numbers or "lin_x"), for run configs and checkpoints. */
  abstract describeHyperparameters(): Record<string, unknown>;

  /** Saves the agent to a directory (see the subclass). */
  abstract save(dir: string, options?: OffPolicySaveOptions): Promise<void>;

  /** 1 at the start of `learn`, 0 at its end (SB3's `_current_progress_remaining`). */
  protected progressRemaining(): number {
    return Math.max(0, 1 - this.numTimesteps / this.totalForSchedule);
  }

  /** Raw observations float32 [batch, rawDim] → normalized network features (no statistics update). */
  protected features(raw: Float32Array): Float32Array {
    return this.normalizer.observations(this.observationEncoder.encode(raw), false);
  }

  /**
   * Trains for `totalTimesteps` environment steps. Callbacks run after every iteration (`trainFreq`
   * vector steps and the training that follows); one that returns `false` stops training.
   * @returns this agent.
   * @throws RangeError when totalTimesteps is not a positive integer; Error when a reward or
   *   observation is NaN or a loss becomes non-finite (training never continues on NaN).
   */
  async learn({ totalTimesteps, callback, resetNumTimesteps = true }: OffPolicyLearnOptions): Promise<this> {
    if (!Number.isInteger(totalTimesteps) || totalTimesteps <= 0) {
      throw new RangeError(`totalTimesteps must be a positive integer, got ${String(totalTimesteps)}`);
    }
    const callbacks = toCallbacks(callback);
    if (resetNumTimesteps || this.lastObs === null) {
      this.numTimesteps = resetNumTimesteps ? 0 : this.numTimesteps;
      // as the on-policy algorithms: a loaded agent restarts its envs from a reset whose seed differs
      this.lastObs = this.env.reset({ seed: this.seed + this.numTimesteps }).observations.slice();
      this.replayBuffer.markEpisodeBoundary(); // the stored episodes do not continue from this reset
      this.normalizer.resetReturns();
    }
    this.startTimesteps = this.numTimesteps;
    this.totalForSchedule = this.numTimesteps + totalTimesteps;
    for (const c of callbacks)
      await c.onTrainingStart?.({ totalTimesteps, model: this, numTimesteps: this.numTimesteps });
    const h = this.hyperparameters;
    const N = this.env.numEnvs;
    let ctx: TrainingContext | null = null;
    const t0 = performance.now();
    while (this.numTimesteps - this.startTimesteps < totalTimesteps) {
      const finished = this.collect(h.trainFreq);
      let train: Record<string, number> = {};
      if (this.numTimesteps > 0 && this.numTimesteps > h.learningStarts) {
        const steps = h.gradientSteps >= 0 ? h.gradientSteps : h.trainFreq * N;
        if (steps > 0) train = this.train(steps, h.batchSize);
      }
      this.iterations++;
      const elapsed = (performance.now() - t0) / 1000;
      const metrics: Record<string, number> = {
        'rollout/ep_rew_mean': this.episodes.meanReturn(),
        'rollout/ep_len_mean': this.episodes.meanLength(),
        ...this.rolloutMetrics(),
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

  /**
   * Takes `numSteps` vector-env steps, storing each transition (raw s, a, r, raw s', terminated) in
   * the replay buffer; s' is `infos.finalObservation` where an episode ended. Returns the episodes
   * that ended.
   */
  private collect(numSteps: number): { returns: number[]; lengths: number[] } {
    const h = this.hyperparameters;
    const N = this.env.numEnvs;
    const R = this.observationEncoder.rawDim;
    const returns: number[] = [];
    const lengths: number[] = [];
    const dones = new Uint8Array(N);
    let obs = this.lastObs!;
    for (let t = 0; t < numSteps; t++) {
      // statistics of the normalizer update on every observation seen in training (SB3's VecNormalize)
      const feats = this.normalizer.observations(this.observationEncoder.encode(obs), true);
      const actions = this.numTimesteps < h.learningStarts ? this.randomActions(N) : this.act(feats, false);
      const res = this.env.step(this.envActions(actions));
      for (let i = 0; i < N; i++) {
        if (!Number.isFinite(res.rewards[i]))
          throw new Error(`reward of env ${i} is ${res.rewards[i]} at step ${this.numTimesteps + i}`);
        dones[i] = res.terminated[i] | res.truncated[i];
      }
      this.normalizer.rewards(res.rewards, dones); // updates the return statistics; raw rewards are stored
      const next = res.observations.slice();
      for (let i = 0; i < next.length; i++) {
        if (Number.isNaN(next[i]))
          throw new Error(
            `observation ${i % R} of env ${Math.floor(i / R)} is NaN at step ${this.numTimesteps}`,
          );
      }
      const infos = res.infos as Record<string, unknown>;
      const mask = infos.finalObservationMask as Uint8Array | undefined;
      const finalObs = infos.finalObservation as Float32Array | undefined;
      const stored = next.slice();
      for (let i = 0; i < N; i++) {
        if (!dones[i]) continue;
        if (!mask?.[i] || !finalObs)
          throw new Error(`env ${i} ended an episode without reporting infos.finalObservation`);
        stored.set(finalObs.subarray(i * R, i * R + R), i * R);
      }
      this.replayBuffer.add(obs, stored, actions, res.rewards, res.terminated, res.truncated);
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
      obs = next;
      this.numTimesteps += N;
      this.numCalls++;
      this.onStep();
    }
    this.lastObs = obs;
    return { returns, lengths };
  }

  /**
   * The agent's action for one observation, or for a batch of them, in the form the env takes (as
   * SB3's `predict`; the single/batch rules of the on-policy algorithms' `predict`): a number for
   * one observation of a Discrete action space, else int32 [batch].
   * @param deterministic the greedy action; false (default, as SB3) explores as in training (DQN: ε-greedy with the current ε).
   * @throws TypeError/RangeError as `parseObservation`, or when a discrete observation is not in its space.
   */
  predict(
    observation: number | ArrayLike<number>,
    { deterministic = false }: { deterministic?: boolean } = {},
  ): number | Int32Array | Float32Array {
    const { raw, single } = parseObservation(observation, this.observationEncoder);
    const actions = this.envActions(this.act(this.features(raw), deterministic));
    return single && actions instanceof Int32Array && actions.length === 1 ? actions[0] : actions;
  }

  /**
   * Writes a checkpoint: the shared metadata (algorithm, env id, numEnvs, seed, counters,
   * observation size, hyperparameters, normalization, RNG state, the schedules' horizon, episode
   * statistics) with the subclass's `meta` and `tensors`, and the replay buffer when asked.
   */
  protected async saveCheckpoint(
    dir: string,
    meta: Record<string, unknown>,
    tensors: StoredTensor[],
    { saveReplayBuffer = false }: OffPolicySaveOptions = {},
  ): Promise<void> {
    if (typeof saveReplayBuffer !== 'boolean') {
      throw new TypeError(`saveReplayBuffer must be a boolean, got ${JSON.stringify(saveReplayBuffer)}`);
    }
    const replay = saveReplayBuffer ? this.replayBuffer.state() : null;
    await writeCheckpoint(
      dir,
      {
        algorithm: this.algorithm,
        envId: this.envId,
        numEnvs: this.env.numEnvs,
        seed: this.seed,
        numTimesteps: this.numTimesteps,
        iterations: this.iterations,
        numCalls: this.numCalls,
        observationDim: this.observationEncoder.featureDim,
        hyperparameters: this.describeHyperparameters(),
        normalization: this.normalizer.toJSON(),
        rng: this.rng.getState(),
        targetTimesteps: this.totalForSchedule,
        episodes: this.episodes.toJSON(),
        replayBuffer: replay?.meta ?? null,
        ...meta,
      },
      [...tensors, ...(replay?.tensors ?? [])],
    );
  }

  /**
   * Restores what {@link saveCheckpoint} wrote in common: counters, normalization statistics, the
   * RNG state, the schedules' horizon, the episode statistics and (when saved) the replay buffer.
   * The subclass restores its networks and optimizer.
   * @throws Error when the saved observation size differs from the env's, or the saved replay
   *   buffer does not fit this agent's (shapes named); RangeError for malformed saved state.
   */
  protected restore(dir: string, meta: Record<string, unknown>, tensors: Map<string, Float32Array>): void {
    const featureDim = this.observationEncoder.featureDim;
    if (typeof meta.observationDim === 'number' && meta.observationDim !== featureDim) {
      throw new Error(
        `${dir}/proximal.json: the model was trained on observations of size ${meta.observationDim}, but the env gives ${featureDim} (after one-hot encoding of discrete spaces)`,
      );
    }
    const norm = meta.normalization as Parameters<Normalizer['load']>[0] | undefined;
    if (norm) this.normalizer.load(norm);
    this.numTimesteps = meta.numTimesteps as number;
    this.iterations = (meta.iterations as number | undefined) ?? 0;
    this.numCalls = (meta.numCalls as number | undefined) ?? 0;
    const rng = meta.rng as Parameters<Random['setState']>[0] | undefined;
    if (rng !== undefined) this.rng.setState(rng);
    const episodes = meta.episodes as Parameters<EpisodeTracker['load']>[0] | undefined;
    if (episodes !== undefined) this.episodes.load(episodes);
    const target = meta.targetTimesteps;
    this.totalForSchedule =
      typeof target === 'number' && Number.isFinite(target) && target > 0
        ? target
        : Math.max(1, this.numTimesteps);
    const replay = meta.replayBuffer as ReplayBufferState['meta'] | null | undefined;
    if (replay) {
      try {
        this.replayBuffer.load(replay, tensors);
      } catch (err) {
        throw new Error(`${dir}: ${(err as Error).message} (load with the saved numEnvs and bufferSize)`);
      }
    }
  }

  /** Releases the env (the subclass releases its networks). */
  dispose(): void {
    this.env.close();
  }
}
