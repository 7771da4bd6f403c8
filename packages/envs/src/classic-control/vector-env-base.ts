/**
 * `ClassicControlVectorEnv`: the plumbing shared by the batched structure-of-arrays classic-control
 * vector envs (`CartPoleVectorEnv`, `PendulumVectorEnv`, `MountainCarVectorEnv`,
 * `MountainCarContinuousVectorEnv`, `AcrobotVectorEnv`): options, seeding, action validation, the
 * time limit, episode statistics, the three autoreset modes and the batched infos.
 *
 * Source: Gymnasium 1.x, `gymnasium/envs/classic_control/cartpole.py` (`CartPoleVectorEnv`, the
 * model of a `vector_entry_point`) and `gymnasium/vector/sync_vector_env.py` (autoreset modes,
 * `reset_mask`). The results are those of Proximal's `SyncVectorEnv` over
 * `RecordEpisodeStatistics(make(id))` sub-envs: same seeds and actions give the same observations,
 * rewards, flags and infos.
 */
import { Random } from '@proximal/core';
import type { Box } from '../spaces/box.js';
import { Discrete } from '../spaces/discrete.js';
import { formatValue } from '../utils/format.js';
import { checkSeed, resetSeedOf } from '../vector/seeds.js';
import {
  AUTORESET_MODES,
  type AutoresetMode,
  type VectorEnv,
  type VectorInfo,
  type VectorResetOptions,
  type VectorResetResult,
  type VectorStepResult,
} from '../vector/vector-env.js';

/** A batch of actions: numEnvs · actionDim numbers, sub-env i's action at `i * actionDim`. */
export type VectorActions = Int32Array | Float32Array | Float64Array | readonly number[];

/** Options every batched classic-control vector env accepts. */
export interface ClassicControlVectorEnvOptions {
  /** Number of sub-envs, a positive integer (default 1). */
  numEnvs?: number;
  /** Default `'next-step'`; see {@link AutoresetMode}. */
  autoresetMode?: AutoresetMode;
  /** Seed of the first `reset()` called without one (sub-env i gets seed + i). */
  seed?: number;
  /** Steps after which an episode is truncated (default: the registered env's limit). */
  maxEpisodeSteps?: number;
}

/**
 * What a subclass tells {@link ClassicControlVectorEnv}'s constructor about its env.
 * @typeParam P the parsed reset options of the env.
 */
export interface ClassicControlVectorEnvSpec<P = unknown> {
  /** Class name used in messages, e.g. `'CartPoleVectorEnv'`. */
  name: string;
  /** Constructor options of the subclass beyond {@link ClassicControlVectorEnvOptions}. */
  extraOptions: readonly string[];
  /** `maxEpisodeSteps` when the option is absent (the registered env's `TimeLimit`). */
  defaultMaxEpisodeSteps: number;
  /** Observation space of one sub-env; its size is `obsDim`. */
  observationSpace: Box;
  /** Action space of one sub-env: a `Discrete` (one integer per sub-env) or a `Box` of shape (d,). */
  actionSpace: Discrete | Box;
  /** Gymnasium's `metadata.render_fps` of the env. */
  renderFps: number;
  /**
   * Reads the env's reset options (`reset({ options })` without `resetMask`), as the single env's
   * `reset` does, e.g. `[low, high]`; called with `{}` for the defaults of autoresets.
   * @throws TypeError/RangeError for bad values.
   */
  resetParams: (options: Record<string, unknown>) => P;
}

/**
 * The per-sub-env arrays a step kernel reads and writes. One class for every env, so that the
 * shared code stays monomorphic when several vector env classes run in one process.
 */
