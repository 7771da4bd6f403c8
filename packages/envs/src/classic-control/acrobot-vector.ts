/**
 * `AcrobotVectorEnv`: many Acrobots stepped together in structure-of-arrays form.
 *
 * Source: Gymnasium 1.x, `gymnasium/envs/classic_control/acrobot.py` (`AcrobotEnv` with the
 * default "book" dynamics, `rk4`, `wrap`, `bound`: constants, dynamics, reward, termination, reset
 * distribution, defined once in `acrobot-dynamics.ts` for `Acrobot` and this env), batched like
 * Gymnasium's `CartPoleVectorEnv`. Seeding, time limit, autoreset modes and infos follow Proximal's
 * `SyncVectorEnv` over `RecordEpisodeStatistics(make('Acrobot-v1'))`, so both give the same
 * trajectories.
 */
import type { Box } from '../spaces/box.js';
import { Discrete } from '../spaces/discrete.js';
import * as acrobot from './acrobot-dynamics.js';
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

  /**
   * @param options see {@link AcrobotVectorEnvOptions}.
   * @throws RangeError for a bad `numEnvs`, `maxEpisodeSteps`, seed or autoreset mode; TypeError
   *   for an unknown option.
   */
  constructor(options: AcrobotVectorEnvOptions = {}) {
    super(options, {
      name: 'AcrobotVectorEnv',
      extraOptions: [],
      defaultMaxEpisodeSteps: 500,
      observationSpace: acrobot.observationSpace(),
      actionSpace: new Discrete(3),
      renderFps: acrobot.constants.renderFps,
      resetParams: acrobot.resetBounds,
    });
    const n = this.numEnvs;
    this.theta1 = new Float64Array(n);
    this.theta2 = new Float64Array(n);
    this.dtheta1 = new Float64Array(n);
    this.dtheta2 = new Float64Array(n);
  }

  /** Each state variable uniform in [low, high), rounded to float32, in Acrobot's order. */
  protected resetEnvs(indices: Int32Array, count: number, [low, high]: readonly [number, number]): void {
    const obs = this.buffers.observations;
    for (let k = 0; k < count; k++) {
      const i = indices[k];
      acrobot.reset(this.rngOf(i), low, high, this.theta1, this.theta2, this.dtheta1, this.dtheta2, i, obs);
    }
  }

  /** One RK4 step of every running sub-env (`step` of `acrobot-dynamics.ts`, as `Acrobot`). */
  protected simulate(actions: VectorActions): void {
    const { observations, stepRewards, terminated, needsReset } = this.buffers;
    const { theta1, theta2, dtheta1, dtheta2 } = this;
    // Read once, not at every iteration: see ClassicControlVectorEnv.simulate.
    const step = acrobot.step;
    const reward = acrobot.reward;
    const n = this.numEnvs;
    for (let i = 0; i < n; i++) {
      if (needsReset[i] !== 0) continue;
      const term = step(theta1, theta2, dtheta1, dtheta2, i, actions[i], observations);
      terminated[i] = term ? 1 : 0;
      stepRewards[i] = reward(term);
    }
  }
}
