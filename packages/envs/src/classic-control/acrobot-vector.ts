/**
 * `AcrobotVectorEnv`: many Acrobots stepped together in structure-of-arrays form.
 *
 * Source: Gymnasium 1.x, `gymnasium/envs/classic_control/acrobot.py` (`AcrobotEnv` with the
 * default "book" dynamics, `rk4`, `wrap`, `bound`: constants, dynamics, reward, termination, reset
 * distribution), batched like Gymnasium's `CartPoleVectorEnv`. Seeding, time limit, autoreset modes
 * and infos follow Proximal's `SyncVectorEnv` over `RecordEpisodeStatistics(make('Acrobot-v1'))`,
 * so both give the same trajectories.
 */
import { Box } from '../spaces/box.js';
import { Discrete } from '../spaces/discrete.js';
import { clip, parseResetBounds } from './utils.js';
import {
  ClassicControlVectorEnv,
  type ClassicControlVectorEnvOptions,
  type VectorActions,
} from './vector-env-base.js';

/** Options of {@link AcrobotVectorEnv}. */
export interface AcrobotVectorEnvOptions extends ClassicControlVectorEnvOptions {
  /** Steps after which an episode is truncated (default 500, `Acrobot-v1`'s). */
  maxEpisodeSteps?: number;
}

const DT = 0.2;
const LINK_LENGTH_1 = 1.0;
const LINK_MASS_1 = 1.0;
const LINK_MASS_2 = 1.0;
const LINK_COM_POS_1 = 0.5;
const LINK_COM_POS_2 = 0.5;
const LINK_MOI = 1.0;
const MAX_VEL_1 = 4 * Math.PI;
const MAX_VEL_2 = 9 * Math.PI;
const TWO_PI = 2 * Math.PI;

/**
 * Time derivative of the velocities under torque `a` (the book dynamics of Gymnasium `_dsdt`, with
 * the same operations in the same order): writes ddtheta1 to `out[at]`, ddtheta2 to `out[at + 1]`.
 */
function accelerations(
  out: Float64Array,
  at: number,
  theta1: number,
  theta2: number,
  dtheta1: number,
  dtheta2: number,
  a: number,
): void {
  const m1 = LINK_MASS_1;
  const m2 = LINK_MASS_2;
  const l1 = LINK_LENGTH_1;
  const lc1 = LINK_COM_POS_1;
  const lc2 = LINK_COM_POS_2;
  const I1 = LINK_MOI;
  const I2 = LINK_MOI;
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
    (a + (d2 / d1) * phi1 - m2 * l1 * lc2 * dtheta1 ** 2 * sin2 - phi2) / (m2 * lc2 ** 2 + I2 - d2 ** 2 / d1);
  out[at] = -(d2 * ddtheta2 + phi1) / d1;
  out[at + 1] = ddtheta2;
}

/** Gymnasium's `wrap(x, -π, π)`: x shifted by multiples of 2π into [−π, π]. */
function wrapAngle(x: number): number {
  let v = x;
  while (v > Math.PI) v -= TWO_PI;
  while (v < -Math.PI) v += TWO_PI;
  return v;
}

/**
 * Writes row i of the observations, [cos θ1, sin θ1, cos θ2, sin θ2, θ̇1, θ̇2], and returns cos θ1
 * (the termination test needs it too).
 */
function writeObservation(
  obs: Float32Array,
  i: number,
  theta1: number,
  theta2: number,
  dtheta1: number,
  dtheta2: number,
): number {
  const cos1 = Math.cos(theta1);
  const o = i * 6;
  obs[o] = cos1;
  obs[o + 1] = Math.sin(theta1);
  obs[o + 2] = Math.cos(theta2);
  obs[o + 3] = Math.sin(theta2);
  obs[o + 4] = dtheta1;
  obs[o + 5] = dtheta2;
  return cos1;
}

/**
 * `numEnvs` Acrobots whose states live in four float64 arrays (theta1, theta2, dtheta1, dtheta2),
 * stepped in one loop, with the `VectorEnv` behaviour of `SyncVectorEnv` (see
 * {@link ClassicControlVectorEnv}): observations float32 [numEnvs · 6] = [cos θ1, sin θ1, cos θ2,
 * sin θ2, θ̇1, θ̇2] per sub-env; actions one integer per sub-env in `Discrete(3)` (torque −1, 0,
 * +1); reward −1 per step, 0 on the terminating step; terminated when the free end rises above the
 * line (−cos θ1 − cos(θ1 + θ2) > 1); truncated at `maxEpisodeSteps` (default 500). Returned arrays
 * are overwritten by the next call.
 *
 * @example
 * const vec = makeVec('Acrobot-v1', { numEnvs: 64, vectorizationMode: 'vector' });
 * vec.reset({ seed: 0 });
 * vec.step(new Int32Array(64).fill(2));
 */
export class AcrobotVectorEnv extends ClassicControlVectorEnv<readonly [number, number]> {
  /** `Box(-high, high, (6,), float32)`, high = [1, 1, 1, 1, 4π, 9π]. */
  declare readonly singleObservationSpace: Box;
  /** `Discrete(3)`: torque −1, 0, +1. */
  declare readonly singleActionSpace: Discrete;
  /** Angles of link 1 (rad, 0 = hanging down), one per sub-env (read/write). */
  readonly theta1: Float64Array;
  /** Angles of link 2 relative to link 1. */
  readonly theta2: Float64Array;
  /** Angular velocities of link 1. */
  readonly dtheta1: Float64Array;
  /** Angular velocities of link 2. */
  readonly dtheta2: Float64Array;