export class VectorEnvBuffers {
  /** float32 [numEnvs · obsDim], row i = sub-env i's observation (returned by `step` / `reset`). */
  readonly observations: Float32Array;
  /** float64 [numEnvs]: the kernel writes each stepped sub-env's reward here. */
  readonly stepRewards: Float64Array;
  /** 0/1 [numEnvs]: the kernel writes whether each stepped sub-env terminated. */
  readonly terminated: Uint8Array;
  /**
   * 0/1 [numEnvs]: sub-envs whose episode ended at the previous step and that this step resets
   * (mode `'next-step'`); the kernel must leave them (and ignore their actions).
   */
  readonly needsReset: Uint8Array;
  /** float32 [numEnvs], the returned rewards. */
  readonly rewards: Float32Array;
  /** 0/1 [numEnvs], the returned truncation flags. */
  readonly truncated: Uint8Array;
  /** Steps of the current episode of each sub-env. */
  readonly steps: Int32Array;
  /** Return (float64 sum of rewards) of the current episode of each sub-env. */
  readonly returns: Float64Array;
  /** `performance.now()` at each sub-env's last reset. */
  readonly starts: Float64Array;
  /** Scratch list of sub-env indices (resets of this call). */
  readonly resetList: Int32Array;
  /** Sub-envs whose episode ended in the last call (their info rows are cleared by the next). */
  readonly endedList: Int32Array;
  /** Number of valid entries of `endedList`. */
  endedCount = 0;
  /** Number of sub-envs with `needsReset` set. */
  pending = 0;

  /**
   * @param numEnvs number of sub-envs.
   * @param obsDim values per observation.
   */
  constructor(numEnvs: number, obsDim: number) {
    this.observations = new Float32Array(numEnvs * obsDim);
    this.stepRewards = new Float64Array(numEnvs);
    this.terminated = new Uint8Array(numEnvs);
    this.needsReset = new Uint8Array(numEnvs);
    this.rewards = new Float32Array(numEnvs);
    this.truncated = new Uint8Array(numEnvs);
    this.steps = new Int32Array(numEnvs);
    this.returns = new Float64Array(numEnvs);
    this.starts = new Float64Array(numEnvs);
    this.resetList = new Int32Array(numEnvs);
    this.endedList = new Int32Array(numEnvs);
  }
}

/** `infos.episode` columns (return, length, seconds) and their masks, reused from call to call. */
class EpisodeColumns {
  readonly r: Float64Array;
  readonly l: Int32Array;
  readonly t: Float64Array;
  readonly maskR: Uint8Array;
  readonly maskL: Uint8Array;
  readonly maskT: Uint8Array;
  /** The `_episode` mask. */
  readonly mask: Uint8Array;

  constructor(n: number) {
    this.r = new Float64Array(n);
    this.l = new Int32Array(n);
    this.t = new Float64Array(n);
    this.maskR = new Uint8Array(n);
    this.maskL = new Uint8Array(n);
    this.maskT = new Uint8Array(n);
    this.mask = new Uint8Array(n);
  }

  /** Reports an episode of sub-env i: return r, length l, t seconds. */
  write(i: number, r: number, l: number, t: number): void {
    this.set(i, r, l, t, 1);
  }

  /** Clears row i (nothing reported for sub-env i). */
  clear(i: number): void {
    this.set(i, 0, 0, 0, 0);
  }

  /** Writes row i: the three columns and, as `mask` (0 or 1), the four masks. */
  private set(i: number, r: number, l: number, t: number, mask: number): void {
    this.r[i] = r;
    this.l[i] = l;
    this.t[i] = t;
    this.maskR[i] = mask;
    this.maskL[i] = mask;
    this.maskT[i] = mask;
    this.mask[i] = mask;
  }

  /** Adds `episode` and `_episode` to `target` (the layout `VectorInfoBuilder` produces). */
  addTo(target: VectorInfo): void {
    target.episode = { r: this.r, _r: this.maskR, l: this.l, _l: this.maskL, t: this.t, _t: this.maskT };
    target._episode = this.mask;
  }
}

/** Autoresets sub-envs `indices[0 .. count)` to the env's default reset distribution. */
type AutoresetFn = (indices: Int32Array, count: number) => void;

/**
 * Everything `step()` touches besides the env's kernels: configuration, call-order flags, action
 * validation, the bookkeeping after the kernel and the infos. One class for every vector env, so
 * that this code stays monomorphic when several vector env classes run in one process.
 */
