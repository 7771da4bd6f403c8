/**
 * MountainCarContinuous: drive an under-powered car up a hill with a continuous throttle.
 *
 * Source: Gymnasium 1.x, `gymnasium/envs/classic_control/continuous_mountain_car.py`
 * (`Continuous_MountainCarEnv`). Constants, dynamics, termination, rewards and the initial-state
 * distribution are Gymnasium's, including the float32 state after each step (defined once in
 * `mountain-car-dynamics.ts`, shared with the vector envs).
 */
import type { StepResult } from '../env.js';
import { Box } from '../spaces/box.js';
import { MountainCarBase, type MountainCarOptions } from './mountain-car.js';
import * as mountainCar from './mountain-car-dynamics.js';
import { readBoxAction } from './utils.js';

/**
 * Constructor options of {@link MountainCarContinuous} (Gymnasium `goal_velocity`): those of
 * MountainCar, `goalVelocity` (default 0) and `renderMode`.
 */
export interface MountainCarContinuousOptions extends MountainCarOptions {}

/**
 * The continuous MountainCar environment (Gymnasium `Continuous_MountainCarEnv`; registered as
 * `MountainCarContinuous-v0`).
 *
 * - State and observation (`Float32Array(2)`): [position (−1.2 … 0.6), velocity (−0.07 … 0.07)];
 *   space `Box([-1.2, -0.07], [0.6, 0.07])`. As in Gymnasium, the state is rounded to float32 after
 *   every step (`state` still reads as float64).
 * - Action: `Box(-1, 1, (1,))` force; values outside [−1, 1] are clipped for the dynamics.
 * - Dynamics: velocity += force·0.0015 − 0.0025·cos(3·position), clipped to ±0.07; position +=
 *   velocity, clipped to [−1.2, 0.6]; hitting the left wall while moving left stops the car.
 * - Reward: 100 on reaching the goal, minus 0.1·action² (the unclipped action) every step.
 * - Termination: position ≥ 0.45 and velocity ≥ goalVelocity. Truncation comes from `TimeLimit`
 *   (999 steps for v0).
 * - Reset: position uniform in [−0.6, −0.4) (or `options.low` / `options.high`), velocity 0.
 * - Rendering (`renderMode` `'rgb_array'` or `'svg'`): Gymnasium's 600x400 picture of the hill,
 *   car and flag, see {@link ClassicControlEnv.render}.
 *
 * Unlike Gymnasium, which only warns, `step` after a terminating step throws until `reset()`.
 */
export class MountainCarContinuous extends MountainCarBase<Float32Array> {
  /** Lowest force. */
  readonly minAction = mountainCar.continuousConstants.minAction;
  /** Highest force. */
  readonly maxAction = mountainCar.continuousConstants.maxAction;
  /** Position of the flag. */
  readonly goalPosition = mountainCar.continuousConstants.goalPosition;
  /** Acceleration per unit of force. */
  readonly power = mountainCar.continuousConstants.power;

  /** `Box(-1.0, 1.0, (1,), float32)`. */
  readonly actionSpace: Box;
  private readonly actionValue = new Float64Array(1);

  /**
   * @param options see {@link MountainCarContinuousOptions}.
   * @throws TypeError for an unknown option or a non-numeric `goalVelocity`; TypeError / RangeError
   *   naming `renderMode` when it is not `'rgb_array'`, `'svg'` or undefined.
   */
  constructor(options: MountainCarContinuousOptions = {}) {
    super('MountainCarContinuous', options);
    this.actionSpace = new Box(this.minAction, this.maxAction, [1]);
  }

  /**
   * Applies the force `action[0]` (clipped to [−1, 1]) for one step.
   * @param action an array of one finite number (any value; it is clipped).
   * @returns a new `Float32Array(2)` observation, the reward, `terminated` (goal reached),
   *   `truncated` = false, empty info.
   * @throws TypeError/RangeError naming `action` when it is not one finite number; Error before
   *   `reset()` or after a terminating step.
   */
  step(action: Float32Array): StepResult<Float32Array> {
    readBoxAction(action, this.actionValue, this.actionSpace);
    const a = this.actionValue[0];
    this.beginStep();
    const observation = new Float32Array(2);
    const { position, velocity, goalVelocity } = this;
    const terminated = mountainCar.continuousStep(position, velocity, 0, a, goalVelocity, observation);
    if (terminated) this.endEpisode();
    const reward = mountainCar.continuousReward(terminated, a);
    return { observation, reward, terminated, truncated: false, info: {} };
  }
}
