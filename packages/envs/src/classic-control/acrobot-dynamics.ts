/**
 * Acrobot's constants, spaces, initial-state distribution, dynamics, termination and reward: the
 * one definition used by both `Acrobot` (one env) and `AcrobotVectorEnv` (a batch).
 *
 * The state lives in structure-of-arrays form: sub-env i's state is (theta1[i], theta2[i],
 * dtheta1[i], dtheta2[i]) in four float64 arrays, and its observation is row i of a float32 array of
 * 6 columns, [cos θ1, sin θ1, cos θ2, sin θ2, θ̇1, θ̇2]. `Acrobot` passes one-element views of its
 * state (index 0).
 *
 * Source: Gymnasium 1.x, `gymnasium/envs/classic_control/acrobot.py` (`AcrobotEnv` with the default
 * `book_or_nips = "book"` dynamics, `_dsdt`, `rk4`, `wrap`, `bound`, `_terminal`). The RK4 step
 * performs Gymnasium's operations in Gymnasium's order, so results round identically; it skips
 * only the stage derivatives of the angles, which are the stage velocities themselves.
 */
import type { Random } from '@proximal/core';
import { Box } from '../spaces/box.js';
import { clip as importedClip, parseResetBounds } from './utils.js';

// The steps read only module-private `const`s (numbers and arrow functions, `clip` too), which V8
// folds into the compiled batched step; an imported or exported binding or a function declaration
// would be re-read and checked at every use (CartPoleVectorEnv measured 17% slower).
const clip = importedClip;
const DT = 0.2;
const LINK_LENGTH_1 = 1.0;
const LINK_LENGTH_2 = 1.0;
const LINK_MASS_1 = 1.0;
const LINK_MASS_2 = 1.0;
const LINK_COM_POS_1 = 0.5;
const LINK_COM_POS_2 = 0.5;
const LINK_MOI = 1.0;
const MAX_VEL_1 = 4 * Math.PI;
const MAX_VEL_2 = 9 * Math.PI;
const TWO_PI = 2 * Math.PI;

/** Acrobot's constants (Gymnasium `AcrobotEnv`'s attributes, camelCase). */
export const constants = Object.freeze({
  /** Seconds per step. */
  dt: DT,
  /** Length of link 1, m. */
  linkLength1: LINK_LENGTH_1,
  /** Length of link 2, m. */
  linkLength2: LINK_LENGTH_2,
  /** Mass of link 1, kg. */
  linkMass1: LINK_MASS_1,
  /** Mass of link 2, kg. */
  linkMass2: LINK_MASS_2,
  /** Position of link 1's centre of mass, m. */
  linkComPos1: LINK_COM_POS_1,
  /** Position of link 2's centre of mass, m. */
  linkComPos2: LINK_COM_POS_2,
  /** Moment of inertia of both links. */
  linkMoi: LINK_MOI,
  /** Bound on dtheta1, rad/s. */
  maxVel1: MAX_VEL_1,
  /** Bound on dtheta2, rad/s. */
  maxVel2: MAX_VEL_2,
  /** Torque of each action (action a applies a − 1). */
  availTorque: Object.freeze([-1.0, 0.0, 1.0]),
  /** Gymnasium's default (no torque noise is implemented). */
  torqueNoiseMax: 0.0,
  /** Gymnasium's `metadata["render_fps"]`. */
  renderFps: 15,
});

/** `Box(-high, high, (6,), float32)`, high = [1, 1, 1, 1, 4π, 9π] (a new space). */
export function observationSpace(): Box {
  const high = [1, 1, 1, 1, MAX_VEL_1, MAX_VEL_2];
  return new Box(
    high.map((h) => -h),
    high,
  );
}

/**
 * Reads the reset options `low` / `high` (default ±0.1), the bounds of every state variable.
 * @returns `[low, high]`.
 * @throws TypeError when a bound is not a finite number; RangeError when `low > high`.
 */
export function resetBounds(options: Record<string, unknown> | undefined): [number, number] {
  return parseResetBounds(options, -0.1, 0.1);
}

/**
 * Writes row i of `obs` (float32, 6 columns), [cos θ1, sin θ1, cos θ2, sin θ2, θ̇1, θ̇2], and returns
 * cos θ1 (the termination test needs it too).
 */
const writeObservation = (
  obs: Float32Array,
  i: number,
  theta1: number,
  theta2: number,
  dtheta1: number,
  dtheta2: number,
): number => {
  const cos1 = Math.cos(theta1);
  const o = i * 6;
  obs[o] = cos1;
  obs[o + 1] = Math.sin(theta1);
  obs[o + 2] = Math.cos(theta2);
  obs[o + 3] = Math.sin(theta2);
  obs[o + 4] = dtheta1;
  obs[o + 5] = dtheta2;
  return cos1;
};

/**
 * Draws the initial state of sub-env i, each variable uniform in [low, high) and rounded to float32
 * (as Gymnasium does), in the order theta1, theta2, dtheta1, dtheta2; writes it to the state arrays
 * and its observation to row i of `obs`.
 */
export function reset(
  rng: Random,
  low: number,
  high: number,
  theta1: Float64Array,
  theta2: Float64Array,
  dtheta1: Float64Array,
  dtheta2: Float64Array,
  i: number,
  obs: Float32Array,
): void {
  const s0 = (theta1[i] = Math.fround(rng.uniformRange(low, high)));
  const s1 = (theta2[i] = Math.fround(rng.uniformRange(low, high)));
  const s2 = (dtheta1[i] = Math.fround(rng.uniformRange(low, high)));
  const s3 = (dtheta2[i] = Math.fround(rng.uniformRange(low, high)));
  writeObservation(obs, i, s0, s1, s2, s3);
}