class StepCore {
  readonly buffers: VectorEnvBuffers;
  readonly episode: EpisodeColumns;
  readonly finalEpisode: EpisodeColumns | undefined;
  readonly finalInfoMask: Uint8Array;
  readonly finalObservation: Float32Array;
  readonly finalObservationMask: Uint8Array;
  readonly discrete: boolean;
  /** Action bounds: `[start, start + n − 1]` for `Discrete`, the float32 bounds for `Box`. */
  readonly actionLow: Float64Array | Float32Array;
  readonly actionHigh: Float64Array | Float32Array;
  readonly actionDim: number;
  started = false;
  closed = false;

  constructor(
    readonly name: string,
    readonly numEnvs: number,
    readonly obsDim: number,
    readonly actionSpace: Discrete | Box,
    readonly maxEpisodeSteps: number,
    readonly autoresetMode: AutoresetMode,
  ) {
    const n = numEnvs;
    this.buffers = new VectorEnvBuffers(n, obsDim);
    this.discrete = actionSpace instanceof Discrete;
    if (actionSpace instanceof Discrete) {
      this.actionDim = 1;
      this.actionLow = Float64Array.of(actionSpace.start);
      this.actionHigh = Float64Array.of(actionSpace.start + actionSpace.n - 1);
    } else {
      this.actionDim = actionSpace.size;
      this.actionLow = actionSpace.low;
      this.actionHigh = actionSpace.high;
    }
    this.episode = new EpisodeColumns(n);
    const sameStep = autoresetMode === 'same-step';
    this.finalEpisode = sameStep ? new EpisodeColumns(n) : undefined;
    this.finalInfoMask = new Uint8Array(sameStep ? n : 0);
    this.finalObservation = new Float32Array(sameStep ? n * obsDim : 0);
    this.finalObservationMask = new Uint8Array(sameStep ? n : 0);
  }

  /** @throws Error after `close()`. */
  assertOpen(method: string): void {
    if (this.closed) throw new Error(`${this.name}: ${method}() called after close()`);
  }

  /**
   * Everything `step()` does before the kernel: call order, the actions, clearing the previous
   * call's info rows.
   * @throws see `ClassicControlVectorEnv.step`.
   */
  begin(actions: VectorActions): void {
    if (this.closed) this.assertOpen('step');
    if (!this.started) throw new Error(`${this.name}: step() called before reset(); call reset() first`);
    if (actions === null || typeof actions !== 'object' || typeof actions.length !== 'number') {
      throw new TypeError(`actions must be an array or typed array, got ${formatValue(actions)}`);
    }
    const n = this.numEnvs;
    const d = this.actionDim;
    if (actions.length !== n * d) {
      throw new RangeError(
        `actions has length ${actions.length}, expected ${n * d} (numEnvs = ${n} × action size ${d})`,
      );
    }
    const b = this.buffers;
    if (this.autoresetMode === 'disabled' && b.pending > 0) {
      const first = b.needsReset.indexOf(1);
      this.checkActions(actions, first);
      throw new Error(
        `${this.name}: sub-env ${first} ended at the previous step and autoresetMode is 'disabled'; reset it with reset({ options: { resetMask } }) first`,
      );
    }
    this.checkActions(actions, n);
    this.clearEndedRows();
  }

  /**
   * Everything `step()` does after the kernel: rewards, returns, lengths, truncation, the autoresets
   * of this call (through `autoreset`) and the infos.
   */
  finish(autoreset: AutoresetFn): VectorStepResult {
    const b = this.buffers;
    const n = this.numEnvs;
    const { needsReset, stepRewards, rewards, returns, steps } = b;
    const { terminated, truncated, resetList, endedList } = b;
    const maxSteps = this.maxEpisodeSteps;
    let resets = 0;
    let ended = 0;
    for (let i = 0; i < n; i++) {
      if (needsReset[i] !== 0) {
        resetList[resets++] = i;
        continue;
      }
      const r = stepRewards[i];
      rewards[i] = r;
      returns[i] += r;
      const s = steps[i] + 1;
      steps[i] = s;
      if (s >= maxSteps) {
        truncated[i] = 1;
        endedList[ended++] = i;
      } else {
        truncated[i] = 0;
        if (terminated[i] !== 0) endedList[ended++] = i;
      }
    }
    b.endedCount = ended;
    if (resets === 0 && ended === 0) {
      return { observations: b.observations, rewards, terminated, truncated, infos: {} };
    }
    const now = performance.now();
    if (resets > 0) {
      autoreset(resetList, resets);
      this.clearFlags(resetList, resets, now);
    }
    const infos: VectorInfo = {};
    if (ended > 0) this.endEpisodes(infos, now, autoreset);
    else b.pending = 0;
    return { observations: b.observations, rewards, terminated, truncated, infos };
  }

