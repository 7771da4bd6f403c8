/**
 * HalfCheetah-v5, Hopper-v5 and Walker2d-v5: planar robots rewarded for running forward (+x).
 *
 * Source: Gymnasium 1.x, `gymnasium/envs/mujoco/half_cheetah_v5.py`, `hopper_v5.py` and
 * `walker2d_v5.py` (`step`, `_get_rew`, `is_healthy`, `_get_obs`, `reset_model`,
 * `_get_reset_info`) and their registrations (1000-step limit; reward thresholds 4800 and 3800).
 */
import type { StepResult } from '@proximal/envs';
import { HALF_CHEETAH_XML, HOPPER_XML, WALKER2D_XML } from '../models.js';
import { MujocoEnv, type MujocoEnvOptions } from '../mujoco-env.js';
import { boolOption, finiteOption, nonNegativeOption, rangeOption } from '../options.js';
import { addNormal, addUniform, inside, writeClipped } from './common.js';

/** Options of {@link HalfCheetah} (Gymnasium v5 keywords in camelCase). */
export interface HalfCheetahOptions extends MujocoEnvOptions {
  /** Weight of the forward reward (default 1). */
  forwardRewardWeight?: number;
  /** Weight of the control cost Σ action² (default 0.1). */
  ctrlCostWeight?: number;
  /** Scale of the initial-state noise (default 0.1; qpos uniform ±scale, qvel scale · N(0, 1)). */
  resetNoiseScale?: number;
  /** Leave the x position out of the observation (default true). */
  excludeCurrentPositionsFromObservation?: boolean;
}

/** Options of {@link Hopper} (Gymnasium v5 keywords in camelCase). */
export interface HopperOptions extends MujocoEnvOptions {
  /** Weight of the forward reward (default 1). */
  forwardRewardWeight?: number;
  /** Weight of the control cost Σ action² (default 1e-3). */
  ctrlCostWeight?: number;
  /** Reward per step while healthy (default 1). */
  healthyReward?: number;
  /** End the episode when unhealthy (default true). */
  terminateWhenUnhealthy?: boolean;
  /** Open range every element of [qpos, qvel][2:] must stay in (default [−100, 100]). */
  healthyStateRange?: [number, number];
  /** Open range of the torso height qpos[1] (default [0.7, Infinity]). */
  healthyZRange?: [number, number];
  /** Open range of the torso angle qpos[2] (default [−0.2, 0.2]). */
  healthyAngleRange?: [number, number];
  /** Half-width of the uniform noise of the initial qpos and qvel (default 5e-3). */
  resetNoiseScale?: number;
  /** Leave the x position out of the observation (default true). */
  excludeCurrentPositionsFromObservation?: boolean;
}

/** Options of {@link Walker2d} (Gymnasium v5 keywords in camelCase; no `healthyStateRange`). */
export interface Walker2dOptions extends Omit<HopperOptions, 'healthyStateRange'> {}

interface LocomotionSettings {
  name: string;
  xml: string;
  frameSkip: number;
  ctrlCostWeight: number;
  resetNoiseScale: number;
  /** Healthy-check settings, or null (HalfCheetah never terminates and has no healthy reward). */
  health: null | {
    stateRange: readonly [number, number] | null;
    zRange: readonly [number, number];
    angleRange: readonly [number, number];
  };
  /** qvel drawn from a normal (HalfCheetah) rather than a uniform distribution. */
  normalVelocityNoise: boolean;
  /** Clip qvel to ±10 in the observation (Hopper, Walker2d). */
  clipVelocity: boolean;
}

const COMMON_KEYS = [
  'forwardRewardWeight',
  'ctrlCostWeight',
  'resetNoiseScale',
  'excludeCurrentPositionsFromObservation',
] as const;
const HEALTH_KEYS = [
  'healthyReward',
  'terminateWhenUnhealthy',
  'healthyZRange',
  'healthyAngleRange',
] as const;