/**
 * Time derivative of the velocities under torque `a` (the book dynamics of Gymnasium `_dsdt`, with
 * the same operations in the same order): writes ddtheta1 to `out[at]`, ddtheta2 to `out[at + 1]`.
 */
const accelerations = (
  out: Float64Array,
  at: number,
  theta1: number,
  theta2: number,
  dtheta1: number,
  dtheta2: number,
  a: number,
): void => {
  const m1 = LINK_MASS_1;
  const m2 = LINK_MASS_2;
  const l1 = LINK_LENGTH_1;
  const lc1 = LINK_COM_POS_1;
  const lc2 = LINK_COM_POS_2;
  const I1 = LINK_MOI;
  const I2 = LINK_MOI;
  const g = 9.8;
  const cos2 = Math.cos(theta2);
  const sin2 = Math.sin(theta2);
  const d1 = m1 * lc1 ** 2 + m2 * (l1 ** 2 + lc2 ** 2 + 2 * l1 * lc2 * cos2) + I1 + I2;
  const d2 = m2 * (lc2 ** 2 + l1 * lc2 * cos2) + I2;
  const phi2 = m2 * lc2 * g * Math.cos(theta1 + theta2 - Math.PI / 2.0);
  const phi1 =
    -m2 * l1 * lc2 * dtheta2 ** 2 * sin2 -
    2 * m2 * l1 * lc2 * dtheta2 * dtheta1 * sin2 +
    (m1 * lc1 + m2 * l1) * g * Math.cos(theta1 - Math.PI / 2) +
    phi2;
  const ddtheta2 =
    (a + (d2 / d1) * phi1 - m2 * l1 * lc2 * dtheta1 ** 2 * sin2 - phi2) / (m2 * lc2 ** 2 + I2 - d2 ** 2 / d1);
  out[at] = -(d2 * ddtheta2 + phi1) / d1;
  out[at + 1] = ddtheta2;
};

/** Gymnasium's `wrap(x, -π, π)`: x shifted by multiples of 2π into [−π, π]. */
const wrapAngle = (x: number): number => {
  let v = x;
  while (v > Math.PI) v -= TWO_PI;
  while (v < -Math.PI) v += TWO_PI;
  return v;
};

/** RK4 scratch: the velocity derivatives of the four stages (the step never re-enters itself). */
const K = new Float64Array(8);

/**
 * One RK4 step (dt = 0.2 s) of sub-env i under the torque of `action`: updates its state, wraps
 * both angles into [−π, π], bounds the velocities to ±4π and ±9π, and writes its observation to row
 * i of `obs` (float32, 6 columns).
 * @param action 0, 1 or 2 (torque −1, 0, +1); not checked.
 * @returns whether the episode terminated: −cos θ1 − cos(θ2 + θ1) > 1 (the free end above the line
 *   one link above the pivot).
 */
export function step(
  theta1: Float64Array,
  theta2: Float64Array,
  dtheta1: Float64Array,
  dtheta2: Float64Array,
  i: number,
  action: number,
  obs: Float32Array,
): boolean {
  const k = K;
  const dt = DT;
  const dt2 = dt / 2.0;
  const torque = action - 1; // -1.0, 0.0 or 1.0 for the actions 0, 1, 2
  const y0 = theta1[i];
  const y1 = theta2[i];
  const y2 = dtheta1[i];
  const y3 = dtheta2[i];
  // The stage derivatives of (theta1, theta2) are the stage velocities themselves.
  accelerations(k, 0, y0, y1, y2, y3, torque);
  const v1a = y2 + dt2 * k[0];
  const v1b = y3 + dt2 * k[1];
  accelerations(k, 2, y0 + dt2 * y2, y1 + dt2 * y3, v1a, v1b, torque);
  const v2a = y2 + dt2 * k[2];
  const v2b = y3 + dt2 * k[3];
  accelerations(k, 4, y0 + dt2 * v1a, y1 + dt2 * v1b, v2a, v2b, torque);
  const v3a = y2 + dt * k[4];
  const v3b = y3 + dt * k[5];
  accelerations(k, 6, y0 + dt * v2a, y1 + dt * v2b, v3a, v3b, torque);
  const s0 = wrapAngle(y0 + (dt / 6.0) * (y2 + 2 * v1a + 2 * v2a + v3a));
  const s1 = wrapAngle(y1 + (dt / 6.0) * (y3 + 2 * v1b + 2 * v2b + v3b));
  const s2 = clip(y2 + (dt / 6.0) * (k[0] + 2 * k[2] + 2 * k[4] + k[6]), -MAX_VEL_1, MAX_VEL_1);
  const s3 = clip(y3 + (dt / 6.0) * (k[1] + 2 * k[3] + 2 * k[5] + k[7]), -MAX_VEL_2, MAX_VEL_2);
  theta1[i] = s0;
  theta2[i] = s1;
  dtheta1[i] = s2;
  dtheta2[i] = s3;
  const cos0 = writeObservation(obs, i, s0, s1, s2, s3);
  return -cos0 - Math.cos(s1 + s0) > 1.0;
}

/** The reward of a step: −1, or 0 on the terminating step. */
export function reward(terminated: boolean): number {
  return terminated ? 0.0 : -1.0;
}