  /** Clears the step results of the listed sub-envs after their reset and restarts their episodes. */
  clearFlags(list: Int32Array, count: number, now: number): void {
    const b = this.buffers;
    for (let k = 0; k < count; k++) {
      const i = list[k];
      b.rewards[i] = 0;
      b.terminated[i] = 0;
      b.truncated[i] = 0;
      b.needsReset[i] = 0;
      this.restartEpisode(i, now);
    }
  }

  /** Starts a new episode for sub-env i: step count 0, return 0, clock started at `now`. */
  private restartEpisode(i: number, now: number): void {
    const b = this.buffers;
    b.steps[i] = 0;
    b.returns[i] = 0;
    b.starts[i] = now;
  }

  /** Zeroes the info rows written for the sub-envs that ended in the previous call. */
  clearEndedRows(): void {
    const b = this.buffers;
    const count = b.endedCount;
    if (count === 0) return;
    const list = b.endedList;
    const final = this.finalEpisode;
    const d = this.obsDim;
    for (let k = 0; k < count; k++) {
      const i = list[k];
      this.episode.clear(i);
      if (final !== undefined) {
        final.clear(i);
        this.finalInfoMask[i] = 0;
        this.finalObservationMask[i] = 0;
        this.finalObservation.fill(0, i * d, i * d + d);
      }
    }
    b.endedCount = 0;
  }

  /**
   * Checks the actions of sub-envs [0, end) (skipping those being reset) against the action space.
   * @throws TypeError/RangeError from the space's `assertContains`, naming `actions[i]`.
   */
  private checkActions(actions: VectorActions, end: number): void {
    const lo = this.actionLow;
    const hi = this.actionHigh;
    if (this.discrete) {
      const low = lo[0];
      const high = hi[0];
      for (let i = 0; i < end; i++) {
        const a = actions[i];
        if (!(typeof a === 'number' && a >= low && a <= high && (a | 0) === a)) this.checkAction(actions, i);
      }
      return;
    }
    const d = this.actionDim;
    for (let i = 0; i < end; i++) {
      for (let k = 0; k < d; k++) {
        const a = actions[i * d + k];
        if (typeof a !== 'number') {
          this.checkAction(actions, i);
          break;
        }
        const f = Math.fround(a);
        if (!(f >= lo[k] && f <= hi[k])) {
          this.checkAction(actions, i);
          break;
        }
      }
    }
  }

  /** The slow path of {@link checkActions} for sub-env i (ignored when it is being reset). */
  private checkAction(actions: VectorActions, i: number): void {
    if (this.buffers.needsReset[i] !== 0) return;
    const space = this.actionSpace;
    if (space instanceof Discrete) {
      space.assertContains(actions[i], `actions[${i}]`);
      return;
    }
    const d = this.actionDim;
    const row = new Float32Array(d);
    for (let k = 0; k < d; k++) {
      const v = actions[i * d + k];
      if (typeof v !== 'number') {
        throw new TypeError(`actions[${i * d + k}] must be a number, got ${formatValue(v)} (${space})`);
      }
      row[k] = v;
    }
    space.assertContains(row, `actions[${i}]`);
  }