/**
 * The shared implementation: reward = forwardRewardWeight · Δx / dt + healthy reward −
 * ctrlCostWeight · Σ action², with Gymnasium v5's observation, termination, reset and info.
 */
abstract class PlanarLocomotionEnv extends MujocoEnv {
  /** Weight of the forward reward. */
  readonly forwardRewardWeight: number;
  /** Weight of the control cost. */
  readonly ctrlCostWeight: number;
  /** Reward per healthy step (0 for HalfCheetah). */
  readonly healthyReward: number;
  /** Whether an unhealthy state ends the episode. */
  readonly terminateWhenUnhealthy: boolean;
  /** Healthy ranges (null for HalfCheetah; `stateRange` null for Walker2d). */
  readonly healthyStateRange: [number, number] | null;
  readonly healthyZRange: [number, number] | null;
  readonly healthyAngleRange: [number, number] | null;
  /** Scale of the initial-state noise. */
  readonly resetNoiseScale: number;
  /** Whether qpos[0] (x) is left out of the observation. */
  readonly excludeCurrentPositionsFromObservation: boolean;
  private readonly settings: LocomotionSettings;

  protected constructor(options: Record<string, unknown>, settings: LocomotionSettings) {
    const n = settings.name;
    const exclude = boolOption(
      options.excludeCurrentPositionsFromObservation,
      true,
      `${n}: excludeCurrentPositionsFromObservation`,
    );
    const keys: string[] = [...COMMON_KEYS];
    if (settings.health !== null) keys.push(...HEALTH_KEYS);
    if (settings.health?.stateRange) keys.push('healthyStateRange');
    super(options, {
      name: n,
      xml: settings.xml,
      frameSkip: settings.frameSkip,
      observationSize: (m) => m.nq + m.nv - (exclude ? 1 : 0),
      optionKeys: keys,
      view: 'side',
      trackBody: 'torso',
      viewWidth: 4,
      verticalCentre: 0.8,
    });
    this.settings = settings;
    this.excludeCurrentPositionsFromObservation = exclude;
    this.forwardRewardWeight = finiteOption(options.forwardRewardWeight, 1, `${n}: forwardRewardWeight`);
    this.ctrlCostWeight = finiteOption(
      options.ctrlCostWeight,
      settings.ctrlCostWeight,
      `${n}: ctrlCostWeight`,
    );
    this.resetNoiseScale = nonNegativeOption(
      options.resetNoiseScale,
      settings.resetNoiseScale,
      `${n}: resetNoiseScale`,
    );
    const h = settings.health;
    this.healthyReward = h === null ? 0 : finiteOption(options.healthyReward, 1, `${n}: healthyReward`);
    this.terminateWhenUnhealthy =
      h === null ? false : boolOption(options.terminateWhenUnhealthy, true, `${n}: terminateWhenUnhealthy`);
    this.healthyStateRange =
      h?.stateRange == null
        ? null
        : rangeOption(options.healthyStateRange, h.stateRange, `${n}: healthyStateRange`);
    this.healthyZRange =
      h === null ? null : rangeOption(options.healthyZRange, h.zRange, `${n}: healthyZRange`);
    this.healthyAngleRange =
      h === null ? null : rangeOption(options.healthyAngleRange, h.angleRange, `${n}: healthyAngleRange`);
  }

  /**
   * Whether the robot is healthy (Gymnasium `is_healthy`): z = qpos[1] and angle = qpos[2] inside
   * their open ranges and (Hopper) every element of [qpos, qvel][2:] inside `healthyStateRange`.
   * Always true for HalfCheetah.
   */
  get isHealthy(): boolean {
    if (this.healthyZRange === null || this.healthyAngleRange === null) return true;
    const qpos = this.data.qpos as Float64Array;
    if (!inside(qpos[1], this.healthyZRange) || !inside(qpos[2], this.healthyAngleRange)) return false;
    if (this.healthyStateRange !== null) {
      const state = this.stateVector();
      for (let i = 2; i < state.length; i++) if (!inside(state[i], this.healthyStateRange)) return false;
    }
    return true;
  }

