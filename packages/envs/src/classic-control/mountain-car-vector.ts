/**
 * `MountainCarVectorEnv` and `MountainCarContinuousVectorEnv`: many MountainCars stepped together in
 * structure-of-arrays form.
 *
 * Source: Gymnasium 1.x, `gymnasium/envs/classic_control/mountain_car.py` (`MountainCarEnv`) and
 * `continuous_mountain_car.py` (`Continuous_MountainCarEnv`): constants, dynamics, rewards,
 * termination, reset distribution, defined once in `mountain-car-dynamics.ts` for the single and
 * the batched envs; batched like Gymnasium's `CartPoleVectorEnv`. Seeding, time limit, autoreset
 * modes and infos follow Proximal's `SyncVectorEnv` over `RecordEpisodeStatistics(make(id))`, so
 * both give the same trajectories.
 */
import { Box } from '../spaces/box.js';
import { Discrete } from '../spaces/discrete.js';
import { numberOption } from './classic-env.js';
import * as mountainCar from './mountain-car-dynamics.js';
import {
  ClassicControlVectorEnv,
  type ClassicControlVectorEnvOptions,
  type ClassicControlVectorEnvSpec,
  type VectorActions,
} from './vector-env-base.js';

/** Options of {@link MountainCarVectorEnv} and {@link MountainCarContinuousVectorEnv}. */
export interface MountainCarVectorEnvOptions extends ClassicControlVectorEnvOptions {
  /**
   * Steps after which an episode is truncated (default 200 for `MountainCar-v0`, 999 for
   * `MountainCarContinuous-v0`).
   */
  maxEpisodeSteps?: number;
  /** Minimum velocity at the goal for the episode to terminate (default 0). */
  goalVelocity?: number;
}

/**
 * The state arrays, reset distribution and observation layout shared by both MountainCars: state
 * [position, velocity] in two float64 arrays, observation float32 [numEnvs · 2] = the state.
 */
abstract class MountainCarVectorBase extends ClassicControlVectorEnv<readonly [number, number]> {
  /** `Box([-1.2, -0.07], [0.6, 0.07], (2,), float32)`. */
  declare readonly singleObservationSpace: Box;
  /** Minimum velocity at the goal. */
  readonly goalVelocity: number;
  /** Car positions, one per sub-env (read/write). */
  readonly position: Float64Array;
  /** Car velocities. */
  readonly velocity: Float64Array;

  /**
   * @param options see {@link MountainCarVectorEnvOptions}.
   * @param spec the subclass's name, time limit and action space.
   * @throws RangeError for a bad `numEnvs`, `maxEpisodeSteps`, seed or autoreset mode; TypeError
   *   for a non-numeric `goalVelocity` or an unknown option.
   */
  protected constructor(
    options: MountainCarVectorEnvOptions,
    spec: Omit<
      ClassicControlVectorEnvSpec,
      'extraOptions' | 'observationSpace' | 'renderFps' | 'resetParams'
    >,
  ) {
    super(options, {
      ...spec,
      extraOptions: ['goalVelocity'],
      observationSpace: mountainCar.observationSpace(),
      renderFps: mountainCar.constants.renderFps,
      resetParams: mountainCar.resetBounds,
    });
    this.goalVelocity = numberOption(options.goalVelocity, 0, `${spec.name}: goalVelocity`);
    this.position = new Float64Array(this.numEnvs);
    this.velocity = new Float64Array(this.numEnvs);
  }

  /** Position uniform in [low, high), velocity 0. */
  protected resetEnvs(indices: Int32Array, count: number, [low, high]: readonly [number, number]): void {
    const obs = this.buffers.observations;
    for (let k = 0; k < count; k++) {
      const i = indices[k];
      mountainCar.reset(this.rngOf(i), low, high, this.position, this.velocity, i, obs);
    }
  }
}

/**
 * `numEnvs` MountainCars (`MountainCar-v0`) with the `VectorEnv` behaviour of `SyncVectorEnv` (see
 * {@link ClassicControlVectorEnv}): observations float32 [numEnvs · 2] = [position, velocity];
 * actions one integer per sub-env in `Discrete(3)` (accelerate left, none, right); reward −1 per
 * step; terminated when position ≥ 0.5 and velocity ≥ `goalVelocity`; truncated at
 * `maxEpisodeSteps` (default 200). Returned arrays are overwritten by the next call.
 *
 * @example
 * const vec = makeVec('MountainCar-v0', { numEnvs: 64, vectorizationMode: 'vector' });
 * vec.reset({ seed: 0 });
 * vec.step(new Int32Array(64).fill(2));
 */