  /** Reports the episodes in `buffers.endedList` and resets them (same-step) or marks them. */
  private endEpisodes(infos: VectorInfo, now: number, autoreset: AutoresetFn): void {
    const b = this.buffers;
    const list = b.endedList;
    const count = b.endedCount;
    const episode = this.episode;
    const final = this.finalEpisode;
    for (let k = 0; k < count; k++) {
      const i = list[k];
      const seconds = Math.round((now - b.starts[i]) * 1e3) / 1e6;
      episode.write(i, b.returns[i], b.steps[i], seconds);
      if (final !== undefined) final.write(i, b.returns[i], b.steps[i], seconds);
    }
    if (final === undefined) {
      for (let k = 0; k < count; k++) b.needsReset[list[k]] = 1;
      b.pending = count;
      episode.addTo(infos);
      return;
    }
    // 'same-step': keep the last observations, reset in this call, keep the step's results.
    const d = this.obsDim;
    const obs = b.observations;
    for (let k = 0; k < count; k++) {
      const i = list[k];
      this.finalObservation.set(obs.subarray(i * d, i * d + d), i * d);
      this.finalObservationMask[i] = 1;
      this.finalInfoMask[i] = 1;
    }
    autoreset(list, count);
    for (let k = 0; k < count; k++) this.restartEpisode(list[k], now);
    b.pending = 0;
    const finalInfo: VectorInfo = {};
    final.addTo(finalInfo);
    infos.finalInfo = finalInfo;
    infos._finalInfo = this.finalInfoMask;
    episode.addTo(infos);
    infos.finalObservation = this.finalObservation;
    infos.finalObservationMask = this.finalObservationMask;
    infos._finalObservation = this.finalObservationMask;
  }
}

function isFlagArray(x: unknown): x is ArrayLike<unknown> {
  return Array.isArray(x) || (ArrayBuffer.isView(x) && !(x instanceof DataView));
}

/**
 * Base class of the batched classic-control vector envs: `numEnvs` copies of one env whose states
 * live in float64 structure-of-arrays fields of the subclass and are advanced by one loop per
 * `step()`. Implements {@link VectorEnv} with the behaviour of `SyncVectorEnv` over
 * `RecordEpisodeStatistics(make(id))` sub-envs:
 *
 * - `reset({ seed })`: sub-env i is seeded with seed + i (or `seed[i]`), each sub-env with its own
 *   generator, so trajectories equal those of `SyncVectorEnv` / `AsyncVectorEnv`;
 *   `options.resetMask` resets only the marked sub-envs; other options go to the env's reset
 *   distribution (e.g. `low` / `high`).
 * - `step(actions)`: validates every action first (a bad one throws and nothing is stepped), steps
 *   the sub-envs, truncates at `maxEpisodeSteps`, and autoresets per `autoresetMode`.
 * - `infos`: empty when no episode ended; otherwise `episode` = { r, l, t, _r, _l, _t } and
 *   `_episode` for the sub-envs that ended (return float64, length int32, seconds float64; the
 *   seconds are measured with one clock reading per call); in `'same-step'` mode also
 *   `finalObservation`, `finalObservationMask`, `_finalObservation`, `finalInfo` and `_finalInfo`.
 *
 * Every returned array (observations, rewards, flags, info columns) is a preallocated buffer that
 * the next `step()` / `reset()` overwrites, as for every Proximal vector env (Gymnasium's vector
 * envs return new arrays): copy what you keep.
 *
 * Subclasses implement {@link simulate} (one step of every sub-env not being reset) and
 * {@link resetEnvs} (initial states), and give their reset options' parser as `spec.resetParams`.
 *
 * @typeParam P the parsed reset options of the env (e.g. `[low, high]`).
 */
export abstract class ClassicControlVectorEnv<P> implements VectorEnv {
  /** Number of sub-envs (the batch size of every returned array). */
  readonly numEnvs: number;
  /** Observation space of one sub-env. */
  readonly singleObservationSpace: Box;
  /** Action space of one sub-env. */
  readonly singleActionSpace: Discrete | Box;
  /** How ended sub-envs are reset (default `'next-step'`). */
  readonly autoresetMode: AutoresetMode;
  /** Gymnasium's vector `metadata`: the autoreset mode; no render modes. */
  readonly metadata: { autoresetMode: AutoresetMode; renderModes: string[]; renderFps: number };
  /** Values per observation (`prod(singleObservationSpace.shape)`). */
  readonly obsDim: number;
  /** Values per action (1 for `Discrete`). */
  readonly actionDim: number;
  /** The truncation limit: an episode is truncated at its `maxEpisodeSteps`-th step. */
  readonly maxEpisodeSteps: number;

