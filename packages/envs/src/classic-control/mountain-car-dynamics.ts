/**
 * The constants, spaces, initial-state distribution, dynamics, termination and rewards of
 * MountainCar (discrete actions) and MountainCarContinuous: the one definition used by
 * `MountainCar` / `MountainCarContinuous` (one env) and `MountainCarVectorEnv` /
 * `MountainCarContinuousVectorEnv` (a batch).
 *
 * The state lives in structure-of-arrays form: sub-env i's state is (position[i], velocity[i]) in
 * two float64 arrays, and its observation is row i of a float32 array of 2 columns (the state).
 * The single envs pass one-element views of their state (index 0).
 *
 * Source: Gymnasium 1.x, `gymnasium/envs/classic_control/mountain_car.py` (`MountainCarEnv`) and
 * `continuous_mountain_car.py` (`Continuous_MountainCarEnv`), after Moore, "Efficient Memory-based
 * Learning for Robot Control" (1990). The steps perform Gymnasium's operations in Gymnasium's
 * order, so results round identically.
 */
import type { Random } from '@proximal/core';
import { Box } from '../spaces/box.js';
import { clip as importedClip, parseResetBounds } from './utils.js';

// The steps read only module-private `const`s (numbers and arrow functions, `clip` too), which V8
// folds into the compiled batched step; an imported or exported binding or a function declaration
// would be re-read and checked at every use (CartPoleVectorEnv measured 17% slower).
const clip = importedClip;
const MIN_POSITION = -1.2;
const MAX_POSITION = 0.6;
const MAX_SPEED = 0.07;
const GRAVITY = 0.0025;
const FORCE = 0.001;
const GOAL_POSITION = 0.5;
const MIN_ACTION = -1.0;
const MAX_ACTION = 1.0;
const POWER = 0.0015;
const CONTINUOUS_GOAL_POSITION = 0.45;

/** MountainCar's constants (Gymnasium `MountainCarEnv`'s attributes, camelCase). */
export const constants = Object.freeze({
  /** Left end of the track. */
  minPosition: MIN_POSITION,
  /** Right end of the track. */
  maxPosition: MAX_POSITION,
  /** Speed bound. */
  maxSpeed: MAX_SPEED,
  /** Position of the flag. */
  goalPosition: GOAL_POSITION,
  /** Acceleration per unit of action. */
  force: FORCE,
  /** Gravity factor of the hill. */
  gravity: GRAVITY,
  /** Gymnasium's `metadata["render_fps"]`. */
  renderFps: 30,
});

/** MountainCarContinuous's constants (Gymnasium `Continuous_MountainCarEnv`'s attributes, camelCase). */
export const continuousConstants = Object.freeze({
  /** Lowest force. */
  minAction: MIN_ACTION,
  /** Highest force. */
  maxAction: MAX_ACTION,
  /** Left end of the track. */
  minPosition: MIN_POSITION,
  /** Right end of the track. */
  maxPosition: MAX_POSITION,
  /** Speed bound. */
  maxSpeed: MAX_SPEED,
  /** Position of the flag. */
  goalPosition: CONTINUOUS_GOAL_POSITION,
  /** Acceleration per unit of force. */
  power: POWER,
  /** Gymnasium's `metadata["render_fps"]`. */
  renderFps: 30,
});

/** `Box([-1.2, -0.07], [0.6, 0.07], (2,), float32)`, both envs' observation space (a new space). */
export function observationSpace(): Box {
  return new Box([MIN_POSITION, -MAX_SPEED], [MAX_POSITION, MAX_SPEED]);
}

/**
 * Reads the reset options `low` / `high` of the initial position (default [−0.6, −0.4)).
 * @returns `[low, high]`.
 * @throws TypeError when a bound is not a finite number; RangeError when `low > high`.
 */
export function resetBounds(options: Record<string, unknown> | undefined): [number, number] {
  return parseResetBounds(options, -0.6, -0.4);
}

/**
 * Draws the initial state of sub-env i (both envs): position uniform in [low, high), velocity 0;
 * writes it to the state arrays and to row i of `obs`.
 */
export function reset(
  rng: Random,
  low: number,
  high: number,
  position: Float64Array,
  velocity: Float64Array,
  i: number,
  obs: Float32Array,
): void {
  obs[i * 2] = position[i] = rng.uniformRange(low, high);
  obs[i * 2 + 1] = velocity[i] = 0;
}

/**
 * The motion shared by both envs: velocity += push − 0.0025·cos(3·position), clipped to ±0.07;
 * position += velocity, clipped to [−1.2, 0.6]; hitting the left wall while moving left stops the
 * car. Writes the new state (rounded to float32 when `float32State`) and row i of `obs`.
 * @returns whether position ≥ goalPosition and velocity ≥ goalVelocity (before any rounding).
 */
const drive = (
  position: Float64Array,
  velocity: Float64Array,
  i: number,
  push: number,
  goalPosition: number,
  goalVelocity: number,
  float32State: boolean,
  obs: Float32Array,
): boolean => {
  let p = position[i];
  let v = velocity[i];
  // Gymnasium: `velocity += (action - 1) * force + cos(3 * position) * (-gravity)` (discrete) and
  // `velocity += force * power - 0.0025 * cos(3 * position)` (continuous): the same rounding.
  v += push - GRAVITY * Math.cos(3 * p);
  v = clip(v, -MAX_SPEED, MAX_SPEED);
  p += v;
  p = clip(p, MIN_POSITION, MAX_POSITION);
  if (p === MIN_POSITION && v < 0) v = 0;
  const terminated = p >= goalPosition && v >= goalVelocity;
  if (float32State) {
    p = Math.fround(p);
    v = Math.fround(v);
  }
  obs[i * 2] = position[i] = p;
  obs[i * 2 + 1] = velocity[i] = v;
  return terminated;
};

/**
 * A step function of sub-env i with its action: updates position[i] and velocity[i] and writes
 * them to row i of `obs` (float32, 2 columns).
 * @returns whether the episode terminated (the goal was reached with velocity ≥ `goalVelocity`).
 */
export type CarStep = (
  position: Float64Array,
  velocity: Float64Array,
  i: number,
  action: number,
  goalVelocity: number,
  obs: Float32Array,
) => boolean;

/** MountainCar's step: `action` 0 (accelerate left), 1 (don't) or 2 (right); goal position 0.5. */
export const step: CarStep = (position, velocity, i, action, goalVelocity, obs) =>
  drive(position, velocity, i, (action - 1) * FORCE, GOAL_POSITION, goalVelocity, false, obs);

/**
 * MountainCarContinuous's step: the float32 force `action` (any finite value) clipped to [−1, 1];
 * goal position 0.45; the state is kept rounded to float32, as Gymnasium does.
 */
export const continuousStep: CarStep = (position, velocity, i, action, goalVelocity, obs) =>
  drive(
    position,
    velocity,
    i,
    clip(action, MIN_ACTION, MAX_ACTION) * POWER,
    CONTINUOUS_GOAL_POSITION,
    goalVelocity,
    true,
    obs,
  );

/** MountainCar's reward: −1 per step. */
export function reward(): number {
  return -1.0;
}

/**
 * MountainCarContinuous's reward: 100 on reaching the goal, minus 0.1·action² with the unclipped
 * `action`.
 */
export function continuousReward(terminated: boolean, action: number): number {
  return (terminated ? 100.0 : 0) - action ** 2 * 0.1;
}
