/**
 * `CartPoleVectorEnv`: many CartPoles stepped together in structure-of-arrays form.
 *
 * Source: Gymnasium 1.x, `gymnasium/envs/classic_control/cartpole.py` (`CartPoleVectorEnv`, the
 * `vector_entry_point` of `CartPole-v1`). The per-sub-env dynamics, seeding (sub-env i gets seed
 * s + i), time limit, autoreset modes and infos follow Proximal's `SyncVectorEnv` over
 * `RecordEpisodeStatistics(make('CartPole-v1'))`, so both give the same trajectories.
 */

import { Random } from '@proximal/core';
import { Box } from '../spaces/box.js';
import { Discrete } from '../spaces/discrete.js';
import { formatValue } from '../utils/format.js';
import { VectorInfoBuilder } from '../vector/infos.js';
import { checkSeed, resetSeedOf } from '../vector/seeds.js';
import {
  AUTORESET_MODES,
  type AutoresetMode,
  type VectorEnv,
  type VectorResetOptions,
  type VectorResetResult,
  type VectorStepResult,
} from '../vector/vector-env.js';
import { FLOAT32_MAX } from './cartpole.js';
import { parseResetBounds } from './utils.js';

/** Options of {@link CartPoleVectorEnv}. */
export interface CartPoleVectorEnvOptions {
  /** Number of sub-envs, a positive integer (default 1). */
  numEnvs?: number;
  /** Default `'next-step'`; see {@link AutoresetMode}. */
  autoresetMode?: AutoresetMode;
  /** Seed of the first `reset()` called without one (sub-env i gets seed + i). */
  seed?: number;
  /** Steps after which an episode is truncated (default 500, `CartPole-v1`'s). */
  maxEpisodeSteps?: number;
  /** Reward 0 per step and −1 on termination instead of 1 per step (default false). */
  suttonBartoReward?: boolean;
}

const GRAVITY = 9.8;
const MASSPOLE = 0.1;
const TOTAL_MASS = 0.1 + 1.0;
const LENGTH = 0.5;
const POLEMASS_LENGTH = 0.1 * 0.5;
const FORCE_MAG = 10.0;
const TAU = 0.02;
const THETA_THRESHOLD = (12 * 2 * Math.PI) / 360;
const X_THRESHOLD = 2.4;

/**
 * `numEnvs` CartPoles whose states live in four float64 arrays (x, xDot, theta, thetaDot) and are
 * stepped in one loop, with the `VectorEnv` interface of `SyncVectorEnv`: returned arrays are
 * reused by the next call; `infos.episode` / `infos._episode` report finished episodes (return,
 * length, seconds); `'same-step'` mode adds `finalObservation`, `finalObservationMask` and
 * `finalInfo`; `'disabled'` mode needs `reset({ options: { resetMask } })`.
 *
 * @example
 * const vec = makeVec('CartPole-v1', { numEnvs: 64, vectorizationMode: 'vector' });
 * vec.reset({ seed: 0 });
 * vec.step(new Int32Array(64));
 */
export class CartPoleVectorEnv implements VectorEnv {
  readonly numEnvs: number;
  /** `Box(-high, high, (4,))` of one CartPole. */
  readonly singleObservationSpace: Box;
  /** `Discrete(2)`. */
  readonly singleActionSpace = new Discrete(2);
  readonly autoresetMode: AutoresetMode;
  /** Gymnasium's vector `metadata`. */
  readonly metadata: { autoresetMode: AutoresetMode; renderModes: string[]; renderFps: number };
  /** 4 values per observation. */
  readonly obsDim = 4;
  /** 1 value per action. */
  readonly actionDim = 1;
  /** The truncation limit. */
  readonly maxEpisodeSteps: number;
  /** Whether the Sutton–Barto reward is used. */
  readonly suttonBartoReward: boolean;

  /** Cart positions, one per sub-env (read/write). */
  readonly x: Float64Array;
  /** Cart velocities. */
  readonly xDot: Float64Array;
  /** Pole angles. */
  readonly theta: Float64Array;
  /** Pole angular velocities. */
  readonly thetaDot: Float64Array;

