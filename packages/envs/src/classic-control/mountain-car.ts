/**
 * MountainCar: drive an under-powered car up a hill by rocking back and forth (discrete actions),
 * and `MountainCarBase`, the plumbing it shares with MountainCarContinuous.
 *
 * Source: Gymnasium 1.x, `gymnasium/envs/classic_control/mountain_car.py` (`MountainCarEnv`);
 * after Moore, "Efficient Memory-based Learning for Robot Control" (1990). Constants, dynamics,
 * termination, rewards and the initial-state distribution are Gymnasium's (defined once in
 * `mountain-car-dynamics.ts`, shared with the vector envs).
 */
import type { EnvMetadata, ResetOptions, ResetResult, StepResult } from '../env.js';
import { CLASSIC_RENDER_MODES, type ClassicRenderMode } from '../rendering/render-mode.js';
import { mountainCarSvg } from '../rendering/scenes/mountain-car.js';
import type { Box } from '../spaces/box.js';
import { Discrete } from '../spaces/discrete.js';
import { ClassicControlEnv, checkOptionKeys, numberOption } from './classic-env.js';
import * as mountainCar from './mountain-car-dynamics.js';

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
 * What MountainCar and MountainCarContinuous share: the track, the float64 state [position,
 * velocity], the options (`goalVelocity`, `renderMode`), the observation space, the reset
 * distribution and the picture. Subclasses set `goalPosition` and the action space and implement
 * `step` with the shared dynamics on {@link position} / {@link velocity} (index 0).
 */
export abstract class MountainCarBase<A> extends ClassicControlEnv<A> {
  /** Left end of the track. */
  readonly minPosition = mountainCar.constants.minPosition;
  /** Right end of the track. */
  readonly maxPosition = mountainCar.constants.maxPosition;
  /** Speed bound. */
  readonly maxSpeed = mountainCar.constants.maxSpeed;
  /** Position of the flag. */
  abstract readonly goalPosition: number;
  /** Minimum velocity at the goal. */
  readonly goalVelocity: number;

  /** `Box([-1.2, -0.07], [0.6, 0.07], (2,), float32)`. */
  readonly observationSpace: Box;
  /** Render modes `'rgb_array'` and `'svg'`; `renderFps` is Gymnasium's 30. */
  readonly metadata: EnvMetadata = {
    renderModes: [...CLASSIC_RENDER_MODES],
    renderFps: mountainCar.constants.renderFps,
  };
  /** One-element view of the physical state's position, for the shared dynamics. */
  protected readonly position: Float64Array;
  /** One-element view of the physical state's velocity. */
  protected readonly velocity: Float64Array;

  /**
   * @param className the env's name for messages.
   * @param options see {@link MountainCarOptions}.
   * @throws TypeError for an unknown option or a non-numeric `goalVelocity`; TypeError / RangeError
   *   naming `renderMode` when it is not `'rgb_array'`, `'svg'` or undefined.
   */
  protected constructor(className: string, options: MountainCarOptions) {
    super(2, className);
    checkOptionKeys(options, ['goalVelocity', 'renderMode'], className);
    this.initRenderMode(options.renderMode);
    this.goalVelocity = numberOption(options.goalVelocity, 0, `${className}: goalVelocity`);
    this.observationSpace = mountainCar.observationSpace();
    this.position = this.physical.subarray(0, 1);
    this.velocity = this.physical.subarray(1, 2);
  }

  /**
   * Starts an episode: position uniform in [low, high) (default [−0.6, −0.4)), velocity 0.
   * @returns the initial observation (`Float32Array(2)`) and an empty info.
   * @throws RangeError for a bad seed or `low > high`; TypeError for non-numeric bounds.
   */
  reset(options?: ResetOptions): ResetResult<Float32Array> {
    this.seedFromReset(options);
    const [low, high] = mountainCar.resetBounds(options?.options);
    const observation = new Float32Array(2);
    mountainCar.reset(this.rng, low, high, this.position, this.velocity, 0, observation);
    this.startEpisode();
    return { observation, info: {} };
  }

  /** The current state as Gymnasium's 600x400 MountainCar picture (see {@link mountainCarSvg}). */
  protected override sceneSvg(): string {
    return mountainCarSvg(this.physical[0], this);
  }
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
export class MountainCar extends MountainCarBase<number> {
  /** Position of the flag. */
  readonly goalPosition = mountainCar.constants.goalPosition;
  /** Acceleration per unit of action. */
  readonly force = mountainCar.constants.force;
  /** Gravity factor of the hill. */
  readonly gravity = mountainCar.constants.gravity;

  /** `Discrete(3)`: left, none, right. */
  readonly actionSpace = new Discrete(3);

  /**
   * @param options see {@link MountainCarOptions}.
   * @throws TypeError for an unknown option or a non-numeric `goalVelocity`; TypeError / RangeError
   *   naming `renderMode` when it is not `'rgb_array'`, `'svg'` or undefined.
   */
  constructor(options: MountainCarOptions = {}) {
    super('MountainCar', options);
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
    const observation = new Float32Array(2);
    const terminated = mountainCar.step(
      this.position,
      this.velocity,
      0,
      action,
      this.goalVelocity,
      observation,
    );
    if (terminated) this.endEpisode();
    return { observation, reward: mountainCar.reward(), terminated, truncated: false, info: {} };
  }
}
