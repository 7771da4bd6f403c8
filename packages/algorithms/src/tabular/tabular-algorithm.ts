/**
 * `TabularAlgorithm`: what Q-learning and SARSA share: a Q-table over a finite state space,
 * ε-greedy exploration with SB3's linear decay, the temporal-difference loop over one env with
 * truncated episodes bootstrapped and terminated ones not, callbacks, greedy `predict`, and
 * `save` / `load`.
 *
 * Sources: Sutton & Barto, "Reinforcement Learning: An Introduction" (2nd ed., 2018), ch. 6
 * (§6.4 SARSA, §6.5 Q-learning); the exploration schedule and names of Stable-Baselines3's DQN
 * (`exploration_initial_eps`, `exploration_final_eps`, `exploration_fraction`, `get_linear_fn`);
 * bootstrapping truncated episodes as in Pardo et al., "Time Limits in Reinforcement Learning"
 * (ICML 2018) and Gymnasium's terminated / truncated split.
 */
import { Random } from '@proximal/core';
import { type Env, make } from '@proximal/envs';
import type { CallbackLike, TrainableModel, TrainingContext } from '../common/callbacks.js';
import { toCallbacks } from '../common/callbacks.js';
import { readCheckpoint, writeCheckpoint } from '../common/checkpoint.js';
import { EpisodeTracker } from '../common/episode-tracker.js';
import { checkKnownKeys } from '../common/options.js';
import { type Schedule, type ScheduleSpec, scheduleValue } from '../common/schedules.js';
import {
  linearDecay,
  resolveTabularHyperparameters,
  serializeTabularHyperparameters,
  TABULAR_HYPERPARAMETER_KEYS,
  type TabularHyperparameters,
} from './config.js';

/** An observation of a tabular env: a Discrete state, or a one-hot Float32Array. */
export type TabularObservation = number | Float32Array;

/** Constructor options of {@link QLearning} and {@link SARSA}: the env, a seed and the hyperparameters. */
export interface TabularOptions extends Partial<Omit<TabularHyperparameters, 'learningRate'>> {
  /**
   * Step size α in (0, 1]: a number, a schedule function of the remaining progress, or a form of
   * `parseSchedule` (`"lin_0.5"`, `"cos_0.5_0.01"`, `{ type: 'cosine', initial, final }`). Default 0.1.
   */
  learningRate?: Schedule | string | ScheduleSpec;
  /**
   * A single env whose action space is `Discrete` and whose observation space is `Discrete` or a
   * one-hot `Box(0, 1, (n,))` (the maze), or a registered env id (made with `make`, so with its
   * time limit).
   */
  env: Env<TabularObservation, number> | string;
  /** Seed of the exploration and of the env's first reset (default: random). */
  seed?: number;
}

/** Options of `learn`. */
export interface TabularLearnOptions {
  /** Environment steps to take, a positive integer. */
  totalTimesteps: number;
  /** Called after every finished episode (`iteration` counts episodes); returning `false` stops training. */
  callback?: CallbackLike;
  /** Start the step counter (and so the ε and α schedules) from 0 (default true, as SB3). */
  resetNumTimesteps?: boolean;
}

/** One transition for {@link TabularAlgorithm.update}. */
export interface TabularTransition {
  state: number;
  action: number;
  reward: number;
  nextState: number;
  /** The action taken next in `nextState` (SARSA needs it when not terminated; Q-learning ignores it). */
  nextAction?: number;
  /** True when `nextState` is terminal: the target is then `reward` alone (no bootstrap). */
  terminated: boolean;
  /** Step size α for this update (default: the learning rate at the current progress). */
  learningRate?: number;
}

const OPTION_KEYS: readonly string[] = ['env', 'seed', ...TABULAR_HYPERPARAMETER_KEYS];

/** How observations map to state indices. */
type StateCoding = { kind: 'discrete'; start: number } | { kind: 'one-hot' };

