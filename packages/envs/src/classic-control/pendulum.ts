/**
 * Pendulum: swing a frictionless pendulum up and keep it upright with a bounded torque.
 *
 * Source: Gymnasium 1.x, `gymnasium/envs/classic_control/pendulum.py` (`PendulumEnv`,
 * `angle_normalize`). Constants, dynamics, rewards and the initial-state distribution are
 * Gymnasium's (defined once in `pendulum-dynamics.ts`, shared with `PendulumVectorEnv`).
 */
import type { EnvMetadata, ResetOptions, ResetResult, StepResult } from '../env.js';
import { CLASSIC_RENDER_MODES, type ClassicRenderMode } from '../rendering/render-mode.js';
import { pendulumSvg } from '../rendering/scenes/pendulum.js';
import type { Box } from '../spaces/box.js';
import { ClassicControlEnv, checkOptionKeys, numberOption } from './classic-env.js';
import * as pendulum from './pendulum-dynamics.js';
import { readBoxAction } from './utils.js';

export { angleNormalize } from './pendulum-dynamics.js';

/** Constructor options of {@link Pendulum} (Gymnasium `g`). */
export interface PendulumOptions {
  /** Gravitational acceleration, m/s² (default 10). */
  g?: number;
  /**
   * `'rgb_array'` (an `RgbaFrame`) or `'svg'` (SVG string): what `render()` returns; default
   * undefined (no rendering; `render()` returns undefined). Gymnasium's `render_mode`.
   */
  renderMode?: ClassicRenderMode;
}

/**
 * The Pendulum environment (Gymnasium `PendulumEnv`; registered as `Pendulum-v1`).
 *
 * - State (float64): [theta (rad, 0 = upright, not normalized), thetaDot (rad/s)].
 * - Observation: `Float32Array(3)` = [cos θ, sin θ, θ̇]; space `Box([-1, -1, -8], [1, 1, 8])`.
 * - Action: `Box(-2, 2, (1,))` torque; values outside [−2, 2] are clipped.
 * - Dynamics: θ̇ += (3g/(2l)·sin θ + 3/(m l²)·u)·dt, clipped to ±8; θ += θ̇·dt; dt = 0.05 s.
 * - Reward: −(normalize(θ)² + 0.1·θ̇² + 0.001·u²) with the clipped torque u.
 * - Never terminates; truncation comes from `TimeLimit` (200 steps for v1).
 * - Reset: θ uniform in [−π, π), θ̇ uniform in [−1, 1) (or ±`options.x_init`, ±`options.y_init`).
 * - Rendering (`renderMode` `'rgb_array'` or `'svg'`): Gymnasium's 500x500 picture of the rod and
 *   the last torque, see {@link ClassicControlEnv.render}.
 */
export class Pendulum extends ClassicControlEnv<Float32Array> {
  /** Speed bound, rad/s. */
  readonly maxSpeed = pendulum.constants.maxSpeed;
  /** Torque bound. */
  readonly maxTorque = pendulum.constants.maxTorque;
  /** Seconds per step. */
  readonly dt = pendulum.constants.dt;
  /** Gravitational acceleration, m/s². */
  readonly g: number;
  /** Mass, kg. */
  readonly m = pendulum.constants.m;
  /** Length, m. */
  readonly l = pendulum.constants.l;
  /** The clipped torque of the last step (null after reset). */
  lastU: number | null = null;

  /** `Box([-1, -1, -8], [1, 1, 8], (3,), float32)`. */
  readonly observationSpace: Box;
  /** `Box(-2.0, 2.0, (1,), float32)`. */
  readonly actionSpace: Box;
  private readonly actionValue = new Float64Array(1);

  /** Render modes `'rgb_array'` and `'svg'`; `renderFps` is Gymnasium's 30. */
  readonly metadata: EnvMetadata = {
    renderModes: [...CLASSIC_RENDER_MODES],
    renderFps: pendulum.constants.renderFps,
  };
  /** One-element views of the physical state (theta, thetaDot) for the shared dynamics. */
  private readonly theta: Float64Array;
  private readonly thetaDot: Float64Array;

  /**
   * @param options see {@link PendulumOptions}.
   * @throws TypeError for an unknown option or a non-numeric `g`; TypeError / RangeError
   *   naming `renderMode` when it is not `'rgb_array'`, `'svg'` or undefined.
   */
  constructor(options: PendulumOptions = {}) {
    super(2, 'Pendulum');
    checkOptionKeys(options, ['g', 'renderMode'], 'Pendulum');
    this.initRenderMode(options.renderMode);
    this.g = numberOption(options.g, pendulum.constants.g, 'Pendulum: g');
    this.observationSpace = pendulum.observationSpace();
    this.actionSpace = pendulum.actionSpace();
    this.theta = this.physical.subarray(0, 1);
    this.thetaDot = this.physical.subarray(1, 2);
  }

  /**
   * Starts an episode: θ uniform in [−x, x), θ̇ uniform in [−y, y) with x = `options.x_init`
   * (default π) and y = `options.y_init` (default 1).
   * @throws RangeError for a bad seed; TypeError for a non-numeric `x_init` / `y_init`.
   */
  reset(options?: ResetOptions): ResetResult<Float32Array> {
    this.seedFromReset(options);
    const [x, y] = pendulum.resetBounds(options?.options);
    const observation = new Float32Array(3);
    pendulum.reset(this.rng, x, y, this.theta, this.thetaDot, 0, observation);
    this.lastU = null;
    this.startEpisode();
    return { observation, info: {} };
  }

  /**
   * Applies the torque `action[0]` (clipped to [−2, 2]) for dt = 0.05 s.
   * @param action an array of one finite number (any value; it is clipped).
   * @returns a new `Float32Array(3)` observation, the reward (≤ 0), `terminated` = `truncated` =
   *   false, empty info.
   * @throws TypeError/RangeError naming `action` when it is not one finite number; Error before
   *   `reset()`.
   */
  step(action: Float32Array): StepResult<Float32Array> {
    readBoxAction(action, this.actionValue, this.actionSpace);
    const u = pendulum.torque(this.actionValue[0]);
    this.beginStep();
    this.lastU = u;
    const observation = new Float32Array(3);
    const reward = pendulum.step(this.theta, this.thetaDot, 0, u, this.g, observation);
    return { observation, reward, terminated: false, truncated: false, info: {} };
  }

  /** The current state as Gymnasium's 500x500 Pendulum picture (see {@link pendulumSvg}). */
  protected override sceneSvg(): string {
    return pendulumSvg(this.physical[0], this.lastU);
  }
}
