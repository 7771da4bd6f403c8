/**
 * `CartPoleVectorEnv`: many CartPoles stepped together in structure-of-arrays form.
 *
 * Source: Gymnasium 1.x, `gymnasium/envs/classic_control/cartpole.py` (`CartPoleVectorEnv`, the
 * `vector_entry_point` of `CartPole-v1`). The per-sub-env dynamics, seeding (sub-env i gets seed
 * s + i), time limit, autoreset modes and infos follow Proximal's `SyncVectorEnv` over
 * `RecordEpisodeStatistics(make('CartPole-v1'))`, so both give the same trajectories.
 */

import { Box } from '../spaces/box.js';
import { Discrete } from '../spaces/discrete.js';
import { formatValue } from '../utils/format.js';
import { FLOAT32_MAX } from './cartpole.js';
import { parseResetBounds } from './utils.js';
import {
  ClassicControlVectorEnv,
  type ClassicControlVectorEnvOptions,
  type VectorActions,
} from './vector-env-base.js';

/** Options of {@link CartPoleVectorEnv}. */
export interface CartPoleVectorEnvOptions extends ClassicControlVectorEnvOptions {
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
 * stepped in one loop, with the `VectorEnv` behaviour of `SyncVectorEnv` (see
 * {@link ClassicControlVectorEnv}): observations float32 [numEnvs · 4], actions one integer in
 * {0, 1} per sub-env, reward 1 per step (or Sutton–Barto), truncation at `maxEpisodeSteps`
 * (default 500). Returned arrays are overwritten by the next call.
 *
 * @example
 * const vec = makeVec('CartPole-v1', { numEnvs: 64, vectorizationMode: 'vector' });
 * vec.reset({ seed: 0 });
 * vec.step(new Int32Array(64));
 */
export class CartPoleVectorEnv extends ClassicControlVectorEnv<readonly [number, number]> {
  /** `Box(-high, high, (4,))` of one CartPole, high = [4.8, f32max, 24° in rad, f32max]. */
  declare readonly singleObservationSpace: Box;
  /** `Discrete(2)`: 0 pushes left, 1 pushes right. */
  declare readonly singleActionSpace: Discrete;
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

  /** Autoresets draw each state variable from [−0.05, 0.05). */
  protected readonly defaultResetParams = [-0.05, 0.05] as const;

  /**
   * @param options see {@link CartPoleVectorEnvOptions}.
   * @throws RangeError for a bad `numEnvs`, `maxEpisodeSteps`, seed or autoreset mode; TypeError
   *   for a non-boolean `suttonBartoReward` or an unknown option.
   */
  constructor(options: CartPoleVectorEnvOptions = {}) {
    const high = [X_THRESHOLD * 2, FLOAT32_MAX, THETA_THRESHOLD * 2, FLOAT32_MAX];
    super(options, {
      name: 'CartPoleVectorEnv',
      extraOptions: ['suttonBartoReward'],
      defaultMaxEpisodeSteps: 500,
      observationSpace: new Box(
        high.map((h) => -h),
        high,
      ),
      actionSpace: new Discrete(2),
      renderFps: 50,
    });
    const sb = options.suttonBartoReward ?? false;
    if (typeof sb !== 'boolean') {
      throw new TypeError(`CartPoleVectorEnv: suttonBartoReward must be a boolean, got ${formatValue(sb)}`);
    }
    this.suttonBartoReward = sb;
    const n = this.numEnvs;
    this.x = new Float64Array(n);
    this.xDot = new Float64Array(n);
    this.theta = new Float64Array(n);
    this.thetaDot = new Float64Array(n);
  }

  /** Reset options `low` / `high` (default ±0.05), as `CartPole.reset`. */
  protected parseResetParams(options: Record<string, unknown>): readonly [number, number] {
    return parseResetBounds(options, -0.05, 0.05);
  }

  /** Each state variable uniform in [low, high), drawn in CartPole's order. */
  protected resetEnvs(indices: Int32Array, count: number, [low, high]: readonly [number, number]): void {
    const obs = this.buffers.observations;
    for (let k = 0; k < count; k++) {
      const i = indices[k];
      const rng = this.rngOf(i);
      const x = rng.uniformRange(low, high);
      const xDot = rng.uniformRange(low, high);
      const theta = rng.uniformRange(low, high);
      const thetaDot = rng.uniformRange(low, high);
      this.x[i] = x;
      this.xDot[i] = xDot;
      this.theta[i] = theta;
      this.thetaDot[i] = thetaDot;
      const o = i * 4;
      obs[o] = x;
      obs[o + 1] = xDot;
      obs[o + 2] = theta;
      obs[o + 3] = thetaDot;
    }
  }

  /** One Euler step of every running sub-env (`CartPole.step`'s operations in the same order). */
  protected simulate(actions: VectorActions): void {
    const b = this.buffers;
    const obs = b.observations;
    const rewards = b.stepRewards;
    const terminated = b.terminated;
    const skip = b.needsReset;
    const xs = this.x;
    const xDots = this.xDot;
    const thetas = this.theta;
    const thetaDots = this.thetaDot;
    const sb = this.suttonBartoReward;
    const n = this.numEnvs;
    for (let i = 0; i < n; i++) {
      if (skip[i] !== 0) continue;
      const x = xs[i];
      const xDot = xDots[i];
      const theta = thetas[i];
      const thetaDot = thetaDots[i];
      // Valid actions are exactly 0 or 1, so this is exactly ±FORCE_MAG, without a branch that
      // random actions would mispredict half of the time.
      const force = actions[i] * (2 * FORCE_MAG) - FORCE_MAG;
      const costheta = Math.cos(theta);
      const sintheta = Math.sin(theta);
      const temp = (force + POLEMASS_LENGTH * (thetaDot * thetaDot) * sintheta) / TOTAL_MASS;
      const thetaacc =
        (GRAVITY * sintheta - costheta * temp) /
        (LENGTH * (4.0 / 3.0 - (MASSPOLE * (costheta * costheta)) / TOTAL_MASS));
      const xacc = temp - (POLEMASS_LENGTH * thetaacc * costheta) / TOTAL_MASS;
      const nx = x + TAU * xDot;
      const nxDot = xDot + TAU * xacc;
      const ntheta = theta + TAU * thetaDot;
      const nthetaDot = thetaDot + TAU * thetaacc;
      xs[i] = nx;
      xDots[i] = nxDot;
      thetas[i] = ntheta;
      thetaDots[i] = nthetaDot;
      const o = i * 4;
      obs[o] = nx;
      obs[o + 1] = nxDot;
      obs[o + 2] = ntheta;
      obs[o + 3] = nthetaDot;
      const term =
        nx < -X_THRESHOLD || nx > X_THRESHOLD || ntheta < -THETA_THRESHOLD || ntheta > THETA_THRESHOLD;
      terminated[i] = term ? 1 : 0;
      rewards[i] = sb ? (term ? -1.0 : 0.0) : 1.0;
    }
  }
}