  /** Autoresets draw each state variable from [−0.1, 0.1). */
  protected readonly defaultResetParams = [-0.1, 0.1] as const;
  /** RK4 scratch: the velocity derivatives of the four stages. */
  private readonly k = new Float64Array(8);

  /**
   * @param options see {@link AcrobotVectorEnvOptions}.
   * @throws RangeError for a bad `numEnvs`, `maxEpisodeSteps`, seed or autoreset mode; TypeError
   *   for an unknown option.
   */
  constructor(options: AcrobotVectorEnvOptions = {}) {
    const high = [1, 1, 1, 1, MAX_VEL_1, MAX_VEL_2];
    super(options, {
      name: 'AcrobotVectorEnv',
      extraOptions: [],
      defaultMaxEpisodeSteps: 500,
      observationSpace: new Box(
        high.map((h) => -h),
        high,
      ),
      actionSpace: new Discrete(3),
      renderFps: 15,
    });
    const n = this.numEnvs;
    this.theta1 = new Float64Array(n);
    this.theta2 = new Float64Array(n);
    this.dtheta1 = new Float64Array(n);
    this.dtheta2 = new Float64Array(n);
  }

  /** Reset options `low` / `high` (default ±0.1), as `Acrobot.reset`. */
  protected parseResetParams(options: Record<string, unknown>): readonly [number, number] {
    return parseResetBounds(options, -0.1, 0.1);
  }

  /** Each state variable uniform in [low, high), rounded to float32, in Acrobot's order. */
  protected resetEnvs(indices: Int32Array, count: number, [low, high]: readonly [number, number]): void {
    const obs = this.buffers.observations;
    for (let k = 0; k < count; k++) {
      const i = indices[k];
      const rng = this.rngOf(i);
      const s0 = Math.fround(rng.uniformRange(low, high));
      const s1 = Math.fround(rng.uniformRange(low, high));
      const s2 = Math.fround(rng.uniformRange(low, high));
      const s3 = Math.fround(rng.uniformRange(low, high));
      this.theta1[i] = s0;
      this.theta2[i] = s1;
      this.dtheta1[i] = s2;
      this.dtheta2[i] = s3;
      writeObservation(obs, i, s0, s1, s2, s3);
    }
  }

  /** One RK4 step of every running sub-env (`Acrobot.step`'s operations in the same order). */
  protected simulate(actions: VectorActions): void {
    const b = this.buffers;
    const obs = b.observations;
    const rewards = b.stepRewards;
    const terminated = b.terminated;
    const skip = b.needsReset;
    const th1 = this.theta1;
    const th2 = this.theta2;
    const dth1 = this.dtheta1;
    const dth2 = this.dtheta2;
    const k = this.k;
    const dt = DT;
    const dt2 = dt / 2.0;
    const n = this.numEnvs;
    for (let i = 0; i < n; i++) {
      if (skip[i] !== 0) continue;
      const torque = actions[i] - 1; // -1.0, 0.0 or 1.0 for the actions 0, 1, 2
      const y0 = th1[i];
      const y1 = th2[i];
      const y2 = dth1[i];
      const y3 = dth2[i];
      // The stage derivatives of (theta1, theta2) are the stage velocities themselves.
      accelerations(k, 0, y0, y1, y2, y3, torque);
      const v1a = y2 + dt2 * k[0];
      const v1b = y3 + dt2 * k[1];
      accelerations(k, 2, y0 + dt2 * y2, y1 + dt2 * y3, v1a, v1b, torque);
      const v2a = y2 + dt2 * k[2];
      const v2b = y3 + dt2 * k[3];
      accelerations(k, 4, y0 + dt2 * v1a, y1 + dt2 * v1b, v2a, v2b, torque);
      const v3a = y2 + dt * k[4];
      const v3b = y3 + dt * k[5];
      accelerations(k, 6, y0 + dt * v2a, y1 + dt * v2b, v3a, v3b, torque);
      const s0 = wrapAngle(y0 + (dt / 6.0) * (y2 + 2 * v1a + 2 * v2a + v3a));
      const s1 = wrapAngle(y1 + (dt / 6.0) * (y3 + 2 * v1b + 2 * v2b + v3b));
      const s2 = clip(y2 + (dt / 6.0) * (k[0] + 2 * k[2] + 2 * k[4] + k[6]), -MAX_VEL_1, MAX_VEL_1);
      const s3 = clip(y3 + (dt / 6.0) * (k[1] + 2 * k[3] + 2 * k[5] + k[7]), -MAX_VEL_2, MAX_VEL_2);
      th1[i] = s0;
      th2[i] = s1;
      dth1[i] = s2;
      dth2[i] = s3;
      const cos0 = writeObservation(obs, i, s0, s1, s2, s3);
      const term = -cos0 - Math.cos(s1 + s0) > 1.0;
      terminated[i] = term ? 1 : 0;
      rewards[i] = term ? 0.0 : -1.0;
    }
  }
}