/**
 * The tabular TD-control base: a `Float32Array` Q-table of `numStates × numActions` (row-major:
 * `qTable[s * numActions + a]` = Q(s, a)), initialised to 0.
 *
 * Training (`learn`) runs one env: in state s it takes the ε-greedy action (a uniform random
 * action with probability ε, else a greedy one, ties broken uniformly at random), observes
 * (r, s', terminated, truncated) and applies
 *
 *   Q(s, a) ← Q(s, a) + α [r + γ (1 − terminated) · next(s', a') − Q(s, a)]
 *
 * where `next` is the subclass's bootstrap value (max over a' for Q-learning, the next action's
 * value for SARSA). A truncated episode (time limit) is bootstrapped like any other step; only
 * termination zeroes the target's tail. ε falls linearly from `explorationInitialEps` to
 * `explorationFinalEps` over the first `explorationFraction` of `totalTimesteps` (SB3's DQN); α
 * follows `learningRate` (a number or a schedule of the remaining progress).
 *
 * Same seed, same env and same hyperparameters → the same Q-table.
 */
export abstract class TabularAlgorithm {
  /** 'QLearning' or 'SARSA' (saved in checkpoints). */
  readonly algorithm: string;
  readonly env: Env<TabularObservation, number>;
  /** The registered id of the env, when known (saved, so `load` can remake it). */
  readonly envId: string | null;
  readonly hyperparameters: TabularHyperparameters;
  readonly seed: number;
  readonly numStates: number;
  readonly numActions: number;
  /** Q(s, a) at `s * numActions + a`, float32 [numStates × numActions]. */
  readonly qTable: Float32Array;
  /** Environment steps taken. */
  numTimesteps = 0;
  /** The current ε (SB3's `exploration_rate`). */
  explorationRate: number;
  /** The last 100 training episodes' returns and lengths. */
  readonly episodes = new EpisodeTracker(100);
  protected readonly rng: Random;
  private readonly coding: StateCoding;
  private totalForSchedule = 1;
  private state = -1;
  private episodeReturn = 0;
  private episodeLength = 0;

  /**
   * @throws TypeError for options that are not an object, or an env that is not an env;
   *   RangeError for an unknown option (named, with the nearest known one), an unsupported observation or action space, or an invalid
   *   hyperparameter (named, with the expected range and the value).
   */
  protected constructor(algorithm: string, options: TabularOptions) {
    if (options === null || typeof options !== 'object') {
      throw new TypeError(`${algorithm} options must be an object, got ${String(options)}`);
    }
    checkKnownKeys(options, OPTION_KEYS, `${algorithm} options`);
    this.algorithm = algorithm;
    this.hyperparameters = resolveTabularHyperparameters(options);
    if (options.seed !== undefined && (!Number.isSafeInteger(options.seed) || options.seed < 0)) {
      throw new RangeError(`seed must be a non-negative safe integer, got ${String(options.seed)}`);
    }
    this.seed = options.seed ?? Math.floor(Math.random() * 2 ** 31);
    if (typeof options.env === 'string') {
      this.envId = options.env;
      this.env = make<TabularObservation, number>(options.env);
    } else {
      const env = options.env as Env<TabularObservation, number> | undefined;
      if (!env || typeof env.step !== 'function' || typeof env.reset !== 'function') {
        throw new TypeError(`${algorithm}: env must be an Env or a registered env id string`);
      }
      this.env = env;
      this.envId = env.spec?.id ?? null;
    }
    checkTabularActionSpace(this.env.actionSpace, algorithm);
    this.numActions = (this.env.actionSpace as unknown as { n: number }).n;
    const { numStates, coding } = stateCoding(this.env.observationSpace, algorithm);
    this.numStates = numStates;
    this.coding = coding;
    this.qTable = new Float32Array(this.numStates * this.numActions);
    this.explorationRate = this.hyperparameters.explorationInitialEps;
    this.rng = new Random(this.seed);
  }

