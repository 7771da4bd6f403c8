/**
 * `BaseAlgorithm`: what the on-policy ({@link OnPolicyAlgorithm}) and off-policy
 * ({@link OffPolicyAlgorithm}) algorithms share.
 *
 * Source: Stable-Baselines3 `common/base_class.py` (`BaseAlgorithm`: env and vector-env setup,
 * seeding, `learn`'s `_setup_learn` with `reset_num_timesteps`, `_current_progress_remaining`,
 * callbacks, `predict`, `save`/`load`) and `common/vec_env/vec_normalize.py` (normalization).
 */
import { Random } from '@proximal/core';
import { makeVec, type VectorEnv } from '@proximal/envs';
import type { TfBackend } from '../tf.js';
import { type CallbackLike, type TrainingContext, toCallbacks } from './callbacks.js';
import { readCheckpoint } from './checkpoint.js';
import { EpisodeTracker } from './episode-tracker.js';
import { MAX_NUM_ENVS, needPosInt } from './hyperparameters.js';
import { type NormalizationOptions, Normalizer } from './normalization.js';
import { checkKnownKeys } from './options.js';
import { type ObservationEncoder, observationEncoder, parseObservation } from './spaces.js';

/** Constructor options shared by the on- and off-policy algorithms. */
export interface BaseAlgorithmOptions {
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

/** Keys of {@link BaseAlgorithmOptions}; with the algorithm's hyperparameter names, the accepted option keys. */
export const ALGORITHM_OPTION_KEYS = ['env', 'numEnvs', 'seed', 'tfBackend', 'normalize'] as const;
/** Keys of {@link NormalizationOptions} accepted in `normalize`. */
export const NORMALIZE_KEYS = ['normObs', 'normReward', 'clipObs', 'clipReward', 'epsilon'] as const;

/** Options of `learn`. */
export interface LearnOptions {
  /**
   * Environment steps to take (summed over envs), rounded up to whole iterations (rollouts of
   * `nSteps` per env on-policy, `trainFreq` vector steps off-policy).
   */
  totalTimesteps: number;
  callback?: CallbackLike;
  /**
   * Start the step counter (and so the schedules' progress, and ε) from 0 (default true, as SB3).
   * With false, the counter continues and the schedules run over [0, numTimesteps + totalTimesteps]:
   * to resume an interrupted `learn({ totalTimesteps: T })` from a checkpoint, `load` it and call
   * `learn({ totalTimesteps: T - model.numTimesteps, resetNumTimesteps: false })` (T is also saved,
   * as `model.targetTimesteps`).
   */
  resetNumTimesteps?: boolean;
}

/** What one iteration of `learn` returns to {@link BaseAlgorithm.learn}. */
export interface IterationResult {
  /** Returns and lengths of the episodes that ended during the iteration. */
  finished: { returns: number[]; lengths: number[] };
  /** SB3-named training scalars (empty when nothing was trained). */
  train: Record<string, number>;
}

/**
 * The part of every deep RL algorithm that is the same (SB3's `BaseAlgorithm`): option-key checks,
 * the vector env in same-step autoreset mode (made from an env id, or given and checked), seeding,
 * the observation encoder, normalization, the RNG, the last observation, the schedules' horizon
 * (`targetTimesteps`), episode statistics, the `learn` loop with its callbacks and metrics,
 * `predict`, and the shared parts of checkpoints (`readForLoad`, metadata, restore).
 * {@link OnPolicyAlgorithm} (rollout buffer, GAE) and {@link OffPolicyAlgorithm} (replay buffer,
 * `trainFreq`, `gradientSteps`, `learningStarts`) extend it.
 */
export abstract class BaseAlgorithm<H extends { gamma: number }> {
  readonly env: VectorEnv;
  readonly envId: string | null;
  readonly hyperparameters: H;
  readonly seed: number;
  readonly tfBackend: string;
  /** Environment steps taken (all envs together). */
  numTimesteps = 0;
  /** Iterations (collection + training) completed. */
  iterations = 0;
  readonly episodes = new EpisodeTracker(100);
  /** Observation/reward normalization (SB3's VecNormalize semantics), off unless asked for. */
  readonly normalizer: Normalizer;
  /** Raw env observations → network features (one-hot for Discrete/MultiDiscrete spaces, as SB3). */
  readonly observationEncoder: ObservationEncoder;
  protected readonly rng: Random;
  protected lastObs: Float32Array | null = null;
  /** The schedules' horizon, see {@link targetTimesteps}. */
  protected totalForSchedule = 1;
  /** `numTimesteps` when the current `learn` call started. */
  protected startTimesteps = 0;