  private readonly rngs: (Random | undefined)[];
  private readonly steps: Int32Array;
  private readonly returns: Float64Array;
  private readonly starts: Float64Array;
  private readonly observations: Float32Array;
  private readonly rewards: Float32Array;
  private readonly terminated: Uint8Array;
  private readonly truncated: Uint8Array;
  private readonly needsReset: Uint8Array;
  private readonly finalObservation: Float32Array;
  private readonly finalObservationMask: Uint8Array;
  private readonly infoBuilder: VectorInfoBuilder;
  private finalRowsDirty = false;
  private pendingSeed: number | undefined;
  private started = false;
  private closed = false;

  /**
   * @param options see {@link CartPoleVectorEnvOptions}.
   * @throws RangeError for a bad `numEnvs`, `maxEpisodeSteps`, seed or autoreset mode; TypeError
   *   for a non-boolean `suttonBartoReward` or an unknown option.
   */
  constructor(options: CartPoleVectorEnvOptions = {}) {
    const allowed = ['numEnvs', 'autoresetMode', 'seed', 'maxEpisodeSteps', 'suttonBartoReward'];
    for (const key of Object.keys(options)) {
      if (!allowed.includes(key)) {
        throw new TypeError(
          `CartPoleVectorEnv: unknown option ${formatValue(key)}; the options are ${allowed.join(', ')}`,
        );
      }
    }
    const { numEnvs = 1, autoresetMode = 'next-step', seed, maxEpisodeSteps = 500 } = options;
    if (!Number.isSafeInteger(numEnvs) || numEnvs <= 0) {
      throw new RangeError(
        `CartPoleVectorEnv: numEnvs must be a positive integer, got ${formatValue(numEnvs)}`,
      );
    }
    if (!AUTORESET_MODES.includes(autoresetMode)) {
      throw new RangeError(
        `CartPoleVectorEnv: autoresetMode must be one of ${AUTORESET_MODES.join(', ')}, got ${formatValue(autoresetMode)}`,
      );
    }
    if (!Number.isSafeInteger(maxEpisodeSteps) || maxEpisodeSteps <= 0) {
      throw new RangeError(
        `CartPoleVectorEnv: maxEpisodeSteps must be a positive integer, got ${formatValue(maxEpisodeSteps)}`,
      );
    }
    if (seed !== undefined) checkSeed(seed, 'CartPoleVectorEnv: seed');
    const sb = options.suttonBartoReward ?? false;
    if (typeof sb !== 'boolean') {
      throw new TypeError(`CartPoleVectorEnv: suttonBartoReward must be a boolean, got ${formatValue(sb)}`);
    }
    this.numEnvs = numEnvs;
    this.autoresetMode = autoresetMode;
    this.maxEpisodeSteps = maxEpisodeSteps;
    this.suttonBartoReward = sb;
    this.metadata = { autoresetMode, renderModes: [], renderFps: 50 };
    const high = [X_THRESHOLD * 2, FLOAT32_MAX, THETA_THRESHOLD * 2, FLOAT32_MAX];
    this.singleObservationSpace = new Box(
      high.map((h) => -h),
      high,
    );
    const n = numEnvs;
    this.x = new Float64Array(n);
    this.xDot = new Float64Array(n);
    this.theta = new Float64Array(n);
    this.thetaDot = new Float64Array(n);
    this.rngs = new Array<Random | undefined>(n).fill(undefined);
    this.steps = new Int32Array(n);
    this.returns = new Float64Array(n);
    this.starts = new Float64Array(n);
    this.observations = new Float32Array(n * 4);
    this.rewards = new Float32Array(n);
    this.terminated = new Uint8Array(n);
    this.truncated = new Uint8Array(n);
    this.needsReset = new Uint8Array(n);
    this.finalObservation = new Float32Array(autoresetMode === 'same-step' ? n * 4 : 0);
    this.finalObservationMask = new Uint8Array(n);
    this.infoBuilder = new VectorInfoBuilder(n);
    this.pendingSeed = seed;
  }