export class MountainCarVectorEnv extends MountainCarVectorBase {
  /** `Discrete(3)`: left, none, right. */
  declare readonly singleActionSpace: Discrete;

  /**
   * @param options see {@link MountainCarVectorEnvOptions}.
   * @throws RangeError for a bad `numEnvs`, `maxEpisodeSteps`, seed or autoreset mode; TypeError
   *   for a non-numeric `goalVelocity` or an unknown option.
   */
  constructor(options: MountainCarVectorEnvOptions = {}) {
    super(options, {
      name: 'MountainCarVectorEnv',
      defaultMaxEpisodeSteps: 200,
      actionSpace: new Discrete(3),
    });
  }

  /** One step of every running sub-env (`step` of `mountain-car-dynamics.ts`, as `MountainCar`). */
  protected simulate(actions: VectorActions): void {
    const { observations, stepRewards, terminated, needsReset } = this.buffers;
    const { position, velocity, goalVelocity } = this;
    // Read once, not at every iteration: see ClassicControlVectorEnv.simulate.
    const step = mountainCar.step;
    const reward = mountainCar.reward();
    const n = this.numEnvs;
    for (let i = 0; i < n; i++) {
      if (needsReset[i] !== 0) continue;
      terminated[i] = step(position, velocity, i, actions[i], goalVelocity, observations) ? 1 : 0;
      stepRewards[i] = reward;
    }
  }
}

/**
 * `numEnvs` continuous MountainCars (`MountainCarContinuous-v0`) with the `VectorEnv` behaviour of
 * `SyncVectorEnv` (see {@link ClassicControlVectorEnv}): observations float32 [numEnvs · 2] =
 * [position, velocity] (the state is kept rounded to float32, as Gymnasium does); actions one force
 * per sub-env in [−1, 1] (`Box(-1, 1, (1,))`, rounded to float32); reward 100 on reaching the goal
 * minus 0.1·action² per step; terminated when position ≥ 0.45 and velocity ≥ `goalVelocity`;
 * truncated at `maxEpisodeSteps` (default 999). Returned arrays are overwritten by the next call.
 *
 * @example
 * const vec = makeVec('MountainCarContinuous-v0', { numEnvs: 64, vectorizationMode: 'vector' });
 * vec.reset({ seed: 0 });
 * vec.step(new Float32Array(64).fill(1));
 */
export class MountainCarContinuousVectorEnv extends MountainCarVectorBase {
  /** `Box(-1.0, 1.0, (1,), float32)`: the force. */
  declare readonly singleActionSpace: Box;

  /**
   * @param options see {@link MountainCarVectorEnvOptions}.
   * @throws RangeError for a bad `numEnvs`, `maxEpisodeSteps`, seed or autoreset mode; TypeError
   *   for a non-numeric `goalVelocity` or an unknown option.
   */
  constructor(options: MountainCarVectorEnvOptions = {}) {
    super(options, {
      name: 'MountainCarContinuousVectorEnv',
      defaultMaxEpisodeSteps: 999,
      actionSpace: new Box(-1.0, 1.0, [1]),
    });
  }

  /**
   * One step of every running sub-env (`continuousStep` of `mountain-car-dynamics.ts`, as
   * `MountainCarContinuous`), with the actions rounded to float32.
   */
  protected simulate(actions: VectorActions): void {
    const { observations, stepRewards, terminated, needsReset } = this.buffers;
    const { position, velocity, goalVelocity } = this;
    // Read once, not at every iteration: see ClassicControlVectorEnv.simulate.
    const step = mountainCar.continuousStep;
    const reward = mountainCar.continuousReward;
    const n = this.numEnvs;
    for (let i = 0; i < n; i++) {
      if (needsReset[i] !== 0) continue;
      const a = Math.fround(actions[i]);
      const term = step(position, velocity, i, a, goalVelocity, observations);
      terminated[i] = term ? 1 : 0;
      stepRewards[i] = reward(term, a);
    }
  }
}
