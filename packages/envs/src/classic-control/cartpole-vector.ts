/**
 * `CartPoleVectorEnv`: many CartPoles stepped together in structure-of-arrays form.
 *
 * Source: Gymnasium 1.x, `gymnasium/envs/classic_control/cartpole.py` (`CartPoleVectorEnv`, the
 * `vector_entry_point` of `CartPole-v1`). The per-sub-env dynamics are `CartPole`'s own (defined once
 * in `cartpole-dynamics.ts`); seeding (sub-env i gets seed s + i), time limit, autoreset modes and
 * infos follow Proximal's `SyncVectorEnv` over `RecordEpisodeStatistics(make('CartPole-v1'))`, so
 * both give the same trajectories.
 */
import type { Box } from '../spaces/box.js';
import { Discrete } from '../spaces/discrete.js';
import * as cartPole from './cartpole-dynamics.js';
import { booleanOption } from './classic-env.js';
import {
  ClassicControlVectorEnv,
  type ClassicControlVectorEnvOptions,
  type VectorActions,
} from './vector-env-base.js';

/** Options of {@link CartPoleVectorEnv}. */
export interface CartPoleVectorEnvOptions extends ClassicControlVectorEnvOptions {
  /** Steps after which an episode is truncated (default 500, `CartPole-v1`'s). */
  maxEpisodeSteps?: number;
  /** Reward 0 per step and −1 on termination instead of 1 per step (default false). */
  suttonBartoReward?: boolean;
}

/**
 * `numEnvs` CartPoles whose states live in four float64 arrays (x, xDot, theta, thetaDot) and are
 * stepped in one loop, with the `VectorEnv` behaviour of `SyncVectorEnv` (see
 * {@link ClassicControlVectorEnv}): observations float32 [numEnvs · 4], actions one integer in
 * {0, 1} per sub-env, reward 1 per step (or Sutton–Barto), truncation at `maxEpisodeSteps`
 * (default 500). Returned arrays are overwritten by the next call.
 *
 * @example
 * const vec = makeVec('CartPole-v1', { numEnvs: 64, vectorizationMode: 'vector' });
 * vec.reset({ seed: 0 });
 * vec.step(new Int32Array(64));
 */
export class CartPoleVectorEnv extends ClassicControlVectorEnv<readonly [number, number]> {
  /** `Box(-high, high, (4,))` of one CartPole, high = [4.8, f32max, 24° in rad, f32max]. */
  declare readonly singleObservationSpace: Box;
  /** `Discrete(2)`: 0 pushes left, 1 pushes right. */
  declare readonly singleActionSpace: Discrete;
  /** Whether the Sutton–Barto reward is used. */
  readonly suttonBartoReward: boolean;

  /** Cart positions, one per sub-env (read/write). */
  readonly x: Float64Array;
  /** Cart velocities. */
  readonly xDot: Float64Array;
  /** Pole angles. */
  readonly theta: Float64Array;
  /** Pole angular velocities. */
  readonly thetaDot: Float64Array;

  /**
   * @param options see {@link CartPoleVectorEnvOptions}.
   * @throws RangeError for a bad `numEnvs`, `maxEpisodeSteps`, seed or autoreset mode; TypeError
   *   for a non-boolean `suttonBartoReward` or an unknown option.
   */
  constructor(options: CartPoleVectorEnvOptions = {}) {
    super(options, {
      name: 'CartPoleVectorEnv',
      extraOptions: ['suttonBartoReward'],
      defaultMaxEpisodeSteps: 500,
      observationSpace: cartPole.observationSpace(),
      actionSpace: new Discrete(2),
      renderFps: cartPole.constants.renderFps,
      resetParams: cartPole.resetBounds,
    });
    this.suttonBartoReward = booleanOption(
      options.suttonBartoReward,
      false,
      'CartPoleVectorEnv: suttonBartoReward',
    );
    const n = this.numEnvs;
    this.x = new Float64Array(n);
    this.xDot = new Float64Array(n);
    this.theta = new Float64Array(n);
    this.thetaDot = new Float64Array(n);
  }

  /** Each state variable uniform in [low, high), drawn in CartPole's order. */
  protected resetEnvs(indices: Int32Array, count: number, [low, high]: readonly [number, number]): void {
    const obs = this.buffers.observations;
    for (let k = 0; k < count; k++) {
      const i = indices[k];
      cartPole.reset(this.rngOf(i), low, high, this.x, this.xDot, this.theta, this.thetaDot, i, obs);
    }
  }

  /** One Euler step of every running sub-env (`step` of `cartpole-dynamics.ts`, as `CartPole`). */
  protected simulate(actions: VectorActions): void {
    const { observations, stepRewards, terminated, needsReset } = this.buffers;
    const { x, xDot, theta, thetaDot, suttonBartoReward } = this;
    // Read once, not at every iteration: see ClassicControlVectorEnv.simulate.
    const step = cartPole.step;
    const reward = cartPole.reward;
    const n = this.numEnvs;
    for (let i = 0; i < n; i++) {
      if (needsReset[i] !== 0) continue;
      const term = step(x, xDot, theta, thetaDot, i, actions[i], observations);
      terminated[i] = term ? 1 : 0;
      stepRewards[i] = reward(term, suttonBartoReward);
    }
  }
}
