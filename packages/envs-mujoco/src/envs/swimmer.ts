/**
 * Swimmer-v5: a three-link swimmer in a viscous fluid, rewarded for moving forward (+x).
 *
 * Source: Gymnasium 1.x, `gymnasium/envs/mujoco/swimmer_v5.py` (`SwimmerEnv`) and its
 * registration (`max_episode_steps=1000`, `reward_threshold=360`).
 */
import type { StepResult } from '@proximal/envs';
import { SWIMMER_XML } from '../models.js';
import { MujocoEnv, type MujocoEnvOptions } from '../mujoco-env.js';
import { boolOption, finiteOption, nonNegativeOption } from '../options.js';
import { addUniform } from './common.js';

/** Options of {@link Swimmer} (Gymnasium v5 keywords in camelCase). */
export interface SwimmerOptions extends MujocoEnvOptions {
  /** Weight of the forward reward (default 1). */
  forwardRewardWeight?: number;
  /** Weight of the control cost Σ action² (default 1e-4). */
  ctrlCostWeight?: number;
  /** Half-width of the uniform noise of the initial qpos and qvel (default 0.1). */
  resetNoiseScale?: number;
  /** Leave the x and y positions out of the observation (default true). */
  excludeCurrentPositionsFromObservation?: boolean;
}

/**
 * The Swimmer environment (Gymnasium `SwimmerEnv` v5).
 *
 * - Observation `Float32Array(8)`: qpos[2:] (body angle, two rotor angles) and qvel (5); 10 with
 *   `excludeCurrentPositionsFromObservation: false`.
 * - Action `Box(-1, 1, (2,))`: the two rotor torques (gear 150).
 * - Reward: forwardRewardWeight · x_velocity − ctrlCostWeight · Σ action²; never terminates;
 *   1000-step time limit.
 * - dt = 0.01 s · `frameSkip` (default 4) = 0.04 s.
 * - Reset: qpos and qvel + U(±0.1); info `x_position`, `y_position`, `distance_from_origin`
 *   (and on steps `x_velocity`, `y_velocity`, `reward_forward`, `reward_ctrl`).
 */
export class Swimmer extends MujocoEnv {
  readonly forwardRewardWeight: number;
  readonly ctrlCostWeight: number;
  readonly resetNoiseScale: number;
  readonly excludeCurrentPositionsFromObservation: boolean;

  /**
   * @param options see {@link SwimmerOptions}.
   * @throws TypeError / RangeError naming a bad or unknown option.
   */
  constructor(options: SwimmerOptions = {}) {
    const exclude = boolOption(
      options.excludeCurrentPositionsFromObservation,
      true,
      'Swimmer: excludeCurrentPositionsFromObservation',
    );
    super(options as SwimmerOptions & Record<string, unknown>, {
      name: 'Swimmer',
      xml: SWIMMER_XML,
      frameSkip: 4,
      observationSize: (m) => m.nq + m.nv - (exclude ? 2 : 0),
      optionKeys: [
        'forwardRewardWeight',
        'ctrlCostWeight',
        'resetNoiseScale',
        'excludeCurrentPositionsFromObservation',
      ],
      view: 'top',
      trackBody: 'torso',
      viewWidth: 5,
    });
    this.excludeCurrentPositionsFromObservation = exclude;
    this.forwardRewardWeight = finiteOption(options.forwardRewardWeight, 1, 'Swimmer: forwardRewardWeight');
    this.ctrlCostWeight = finiteOption(options.ctrlCostWeight, 1e-4, 'Swimmer: ctrlCostWeight');
    this.resetNoiseScale = nonNegativeOption(options.resetNoiseScale, 0.1, 'Swimmer: resetNoiseScale');
  }

  protected resetModel(): void {
    const qpos = addUniform(this.initQpos, this.rng, this.resetNoiseScale);
    const qvel = addUniform(this.initQvel, this.rng, this.resetNoiseScale);
    this.setState(qpos, qvel);
  }

  protected writeObservation(out: Float32Array): void {
    const skip = this.excludeCurrentPositionsFromObservation ? 2 : 0;
    const qpos = this.data.qpos as Float64Array;
    out.set(qpos.subarray(skip));
    out.set(this.data.qvel as Float64Array, qpos.length - skip);
  }

  protected override resetInfo(): Record<string, unknown> {
    const qpos = this.data.qpos as Float64Array;
    return { x_position: qpos[0], y_position: qpos[1], distance_from_origin: Math.hypot(qpos[0], qpos[1]) };
  }

  /**
   * Applies the rotor torques for `frameSkip` MuJoCo steps.
   * @throws TypeError / RangeError naming `action`; Error before `reset()`.
   */
  step(action: Float32Array): StepResult<Float32Array> {
    this.beginStep(action);
    const before = this.data.qpos as Float64Array;
    const x0 = before[0];
    const y0 = before[1];
    this.doSimulation();
    const qpos = this.data.qpos as Float64Array;
    const xVelocity = (qpos[0] - x0) / this.dt;
    const yVelocity = (qpos[1] - y0) / this.dt;
    const forward = this.forwardRewardWeight * xVelocity;
    const ctrlCost = this.ctrlCostWeight * this.actionSquaredNorm();
    return {
      observation: this.observation(),
      reward: forward - ctrlCost,
      terminated: false,
      truncated: false,
      info: {
        x_position: qpos[0],
        y_position: qpos[1],
        distance_from_origin: Math.hypot(qpos[0], qpos[1]),
        x_velocity: xVelocity,
        y_velocity: yVelocity,
        reward_forward: forward,
        reward_ctrl: -ctrlCost,
      },
    };
  }
}