  protected resetModel(): void {
    const s = this.resetNoiseScale;
    const qpos = addUniform(this.initQpos, this.rng, s);
    const qvel = this.settings.normalVelocityNoise
      ? addNormal(this.initQvel, this.rng, s)
      : addUniform(this.initQvel, this.rng, s);
    this.setState(qpos, qvel);
  }

  protected writeObservation(out: Float32Array): void {
    const qpos = this.data.qpos as Float64Array;
    const skip = this.excludeCurrentPositionsFromObservation ? 1 : 0;
    out.set(qpos.subarray(skip));
    writeClipped(
      out,
      qpos.length - skip,
      this.data.qvel as Float64Array,
      0,
      this.settings.clipVelocity ? 10 : Infinity,
    );
  }

  protected override resetInfo(): Record<string, unknown> {
    const qpos = this.data.qpos as Float64Array;
    if (this.settings.health === null) return { x_position: qpos[0] };
    return { x_position: qpos[0], z_distance_from_origin: qpos[1] - this.initQpos[1] };
  }

  /**
   * Applies the torques for `frameSkip` MuJoCo steps.
   * @param action one value per actuator (out-of-range values are clamped by MuJoCo, the control
   *   cost uses them as given).
   * @returns reward = reward_forward + reward_survive + reward_ctrl; info `x_position`,
   *   (`z_distance_from_origin`,) `x_velocity`, `reward_forward`, `reward_ctrl` (≤ 0),
   *   (`reward_survive`), as Gymnasium v5.
   * @throws TypeError / RangeError naming `action`; Error before `reset()` or after termination.
   */
  step(action: Float32Array): StepResult<Float32Array> {
    this.beginStep(action);
    const xBefore = (this.data.qpos as Float64Array)[0];
    this.doSimulation();
    const qpos = this.data.qpos as Float64Array;
    const xAfter = qpos[0];
    const xVelocity = (xAfter - xBefore) / this.dt;
    const forward = this.forwardRewardWeight * xVelocity;
    const ctrlCost = this.ctrlCostWeight * this.actionSquaredNorm();
    const observation = this.observation();
    if (this.settings.health === null) {
      return {
        observation,
        reward: forward - ctrlCost,
        terminated: false,
        truncated: false,
        info: { x_position: xAfter, x_velocity: xVelocity, reward_forward: forward, reward_ctrl: -ctrlCost },
      };
    }
    const healthy = this.isHealthy;
    const survive = healthy ? this.healthyReward : 0;
    const terminated = !healthy && this.terminateWhenUnhealthy;
    if (terminated) this.endEpisode();
    return {
      observation,
      reward: forward + survive - ctrlCost,
      terminated,
      truncated: false,
      info: {
        x_position: xAfter,
        z_distance_from_origin: qpos[1] - this.initQpos[1],
        x_velocity: xVelocity,
        reward_forward: forward,
        reward_ctrl: -ctrlCost,
        reward_survive: survive,
      },
    };
  }
}

/**
 * The HalfCheetah environment (Gymnasium `HalfCheetahEnv` v5).
 *
 * - Observation `Float32Array(17)`: qpos[1:] (rootz, rooty, 6 joint angles) and qvel (9); 18
 *   with `excludeCurrentPositionsFromObservation: false` (qpos[0] = x first).
 * - Action `Box(-1, 1, (6,))`: torques of bthigh, bshin, bfoot, fthigh, fshin, ffoot.
 * - Reward: forwardRewardWeight · x_velocity − ctrlCostWeight · Σ action²; never terminates;
 *   1000-step time limit.
 * - dt = 0.01 s · `frameSkip` (default 5) = 0.05 s.
 * - Reset: qpos + U(±0.1), qvel + 0.1 · N(0, 1); reset info `x_position`.
 */