  /**
   * The bootstrap value of the next state for the target `r + γ · value`: Q-learning's
   * max_a' Q(s', a'), SARSA's Q(s', a') of the action taken next.
   */
  protected abstract nextValue(nextState: number, nextAction: number | undefined): number;

  /**
   * Whether the next action is chosen before the update, to be used in its target (SARSA: true);
   * otherwise it is chosen after the update (Q-learning).
   */
  protected abstract readonly targetUsesNextAction: boolean;

  /**
   * The state index of an observation: a Discrete observation minus the space's `start`; for a
   * one-hot Box, the index of its single 1.
   * @throws RangeError when the observation is not a state of the space (not an integer in range,
   *   or not exactly one-hot with `numStates` entries).
   */
  stateIndex(observation: TabularObservation): number {
    if (this.coding.kind === 'discrete') {
      const s = (observation as number) - this.coding.start;
      if (!Number.isInteger(s) || s < 0 || s >= this.numStates) {
        const got = ArrayBuffer.isView(observation)
          ? `an array of length ${(observation as Float32Array).length} (one observation at a time: a tabular agent does not take batches)`
          : String(observation);
        throw new RangeError(
          `${this.algorithm}: observation must be an integer state in [${this.coding.start}, ${this.coding.start + this.numStates}), got ${got}`,
        );
      }
      return s;
    }
    const o = observation as Float32Array;
    let index = -1;
    let ok = o instanceof Float32Array && o.length === this.numStates;
    for (let i = 0; ok && i < o.length; i++) {
      if (o[i] === 1 && index < 0) index = i;
      else if (o[i] !== 0) ok = false;
    }
    if (!ok || index < 0) {
      const shown = o instanceof Float32Array ? `[${Array.from(o).join(', ')}]` : String(observation);
      throw new RangeError(
        `${this.algorithm}: observation must be a one-hot Float32Array of length ${this.numStates}, got ${shown}`,
      );
    }
    return index;
  }

  /** The greedy action in state `s`: the first action of largest Q(s, ·) (as numpy's argmax). */
  greedyAction(s: number): number {
    const q = this.qTable;
    const base = s * this.numActions;
    let best = 0;
    for (let a = 1; a < this.numActions; a++) if (q[base + a] > q[base + best]) best = a;
    return best;
  }

  /** max_a Q(s, a). */
  maxValue(s: number): number {
    return this.qTable[s * this.numActions + this.greedyAction(s)];
  }

  /**
   * The ε-greedy action in state `s` with ε = {@link explorationRate}: uniform with probability ε,
   * else greedy with ties broken uniformly at random (so an untrained table does not always pick
   * action 0).
   */
  protected explore(s: number): number {
    if (this.explorationRate > 0 && this.rng.uniform() < this.explorationRate) {
      return this.rng.integer(this.numActions);
    }
    const q = this.qTable;
    const base = s * this.numActions;
    let best = q[base];
    let ties = 1;
    let choice = 0;
    for (let a = 1; a < this.numActions; a++) {
      const v = q[base + a];
      if (v > best) {
        best = v;
        ties = 1;
        choice = a;
      } else if (v === best) {
        ties++;
        if (this.rng.integer(ties) === 0) choice = a; // reservoir sampling among the ties
      }
    }
    return choice;
  }

