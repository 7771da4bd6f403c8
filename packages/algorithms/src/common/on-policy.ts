import { gae, Random } from '@proximal/core';
import { makeVec, type VectorEnv } from '@proximal/envs';
import {
  type ActionHead,
  actionSize,
  headFromSpace,
  headOutputSize,
  headToJSON,
} from '../policies/action-head.js';
import { ActorCriticPolicy, type PolicyKwargs } from '../policies/actor-critic.js';
import type { TfBackend } from '../tf.js';
import { type CallbackLike, type TrainingContext, toCallbacks } from './callbacks.js';
import { readCheckpoint, type StoredTensor, writeCheckpoint } from './checkpoint.js';
import { EpisodeTracker } from './episode-tracker.js';
import {
  checkRolloutSize,
  MAX_LAYER_WIDTH,
  MAX_NUM_ENVS,
  MAX_POLICY_PARAMETERS,
  needPosInt,
  type OnPolicyHyperparameters,
} from './hyperparameters.js';
import { type NormalizationOptions, Normalizer } from './normalization.js';
import { checkKnownKeys } from './options.js';
import { RolloutBuffer } from './rollout-buffer.js';
import { type ObservationEncoder, observationEncoder, parseObservation } from './spaces.js';

export type { OnPolicyHyperparameters } from './hyperparameters.js';

/**
 * One rollout as plain arrays (time-major, (t, n) at `t * numEnvs + n`, the layout of the rollout buffer),
 * as {@link OnPolicyAlgorithm.collectRolloutBatch} returns it and `trainOnRollout` takes it.
 */
export interface RolloutBatch {
  numSteps: number;
  numEnvs: number;
  /** float32 [T, N, obsDim] (encoded, normalized policy inputs) */
  observations: Float32Array;
  /** float32 [T, N, actionSize] */
  actions: Float32Array;
  /** float32 [T, N] each */
  rewards: Float32Array;
  values: Float32Array;
  nextValues: Float32Array;
  logProbs: Float32Array;
  /** uint8 [T, N] each */
  terminated: Uint8Array;
  truncated: Uint8Array;
  /** Returns and lengths of the episodes that ended during the rollout. */
  episodeReturns: number[];
  episodeLengths: number[];
}

const ROLLOUT_ARRAYS = [
  'observations',
  'actions',
  'rewards',
  'values',
  'nextValues',
  'logProbs',
  'terminated',
  'truncated',
] as const;

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