  /**
   * The step count at which the current (or last) `learn` call ends and over which the schedules
   * run (progress remaining = 1 − numTimesteps / targetTimesteps). Saved in checkpoints; 1 before
   * any `learn`.
   */
  get targetTimesteps(): number {
    return this.totalForSchedule;
  }

  /**
   * Validates the options before allocating anything: unknown option keys (with the camelCase or
   * closest known name suggested), `normalize`'s keys, `env` and `numEnvs`
   * (≤ {@link MAX_NUM_ENVS}), every hyperparameter (`resolve`); then creates the env (for an env
   * id) or checks the given one's autoreset mode, the observation encoder, runs `checkSizes` (the
   * subclass's size limits), and only then creates the normalizer and the RNG.
   * @param defaults the algorithm's hyperparameter defaults (their keys are the accepted hyperparameter names).
   * @param resolve merges and validates the hyperparameters for a number of envs.
   * @param sameStepReason why the algorithm needs same-step autoreset (part of the error message).
   * @param checkSizes validates the subclass's buffer and network sizes before anything is allocated.
   * @throws TypeError/RangeError naming the bad option, its value and what was expected.
   */
  protected constructor(
    readonly algorithm: string,
    o: BaseAlgorithmOptions,
    defaults: H,
    resolve: (numEnvs: number) => H,
    tfBackend: string,
    sameStepReason: string,
    checkSizes: (env: VectorEnv, encoder: ObservationEncoder, h: H) => void,
  ) {
    if (o === null || typeof o !== 'object') throw new TypeError(`${algorithm} options must be an object`);
    checkKnownKeys(o, [...ALGORITHM_OPTION_KEYS, ...Object.keys(defaults)], `${algorithm} options`);
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
          `env.autoresetMode must be 'same-step' (${algorithm} ${sameStepReason}), got '${this.env.autoresetMode}'`,
        );
      }
    }
    this.observationEncoder = observationEncoder(this.env.singleObservationSpace, algorithm);
    const h = this.hyperparameters;
    checkSizes(this.env, this.observationEncoder, h);
    this.normalizer = new Normalizer(
      this.observationEncoder.featureDim,
      this.env.numEnvs,
      h.gamma,
      o.normalize ?? {},
    );
    this.rng = new Random(this.seed);
  }

  /**
   * One iteration of `learn`: collect (counting the steps in `numTimesteps`) and train. Called
   * while fewer than `totalTimesteps` steps were taken in this `learn` call.
   */
  protected abstract learnIteration(): IterationResult;

  /**
   * The actions for a batch of normalized network features float32 [batch, featureDim], in the
   * form `VectorEnv.step` takes (see {@link predict}).
   */
  protected abstract predictActions(
    features: Float32Array,
    deterministic: boolean,
  ): Int32Array | Float32Array;

  /** Hyperparameters as JSON (schedules as numbers or "lin_x"), for run configs and checkpoints. */
  abstract describeHyperparameters(): Record<string, unknown>;

  /** Saves the agent to a directory (see the subclass; `options` as the subclass documents them). */
  abstract save(dir: string, options?: object): Promise<void>;

  /** Scalars the subclass adds to every iteration's metrics (e.g. `rollout/exploration_rate`). */
  protected rolloutMetrics(): Record<string, number> {
    return {};
  }

  /** 1 at the start of `learn`, 0 at its end (SB3's `_current_progress_remaining`). */
  protected progressRemaining(): number {
    return Math.max(0, 1 - this.numTimesteps / this.totalForSchedule);
  }

  /** Raw observations float32 [batch, rawDim] → normalized network features (no statistics update). */
  protected features(raw: Float32Array): Float32Array {
    return this.normalizer.observations(this.observationEncoder.encode(raw), false);
  }

  /**
   * Resets the envs into `lastObs` and the normalizer's running returns (the episodes start over,
   * SB3's `VecNormalize.reset`). A loaded agent continuing (numTimesteps > 0) starts from a fresh
   * reset: the envs' own state (physical state, RNG, episode in progress) is not in checkpoints.
   * Its seed (seed + numTimesteps) differs from the first reset's so that the resumed run does not
   * replay the same initial states.
   */
  protected resetEnvs(): void {
    this.lastObs = this.env.reset({ seed: this.seed + this.numTimesteps }).observations.slice();
    this.normalizer.resetReturns();
  }

  /**
   * Records the episodes that a vector-env step reports as ended (`infos._episode`, uint8
   * [numEnvs], and `infos.episode` `{ r, l }`, as Gymnasium's `RecordEpisodeStatistics`) in
   * {@link episodes} and appends their returns and lengths to `returns` and `lengths`.
   */
  protected recordEpisodes(infos: Record<string, unknown>, returns: number[], lengths: number[]): void {
    const epMask = infos._episode as Uint8Array | undefined;
    const ep = infos.episode as { r: ArrayLike<number>; l: ArrayLike<number> } | undefined;
    if (!epMask || !ep) return;
    for (let i = 0; i < this.env.numEnvs; i++) {
      if (!epMask[i]) continue;
      this.episodes.push(ep.r[i], ep.l[i]);
      returns.push(ep.r[i]);
      lengths.push(ep.l[i]);
    }
  }

  /**
   * Trains for `totalTimesteps` environment steps. Callbacks run after every iteration; one that
   * returns `false` stops training.
   * @returns this agent.
   * @throws RangeError when totalTimesteps is not a positive integer; Error when a reward,
   *   observation or loss becomes NaN (training never continues on NaN).
   */
  async learn({ totalTimesteps, callback, resetNumTimesteps = true }: LearnOptions): Promise<this> {
    if (!Number.isInteger(totalTimesteps) || totalTimesteps <= 0) {
      throw new RangeError(`totalTimesteps must be a positive integer, got ${String(totalTimesteps)}`);
    }
    const callbacks = toCallbacks(callback);
    if (resetNumTimesteps || this.lastObs === null) {
      this.numTimesteps = resetNumTimesteps ? 0 : this.numTimesteps;
      this.resetEnvs();
    }
    this.startTimesteps = this.numTimesteps;
    // as SB3: schedules run over [0, numTimesteps + totalTimesteps] when continuing
    this.totalForSchedule = this.numTimesteps + totalTimesteps;
    for (const c of callbacks)
      await c.onTrainingStart?.({ totalTimesteps, model: this, numTimesteps: this.numTimesteps });
    let ctx: TrainingContext | null = null;
    const t0 = performance.now();
    while (this.numTimesteps - this.startTimesteps < totalTimesteps) {
      const { finished, train } = this.learnIteration();
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
   * The agent's action for one observation, or for a batch of them, in the form the env takes
   * (as SB3's `predict`, which tells a single observation from a batch by its shape).
   *
   * A single observation is what a single `Env` returns: a `number` for a Discrete observation
   * space, else an array of the space's size (`obsDim` raw values; `number[]` or any typed array).
   * Its action is what that env's `step` accepts: a `number` for Discrete, an `Int32Array`
   * [nvec.length] for MultiDiscrete, a `Float32Array` [dim] for Box (clipped to the bounds).
   *
   * A batch is what a VectorEnv returns: a flat array of `batch × obsDim` values with batch > 1, or
   * any array for a Discrete observation space (whose single observation is a number). Its actions
   * are what `VectorEnv.step` accepts: int32 [batch] (Discrete), int32 [batch, nvec.length]
   * (MultiDiscrete) or float32 [batch, dim] (Box). An array of exactly `obsDim` values is a single
   * observation; with a one-env VectorEnv the Discrete action then comes back as a number
   * (`Int32Array.of(action)` makes it a batch).
   *
   * Discrete and MultiDiscrete observations are one-hot encoded first (SB3's `preprocess_obs`),
   * then normalized with the current statistics (not updated).
   * @param deterministic take the most likely action (the mean for Gaussian policies, the greedy
   *   one for DQN) instead of sampling / exploring as in training (default false, as SB3).
   * @throws TypeError when observation is neither a number nor an array of numbers; RangeError
   *   when its length is not a positive multiple of obsDim, or a discrete observation is not in its space.
   */
  predict(
    observation: number | ArrayLike<number>,
    { deterministic = false }: { deterministic?: boolean } = {},
  ): number | Int32Array | Float32Array {
    const { raw, single } = parseObservation(observation, this.observationEncoder);
    const actions = this.predictActions(this.features(raw), deterministic);
    return single && actions instanceof Int32Array && actions.length === 1 ? actions[0] : actions;
  }

  /** The checkpoint metadata every algorithm writes first: who and where (algorithm, env, seed) and the counters. */
  protected identityMeta(): Record<string, unknown> {
    return {
      algorithm: this.algorithm,
      envId: this.envId,
      numEnvs: this.env.numEnvs,
      seed: this.seed,
      numTimesteps: this.numTimesteps,
      iterations: this.iterations,
    };
  }

  /**
   * The checkpoint metadata of the resume state every algorithm writes: normalization, the
   * algorithm's RNG, the schedules' horizon and the episode statistics.
   */
  protected resumeMeta(): Record<string, unknown> {
    return {
      normalization: this.normalizer.toJSON(),
      rng: this.rng.getState(),
      targetTimesteps: this.totalForSchedule,
      episodes: this.episodes.toJSON(),
    };
  }

  /**
   * Reads a checkpoint and the options to rebuild its agent with (`create` then `restore`).
   * @throws Error as `readCheckpoint`, or when it was saved without an env id and none is given.
   */
  static async readForLoad(
    dir: string,
    algorithm: string,
    options: Partial<BaseAlgorithmOptions>,
  ): Promise<{
    meta: Record<string, unknown>;
    tensors: Map<string, Float32Array>;
    createOptions: BaseAlgorithmOptions & Record<string, unknown>;
  }> {
    const { meta, tensors } = await readCheckpoint(dir, algorithm);
    const env = options.env ?? (meta.envId as string | null);
    if (!env) {
      throw new Error(
        `${dir} was saved without an env id (trained on a custom env); pass options.env (a VectorEnv or an env id)`,
      );
    }
    const saved = meta.normalization as Record<string, unknown> | undefined;
    // the saved options only (the statistics are restored by `restore`)
    const norm = saved
      ? (Object.fromEntries(
          NORMALIZE_KEYS.filter((k) => saved[k] !== undefined).map((k) => [k, saved[k]]),
        ) as NormalizationOptions)
      : undefined;
    return {
      meta,
      tensors,
      createOptions: {
        // the saved numEnvs applies to an env id only; a given VectorEnv brings its own
        ...(typeof env === 'string' && options.numEnvs === undefined
          ? { numEnvs: meta.numEnvs as number }
          : {}),
        seed: meta.seed as number,
        ...(norm ? { normalize: norm } : {}),
        ...options,
        env,
      },
    };
  }

  /**
   * @throws Error when the saved observation size (`observationDim` in `proximal.json`) differs
   *   from the env's (after one-hot encoding), naming the file and both sizes.
   */
  protected checkSavedObservationDim(dir: string, meta: Record<string, unknown>): void {
    const featureDim = this.observationEncoder.featureDim;
    if (typeof meta.observationDim === 'number' && meta.observationDim !== featureDim) {
      throw new Error(
        `${dir}/proximal.json: the model was trained on observations of size ${meta.observationDim}, but the env gives ${featureDim} (after one-hot encoding of discrete spaces)`,
      );
    }
  }

  /**
   * Restores what {@link resumeMeta} and {@link identityMeta} wrote: normalization statistics, the
   * counters, the RNG state, the episode statistics and the schedules' horizon
   * ({@link targetTimesteps}); checkpoints written before the last three existed restore without
   * them (the horizon then is max(1, numTimesteps)).
   * @throws RangeError when the saved RNG, normalization or episode state is malformed.
   */
  protected restoreState(meta: Record<string, unknown>): void {
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
  }

  /** Releases the env (subclasses release their networks first). */
  dispose(): void {
    this.env.close();
  }
}

/**
 * Validates `env` and `numEnvs` before any env is created and returns the number of envs.
 * @throws TypeError when `env` is neither an env id nor a VectorEnv (a single `Env` is named as
 *   such, with the `SyncVectorEnv` wrapping that fixes it); RangeError when `numEnvs` is not an
 *   integer in [1, {@link MAX_NUM_ENVS}] or disagrees with the given VectorEnv's.
 */
export function checkEnvOption(o: BaseAlgorithmOptions, algorithm: string): number {
  const env = o.env as unknown;
  if (typeof env === 'string') {
    const n = o.numEnvs ?? 1;
    needPosInt('numEnvs', n);
    if (n > MAX_NUM_ENVS) {
      throw new RangeError(
        `numEnvs must be ≤ ${MAX_NUM_ENVS} (MAX_NUM_ENVS; every env is a separate object), got ${n}`,
      );
    }
    return n;
  }
  const e = env as { step?: unknown; numEnvs?: unknown; spec?: { id?: string } } | null;
  if (e === null || typeof e !== 'object' || typeof e.step !== 'function') {
    throw new TypeError(
      `env: expected a VectorEnv or a registered env id string, got ${e === null ? 'null' : typeof e}`,
    );
  }
  if (typeof e.numEnvs !== 'number') {
    const name = e.spec?.id ?? (e as object).constructor?.name ?? 'Env';
    throw new TypeError(
      `env: expected a VectorEnv or a registered env id, got a single Env (${name}); wrap it: new SyncVectorEnv([() => env], { autoresetMode: 'same-step' }) (from @proximal/envs), or pass the env id`,
    );
  }
  if (o.numEnvs !== undefined && o.numEnvs !== e.numEnvs) {
    throw new RangeError(
      `numEnvs = ${o.numEnvs} disagrees with the given VectorEnv's numEnvs = ${e.numEnvs}; leave numEnvs out when passing a VectorEnv (${algorithm})`,
    );
  }
  return e.numEnvs;
}
