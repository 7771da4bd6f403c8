/**
 * MountainCarContinuous: drive an under-powered car up a hill with a continuous throttle.
 *
 * Source: Gymnasium 1.x, `gymnasium/envs/classic_control/continuous_mountain_car.py`
 * (`Continuous_MountainCarEnv`). Constants, dynamics, termination, rewards and the initial-state
 * distribution are Gymnasium's, including the float32 state after each step.
 */
import type { EnvMetadata, ResetOptions, ResetResult, StepResult } from '../env.js';
import { CLASSIC_RENDER_MODES, type ClassicRenderMode } from '../rendering/render-mode.js';
import { mountainCarSvg } from '../rendering/scenes/mountain-car.js';
import { Box } from '../spaces/box.js';
import { ClassicControlEnv, checkOptionKeys, numberOption } from './classic-env.js';
import { clip, parseResetBounds, readBoxAction } from './utils.js';

/** Constructor options of {@link MountainCarContinuous} (Gymnasium `goal_velocity`). */
export interface MountainCarContinuousOptions {
  /** Minimum velocity at the goal for the episode to terminate (default 0). */
  goalVelocity?: number;
  /**
   * `'rgb_array'` (an `RgbaFrame`) or `'svg'` (SVG string): what `render()` returns; default
   * undefined (no rendering; `render()` returns undefined). Gymnasium's `render_mode`.
   */
  renderMode?: ClassicRenderMode;
}

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
export class MountainCarContinuous extends ClassicControlEnv<Float32Array> {
  /** Lowest force. */
  readonly minAction = -1.0;
  /** Highest force. */
  readonly maxAction = 1.0;
  /** Left end of the track. */
  readonly minPosition = -1.2;
  /** Right end of the track. */
  readonly maxPosition = 0.6;
  /** Speed bound. */
  readonly maxSpeed = 0.07;
  /** Position of the flag. */
  readonly goalPosition = 0.45;
  /** Minimum velocity at the goal. */
  readonly goalVelocity: number;
  /** Acceleration per unit of force. */
  readonly power = 0.0015;

  /** `Box([-1.2, -0.07], [0.6, 0.07], (2,), float32)`. */
  readonly observationSpace: Box;
  /** `Box(-1.0, 1.0, (1,), float32)`. */
  readonly actionSpace: Box;
  private readonly actionValue = new Float64Array(1);

  /** Render modes `'rgb_array'` and `'svg'`; `renderFps` is Gymnasium's 30. */
  readonly metadata: EnvMetadata = { renderModes: [...CLASSIC_RENDER_MODES], renderFps: 30 };

  /**
   * @param options see {@link MountainCarContinuousOptions}.
   * @throws TypeError for an unknown option or a non-numeric `goalVelocity`; TypeError / RangeError
   *   naming `renderMode` when it is not `'rgb_array'`, `'svg'` or undefined.
   */
  constructor(options: MountainCarContinuousOptions = {}) {
    super(2, 'MountainCarContinuous');
    checkOptionKeys(options, ['goalVelocity', 'renderMode'], 'MountainCarContinuous');
    this.initRenderMode(options.renderMode);
    this.goalVelocity = numberOption(options.goalVelocity, 0, 'MountainCarContinuous: goalVelocity');
    this.observationSpace = new Box([this.minPosition, -this.maxSpeed], [this.maxPosition, this.maxSpeed]);
    this.actionSpace = new Box(this.minAction, this.maxAction, [1]);
  }

  /**
   * Starts an episode: position uniform in [low, high) (default [−0.6, −0.4)), velocity 0.
   * @throws RangeError for a bad seed or `low > high`; TypeError for non-numeric bounds.
   */
  reset(options?: ResetOptions): ResetResult<Float32Array> {
    this.seedFromReset(options);
    const [low, high] = parseResetBounds(options?.options, -0.6, -0.4);
    this.physical[0] = this.rng.uniformRange(low, high);
    this.physical[1] = 0;
    this.startEpisode();
    return { observation: Float32Array.from(this.physical), info: {} };
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
    readBoxAction(action, this.actionValue, String(this.actionSpace));
    const a = this.actionValue[0];
    this.beginStep();
    const s = this.physical;
    let position = s[0];
    let velocity = s[1];
    const force = clip(a, this.minAction, this.maxAction);
    velocity += force * this.power - 0.0025 * Math.cos(3 * position);
    velocity = clip(velocity, -this.maxSpeed, this.maxSpeed);
    position += velocity;
    position = clip(position, this.minPosition, this.maxPosition);
    if (position === this.minPosition && velocity < 0) velocity = 0;
    const terminated = position >= this.goalPosition && velocity >= this.goalVelocity;
    let reward = terminated ? 100.0 : 0;
    reward -= a ** 2 * 0.1;
    s[0] = Math.fround(position);
    s[1] = Math.fround(velocity);
    if (terminated) this.endEpisode();
    return { observation: Float32Array.from(s), reward, terminated, truncated: false, info: {} };
  }

  /** The current state as Gymnasium's 600x400 MountainCar picture (see {@link mountainCarSvg}). */
  protected override sceneSvg(): string {
    return mountainCarSvg(this.physical[0], this);
  }
}