/** Keys of {@link OnPolicyOptions}; with the algorithm's hyperparameter names, the accepted option keys. */
export const ON_POLICY_OPTION_KEYS = ['env', 'numEnvs', 'seed', 'tfBackend', 'normalize'] as const;
export const NORMALIZE_KEYS = ['normObs', 'normReward', 'clipObs', 'clipReward', 'epsilon'] as const;

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
  /** Raw env observations → policy features (one-hot for Discrete/MultiDiscrete spaces, as SB3). */
  readonly observationEncoder: ObservationEncoder;
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

  /**
   * Validates everything before allocating anything: unknown option keys (with the camelCase or
   * closest known name suggested), `numEnvs` (≤ {@link MAX_NUM_ENVS}), every hyperparameter
   * (`resolve`), the rollout buffer's size and the network's parameter count; only then creates
   * the env (for an env id), the policy and the buffer.
   * @param defaults the algorithm's hyperparameter defaults (their keys are the accepted hyperparameter names).
   * @param resolve merges and validates the hyperparameters for a number of envs.
   * @throws TypeError/RangeError naming the bad option, its value and what was expected.
   */
  protected constructor(
    readonly algorithm: string,
    o: OnPolicyOptions,
    defaults: H,
    resolve: (numEnvs: number) => H,
    tfBackend: string,
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
          `env.autoresetMode must be 'same-step' (${algorithm} bootstraps truncated episodes from the final observation), got '${this.env.autoresetMode}'`,
        );
      }
    }
    this.observationEncoder = observationEncoder(this.env.singleObservationSpace, algorithm);
    const obsDim = this.observationEncoder.featureDim;
    const head = headFromSpace(this.env.singleActionSpace, algorithm);
    const h = this.hyperparameters;
    checkRolloutSize(h.nSteps, this.env.numEnvs, obsDim, actionSize(head));
    checkPolicySize(obsDim, headOutputSize(head), h.policyKwargs);
    this.normalizer = new Normalizer(obsDim, this.env.numEnvs, h.gamma, o.normalize ?? {});
    this.rng = new Random(this.seed);
    this.policy = new ActorCriticPolicy(obsDim, head, h.policyKwargs, this.rng.spawn(), {
      useSde: h.useSde,
    });
    this.buffer = new RolloutBuffer(h.nSteps, this.env.numEnvs, obsDim, this.policy.actionSize);
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
    const enc = this.observationEncoder;
    const R = enc.rawDim;
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
      const obsIn = this.normalizer.observations(enc.encode(obs), true);
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
        const rows = new Float32Array(finalRows.length * R);
        finalRows.forEach((i, j) => {
          rows.set(finalObs.subarray(i * R, i * R + R), j * R);
        });
        const v = this.policy.predictValues(this.normalizer.observations(enc.encode(rows), false));
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
            `observation ${i % R} of env ${Math.floor(i / R)} is NaN at step ${this.numTimesteps + t * N}`,
          );
      }
    }
    this.lastObs = obs;
    const last = this.policy.predictValues(this.normalizer.observations(enc.encode(obs), false));
    for (let t = 0; t < T; t++) {
      for (let i = 0; i < N; i++) {
        const k = t * N + i;
        if (b.terminated[k] || b.truncated[k]) continue; // terminated: unused; truncated: set above
        b.nextValues[k] = t + 1 < T ? b.values[k + N] : last[i];
      }
    }
    this.computeAdvantages();
    return { returns, lengths };
  }

  /** GAE(γ, λ) over the filled buffer (rewards, values, nextValues, flags) into advantages/returns. */
  private computeAdvantages(): void {
    const b = this.buffer;
    const h = this.hyperparameters;
    const res = gae({
      rewards: b.rewards,
      values: b.values,
      nextValues: b.nextValues,
      terminated: b.terminated,
      truncated: b.truncated,
      numEnvs: b.numEnvs,
      gamma: h.gamma,
      lambda: h.gaeLambda,
    });
    b.advantages = res.advantages;
    b.returns = res.returns;
  }

  /**
   * Collects one rollout of nSteps × numEnvs transitions with the current policy (resetting the
   * envs on the first call) and returns copies of its arrays, for a learner elsewhere to train on
   * with {@link trainOnRollout} (`@proximal/distributed`'s workers). Counts the steps in
   * `numTimesteps` and the finished episodes in `episodes`.
   * @throws Error when a reward or observation becomes NaN.
   */
  collectRolloutBatch(): RolloutBatch {
    if (this.lastObs === null) {
      this.lastObs = this.env.reset({ seed: this.seed + this.numTimesteps }).observations.slice();
      this.normalizer.resetReturns();
    }
    const finished = this.collectRollout();
    this.numTimesteps += this.buffer.size;
    const b = this.buffer;
    return {
      numSteps: b.numSteps,
      numEnvs: b.numEnvs,
      observations: b.observations.slice(),
      actions: b.actions.slice(),
      rewards: b.rewards.slice(),
      values: b.values.slice(),
      nextValues: b.nextValues.slice(),
      logProbs: b.logProbs.slice(),
      terminated: b.terminated.slice(),
      truncated: b.truncated.slice(),
      episodeReturns: finished.returns,
      episodeLengths: finished.lengths,
    };
  }

  /**
   * One update (`train()`) on a rollout collected elsewhere ({@link collectRolloutBatch} on
   * workers): copies it into the buffer, computes GAE(γ, λ) and trains; counts its steps in
   * `numTimesteps`, one iteration, and its finished episodes.
   * @param targetTimesteps the schedules' horizon (see {@link OnPolicyAlgorithm.targetTimesteps}); unchanged when omitted.
   * @returns the SB3-named training scalars of the update.
   * @throws RangeError when the batch's numSteps, numEnvs or an array length differs from this
   *   agent's buffer (naming the field and both sizes); Error when the loss becomes NaN.
   */
  trainOnRollout(batch: RolloutBatch, targetTimesteps?: number): Record<string, number> {
    const b = this.buffer;
    if (batch.numSteps !== b.numSteps || batch.numEnvs !== b.numEnvs) {
      throw new RangeError(
        `rollout is [${batch.numSteps}, ${batch.numEnvs}] (numSteps, numEnvs), expected [${b.numSteps}, ${b.numEnvs}]`,
      );
    }
    for (const name of ROLLOUT_ARRAYS) {
      const dst = b[name];
      const src = batch[name];
      if (src.length !== dst.length) {
        throw new RangeError(`rollout.${name} has length ${src.length}, expected ${dst.length}`);
      }
      dst.set(src);
    }
    if (targetTimesteps !== undefined) this.totalForSchedule = targetTimesteps;
    this.computeAdvantages();
    this.numTimesteps += b.size;
    const metrics = this.train();
    this.iterations++;
    batch.episodeReturns.forEach((r, i) => {
      this.episodes.push(r, batch.episodeLengths[i]);
    });
    return metrics;
  }

  /**
   * The policy's action for one observation, or for a batch of them, in the form the env takes
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
   * Discrete and MultiDiscrete observations are one-hot encoded first (SB3's `preprocess_obs`).
   * @param deterministic take the most likely action (the mean for Gaussian policies) instead of sampling (default false).
   * @throws TypeError when observation is neither a number nor an array of numbers; RangeError
   *   when its length is not a positive multiple of obsDim, or a discrete observation is not in its space.
   */
  predict(
    observation: number | ArrayLike<number>,
    { deterministic = false }: { deterministic?: boolean } = {},
  ): number | Int32Array | Float32Array {
    const enc = this.observationEncoder;
    const { raw, single } = parseObservation(observation, enc);
    const obs = this.normalizer.observations(enc.encode(raw), false);
    const actions = envActions(this.policy.head, this.policy.act(obs, this.rng, deterministic).actions);
    if (single && this.policy.head.kind === 'categorical' && this.policy.head.nvec.length === 1) {
      return actions[0];
    }
    return actions;
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
   * Reads a checkpoint and the options to rebuild its agent with (`create` then {@link restore});
   * shared with `OffPolicyAlgorithm`, whose options are the same.
   * @throws Error as `readCheckpoint`, or when it was saved without an env id and none is given.
   */
  static async readForLoad(
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
   * Restores parameters, counters, normalization statistics, the RNG state, the schedules' horizon
   * ({@link targetTimesteps}) and the episode statistics from a checkpoint; checkpoints written
   * before the last four existed restore without them.
   * @throws Error when the saved network (observation size, layer shapes, parameter count) does
   *   not match the network built from the config and env, naming the layer and both shapes;
   *   RangeError when the saved RNG, normalization or episode state is malformed.
   */
  protected restore(
    dir: string,
    meta: Record<string, unknown>,
    tensors: Map<string, Float32Array>,
  ): Float32Array {
    checkSavedNetwork(dir, meta, this.policy);
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

/**
 * Validates `env` and `numEnvs` before any env is created and returns the number of envs.
 * @throws TypeError when `env` is neither an env id nor a VectorEnv (a single `Env` is named as
 *   such, with the `SyncVectorEnv` wrapping that fixes it); RangeError when `numEnvs` is not an
 *   integer in [1, {@link MAX_NUM_ENVS}] or disagrees with the given VectorEnv's.
 */
export function checkEnvOption(o: OnPolicyOptions, algorithm: string): number {
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

/**
 * Refuses networks whose parameter count (trunk, actor, critic; weights and biases) exceeds
 * {@link MAX_POLICY_PARAMETERS}, before any weight is allocated.
 * @throws RangeError naming policyKwargs.netArch, the count and the limit.
 */
function checkPolicySize(obsDim: number, outDim: number, kwargs: PolicyKwargs): void {
  const arch = kwargs.netArch ?? [64, 64];
  const shared = Array.isArray(arch) ? [] : (arch.shared ?? []);
  const pi = Array.isArray(arch) ? arch : arch.pi;
  const vf = Array.isArray(arch) ? arch : arch.vf;
  const count = (sizes: number[]) => {
    let c = 0;
    for (let i = 0; i + 1 < sizes.length; i++) c += (sizes[i] + 1) * sizes[i + 1];
    return c;
  };
  const feat = shared.length > 0 ? shared[shared.length - 1] : obsDim;
  const total = count([obsDim, ...shared]) + count([feat, ...pi, outDim]) + count([feat, ...vf, 1]);
  if (total > MAX_POLICY_PARAMETERS) {
    throw new RangeError(
      `policyKwargs.netArch ${JSON.stringify(arch)} with observation size ${obsDim} gives ${total} parameters; the limit is ${MAX_POLICY_PARAMETERS} (MAX_POLICY_PARAMETERS; layers ≤ ${MAX_LAYER_WIDTH} wide)`,
    );
  }
}

/**
 * Compares the network shapes saved in `proximal.json` (`observationDim`, `network.actor`,
 * `network.critic`: lists of `{ inSize, outSize }`) with the policy built for loading.
 * @throws Error naming the file, the layer (e.g. `network.actor[0] weight`) and both shapes.
 */
function checkSavedNetwork(dir: string, meta: Record<string, unknown>, policy: ActorCriticPolicy): void {
  const file = `${dir}/proximal.json`;
  if (typeof meta.observationDim === 'number' && meta.observationDim !== policy.obsDim) {
    throw new Error(
      `${file}: the model was trained on observations of size ${meta.observationDim}, but the env gives ${policy.obsDim} (after one-hot encoding of discrete spaces)`,
    );
  }
  const network = meta.network as Record<string, unknown> | undefined;
  if (!network) return;
  for (const [name, stack] of [
    ['actor', policy.actor],
    ['critic', policy.critic],
  ] as const) {
    const saved = network[name];
    if (!Array.isArray(saved))
      throw new Error(`${file}: network.${name} must be a list of layers, got ${JSON.stringify(saved)}`);
    if (saved.length !== stack.layers.length) {
      throw new Error(
        `${file}: network.${name} has ${saved.length} layers, but the config builds ${stack.layers.length}`,
      );
    }
    stack.layers.forEach((built, i) => {
      const l = saved[i] as { inSize?: unknown; outSize?: unknown };
      if (l?.inSize !== built.inSize || l?.outSize !== built.outSize) {
        throw new Error(
          `${file}: network.${name}[${i}] weight has shape [${String(l?.inSize)}, ${String(l?.outSize)}] in the file, but the config builds [${built.inSize}, ${built.outSize}]`,
        );
      }
    });
  }
}