  /**
   * Resets every sub-env (or those marked in `options.options.resetMask`): each state variable
   * uniform in [low, high) (default ±0.05, or `options.options.low` / `high`).
   * @returns `observations` float32 [numEnvs · 4] (reused) and empty batched infos.
   * @throws Error after `close()`; RangeError for a bad seed, a seed array or `resetMask` of the
   *   wrong length, or `low > high`.
   */
  reset(options: VectorResetOptions = {}): VectorResetResult {
    this.assertOpen('reset');
    const n = this.numEnvs;
    let seed = options.seed;
    if (seed === undefined && this.pendingSeed !== undefined) seed = this.pendingSeed;
    this.pendingSeed = undefined;
    const seedOf = resetSeedOf(seed, n);
    const { resetMask, ...rest } = options.options ?? {};
    let mask: ArrayLike<unknown> | undefined;
    if (resetMask !== undefined) {
      const arrayLike =
        Array.isArray(resetMask) || (ArrayBuffer.isView(resetMask) && !(resetMask instanceof DataView));
      if (!arrayLike) {
        throw new TypeError(
          `options.resetMask must be an array of numEnvs = ${n} flags, got ${formatValue(resetMask)}`,
        );
      }
      mask = resetMask as ArrayLike<unknown>;
      if (mask.length !== n) {
        throw new RangeError(`options.resetMask has length ${mask.length}, expected numEnvs = ${n}`);
      }
    }
    const [low, high] = parseResetBounds(rest, -0.05, 0.05);
    const infos = this.infoBuilder.begin();
    this.clearFinalRows();
    for (let i = 0; i < n; i++) {
      if (mask !== undefined && !mask[i]) continue;
      const s = seedOf(i);
      if (s !== undefined) this.rngs[i] = new Random(s);
      this.resetOne(i, low, high);
    }
    this.started = true;
    return { observations: this.observations, infos };
  }