  /**
   * One temporal-difference update of Q(state, action) towards
   * `reward + γ (1 − terminated) · next(nextState, nextAction)`, with `next` this algorithm's
   * bootstrap value (see the subclass).
   * @returns the TD error δ = target − Q(state, action) before the update.
   * @throws RangeError for a state, action or next action out of range, a non-finite reward, or
   *   (SARSA) a missing next action when not terminated.
   */
  update(t: TabularTransition): number {
    const inRange = (x: unknown, n: number) => Number.isInteger(x) && (x as number) >= 0 && (x as number) < n;
    for (const [name, v, n] of [
      ['state', t.state, this.numStates],
      ['nextState', t.nextState, this.numStates],
      ['action', t.action, this.numActions],
    ] as const) {
      if (!inRange(v, n)) throw new RangeError(`${name} must be an integer in [0, ${n}), got ${String(v)}`);
    }
    if (t.nextAction !== undefined && !inRange(t.nextAction, this.numActions)) {
      throw new RangeError(
        `nextAction must be an integer in [0, ${this.numActions}), got ${String(t.nextAction)}`,
      );
    }
    if (!Number.isFinite(t.reward)) throw new RangeError(`reward must be finite, got ${String(t.reward)}`);
    const alpha = t.learningRate ?? this.currentLearningRate();
    return this.tdUpdate(t.state, t.action, t.reward, t.nextState, t.nextAction, t.terminated, alpha);
  }

  private tdUpdate(
    s: number,
    a: number,
    r: number,
    s2: number,
    a2: number | undefined,
    terminated: boolean,
    alpha: number,
  ): number {
    const k = s * this.numActions + a;
    const target = terminated ? r : r + this.hyperparameters.gamma * this.nextValue(s2, a2);
    const delta = target - this.qTable[k];
    this.qTable[k] += alpha * delta;
    return delta;
  }

  /** α at the current progress. */
  currentLearningRate(): number {
    return scheduleValue(this.hyperparameters.learningRate, this.progressRemaining());
  }

  private progressRemaining(): number {
    return Math.max(0, 1 - this.numTimesteps / this.totalForSchedule);
  }

  private updateExplorationRate(): void {
    const h = this.hyperparameters;
    this.explorationRate = linearDecay(
      h.explorationInitialEps,
      h.explorationFinalEps,
      h.explorationFraction,
      1 - this.progressRemaining(),
    );
  }

  /**
   * Trains for `totalTimesteps` env steps. The first call (and every call with `resetNumTimesteps`)
   * resets the env with the agent's seed; callbacks run after each finished episode.
   * @returns this agent.
   * @throws RangeError when totalTimesteps is not a positive integer, or for an observation that is
   *   not a state (see {@link stateIndex}) or a non-finite reward.
   */
  async learn({ totalTimesteps, callback, resetNumTimesteps = true }: TabularLearnOptions): Promise<this> {
    if (!Number.isInteger(totalTimesteps) || totalTimesteps <= 0) {
      throw new RangeError(`totalTimesteps must be a positive integer, got ${String(totalTimesteps)}`);
    }
    const callbacks = toCallbacks(callback);
    if (resetNumTimesteps) this.numTimesteps = 0;
    if (resetNumTimesteps || this.state < 0) {
      this.state = this.stateIndex(this.env.reset({ seed: this.seed }).observation);
      this.episodeReturn = 0;
      this.episodeLength = 0;
    }
    const start = this.numTimesteps;
    this.totalForSchedule = this.numTimesteps + totalTimesteps;
    // callbacks see this agent; its predict takes one observation and returns one action (a number)
    const model = this as unknown as TrainableModel;
    for (const c of callbacks) await c.onTrainingStart?.({ totalTimesteps, model, numTimesteps: start });
    let ctx: TrainingContext | null = null;
    let iteration = 0;
    const t0 = performance.now();
    this.updateExplorationRate();
    let s = this.state;
    let a = this.explore(s);
    while (this.numTimesteps - start < totalTimesteps) {
      const alpha = this.currentLearningRate();
      const res = this.env.step(a);
      this.numTimesteps++;
      if (!Number.isFinite(res.reward)) {
        throw new RangeError(`reward is ${res.reward} at step ${this.numTimesteps}`);
      }
      this.episodeReturn += res.reward;
      this.episodeLength++;
      const s2 = this.stateIndex(res.observation);
      const done = res.terminated || res.truncated;
      // SARSA: the next action is chosen (with the ε of this step) before the update and used in its
      // target; at a truncation it is the action the policy would take in s', never executed.
      const a2 = this.targetUsesNextAction && !res.terminated ? this.explore(s2) : undefined;
      this.tdUpdate(s, a, res.reward, s2, a2, res.terminated, alpha);
      this.updateExplorationRate();
      if (done) {
        this.episodes.push(this.episodeReturn, this.episodeLength);
        const ret = this.episodeReturn;
        const len = this.episodeLength;
        this.episodeReturn = 0;
        this.episodeLength = 0;
        s = this.stateIndex(this.env.reset().observation);
        this.state = s;
        a = this.explore(s);
        iteration++;
        if (callbacks.length > 0) {
          const elapsed = (performance.now() - t0) / 1000;
          ctx = {
            model,
            numTimesteps: this.numTimesteps,
            iteration,
            metrics: {
              'rollout/ep_rew_mean': this.episodes.meanReturn(),
              'rollout/ep_len_mean': this.episodes.meanLength(),
              'rollout/exploration_rate': this.explorationRate,
              'train/learning_rate': alpha,
              'time/fps': (this.numTimesteps - start) / elapsed,
              'time/time_elapsed': elapsed,
              'time/total_timesteps': this.numTimesteps,
              'time/episodes': this.episodes.totalEpisodes,
            },
            episodeReturns: [ret],
            episodeLengths: [len],
          };
          let stop = false;
          for (const c of callbacks) if ((await c.onIterationEnd?.(ctx)) === false) stop = true;
          if (stop) break;
        }
      } else {
        s = s2;
        this.state = s;
        a = a2 ?? this.explore(s2);
      }
    }
    for (const c of callbacks) if (ctx) await c.onTrainingEnd?.(ctx);
    return this;
  }

