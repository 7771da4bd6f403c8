/**
 * Acrobot: swing the free end of a two-link chain, actuated at the joint between the links, up
 * above a line.
 *
 * Source: Gymnasium 1.x, `gymnasium/envs/classic_control/acrobot.py` (`AcrobotEnv`, with the
 * default `book_or_nips = "book"` dynamics from Sutton & Barto's book, `rk4`, `wrap`, `bound`);
 * after Sutton, "Generalization in Reinforcement Learning: Successful Examples Using Sparse Coarse
 * Coding" (1996). Constants, dynamics, termination, rewards and the initial-state distribution
 * are Gymnasium's (defined once in `acrobot-dynamics.ts`, shared with `AcrobotVectorEnv`).
 */
import type { EnvMetadata, ResetOptions, ResetResult, StepResult } from '../env.js';
import { CLASSIC_RENDER_MODES, type ClassicRenderMode } from '../rendering/render-mode.js';
import { acrobotSvg } from '../rendering/scenes/acrobot.js';
import type { Box } from '../spaces/box.js';
import { Discrete } from '../spaces/discrete.js';
import * as acrobot from './acrobot-dynamics.js';
import { ClassicControlEnv, checkOptionKeys } from './classic-env.js';

/** Constructor options of {@link Acrobot} (Gymnasium's only keyword is `render_mode`). */
export interface AcrobotOptions {
  /**
   * `'rgb_array'` (an `RgbaFrame`) or `'svg'` (SVG string): what `render()` returns; default
   * undefined (no rendering; `render()` returns undefined). Gymnasium's `render_mode`.
   */
  renderMode?: ClassicRenderMode;
}

/**
 * The Acrobot environment (Gymnasium `AcrobotEnv`; registered as `Acrobot-v1`).
 *
 * - State (float64): [theta1, theta2 (rad, theta1 = 0 hanging down, theta2 relative to link 1),
 *   dtheta1, dtheta2 (rad/s)].
 * - Observation: `Float32Array(6)` = [cos θ1, sin θ1, cos θ2, sin θ2, dθ1, dθ2]; space
 *   `Box(-high, high)` with high = [1, 1, 1, 1, 4π, 9π].
 * - Action: `Discrete(3)`: torque −1, 0 or +1 on the joint between the links.
 * - Dynamics: the book equations integrated over dt = 0.2 s with one RK4 step; then both angles are
 *   wrapped into [−π, π] and the velocities bounded to ±4π and ±9π.
 * - Reward: −1 per step, 0 on the terminating step.
 * - Termination: −cos θ1 − cos(θ2 + θ1) > 1 (the free end above the line one link above the
 *   pivot). Truncation comes from `TimeLimit` (500 steps for v1).
 * - Reset: each state variable uniform in [−0.1, 0.1) (or `options.low` / `options.high`), rounded
 *   to float32 as Gymnasium does.
 * - Rendering (`renderMode` `'rgb_array'` or `'svg'`): Gymnasium's 500x500 picture of the links,
 *   see {@link ClassicControlEnv.render}.
 *
 * Unlike Gymnasium, which only warns, `step` after a terminating step throws until `reset()`.
 */
export class Acrobot extends ClassicControlEnv<number> {
  /** Seconds per step. */
  readonly dt = acrobot.constants.dt;
  /** Length of link 1, m. */
  readonly linkLength1 = acrobot.constants.linkLength1;
  /** Length of link 2, m. */
  readonly linkLength2 = acrobot.constants.linkLength2;
  /** Mass of link 1, kg. */
  readonly linkMass1 = acrobot.constants.linkMass1;
  /** Mass of link 2, kg. */
  readonly linkMass2 = acrobot.constants.linkMass2;
  /** Position of link 1's centre of mass, m. */
  readonly linkComPos1 = acrobot.constants.linkComPos1;
  /** Position of link 2's centre of mass, m. */
  readonly linkComPos2 = acrobot.constants.linkComPos2;
  /** Moment of inertia of both links. */
  readonly linkMoi = acrobot.constants.linkMoi;
  /** Bound on dtheta1, rad/s. */
  readonly maxVel1 = acrobot.constants.maxVel1;
  /** Bound on dtheta2, rad/s. */
  readonly maxVel2 = acrobot.constants.maxVel2;
  /** Torque of each action. */
  readonly availTorque: readonly number[] = acrobot.constants.availTorque;
  /** Gymnasium's default (no torque noise is implemented). */
  readonly torqueNoiseMax = acrobot.constants.torqueNoiseMax;
  /** The dynamics variant (Gymnasium's default, the only one implemented). */
  readonly bookOrNips = 'book' as const;

