/**
 * Acrobot: swing the free end of a two-link chain, actuated at the joint between the links, up
 * above a line.
 *
 * Source: Gymnasium 1.x, `gymnasium/envs/classic_control/acrobot.py` (`AcrobotEnv`, with the
 * default `book_or_nips = "book"` dynamics from Sutton & Barto's book, `rk4`, `wrap`, `bound`);
 * after Sutton, "Generalization in Reinforcement Learning: Successful Examples Using Sparse Coarse
 * Coding" (1996). Constants, dynamics, termination, rewards and the initial-state distribution
 * are Gymnasium's.
 */
import type { EnvMetadata, ResetOptions, ResetResult, StepResult } from '../env.js';
import { CLASSIC_RENDER_MODES, type ClassicRenderMode } from '../rendering/render-mode.js';
import { acrobotSvg } from '../rendering/scenes/acrobot.js';
import { Box } from '../spaces/box.js';
import { Discrete } from '../spaces/discrete.js';
import { ClassicControlEnv, checkOptionKeys } from './classic-env.js';
import { clip, parseResetBounds } from './utils.js';

/** Gymnasium's `wrap(x, m, M)`: shifts x by multiples of M − m into [m, M]. */
function wrap(x: number, m: number, M: number): number {
  const diff = M - m;
  let v = x;
  while (v > M) v -= diff;
  while (v < m) v += diff;
  return v;
}

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
  readonly dt = 0.2;
  /** Length of link 1, m. */
  readonly linkLength1 = 1.0;
  /** Length of link 2, m. */
  readonly linkLength2 = 1.0;
  /** Mass of link 1, kg. */
  readonly linkMass1 = 1.0;
  /** Mass of link 2, kg. */
  readonly linkMass2 = 1.0;
  /** Position of link 1's centre of mass, m. */
  readonly linkComPos1 = 0.5;
  /** Position of link 2's centre of mass, m. */
  readonly linkComPos2 = 0.5;
  /** Moment of inertia of both links. */
  readonly linkMoi = 1.0;
  /** Bound on dtheta1, rad/s. */
  readonly maxVel1 = 4 * Math.PI;
  /** Bound on dtheta2, rad/s. */
  readonly maxVel2 = 9 * Math.PI;
  /** Torque of each action. */
  readonly availTorque: readonly number[] = Object.freeze([-1.0, 0.0, 1.0]);
  /** Gymnasium's default (no torque noise is implemented). */
  readonly torqueNoiseMax = 0.0;
  /** The dynamics variant (Gymnasium's default, the only one implemented). */
  readonly bookOrNips = 'book' as const;

  /** `Box(-high, high, (6,), float32)`, high = [1, 1, 1, 1, 4π, 9π]. */
  readonly observationSpace: Box;
  /** `Discrete(3)`: torque −1, 0, +1. */
  readonly actionSpace = new Discrete(3);
  /** Render modes `'rgb_array'` and `'svg'`; `renderFps` is Gymnasium's 15. */
  readonly metadata: EnvMetadata = { renderModes: [...CLASSIC_RENDER_MODES], renderFps: 15 };

  /**
   * @param options see {@link AcrobotOptions}.
   * @throws TypeError for an unknown option; TypeError / RangeError
   *   naming `renderMode` when it is not `'rgb_array'`, `'svg'` or undefined.
   */
  constructor(options: AcrobotOptions = {}) {
    super(4, 'Acrobot');
    checkOptionKeys(options, ['renderMode'], 'Acrobot');
    this.initRenderMode(options.renderMode);
    const high = [1, 1, 1, 1, this.maxVel1, this.maxVel2];
    this.observationSpace = new Box(
      high.map((h) => -h),
      high,
    );
  }

  /**
   * Starts an episode: each of the 4 state variables uniform in [low, high) (default ±0.1),
   * rounded to float32.
   * @throws RangeError for a bad seed or `low > high`; TypeError for non-numeric bounds.
   */
  reset(options?: ResetOptions): ResetResult<Float32Array> {
    this.seedFromReset(options);
    const [low, high] = parseResetBounds(options?.options, -0.1, 0.1);
    const rng = this.rng;
    for (let i = 0; i < 4; i++) this.physical[i] = Math.fround(rng.uniformRange(low, high));
    this.startEpisode();
    return { observation: this.observation(), info: {} };
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
    const s = this.physical;
    const torque = this.availTorque[action];
    const ns = this.rk4(s[0], s[1], s[2], s[3], torque);
    s[0] = wrap(ns[0], -Math.PI, Math.PI);
    s[1] = wrap(ns[1], -Math.PI, Math.PI);
    s[2] = clip(ns[2], -this.maxVel1, this.maxVel1);
    s[3] = clip(ns[3], -this.maxVel2, this.maxVel2);
    const terminated = -Math.cos(s[0]) - Math.cos(s[1] + s[0]) > 1.0;
    if (terminated) this.endEpisode();
    const reward = terminated ? 0.0 : -1.0;
    return { observation: this.observation(), reward, terminated, truncated: false, info: {} };
  }

  /** One RK4 step of length dt from y0 (Gymnasium `rk4(self._dsdt, s_augmented, [0, dt])`). */
  private rk4(y0: number, y1: number, y2: number, y3: number, a: number): number[] {
    const dt = this.dt;
    const dt2 = dt / 2.0;
    const k1 = this.dsdt(y0, y1, y2, y3, a);
    const k2 = this.dsdt(y0 + dt2 * k1[0], y1 + dt2 * k1[1], y2 + dt2 * k1[2], y3 + dt2 * k1[3], a);
    const k3 = this.dsdt(y0 + dt2 * k2[0], y1 + dt2 * k2[1], y2 + dt2 * k2[2], y3 + dt2 * k2[3], a);
    const k4 = this.dsdt(y0 + dt * k3[0], y1 + dt * k3[1], y2 + dt * k3[2], y3 + dt * k3[3], a);
    const y = [y0, y1, y2, y3];
    const out = new Array<number>(4);
    for (let i = 0; i < 4; i++) out[i] = y[i] + (dt / 6.0) * (k1[i] + 2 * k2[i] + 2 * k3[i] + k4[i]);
    return out;
  }

  /** Time derivative of the state under torque `a` (Gymnasium `_dsdt`, book variant). */
  private dsdt(theta1: number, theta2: number, dtheta1: number, dtheta2: number, a: number): number[] {
    const m1 = this.linkMass1;
    const m2 = this.linkMass2;
    const l1 = this.linkLength1;
    const lc1 = this.linkComPos1;
    const lc2 = this.linkComPos2;
    const I1 = this.linkMoi;
    const I2 = this.linkMoi;
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
      (a + (d2 / d1) * phi1 - m2 * l1 * lc2 * dtheta1 ** 2 * sin2 - phi2) /
      (m2 * lc2 ** 2 + I2 - d2 ** 2 / d1);
    const ddtheta1 = -(d2 * ddtheta2 + phi1) / d1;
    return [dtheta1, dtheta2, ddtheta1, ddtheta2];
  }

  /** The current state as Gymnasium's 500x500 Acrobot picture (see {@link acrobotSvg}). */
  protected override sceneSvg(): string {
    return acrobotSvg(this.physical[0], this.physical[1], this);
  }

  private observation(): Float32Array {
    const s = this.physical;
    const obs = new Float32Array(6);
    obs[0] = Math.cos(s[0]);
    obs[1] = Math.sin(s[0]);
    obs[2] = Math.cos(s[1]);
    obs[3] = Math.sin(s[1]);
    obs[4] = s[2];
    obs[5] = s[3];
    return obs;
  }
}
