/**
 * `PendulumVectorEnv`: many Pendulums stepped together in structure-of-arrays form.
 *
 * Source: Gymnasium 1.x, `gymnasium/envs/classic_control/pendulum.py` (`PendulumEnv`: constants,
 * dynamics, reward, reset distribution, defined once in `pendulum-dynamics.ts` for `Pendulum` and
 * this env), batched like Gymnasium's `CartPoleVectorEnv`. Seeding, time limit, autoreset modes and
 * infos follow Proximal's `SyncVectorEnv` over `RecordEpisodeStatistics(make('Pendulum-v1'))`, so
 * both give the same trajectories.
 */
import type { Box } from '../spaces/box.js';
import { numberOption } from './classic-env.js';
import * as pendulum from './pendulum-dynamics.js';
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
      observationSpace: pendulum.observationSpace(),
      actionSpace: pendulum.actionSpace(),
      renderFps: pendulum.constants.renderFps,
      resetParams: pendulum.resetBounds,
    });
    this.g = numberOption(options.g, pendulum.constants.g, 'PendulumVectorEnv: g');
    this.theta = new Float64Array(this.numEnvs);
    this.thetaDot = new Float64Array(this.numEnvs);
  }

  /** θ uniform in [−x, x), then θ̇ uniform in [−y, y). */
  protected resetEnvs(indices: Int32Array, count: number, [x, y]: readonly [number, number]): void {
    const obs = this.buffers.observations;
    for (let k = 0; k < count; k++) {
      const i = indices[k];
      pendulum.reset(this.rngOf(i), x, y, this.theta, this.thetaDot, i, obs);
    }
  }

  /**
   * One step of every running sub-env (`step` of `pendulum-dynamics.ts`, as `Pendulum`), with the
   * actions rounded to float32.
   */
  protected simulate(actions: VectorActions): void {
    const { observations, stepRewards, needsReset } = this.buffers;
    const { theta, thetaDot, g } = this;
    // Read once, not at every iteration: see ClassicControlVectorEnv.simulate.
    const step = pendulum.step;
    const torque = pendulum.torque;
    const n = this.numEnvs;
    for (let i = 0; i < n; i++) {
      if (needsReset[i] !== 0) continue;
      stepRewards[i] = step(theta, thetaDot, i, torque(Math.fround(actions[i])), g, observations);
    }
  }
}