export class HalfCheetah extends PlanarLocomotionEnv {
  /**
   * @param options see {@link HalfCheetahOptions}.
   * @throws TypeError / RangeError naming a bad or unknown option.
   */
  constructor(options: HalfCheetahOptions = {}) {
    super(options as Record<string, unknown>, {
      name: 'HalfCheetah',
      xml: HALF_CHEETAH_XML,
      frameSkip: 5,
      ctrlCostWeight: 0.1,
      resetNoiseScale: 0.1,
      health: null,
      normalVelocityNoise: true,
      clipVelocity: false,
    });
  }
}

/**
 * The Hopper environment (Gymnasium `HopperEnv` v5).
 *
 * - Observation `Float32Array(11)`: qpos[1:] (z, torso angle, thigh, leg, foot) and qvel (6)
 *   clipped to ±10; 12 with `excludeCurrentPositionsFromObservation: false`.
 * - Action `Box(-1, 1, (3,))`: torques of thigh, leg, foot (gear 200).
 * - Reward: forwardRewardWeight · x_velocity + healthyReward · healthy − ctrlCostWeight · Σ action².
 * - Healthy: z ∈ (0.7, ∞), angle ∈ (−0.2, 0.2), every element of [qpos, qvel][2:] ∈ (−100, 100);
 *   terminates when unhealthy (`terminateWhenUnhealthy`); 1000-step time limit.
 * - dt = 0.002 s · `frameSkip` (default 4) = 0.008 s.
 * - Reset: qpos and qvel + U(±5e-3); reset info `x_position`, `z_distance_from_origin`.
 */
export class Hopper extends PlanarLocomotionEnv {
  /**
   * @param options see {@link HopperOptions}.
   * @throws TypeError / RangeError naming a bad or unknown option.
   */
  constructor(options: HopperOptions = {}) {
    super(options as Record<string, unknown>, {
      name: 'Hopper',
      xml: HOPPER_XML,
      frameSkip: 4,
      ctrlCostWeight: 1e-3,
      resetNoiseScale: 5e-3,
      health: { stateRange: [-100, 100], zRange: [0.7, Infinity], angleRange: [-0.2, 0.2] },
      normalVelocityNoise: false,
      clipVelocity: true,
    });
  }
}

/**
 * The Walker2d environment (Gymnasium `Walker2dEnv` v5).
 *
 * - Observation `Float32Array(17)`: qpos[1:] (z, torso angle, 6 joint angles) and qvel (9)
 *   clipped to ±10; 18 with `excludeCurrentPositionsFromObservation: false`.
 * - Action `Box(-1, 1, (6,))`: torques of the right then left thigh, leg, foot (gear 100).
 * - Reward: forwardRewardWeight · x_velocity + healthyReward · healthy − ctrlCostWeight · Σ action².
 * - Healthy: z ∈ (0.8, 2), angle ∈ (−1, 1); terminates when unhealthy; 1000-step time limit.
 * - dt = 0.002 s · `frameSkip` (default 4) = 0.008 s.
 * - Reset: qpos and qvel + U(±5e-3); reset info `x_position`, `z_distance_from_origin`.
 */
export class Walker2d extends PlanarLocomotionEnv {
  /**
   * @param options see {@link Walker2dOptions}.
   * @throws TypeError / RangeError naming a bad or unknown option.
   */
  constructor(options: Walker2dOptions = {}) {
    super(options as Record<string, unknown>, {
      name: 'Walker2d',
      xml: WALKER2D_XML,
      frameSkip: 4,
      ctrlCostWeight: 1e-3,
      resetNoiseScale: 5e-3,
      health: { stateRange: null, zRange: [0.8, 2], angleRange: [-1, 1] },
      normalVelocityNoise: false,
      clipVelocity: true,
    });
  }
}
