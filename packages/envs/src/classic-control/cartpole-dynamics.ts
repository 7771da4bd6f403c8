/**
 * CartPole's constants, spaces, initial-state distribution, dynamics, termination and reward: the
 * one definition used by both `CartPole` (one env) and `CartPoleVectorEnv` (a batch).
 *
 * The state lives in structure-of-arrays form: sub-env i's state is (x[i], xDot[i], theta[i],
 * thetaDot[i]) in four float64 arrays, and its observation is row i of a float32 array of 4
 * columns. `CartPole` passes one-element views of its state (index 0).
 *
 * Source: Gymnasium 1.x, `gymnasium/envs/classic_control/cartpole.py` (`CartPoleEnv.__init__`,
 * `step`, `reset`), itself from Barto, Sutton & Anderson (1983). The step performs Gymnasium's
 * operations in Gymnasium's order (`np.square(v)` = v · v), so results round identically.
 */
import type { Random } from '@proximal/core';
import { Box } from '../spaces/box.js';
import { parseResetBounds } from './utils.js';

/** Largest finite float32, `np.finfo(np.float32).max`. */
export const FLOAT32_MAX = 3.4028234663852886e38;

// The step reads only module-private `const`s, which V8 folds into the compiled batched step; an
// imported or exported binding would be re-read and checked at every use (CartPoleVectorEnv
// measured 17% slower).
const GRAVITY = 9.8;
const MASSCART = 1.0;
const MASSPOLE = 0.1;
const TOTAL_MASS = MASSPOLE + MASSCART;
const LENGTH = 0.5;
const POLEMASS_LENGTH = MASSPOLE * LENGTH;
const FORCE_MAG = 10.0;
const TAU = 0.02;
const THETA_THRESHOLD = (12 * 2 * Math.PI) / 360;
const X_THRESHOLD = 2.4;

/** CartPole's constants (Gymnasium `CartPoleEnv`'s attributes, camelCase). */
export const constants = Object.freeze({
  /** m/s². */
  gravity: GRAVITY,
  /** Cart mass, kg. */
  masscart: MASSCART,
  /** Pole mass, kg. */
  masspole: MASSPOLE,
  /** masspole + masscart, kg. */
  totalMass: TOTAL_MASS,
  /** Half the pole's length, m. */
  length: LENGTH,
  /** masspole · length, kg·m. */
  polemassLength: POLEMASS_LENGTH,
  /** Magnitude of the applied force, N. */
  forceMag: FORCE_MAG,
  /** Seconds between state updates. */
  tau: TAU,
  /** Pole angle at which the episode terminates, rad (12°). */
  thetaThresholdRadians: THETA_THRESHOLD,
  /** Cart position at which the episode terminates, m. */
  xThreshold: X_THRESHOLD,
  /** Gymnasium's `metadata["render_fps"]` (= 1 / tau). */
  renderFps: 50,
});

/** `Box(-high, high, (4,), float32)`, high = [4.8, f32max, 24° in rad, f32max] (a new space). */
export function observationSpace(): Box {
  const high = [X_THRESHOLD * 2, FLOAT32_MAX, THETA_THRESHOLD * 2, FLOAT32_MAX];
  return new Box(
    high.map((h) => -h),
    high,
  );
}

/**
 * Reads the reset options `low` / `high` (default ±0.05), the bounds of every state variable.
 * @returns `[low, high]`.
 * @throws TypeError when a bound is not a finite number; RangeError when `low > high`.
 */
export function resetBounds(options: Record<string, unknown> | undefined): [number, number] {
  return parseResetBounds(options, -0.05, 0.05);
}

/**
 * Draws the initial state of sub-env i, each variable uniform in [low, high) in the order x, xDot,
 * theta, thetaDot, and writes it to the state arrays and to row i of `obs` (float32, 4 columns).
 */
export function reset(
  rng: Random,
  low: number,
  high: number,
  x: Float64Array,
  xDot: Float64Array,
  theta: Float64Array,
  thetaDot: Float64Array,
  i: number,
  obs: Float32Array,
): void {
  const o = i * 4;
  obs[o] = x[i] = rng.uniformRange(low, high);
  obs[o + 1] = xDot[i] = rng.uniformRange(low, high);
  obs[o + 2] = theta[i] = rng.uniformRange(low, high);
  obs[o + 3] = thetaDot[i] = rng.uniformRange(low, high);
}

/**
 * One Euler step (tau = 0.02 s) of sub-env i: updates its four state variables (positions advance
 * with the old velocities) and writes them to row i of `obs` (float32, 4 columns).
 * @param action 0 (push left with 10 N) or 1 (push right); not checked.
 * @returns whether the episode terminated: |x| > 2.4 m or |theta| > 12°.
 */
export function step(
  x: Float64Array,
  xDot: Float64Array,
  theta: Float64Array,
  thetaDot: Float64Array,
  i: number,
  action: number,
  obs: Float32Array,
): boolean {
  const x0 = x[i];
  const xDot0 = xDot[i];
  const theta0 = theta[i];
  const thetaDot0 = thetaDot[i];
  // Exactly ±FORCE_MAG for the actions 0 and 1, without a branch that random actions would
  // mispredict half of the time.
  const force = action * (2 * FORCE_MAG) - FORCE_MAG;
  const costheta = Math.cos(theta0);
  const sintheta = Math.sin(theta0);
  const temp = (force + POLEMASS_LENGTH * (thetaDot0 * thetaDot0) * sintheta) / TOTAL_MASS;
  const thetaacc =
    (GRAVITY * sintheta - costheta * temp) /
    (LENGTH * (4.0 / 3.0 - (MASSPOLE * (costheta * costheta)) / TOTAL_MASS));
  const xacc = temp - (POLEMASS_LENGTH * thetaacc * costheta) / TOTAL_MASS;
  const nx = x0 + TAU * xDot0;
  const nxDot = xDot0 + TAU * xacc;
  const ntheta = theta0 + TAU * thetaDot0;
  const nthetaDot = thetaDot0 + TAU * thetaacc;
  const o = i * 4;
  obs[o] = x[i] = nx;
  obs[o + 1] = xDot[i] = nxDot;
  obs[o + 2] = theta[i] = ntheta;
  obs[o + 3] = thetaDot[i] = nthetaDot;
  return nx < -X_THRESHOLD || nx > X_THRESHOLD || ntheta < -THETA_THRESHOLD || ntheta > THETA_THRESHOLD;
}

/**
 * The reward of a step: 1 (the terminating step included), or with `suttonBartoReward` 0 on
 * non-terminal steps and −1 on the terminating one.
 */
export function reward(terminated: boolean, suttonBartoReward: boolean): number {
  return suttonBartoReward ? (terminated ? -1.0 : 0.0) : 1.0;
}
