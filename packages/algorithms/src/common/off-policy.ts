/**
 * `OffPolicyAlgorithm`: what DQN (and later off-policy methods) share.
 *
 * Source: Stable-Baselines3 `common/off_policy_algorithm.py` (`collect_rollouts`: `learning_starts`
 * steps of uniformly random actions, `train_freq` env steps then `gradient_steps` updates once
 * `num_timesteps > learning_starts`, `_store_transition` with the final observation of ended
 * episodes) and `common/buffers.py` (`ReplayBuffer`, `handle_timeout_termination`).
 */
import {
  BaseAlgorithm,
  type BaseAlgorithmOptions,
  type IterationResult,
  type LearnOptions,
} from './base-algorithm.js';
import { type StoredTensor, writeCheckpoint } from './checkpoint.js';
import type { OffPolicyHyperparameters } from './hyperparameters.js';
import { checkReplayBufferSize, ReplayBuffer, type ReplayBufferState } from './replay-buffer.js';

export type { OffPolicyHyperparameters } from './hyperparameters.js';

/**
 * Constructor options shared by the off-policy algorithms: those of every algorithm (`env`,
 * `numEnvs`, `seed`, `tfBackend`, `normalize`; {@link BaseAlgorithmOptions}), with the same meaning.
 */
export type OffPolicyOptions = BaseAlgorithmOptions;

/**
 * Options of `learn` ({@link LearnOptions}): `totalTimesteps` is rounded up to whole training phases
 * (`trainFreq` vector steps); with `resetNumTimesteps: false` the step counter (and so the
 * schedules and ε) continues.
 */
export type OffPolicyLearnOptions = LearnOptions;

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
 * `predict`, checkpoints and resume are {@link BaseAlgorithm}'s, as in the on-policy algorithms.
 */
export abstract class OffPolicyAlgorithm<H extends OffPolicyHyperparameters> extends BaseAlgorithm<H> {
  /** Vector-env steps taken over the agent's life (SB3's `_n_calls`; not reset by `learn`). */
  numCalls = 0;
  /** The transitions collected, raw observations as the env gives them. */
  readonly replayBuffer: ReplayBuffer;

  /**
   * Validates everything before allocating anything: unknown option keys (with the camelCase or
   * closest known name suggested), `env` and `numEnvs`, every hyperparameter (`resolve`), the
   * action space (`checkActionSpace`) and the replay buffer's size; only then creates the env (for
   * an env id), the normalizer and the buffer (see {@link BaseAlgorithm}'s constructor). The
   * subclass builds its networks after this.
   * @param defaults the algorithm's hyperparameter defaults (their keys are the accepted hyperparameter names).
   * @param resolve merges and validates the hyperparameters for a number of envs.
   * @param checkActionSpace validates the env's single action space and returns the values per stored action.
   * @throws TypeError/RangeError naming the bad option, its value and what was expected.
   */
  protected constructor(
    algorithm: string,
    o: OffPolicyOptions,
    defaults: H,
    resolve: (numEnvs: number) => H,
    tfBackend: string,
    checkActionSpace: (space: unknown) => number,
  ) {
    super(
      algorithm,
      o,
      defaults,
      resolve,
      tfBackend,
      'stores the final observation of ended episodes',
      (env, encoder, h) => {
        const actionDim = checkActionSpace(env.singleActionSpace);
        checkReplayBufferSize(h.bufferSize, env.numEnvs, encoder.rawDim, actionDim, h.optimizeMemoryUsage);
      },
    );
    const h = this.hyperparameters;
    this.replayBuffer = new ReplayBuffer({
      bufferSize: h.bufferSize,
      obsDim: this.observationEncoder.rawDim,
      actionDim: checkActionSpace(this.env.singleActionSpace),
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

  /** Saves the agent to a directory (see the subclass), with the replay buffer when asked. */
  abstract override save(dir: string, options?: OffPolicySaveOptions): Promise<void>;

  /** Stored actions float32 [batch, actionDim] → what the env takes; the greedy or exploring ones. */
  protected override predictActions(
    features: Float32Array,
    deterministic: boolean,
  ): Int32Array | Float32Array {
    return this.envActions(this.act(features, deterministic));
  }

  /** Resets the envs (see {@link BaseAlgorithm.resetEnvs}); the stored episodes do not continue from this reset. */
  protected override resetEnvs(): void {
    super.resetEnvs();
    this.replayBuffer.markEpisodeBoundary();
  }

  /** `trainFreq` vector-env steps, then `gradientSteps` updates once `numTimesteps > learningStarts`. */
  protected override learnIteration(): IterationResult {
    const h = this.hyperparameters;
    const finished = this.collect(h.trainFreq);
    let train: Record<string, number> = {};
    if (this.numTimesteps > 0 && this.numTimesteps > h.learningStarts) {
      const steps = h.gradientSteps >= 0 ? h.gradientSteps : h.trainFreq * this.env.numEnvs;
      if (steps > 0) train = this.train(steps, h.batchSize);
    }
    return { finished, train };
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
      this.recordEpisodes(infos, returns, lengths);
      obs = next;
      this.numTimesteps += N;
      this.numCalls++;
      this.onStep();
    }
    this.lastObs = obs;
    return { returns, lengths };
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
        ...this.identityMeta(),
        numCalls: this.numCalls,
        observationDim: this.observationEncoder.featureDim,
        hyperparameters: this.describeHyperparameters(),
        ...this.resumeMeta(),
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
    this.checkSavedObservationDim(dir, meta);
    this.restoreState(meta);
    this.numCalls = (meta.numCalls as number | undefined) ?? 0;
    const replay = meta.replayBuffer as ReplayBufferState['meta'] | null | undefined;
    if (replay) {
      try {
        this.replayBuffer.load(replay, tensors);
      } catch (err) {
        throw new Error(`${dir}: ${(err as Error).message} (load with the saved numEnvs and bufferSize)`);
      }
    }
  }
}