  /**
   * Steps every sub-env (a push left for 0, right for 1), autoresetting per `autoresetMode`.
   * @param actions numEnvs integers in {0, 1} (actions of sub-envs being autoreset are ignored).
   * @returns see {@link VectorStepResult}; every array is reused by the next call.
   * @throws Error before `reset()`, after `close()` or (mode `'disabled'`) when an ended sub-env is
   *   stepped; TypeError/RangeError naming `actions` or `actions[i]` for bad actions (then nothing
   *   is stepped).
   */
  step(actions: Int32Array | Float32Array | Float64Array | readonly number[]): VectorStepResult {
    this.assertOpen('step');
    if (!this.started) throw new Error('CartPoleVectorEnv: step() called before reset(); call reset() first');
    if (actions === null || typeof actions !== 'object' || typeof actions.length !== 'number') {
      throw new TypeError(`actions must be an array or typed array, got ${formatValue(actions)}`);
    }
    const n = this.numEnvs;
    if (actions.length !== n) {
      throw new RangeError(
        `actions has length ${actions.length}, expected ${n} (numEnvs = ${n} × action size 1)`,
      );
    }
    const mode = this.autoresetMode;
    for (let i = 0; i < n; i++) {
      if (this.needsReset[i] === 1) {
        if (mode === 'disabled') {
          throw new Error(
            `CartPoleVectorEnv: sub-env ${i} ended at the previous step and autoresetMode is 'disabled'; reset it with reset({ options: { resetMask } }) first`,
          );
        }
        continue;
      }
      this.singleActionSpace.assertContains(actions[i], `actions[${i}]`);
    }
    const infos = this.infoBuilder.begin();
    this.clearFinalRows();
    let anyFinal = false;
    const obs = this.observations;
    for (let i = 0; i < n; i++) {
      if (this.needsReset[i] === 1) {
        this.resetOne(i, -0.05, 0.05);
        continue;
      }
      const x = this.x[i];
      const xDot = this.xDot[i];
      const theta = this.theta[i];
      const thetaDot = this.thetaDot[i];
      const force = actions[i] === 1 ? FORCE_MAG : -FORCE_MAG;
      const costheta = Math.cos(theta);
      const sintheta = Math.sin(theta);
      // Same operation order as CartPole.step, so that both round identically.
      const temp = (force + POLEMASS_LENGTH * (thetaDot * thetaDot) * sintheta) / TOTAL_MASS;
      const thetaacc =
        (GRAVITY * sintheta - costheta * temp) /
        (LENGTH * (4.0 / 3.0 - (MASSPOLE * (costheta * costheta)) / TOTAL_MASS));
      const xacc = temp - (POLEMASS_LENGTH * thetaacc * costheta) / TOTAL_MASS;
      const nx = x + TAU * xDot;
      const nxDot = xDot + TAU * xacc;
      const ntheta = theta + TAU * thetaDot;
      const nthetaDot = thetaDot + TAU * thetaacc;
      this.x[i] = nx;
      this.xDot[i] = nxDot;
      this.theta[i] = ntheta;
      this.thetaDot[i] = nthetaDot;
      const term =
        nx < -X_THRESHOLD || nx > X_THRESHOLD || ntheta < -THETA_THRESHOLD || ntheta > THETA_THRESHOLD;
      const reward = this.suttonBartoReward ? (term ? -1.0 : 0.0) : 1.0;
      this.steps[i] += 1;
      this.returns[i] += reward;
      const trunc = this.steps[i] >= this.maxEpisodeSteps;
      this.rewards[i] = reward;
      this.terminated[i] = term ? 1 : 0;
      this.truncated[i] = trunc ? 1 : 0;
      const o = i * 4;
      obs[o] = nx;
      obs[o + 1] = nxDot;
      obs[o + 2] = ntheta;
      obs[o + 3] = nthetaDot;
      if (!(term || trunc)) continue;
      const seconds = Math.round((performance.now() - this.starts[i]) * 1e3) / 1e6;
      const episode = { r: this.returns[i], l: this.steps[i], t: seconds };
      this.infoBuilder.addEntry(infos, 'episode', episode, i);
      if (mode === 'same-step') {
        this.finalObservation.set(obs.subarray(o, o + 4), o);
        this.finalObservationMask[i] = 1;
        anyFinal = true;
        this.infoBuilder.addEntry(infos, 'finalInfo', { episode }, i);
        const r = this.rewards[i];
        const tm = this.terminated[i];
        const tr = this.truncated[i];
        this.resetOne(i, -0.05, 0.05);
        this.rewards[i] = r;
        this.terminated[i] = tm;
        this.truncated[i] = tr;
      } else {
        this.needsReset[i] = 1;
      }
    }
    if (anyFinal) {
      infos.finalObservation = this.finalObservation;
      infos.finalObservationMask = this.finalObservationMask;
      infos._finalObservation = this.finalObservationMask;
      this.finalRowsDirty = true;
    }
    return {
      observations: obs,
      rewards: this.rewards,
      terminated: this.terminated,
      truncated: this.truncated,
      infos,
    };
  }

  /** Ends the env; further `reset()` / `step()` calls throw. Idempotent. */
  close(): void {
    this.closed = true;
  }

  /** Whether `close()` was called. */
  get isClosed(): boolean {
    return this.closed;
  }

  private assertOpen(method: string): void {
    if (this.closed) throw new Error(`CartPoleVectorEnv: ${method}() called after close()`);
  }

  private clearFinalRows(): void {
    if (!this.finalRowsDirty) return;
    this.finalObservation.fill(0);
    this.finalObservationMask.fill(0);
    this.finalRowsDirty = false;
  }

  private resetOne(i: number, low: number, high: number): void {
    let rng = this.rngs[i];
    if (rng === undefined) {
      rng = new Random();
      this.rngs[i] = rng;
    }
    this.x[i] = rng.uniformRange(low, high);
    this.xDot[i] = rng.uniformRange(low, high);
    this.theta[i] = rng.uniformRange(low, high);
    this.thetaDot[i] = rng.uniformRange(low, high);
    const o = i * 4;
    this.observations[o] = this.x[i];
    this.observations[o + 1] = this.xDot[i];
    this.observations[o + 2] = this.theta[i];
    this.observations[o + 3] = this.thetaDot[i];
    this.rewards[i] = 0;
    this.terminated[i] = 0;
    this.truncated[i] = 0;
    this.needsReset[i] = 0;
    this.steps[i] = 0;
    this.returns[i] = 0;
    this.starts[i] = performance.now();
  }
}
