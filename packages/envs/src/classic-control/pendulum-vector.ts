/**
 * `PendulumVectorEnv`: many Pendulums stepped together in structure-of-arrays form.
 *
 * Source: Gymnasium 1.x, `gymnasium/envs/classic_control/pendulum.py` (`PendulumEnv`: constants,
 * dynamics, reward, reset distribution), batched like Gymnasium's `CartPoleVectorEnv`. Seeding,
 * time limit, autoreset modes and infos follow Proximal's `SyncVectorEnv` over
 * `RecordEpisodeStatistics(make('Pendulum-v1'))`, so both give the same trajectories.
 */
import { Box } from '../spaces/box.js';
import { numberOption } from './classic-env.js';
import { angleNormalize } from './pendulum.js';
import { clip } from './utils.js';
import {
  ClassicControlVectorEnv,
  type ClassicControlVectorEnvOptions,
  type VectorActions,
} from './vector-env-base.js';

/** Options of {@link PendulumVectorEnv}. */
export interface PendulumVectorEnvOptions extends ClassicControlVectorEnvOptions {
  /** Steps after which an episode is truncated (default 200, `Pendulum-v1`'s). */
  maxEpisodeSteps?: number;
  /** Gravitational acceleration, m/s² (default 10). */
  g?: number;
}

const MAX_SPEED = 8;
const MAX_TORQUE = 2.0;
const DT = 0.05;
const M = 1.0;
const L = 1.0;

/**
 * `numEnvs` Pendulums whose angles and angular velocities live in two float64 arrays, stepped in
 * one loop, with the `VectorEnv` behaviour of `SyncVectorEnv` (see {@link ClassicControlVectorEnv}):
 * observations float32 [numEnvs · 3] = [cos θ, sin θ, θ̇] per sub-env; actions one torque per
 * sub-env in [−2, 2] (`Box(-2, 2, (1,))`, rounded to float32); reward −(normalize(θ)² + 0.1·θ̇² +
 * 0.001·u²); never terminates, truncated at `maxEpisodeSteps` (default 200). Returned arrays are
 * overwritten by the next call.
 *
 * @example
 * const vec = makeVec('Pendulum-v1', { numEnvs: 64, vectorizationMode: 'vector' });
 * vec.reset({ seed: 0 });
 * vec.step(new Float32Array(64).fill(0.5));
 */
export class PendulumVectorEnv extends ClassicControlVectorEnv<readonly [number, number]> {
  /** `Box([-1, -1, -8], [1, 1, 8], (3,), float32)`. */
  declare readonly singleObservationSpace: Box;
  /** `Box(-2.0, 2.0, (1,), float32)`: the torque. */
  declare readonly singleActionSpace: Box;
  /** Gravitational acceleration, m/s². */
  readonly g: number;
  /** Angles θ (rad, 0 = upright, not normalized), one per sub-env (read/write). */
  readonly theta: Float64Array;
  /** Angular velocities θ̇ (rad/s). */
  readonly thetaDot: Float64Array;

  /** Autoresets draw θ from [−π, π) and θ̇ from [−1, 1). */
  protected readonly defaultResetParams = [Math.PI, 1.0] as const;

  /**
   * @param options see {@link PendulumVectorEnvOptions}.
   * @throws RangeError for a bad `numEnvs`, `maxEpisodeSteps`, seed or autoreset mode; TypeError
   *   for a non-numeric `g` or an unknown option.
   */
  constructor(options: PendulumVectorEnvOptions = {}) {
    super(options, {
      name: 'PendulumVectorEnv',
      extraOptions: ['g'],
      defaultMaxEpisodeSteps: 200,
      observationSpace: new Box([-1.0, -1.0, -MAX_SPEED], [1.0, 1.0, MAX_SPEED]),
      actionSpace: new Box(-MAX_TORQUE, MAX_TORQUE, [1]),
      renderFps: 30,
    });
    this.g = numberOption(options.g, 10.0, 'PendulumVectorEnv: g');
    this.theta = new Float64Array(this.numEnvs);
    this.thetaDot = new Float64Array(this.numEnvs);
  }

  /** Reset options `x_init` (default π) and `y_init` (default 1), as `Pendulum.reset`. */
  protected parseResetParams(options: Record<string, unknown>): readonly [number, number] {
    return [
      numberOption(options.x_init, Math.PI, 'reset options.x_init'),
      numberOption(options.y_init, 1.0, 'reset options.y_init'),
    ];
  }

  /** θ uniform in [−x, x), then θ̇ uniform in [−y, y). */
  protected resetEnvs(indices: Int32Array, count: number, [x, y]: readonly [number, number]): void {
    const obs = this.buffers.observations;
    for (let k = 0; k < count; k++) {
      const i = indices[k];
      const rng = this.rngOf(i);
      const th = rng.uniformRange(-x, x);
      const thdot = rng.uniformRange(-y, y);
      this.theta[i] = th;
      this.thetaDot[i] = thdot;
      obs[i * 3] = Math.cos(th);
      obs[i * 3 + 1] = Math.sin(th);
      obs[i * 3 + 2] = thdot;
    }
  }

  /** One step of every running sub-env (`Pendulum.step`'s operations in the same order). */
  protected simulate(actions: VectorActions): void {
    const b = this.buffers;
    const obs = b.observations;
    const rewards = b.stepRewards;
    const skip = b.needsReset;
    const thetas = this.theta;
    const thetaDots = this.thetaDot;
    const g = this.g;
    const n = this.numEnvs;
    for (let i = 0; i < n; i++) {
      if (skip[i] !== 0) continue;
      const th = thetas[i];
      const thdot = thetaDots[i];
      const u = clip(Math.fround(actions[i]), -MAX_TORQUE, MAX_TORQUE);
      const costs = angleNormalize(th) ** 2 + 0.1 * thdot ** 2 + 0.001 * u ** 2;
      let newthdot = thdot + (((3 * g) / (2 * L)) * Math.sin(th) + (3.0 / (M * L ** 2)) * u) * DT;
      newthdot = clip(newthdot, -MAX_SPEED, MAX_SPEED);
      const newth = th + newthdot * DT;
      thetas[i] = newth;
      thetaDots[i] = newthdot;
      obs[i * 3] = Math.cos(newth);
      obs[i * 3 + 1] = Math.sin(newth);
      obs[i * 3 + 2] = newthdot;
      rewards[i] = -costs;
    }
  }
}