  /**
   * The action for one observation (a Discrete state or a one-hot Float32Array): greedy (the first
   * action of largest Q) by default, ε-greedy with the current {@link explorationRate} when
   * `deterministic` is false (SB3 DQN's `predict`).
   * @returns the action index, a number `env.step` accepts.
   * @throws RangeError when the observation is not a state (see {@link stateIndex}).
   */
  predict(
    observation: TabularObservation,
    { deterministic = true }: { deterministic?: boolean } = {},
  ): number {
    const s = this.stateIndex(observation);
    return deterministic ? this.greedyAction(s) : this.explore(s);
  }

  /** Hyperparameters as JSON (the learning rate as a number or its schedule notation). */
  describeHyperparameters(): Record<string, unknown> {
    return serializeTabularHyperparameters(this.hyperparameters);
  }

  /**
   * Saves the agent to `dir` (created if missing): `proximal.json` (algorithm, env id, options and
   * time limit, seed,
   * hyperparameters, table shape, step counter, ε) and `tensors.bin` (the Q-table, float32
   * little-endian) — the checkpoint format of the other algorithms.
   */
  async save(dir: string): Promise<void> {
    await writeCheckpoint(
      dir,
      {
        algorithm: this.algorithm,
        envId: this.envId,
        // the options the env was made with (e.g. FrozenLake's isSlippery) and its time limit
        envKwargs: this.env.spec?.kwargs ?? {},
        maxEpisodeSteps: this.env.spec?.maxEpisodeSteps ?? null,
        seed: this.seed,
        numTimesteps: this.numTimesteps,
        numStates: this.numStates,
        numActions: this.numActions,
        explorationRate: this.explorationRate,
        episodes: this.episodes.totalEpisodes,
        hyperparameters: this.describeHyperparameters(),
      },
      [{ name: 'qTable', data: this.qTable }],
    );
  }

