/**
 * Pendulum's constants, spaces, initial-state distribution, dynamics and reward: the one definition
 * used by both `Pendulum` (one env) and `PendulumVectorEnv` (a batch).
 *
 * The state lives in structure-of-arrays form: sub-env i's state is (theta[i], thetaDot[i]) in two
 * float64 arrays, and its observation is row i of a float32 array of 3 columns, [cos θ, sin θ, θ̇].
 * `Pendulum` passes one-element views of its state (index 0).
 *
 * Source: Gymnasium 1.x, `gymnasium/envs/classic_control/pendulum.py` (`PendulumEnv.__init__`,
 * `step`, `reset`, `angle_normalize`). The step performs Gymnasium's operations in Gymnasium's
 * order, so results round identically.
 */
import type { Random } from '@proximal/core';
import { Box } from '../spaces/box.js';
import { clip as importedClip, resetOption } from './utils.js';

// The steps read only module-private `const`s (numbers and arrow functions, `clip` too), which V8
// folds into the compiled batched step; an imported or exported binding or a function declaration
// would be re-read and checked at every use (CartPoleVectorEnv measured 17% slower).
const clip = importedClip;
const MAX_SPEED = 8;
const MAX_TORQUE = 2.0;
const DT = 0.05;
const M = 1.0;
const L = 1.0;
const TWO_PI = 2 * Math.PI;

/** Pendulum's constants (Gymnasium `PendulumEnv`'s attributes, camelCase). */
export const constants = Object.freeze({
  /** Speed bound, rad/s. */
  maxSpeed: MAX_SPEED,
  /** Torque bound. */
  maxTorque: MAX_TORQUE,
  /** Seconds per step. */
  dt: DT,
  /** Gravitational acceleration by default, m/s² (the `g` option). */
  g: 10.0,
  /** Mass, kg. */
  m: M,
  /** Length, m. */
  l: L,
  /** Gymnasium's `metadata["render_fps"]`. */
  renderFps: 30,
});

/** `Box([-1, -1, -8], [1, 1, 8], (3,), float32)` (a new space). */
export function observationSpace(): Box {
  return new Box([-1.0, -1.0, -MAX_SPEED], [1.0, 1.0, MAX_SPEED]);
}

/** `Box(-2.0, 2.0, (1,), float32)`: the torque (a new space). */
export function actionSpace(): Box {
  return new Box(-MAX_TORQUE, MAX_TORQUE, [1]);
}

/**
 * Reads the reset options `x_init` (default π) and `y_init` (default 1), the bounds of the initial
 * angle and angular velocity.
 * @returns `[x, y]`.
 * @throws TypeError when a given value is not a finite number.
 */
export function resetBounds(options: Record<string, unknown> | undefined): [number, number] {
  return [resetOption(options, 'x_init', Math.PI), resetOption(options, 'y_init', 1.0)];
}

/** Gymnasium's `angle_normalize`: x mapped into [−π, π) (Python's floored modulo). */
const normalize = (x: number): number => {
  let r = (x + Math.PI) % TWO_PI;
  if (r < 0) r += TWO_PI;
  return r - Math.PI;
};

/** An angle mapped into [−π, π) (Gymnasium `angle_normalize`, Python's floored modulo). */
export function angleNormalize(x: number): number {
  return normalize(x);
}

/** Writes row i of `obs` (float32, 3 columns): [cos θ, sin θ, θ̇]. */
const writeObservation = (obs: Float32Array, i: number, th: number, thdot: number): void => {
  const o = i * 3;
  obs[o] = Math.cos(th);
  obs[o + 1] = Math.sin(th);
  obs[o + 2] = thdot;
};

/**
 * Draws the initial state of sub-env i, θ uniform in [−x, x) then θ̇ uniform in [−y, y); writes it
 * to the state arrays and its observation to row i of `obs`.
 */
export function reset(
  rng: Random,
  x: number,
  y: number,
  theta: Float64Array,
  thetaDot: Float64Array,
  i: number,
  obs: Float32Array,
): void {
  const th = (theta[i] = rng.uniformRange(-x, x));
  const thdot = (thetaDot[i] = rng.uniformRange(-y, y));
  writeObservation(obs, i, th, thdot);
}

/** The torque applied for the action `a`: `a` clipped to [−2, 2]. */
export function torque(a: number): number {
  return clip(a, -MAX_TORQUE, MAX_TORQUE);
}

/**
 * One step (dt = 0.05 s) of sub-env i under the torque `u`: θ̇ += (3g/(2l)·sin θ + 3/(m l²)·u)·dt,
 * clipped to ±8; θ += θ̇·dt. Updates its state and writes its observation to row i of `obs`.
 * @param u the torque, already clipped to [−2, 2] ({@link torque}).
 * @param g the gravitational acceleration (the env's `g` option).
 * @returns the reward, −(normalize(θ)² + 0.1·θ̇² + 0.001·u²) of the state before the step.
 */
export function step(
  theta: Float64Array,
  thetaDot: Float64Array,
  i: number,
  u: number,
  g: number,
  obs: Float32Array,
): number {
  const th = theta[i];
  const thdot = thetaDot[i];
  const costs = normalize(th) ** 2 + 0.1 * thdot ** 2 + 0.001 * u ** 2;
  let newthdot = thdot + (((3 * g) / (2 * L)) * Math.sin(th) + (3.0 / (M * L ** 2)) * u) * DT;
  newthdot = clip(newthdot, -MAX_SPEED, MAX_SPEED);
  const newth = th + newthdot * DT;
  theta[i] = newth;
  thetaDot[i] = newthdot;
  writeObservation(obs, i, newth, newthdot);
  return -costs;
}
