/**
 * Pendulum: swing a frictionless pendulum up and keep it upright with a bounded torque.
 *
 * Source: Gymnasium 1.x, `gymnasium/envs/classic_control/pendulum.py` (`PendulumEnv`,
 * `angle_normalize`). Constants, dynamics, rewards and the initial-state distribution are
 * Gymnasium's.
 */
import type { EnvMetadata, ResetOptions, ResetResult, StepResult } from '../env.js';
import { CLASSIC_RENDER_MODES, type ClassicRenderMode } from '../rendering/render-mode.js';
import { pendulumSvg } from '../rendering/scenes/pendulum.js';
import { Box } from '../spaces/box.js';
import { formatValue } from '../utils/format.js';
import { ClassicControlEnv, checkOptionKeys, numberOption } from './classic-env.js';
import { clip, readBoxAction } from './utils.js';

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

/** An angle mapped into [−π, π) (Gymnasium `angle_normalize`, Python's floored modulo). */
export function angleNormalize(x: number): number {
  const period = 2 * Math.PI;
  let r = (x + Math.PI) % period;
  if (r < 0) r += period;
  return r - Math.PI;
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
  readonly maxSpeed = 8;
  /** Torque bound. */
  readonly maxTorque = 2.0;
  /** Seconds per step. */
  readonly dt = 0.05;
  /** Gravitational acceleration, m/s². */
  readonly g: number;
  /** Mass, kg. */
  readonly m = 1.0;
  /** Length, m. */
  readonly l = 1.0;
  /** The clipped torque of the last step (null after reset). */
  lastU: number | null = null;

  /** `Box([-1, -1, -8], [1, 1, 8], (3,), float32)`. */
  readonly observationSpace: Box;
  /** `Box(-2.0, 2.0, (1,), float32)`. */
  readonly actionSpace: Box;
  private readonly actionValue = new Float64Array(1);

  /** Render modes `'rgb_array'` and `'svg'`; `renderFps` is Gymnasium's 30. */
  readonly metadata: EnvMetadata = { renderModes: [...CLASSIC_RENDER_MODES], renderFps: 30 };

  /**
   * @param options see {@link PendulumOptions}.
   * @throws TypeError for an unknown option or a non-numeric `g`; TypeError / RangeError
   *   naming `renderMode` when it is not `'rgb_array'`, `'svg'` or undefined.
   */
  constructor(options: PendulumOptions = {}) {
    super(2, 'Pendulum');
    checkOptionKeys(options, ['g', 'renderMode'], 'Pendulum');
    this.initRenderMode(options.renderMode);
    this.g = numberOption(options.g, 10.0, 'Pendulum: g');
    const high = [1.0, 1.0, this.maxSpeed];
    this.observationSpace = new Box(
      high.map((h) => -h),
      high,
    );
    this.actionSpace = new Box(-this.maxTorque, this.maxTorque, [1]);
  }

  /**
   * Starts an episode: θ uniform in [−x, x), θ̇ uniform in [−y, y) with x = `options.x_init`
   * (default π) and y = `options.y_init` (default 1).
   * @throws RangeError for a bad seed; TypeError for a non-numeric `x_init` / `y_init`.
   */
  reset(options?: ResetOptions): ResetResult<Float32Array> {
    this.seedFromReset(options);
    const opts = options?.options;
    const read = (key: 'x_init' | 'y_init', fallback: number): number => {
      if (opts === undefined || !(key in opts)) return fallback;
      const v = opts[key];
      if (typeof v !== 'number' || !Number.isFinite(v)) {
        throw new TypeError(`reset options.${key} must be a finite number, got ${formatValue(v)}`);
      }
      return v;
    };
    const x = read('x_init', Math.PI);
    const y = read('y_init', 1.0);
    const rng = this.rng;
    this.physical[0] = rng.uniformRange(-x, x);
    this.physical[1] = rng.uniformRange(-y, y);
    this.lastU = null;
    this.startEpisode();
    return { observation: this.observation(), info: {} };
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
    readBoxAction(action, this.actionValue, String(this.actionSpace));
    const raw = this.actionValue[0];
    this.beginStep();
    const s = this.physical;
    const th = s[0];
    const thdot = s[1];
    const { g, m, l, dt } = this;
    const u = clip(raw, -this.maxTorque, this.maxTorque);
    this.lastU = u;
    const costs = angleNormalize(th) ** 2 + 0.1 * thdot ** 2 + 0.001 * u ** 2;
    let newthdot = thdot + (((3 * g) / (2 * l)) * Math.sin(th) + (3.0 / (m * l ** 2)) * u) * dt;
    newthdot = clip(newthdot, -this.maxSpeed, this.maxSpeed);
    const newth = th + newthdot * dt;
    s[0] = newth;
    s[1] = newthdot;
    return { observation: this.observation(), reward: -costs, terminated: false, truncated: false, info: {} };
  }

  /** The current state as Gymnasium's 500x500 Pendulum picture (see {@link pendulumSvg}). */
  protected override sceneSvg(): string {
    return pendulumSvg(this.physical[0], this.lastU);
  }

  private observation(): Float32Array {
    const s = this.physical;
    const obs = new Float32Array(3);
    obs[0] = Math.cos(s[0]);
    obs[1] = Math.sin(s[0]);
    obs[2] = s[1];
    return obs;
  }
}