  /** `Box(-high, high, (6,), float32)`, high = [1, 1, 1, 1, 4π, 9π]. */
  readonly observationSpace: Box;
  /** `Discrete(3)`: torque −1, 0, +1. */
  readonly actionSpace = new Discrete(3);
  /** Render modes `'rgb_array'` and `'svg'`; `renderFps` is Gymnasium's 15. */
  readonly metadata: EnvMetadata = {
    renderModes: [...CLASSIC_RENDER_MODES],
    renderFps: acrobot.constants.renderFps,
  };
  /** One-element views of the physical state (theta1, theta2, dtheta1, dtheta2) for the dynamics. */
  private readonly theta1: Float64Array;
  private readonly theta2: Float64Array;
  private readonly dtheta1: Float64Array;
  private readonly dtheta2: Float64Array;

  /**
   * @param options see {@link AcrobotOptions}.
   * @throws TypeError for an unknown option; TypeError / RangeError
   *   naming `renderMode` when it is not `'rgb_array'`, `'svg'` or undefined.
   */
  constructor(options: AcrobotOptions = {}) {
    super(4, 'Acrobot');
    checkOptionKeys(options, ['renderMode'], 'Acrobot');
    this.initRenderMode(options.renderMode);
    this.observationSpace = acrobot.observationSpace();
    const s = this.physical;
    this.theta1 = s.subarray(0, 1);
    this.theta2 = s.subarray(1, 2);
    this.dtheta1 = s.subarray(2, 3);
    this.dtheta2 = s.subarray(3, 4);
  }

  /**
   * Starts an episode: each of the 4 state variables uniform in [low, high) (default ±0.1),
   * rounded to float32.
   * @throws RangeError for a bad seed or `low > high`; TypeError for non-numeric bounds.
   */
  reset(options?: ResetOptions): ResetResult<Float32Array> {
    this.seedFromReset(options);
    const [low, high] = acrobot.resetBounds(options?.options);
    const observation = new Float32Array(6);
    acrobot.reset(this.rng, low, high, this.theta1, this.theta2, this.dtheta1, this.dtheta2, 0, observation);
    this.startEpisode();
    return { observation, info: {} };
  }

  /**
   * Applies torque −1 (0), 0 (1) or +1 (2) for dt = 0.2 s.
   * @returns a new `Float32Array(6)` observation, reward −1 (0 when terminated), `terminated`,
   *   `truncated` = false, empty info.
   * @throws TypeError/RangeError naming `action` when it is not 0, 1 or 2; Error before `reset()`
   *   or after a terminating step.
   */
  step(action: number): StepResult<Float32Array> {
    this.actionSpace.assertContains(action, 'action');
    this.beginStep();
    const observation = new Float32Array(6);
    const { theta1, theta2, dtheta1, dtheta2 } = this;
    const terminated = acrobot.step(theta1, theta2, dtheta1, dtheta2, 0, action, observation);
    if (terminated) this.endEpisode();
    return { observation, reward: acrobot.reward(terminated), terminated, truncated: false, info: {} };
  }

  /** The current state as Gymnasium's 500x500 Acrobot picture (see {@link acrobotSvg}). */
  protected override sceneSvg(): string {
    return acrobotSvg(this.physical[0], this.physical[1], this);
  }
}
