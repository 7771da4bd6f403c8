/**
 * MountainCar: drive an under-powered car up a hill by rocking back and forth (discrete actions).
 *
 * Source: Gymnasium 1.x, `gymnasium/envs/classic_control/mountain_car.py` (`MountainCarEnv`);
 * after Moore, "Efficient Memory-based Learning for Robot Control" (1990). Constants, dynamics,
 * termination, rewards and the initial-state distribution are Gymnasium's.
 */
import type { EnvMetadata, ResetOptions, ResetResult, StepResult } from '../env.js';
import { CLASSIC_RENDER_MODES, type ClassicRenderMode } from '../rendering/render-mode.js';
import { mountainCarSvg } from '../rendering/scenes/mountain-car.js';
import { Box } from '../spaces/box.js';
import { Discrete } from '../spaces/discrete.js';
import { ClassicControlEnv, checkOptionKeys, numberOption } from './classic-env.js';
import { clip, parseResetBounds } from './utils.js';

/** Constructor options of {@link MountainCar} (Gymnasium `goal_velocity`). */
export interface MountainCarOptions {
  /** Minimum velocity at the goal for the episode to terminate (default 0). */
  goalVelocity?: number;
  /**
   * `'rgb_array'` (an `RgbaFrame`) or `'svg'` (SVG string): what `render()` returns; default
   * undefined (no rendering; `render()` returns undefined). Gymnasium's `render_mode`.
   */
  renderMode?: ClassicRenderMode;
}

/**
 * The MountainCar environment (Gymnasium `MountainCarEnv`; registered as `MountainCar-v0`).
 *
 * - State (float64) and observation (`Float32Array(2)`): [position (−1.2 … 0.6), velocity
 *   (−0.07 … 0.07)]; space `Box([-1.2, -0.07], [0.6, 0.07])`.
 * - Action: `Discrete(3)`: accelerate left (0), don't accelerate (1), accelerate right (2).
 * - Dynamics: velocity += (action − 1)·0.001 − 0.0025·cos(3·position), clipped to ±0.07;
 *   position += velocity, clipped to [−1.2, 0.6]; hitting the left wall while moving left stops
 *   the car.
 * - Reward: −1 per step.
 * - Termination: position ≥ 0.5 and velocity ≥ goalVelocity. Truncation comes from `TimeLimit`
 *   (200 steps for v0).
 * - Reset: position uniform in [−0.6, −0.4) (or `options.low` / `options.high`), velocity 0.
 * - Rendering (`renderMode` `'rgb_array'` or `'svg'`): Gymnasium's 600x400 picture of the hill,
 *   car and flag, see {@link ClassicControlEnv.render}.
 *
 * Unlike Gymnasium, which only warns, `step` after a terminating step throws until `reset()`.
 */
export class MountainCar extends ClassicControlEnv<number> {
  /** Left end of the track. */
  readonly minPosition = -1.2;
  /** Right end of the track. */
  readonly maxPosition = 0.6;
  /** Speed bound. */
  readonly maxSpeed = 0.07;
  /** Position of the flag. */
  readonly goalPosition = 0.5;
  /** Minimum velocity at the goal. */
  readonly goalVelocity: number;
  /** Acceleration per unit of action. */
  readonly force = 0.001;
  /** Gravity factor of the hill. */
  readonly gravity = 0.0025;

  /** `Box([-1.2, -0.07], [0.6, 0.07], (2,), float32)`. */
  readonly observationSpace: Box;
  /** `Discrete(3)`: left, none, right. */
  readonly actionSpace = new Discrete(3);
  /** Render modes `'rgb_array'` and `'svg'`; `renderFps` is Gymnasium's 30. */
  readonly metadata: EnvMetadata = { renderModes: [...CLASSIC_RENDER_MODES], renderFps: 30 };

  /**
   * @param options see {@link MountainCarOptions}.
   * @throws TypeError for an unknown option or a non-numeric `goalVelocity`; TypeError / RangeError
   *   naming `renderMode` when it is not `'rgb_array'`, `'svg'` or undefined.
   */
  constructor(options: MountainCarOptions = {}) {
    super(2, 'MountainCar');
    checkOptionKeys(options, ['goalVelocity', 'renderMode'], 'MountainCar');
    this.initRenderMode(options.renderMode);
    this.goalVelocity = numberOption(options.goalVelocity, 0, 'MountainCar: goalVelocity');
    this.observationSpace = new Box([this.minPosition, -this.maxSpeed], [this.maxPosition, this.maxSpeed]);
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
   * Accelerates left (0), not at all (1) or right (2) for one step.
   * @returns a new `Float32Array(2)` observation, reward −1, `terminated` (goal reached),
   *   `truncated` = false, empty info.
   * @throws TypeError/RangeError naming `action` when it is not 0, 1 or 2; Error before `reset()`
   *   or after a terminating step.
   */
  step(action: number): StepResult<Float32Array> {
    this.actionSpace.assertContains(action, 'action');
    this.beginStep();
    const s = this.physical;
    let position = s[0];
    let velocity = s[1];
    velocity += (action - 1) * this.force + Math.cos(3 * position) * -this.gravity;
    velocity = clip(velocity, -this.maxSpeed, this.maxSpeed);
    position += velocity;
    position = clip(position, this.minPosition, this.maxPosition);
    if (position === this.minPosition && velocity < 0) velocity = 0;
    const terminated = position >= this.goalPosition && velocity >= this.goalVelocity;
    s[0] = position;
    s[1] = velocity;
    if (terminated) this.endEpisode();
    return { observation: Float32Array.from(s), reward: -1.0, terminated, truncated: false, info: {} };
  }

  /** The current state as Gymnasium's 600x400 MountainCar picture (see {@link mountainCarSvg}). */
  protected override sceneSvg(): string {
    return mountainCarSvg(this.physical[0], this);
  }
}