  /**
   * Reads a checkpoint of `algorithm` and builds the agent with `create` (the env remade from the
   * saved id, options and time limit; the saved seed and hyperparameters; all overridden by
   * `options`), then restores the table and counters.
   * @throws Error when `dir` does not hold a model of this algorithm, it was saved without an env
   *   id and none is given, or the table's size does not match the env's.
   */
  protected static async loadAgent<T extends TabularAlgorithm>(
    dir: string,
    algorithm: string,
    options: Partial<TabularOptions>,
    create: (o: TabularOptions) => T,
  ): Promise<T> {
    const { meta, tensors } = await readCheckpoint(dir, algorithm);
    const envId = meta.envId as string | null;
    if (!options.env && !envId) throw new Error(`${dir} was saved without an env id; pass options.env`);
    const env =
      options.env ??
      make<TabularObservation, number>(envId as string, {
        ...((meta.envKwargs as Record<string, unknown> | undefined) ?? {}),
        ...(typeof meta.maxEpisodeSteps === 'number' ? { maxEpisodeSteps: meta.maxEpisodeSteps } : {}),
      });
    const agent = create({
      ...(meta.hyperparameters as Partial<TabularHyperparameters>),
      seed: meta.seed as number,
      ...options,
      env,
    });
    const table = tensors.get('qTable');
    if (!table || table.length !== agent.qTable.length) {
      throw new Error(
        `${dir} holds a Q-table of ${table?.length ?? 0} values, but the env needs ${agent.numStates} × ${agent.numActions} = ${agent.qTable.length}`,
      );
    }
    agent.qTable.set(table);
    agent.numTimesteps = meta.numTimesteps as number;
    agent.explorationRate = meta.explorationRate as number;
    agent.episodes.totalEpisodes = (meta.episodes as number | undefined) ?? 0;
    return agent;
  }
}

function isDiscrete(space: unknown): space is { n: number; start: number } {
  const s = space as { n?: unknown; start?: unknown; shape?: readonly number[] };
  return Number.isInteger(s?.n) && Number.isInteger(s?.start) && s.shape?.length === 0;
}

/**
 * The number of states and the observation coding of a space: `Discrete(n, start)` → n states;
 * a 1-D `Box` with all bounds 0 and 1 → one-hot over its size.
 * @throws RangeError for any other space, naming it.
 */
function stateCoding(space: unknown, algorithm: string): { numStates: number; coding: StateCoding } {
  if (isDiscrete(space)) return { numStates: space.n, coding: { kind: 'discrete', start: space.start } };
  const box = space as { low?: Float32Array; high?: Float32Array; shape?: readonly number[] };
  if (
    box?.low instanceof Float32Array &&
    box.high instanceof Float32Array &&
    box.shape?.length === 1 &&
    box.low.every((x) => x === 0) &&
    box.high.every((x) => x === 1)
  ) {
    return { numStates: box.shape[0], coding: { kind: 'one-hot' } };
  }
  throw new RangeError(
    `${algorithm} needs a Discrete observation space or a one-hot Box(0, 1, (n,)) one, got ${String(space)}; a tabular method cannot index continuous observations (discretize them or use DQN/PPO)`,
  );
}

/**
 * Throws unless `space` is a `Discrete` action space starting at 0.
 * @throws RangeError naming the algorithm and the space.
 */
function checkTabularActionSpace(space: unknown, algorithm: string): void {
  if (!isDiscrete(space) || space.start !== 0) {
    throw new RangeError(`${algorithm} needs a Discrete action space starting at 0, got ${String(space)}`);
  }
}

/**
 * Throws unless a tabular algorithm can run on these spaces: a `Discrete` (or one-hot
 * `Box(0, 1, (n,))`) observation space and a `Discrete` action space starting at 0.
 * @throws RangeError naming the algorithm and the unsupported space.
 */
export function checkTabularSpaces(observationSpace: unknown, actionSpace: unknown, algorithm: string): void {
  checkTabularActionSpace(actionSpace, algorithm);
  stateCoding(observationSpace, algorithm);
}