  /** The arrays shared with the subclass's kernels. */
  protected readonly buffers: VectorEnvBuffers;

  private readonly core: StepCore;
  private readonly autoreset: AutoresetFn;
  private readonly resetParams: (options: Record<string, unknown>) => P;
  private readonly rngs: (Random | undefined)[];
  private pendingSeed: number | undefined;

  /**
   * @param options the constructor options (see {@link ClassicControlVectorEnvOptions} plus
   *   `spec.extraOptions`).
   * @param spec the env's description.
   * @throws TypeError for an unknown option; RangeError for a bad `numEnvs`, `maxEpisodeSteps`,
   *   seed or autoreset mode.
   */
  protected constructor(options: ClassicControlVectorEnvOptions, spec: ClassicControlVectorEnvSpec<P>) {
    const name = spec.name;
    const allowed = ['numEnvs', 'autoresetMode', 'seed', 'maxEpisodeSteps', ...spec.extraOptions];
    for (const key of Object.keys(options)) {
      if (!allowed.includes(key)) {
        throw new TypeError(
          `${name}: unknown option ${formatValue(key)}; the options are ${allowed.join(', ')}`,
        );
      }
    }
    const {
      numEnvs = 1,
      autoresetMode = 'next-step',
      seed,
      maxEpisodeSteps = spec.defaultMaxEpisodeSteps,
    } = options;
    if (!Number.isSafeInteger(numEnvs) || numEnvs <= 0) {
      throw new RangeError(`${name}: numEnvs must be a positive integer, got ${formatValue(numEnvs)}`);
    }
    if (!AUTORESET_MODES.includes(autoresetMode)) {
      throw new RangeError(
        `${name}: autoresetMode must be one of ${AUTORESET_MODES.join(', ')}, got ${formatValue(autoresetMode)}`,
      );
    }
    if (!Number.isSafeInteger(maxEpisodeSteps) || maxEpisodeSteps <= 0) {
      throw new RangeError(
        `${name}: maxEpisodeSteps must be a positive integer, got ${formatValue(maxEpisodeSteps)}`,
      );
    }
    if (seed !== undefined) checkSeed(seed, `${name}: seed`);
    this.numEnvs = numEnvs;
    this.autoresetMode = autoresetMode;
    this.maxEpisodeSteps = maxEpisodeSteps;
    this.metadata = { autoresetMode, renderModes: [], renderFps: spec.renderFps };
    this.singleObservationSpace = spec.observationSpace;
    this.singleActionSpace = spec.actionSpace;
    this.obsDim = spec.observationSpace.size;
    this.core = new StepCore(name, numEnvs, this.obsDim, spec.actionSpace, maxEpisodeSteps, autoresetMode);
    this.actionDim = this.core.actionDim;
    this.buffers = this.core.buffers;
    this.resetParams = spec.resetParams;
    const defaults = spec.resetParams({});
    this.autoreset = (indices, count) => this.resetEnvs(indices, count, defaults);
    this.rngs = new Array<Random | undefined>(numEnvs).fill(undefined);
    this.pendingSeed = seed;
  }

