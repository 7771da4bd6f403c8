/**
 * `MountainCarVectorEnv` and `MountainCarContinuousVectorEnv`: many MountainCars stepped together in
 * structure-of-arrays form.
 *
 * Source: Gymnasium 1.x, `gymnasium/envs/classic_control/mountain_car.py` (`MountainCarEnv`) and
 * `continuous_mountain_car.py` (`Continuous_MountainCarEnv`): constants, dynamics, rewards,
 * termination, reset distribution; batched like Gymnasium's `CartPoleVectorEnv`. Seeding, time
 * limit, autoreset modes and infos follow Proximal's `SyncVectorEnv` over
 * `RecordEpisodeStatistics(make(id))`, so both give the same trajectories.
 */
import { Box } from '../spaces/box.js';
import { Discrete } from '../spaces/discrete.js';
import { numberOption } from './classic-env.js';
import { clip, parseResetBounds } from './utils.js';
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

const MIN_POSITION = -1.2;
const MAX_POSITION = 0.6;
const MAX_SPEED = 0.07;

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

  /** Autoresets draw the position from [−0.6, −0.4). */
  protected readonly defaultResetParams = [-0.6, -0.4] as const;

  /**
   * @param options see {@link MountainCarVectorEnvOptions}.
   * @param spec the subclass's name, time limit and action space.
   * @throws RangeError for a bad `numEnvs`, `maxEpisodeSteps`, seed or autoreset mode; TypeError
   *   for a non-numeric `goalVelocity` or an unknown option.
   */
  protected constructor(
    options: MountainCarVectorEnvOptions,
    spec: Omit<ClassicControlVectorEnvSpec, 'extraOptions' | 'observationSpace' | 'renderFps'>,
  ) {
    super(options, {
      ...spec,
      extraOptions: ['goalVelocity'],
      observationSpace: new Box([MIN_POSITION, -MAX_SPEED], [MAX_POSITION, MAX_SPEED]),
      renderFps: 30,
    });
    this.goalVelocity = numberOption(options.goalVelocity, 0, `${spec.name}: goalVelocity`);
    this.position = new Float64Array(this.numEnvs);
    this.velocity = new Float64Array(this.numEnvs);
  }

  /** Reset options `low` / `high` of the position (default [−0.6, −0.4)). */
  protected parseResetParams(options: Record<string, unknown>): readonly [number, number] {
    return parseResetBounds(options, -0.6, -0.4);
  }

  /** Position uniform in [low, high), velocity 0. */
  protected resetEnvs(indices: Int32Array, count: number, [low, high]: readonly [number, number]): void {
    const obs = this.buffers.observations;
    for (let k = 0; k < count; k++) {
      const i = indices[k];
      const position = this.rngOf(i).uniformRange(low, high);
      this.position[i] = position;
      this.velocity[i] = 0;
      obs[i * 2] = position;
      obs[i * 2 + 1] = 0;
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

  /** One step of every running sub-env (`MountainCar.step`'s operations in the same order). */
  protected simulate(actions: VectorActions): void {
    const b = this.buffers;
    const obs = b.observations;
    const rewards = b.stepRewards;
    const terminated = b.terminated;
    const skip = b.needsReset;
    const positions = this.position;
    const velocities = this.velocity;
    const goalVelocity = this.goalVelocity;
    const n = this.numEnvs;
    for (let i = 0; i < n; i++) {
      if (skip[i] !== 0) continue;
      let position = positions[i];
      let velocity = velocities[i];
      velocity += (actions[i] - 1) * 0.001 + Math.cos(3 * position) * -0.0025;
      velocity = clip(velocity, -MAX_SPEED, MAX_SPEED);
      position += velocity;
      position = clip(position, MIN_POSITION, MAX_POSITION);
      if (position === MIN_POSITION && velocity < 0) velocity = 0;
      positions[i] = position;
      velocities[i] = velocity;
      obs[i * 2] = position;
      obs[i * 2 + 1] = velocity;
      terminated[i] = position >= 0.5 && velocity >= goalVelocity ? 1 : 0;
      rewards[i] = -1.0;
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
   * One step of every running sub-env (`MountainCarContinuous.step`'s operations in the same order).
   */
  protected simulate(actions: VectorActions): void {
    const b = this.buffers;
    const obs = b.observations;
    const rewards = b.stepRewards;
    const terminated = b.terminated;
    const skip = b.needsReset;
    const positions = this.position;
    const velocities = this.velocity;
    const goalVelocity = this.goalVelocity;
    const n = this.numEnvs;
    for (let i = 0; i < n; i++) {
      if (skip[i] !== 0) continue;
      const a = Math.fround(actions[i]);
      let position = positions[i];
      let velocity = velocities[i];
      const force = clip(a, -1.0, 1.0);
      velocity += force * 0.0015 - 0.0025 * Math.cos(3 * position);
      velocity = clip(velocity, -MAX_SPEED, MAX_SPEED);
      position += velocity;
      position = clip(position, MIN_POSITION, MAX_POSITION);
      if (position === MIN_POSITION && velocity < 0) velocity = 0;
      const term = position >= 0.45 && velocity >= goalVelocity;
      let reward = term ? 100.0 : 0;
      reward -= a ** 2 * 0.1;
      position = Math.fround(position);
      velocity = Math.fround(velocity);
      positions[i] = position;
      velocities[i] = velocity;
      obs[i * 2] = position;
      obs[i * 2 + 1] = velocity;
      terminated[i] = term ? 1 : 0;
      rewards[i] = reward;
    }
  }
}