  /**
   * Resets every sub-env (or those marked in `options.options.resetMask`).
   * @param options see {@link VectorResetOptions}; a number seed s gives sub-env i the seed s + i;
   *   `options.options` (without `resetMask`) sets the reset distribution as the single env's
   *   `reset({ options })` does.
   * @returns `observations` float32 [numEnvs · obsDim] (reused array) and empty infos.
   * @throws Error after `close()`; RangeError for a bad seed, or a seed array or `resetMask` whose
   *   length is not numEnvs; TypeError for a `resetMask` that is not an array; the env's errors for
   *   bad reset options (e.g. RangeError for `low > high`).
   */
  reset(options: VectorResetOptions = {}): VectorResetResult {
    const core = this.core;
    core.assertOpen('reset');
    const n = this.numEnvs;
    let seed = options.seed;
    if (seed === undefined && this.pendingSeed !== undefined) seed = this.pendingSeed;
    const seedOf = resetSeedOf(seed, n);
    const { resetMask, ...rest } = options.options ?? {};
    let mask: ArrayLike<unknown> | undefined;
    if (resetMask !== undefined) {
      if (!isFlagArray(resetMask)) {
        throw new TypeError(
          `options.resetMask must be an array of numEnvs = ${n} flags, got ${formatValue(resetMask)}`,
        );
      }
      mask = resetMask;
      if (mask.length !== n) {
        throw new RangeError(`options.resetMask has length ${mask.length}, expected numEnvs = ${n}`);
      }
    }
    const params = this.resetParams(rest);
    this.pendingSeed = undefined;
    core.clearEndedRows();
    const b = this.buffers;
    const list = b.resetList;
    let count = 0;
    for (let i = 0; i < n; i++) {
      if (mask !== undefined && !mask[i]) continue;
      const s = seedOf(i);
      if (s !== undefined) this.rngs[i] = new Random(s);
      list[count++] = i;
    }
    this.resetEnvs(list, count, params);
    core.clearFlags(list, count, performance.now());
    let pending = 0;
    for (let i = 0; i < n; i++) pending += b.needsReset[i];
    b.pending = pending;
    core.started = true;
    return { observations: b.observations, infos: {} };
  }

  /**
   * Steps every sub-env with its action, autoresetting ended sub-envs per `autoresetMode`.
   * @param actions numEnvs · actionDim values, sub-env i's action at `i * actionDim` (one integer
   *   per sub-env for `Discrete`; `Box` actions are rounded to float32 as `SyncVectorEnv` does). All
   *   actions are checked against `singleActionSpace` before any sub-env is stepped; actions of
   *   sub-envs being autoreset are ignored.
   * @returns see {@link VectorStepResult}; every array is overwritten by the next call.
   * @throws Error before `reset()`, after `close()`, or (mode `'disabled'`) when an ended sub-env
   *   is stepped; TypeError when `actions` is not an array; RangeError when its length is not
   *   numEnvs · actionDim; TypeError/RangeError naming `actions[i]`, the value and the space for an
   *   action outside `singleActionSpace` (nothing is stepped then).
   */
  step(actions: VectorActions): VectorStepResult {
    const core = this.core;
    core.begin(actions);
    this.simulate(actions);
    return core.finish(this.autoreset);
  }

  /** Ends the env; further `reset()` / `step()` calls throw. Idempotent. */
  close(): void {
    this.core.closed = true;
  }

  /** Whether `close()` was called. */
  get isClosed(): boolean {
    return this.core.closed;
  }

  /**
   * Advances by one step every sub-env i with `buffers.needsReset[i] === 0`: updates its state,
   * writes its observation row, `buffers.stepRewards[i]` and `buffers.terminated[i]` (0/1). The
   * actions are valid for those sub-envs (others may hold anything and must be ignored).
   *
   * Performance: the loop should call the env's step and reward functions (shared with the single
   * env, e.g. `step` of `cartpole-dynamics.ts`) through locals copied before the loop: V8 re-reads
   * an imported binding and checks that it is initialized at every use, which costs a few percent
   * of a batched step.
   */
  protected abstract simulate(actions: VectorActions): void;

  /**
   * Draws initial states for sub-envs `indices[0 .. count)` with {@link rngOf} and writes their
   * observation rows.
   */
  protected abstract resetEnvs(indices: Int32Array, count: number, params: P): void;

  /** Sub-env i's generator (seeded by `reset({ seed })`, else created from a random seed). */
  protected rngOf(i: number): Random {
    let rng = this.rngs[i];
    if (rng === undefined) {
      rng = new Random();
      this.rngs[i] = rng;
    }
    return rng;
  }
}
