/**
 * Ant-v5: a four-legged robot on a free joint, rewarded for moving forward (+x).
 *
 * Source: Gymnasium 1.x, `gymnasium/envs/mujoco/ant_v5.py` (`AntEnv`: `step`, `_get_rew`,
 * `contact_forces`, `contact_cost`, `is_healthy`, `_get_obs`, `reset_model`, `_get_reset_info`)
 * and its registration (`max_episode_steps=1000`, `reward_threshold=6000`).
 */
import { formatValue, type StepResult } from '@proximal/envs';
import { ANT_XML } from '../models.js';
import { objectId } from '../mujoco.js';
import { MujocoEnv, type MujocoEnvOptions } from '../mujoco-env.js';
import { boolOption, finiteOption, nonNegativeOption, rangeOption } from '../options.js';
import { addNormal, addUniform } from './common.js';

/** Options of {@link Ant} (Gymnasium v5 keywords in camelCase). */
export interface AntOptions extends MujocoEnvOptions {
  /** Weight of the forward reward (default 1). */
  forwardRewardWeight?: number;
  /** Weight of the control cost Σ action² (default 0.5). */
  ctrlCostWeight?: number;
  /** Weight of the contact cost Σ clip(cfrc_ext)² (default 5e-4). */
  contactCostWeight?: number;
  /** Reward per step while healthy (default 1). */
  healthyReward?: number;
  /** Body (id or name) whose x-y displacement gives the velocity (default 1, the torso). */
  mainBody?: number | string;
  /** End the episode when unhealthy (default true). */
  terminateWhenUnhealthy?: boolean;
  /** Closed range of the torso height qpos[2] (default [0.2, 1]). */
  healthyZRange?: [number, number];
  /** Range the external contact forces `cfrc_ext` are clipped to (default [−1, 1]). */
  contactForceRange?: [number, number];
  /** Scale of the initial-state noise (default 0.1; qpos uniform ±scale, qvel scale · N(0, 1)). */
  resetNoiseScale?: number;
  /** Leave the x and y positions out of the observation (default true). */
  excludeCurrentPositionsFromObservation?: boolean;
  /** Append the clipped `cfrc_ext` of every body but the world (13 × 6) (default true). */
  includeCfrcExtInObservation?: boolean;
}

const KEYS = [
  'forwardRewardWeight',
  'ctrlCostWeight',
  'contactCostWeight',
  'healthyReward',
  'mainBody',
  'terminateWhenUnhealthy',
  'healthyZRange',
  'contactForceRange',
  'resetNoiseScale',
  'excludeCurrentPositionsFromObservation',
  'includeCfrcExtInObservation',
] as const;

/**
 * The Ant environment (Gymnasium `AntEnv` v5).
 *
 * - Observation `Float32Array(105)`: qpos[2:] (13: z, orientation quaternion, 8 joint angles),
 *   qvel (14), and `cfrc_ext[1:]` clipped to `contactForceRange` (78); +2 without
 *   `excludeCurrentPositionsFromObservation`, −78 without `includeCfrcExtInObservation`.
 * - Action `Box(-1, 1, (8,))`: hip and ankle torques (gear 150), in Gymnasium's order.
 * - Reward: forwardRewardWeight · x_velocity (of `mainBody`'s `xpos`) + healthyReward · healthy
 *   − ctrlCostWeight · Σ action² − contactCostWeight · Σ clip(cfrc_ext)².
 * - Healthy: every qpos / qvel finite and z ∈ [0.2, 1] (closed); terminates when unhealthy;
 *   1000-step time limit.
 * - dt = 0.01 s · `frameSkip` (default 5) = 0.05 s.
 * - Reset: qpos + U(±0.1) (the quaternion included, as Gymnasium), qvel + 0.1 · N(0, 1).
 */
export class Ant extends MujocoEnv {
  readonly forwardRewardWeight: number;
  readonly ctrlCostWeight: number;
  readonly contactCostWeight: number;
  readonly healthyReward: number;
  readonly terminateWhenUnhealthy: boolean;
  readonly healthyZRange: [number, number];
  readonly contactForceRange: [number, number];
  readonly resetNoiseScale: number;
  readonly excludeCurrentPositionsFromObservation: boolean;
  readonly includeCfrcExtInObservation: boolean;
  /** Body id of `mainBody`. */
  readonly mainBody: number;

  /**
   * @param options see {@link AntOptions}.
   * @throws TypeError / RangeError naming a bad or unknown option (`mainBody` naming no body).
   */
  constructor(options: AntOptions = {}) {
    const exclude = boolOption(
      options.excludeCurrentPositionsFromObservation,
      true,
      'Ant: excludeCurrentPositionsFromObservation',
    );
    const cfrc = boolOption(options.includeCfrcExtInObservation, true, 'Ant: includeCfrcExtInObservation');
    super(options as AntOptions & Record<string, unknown>, {
      name: 'Ant',
      xml: ANT_XML,
      frameSkip: 5,
      observationSize: (m) => m.nq + m.nv - (exclude ? 2 : 0) + (cfrc ? 6 * (m.nbody - 1) : 0),
      optionKeys: KEYS,
      view: 'top',
      trackBody: 'torso',
      viewWidth: 4,
    });
    this.excludeCurrentPositionsFromObservation = exclude;
    this.includeCfrcExtInObservation = cfrc;
    this.forwardRewardWeight = finiteOption(options.forwardRewardWeight, 1, 'Ant: forwardRewardWeight');
    this.ctrlCostWeight = finiteOption(options.ctrlCostWeight, 0.5, 'Ant: ctrlCostWeight');
    this.contactCostWeight = finiteOption(options.contactCostWeight, 5e-4, 'Ant: contactCostWeight');
    this.healthyReward = finiteOption(options.healthyReward, 1, 'Ant: healthyReward');
    this.terminateWhenUnhealthy = boolOption(
      options.terminateWhenUnhealthy,
      true,
      'Ant: terminateWhenUnhealthy',
    );
    this.healthyZRange = rangeOption(options.healthyZRange, [0.2, 1], 'Ant: healthyZRange');
    this.contactForceRange = rangeOption(options.contactForceRange, [-1, 1], 'Ant: contactForceRange');
    this.resetNoiseScale = nonNegativeOption(options.resetNoiseScale, 0.1, 'Ant: resetNoiseScale');
    const main = options.mainBody ?? 1;
    if (typeof main === 'string') {
      this.mainBody = objectId(this.model, 'body', main);
    } else if (Number.isSafeInteger(main) && main >= 0 && main < this.model.nbody) {
      this.mainBody = main;
    } else {
      throw new RangeError(
        `Ant: mainBody must be a body name or an id in [0, ${this.model.nbody}), got ${formatValue(main)}`,
      );
    }
  }

  /** Whether every qpos / qvel is finite and healthyZRange[0] ≤ qpos[2] ≤ healthyZRange[1]. */
  get isHealthy(): boolean {
    const state = this.stateVector();
    for (let i = 0; i < state.length; i++) if (!Number.isFinite(state[i])) return false;
    return this.healthyZRange[0] <= state[2] && state[2] <= this.healthyZRange[1];
  }

  /** `cfrc_ext` (nbody × 6, world row first) clipped to `contactForceRange`, float64. */
  contactForces(): Float64Array {
    const raw = this.data.cfrc_ext as Float64Array;
    const [lo, hi] = this.contactForceRange;
    const out = new Float64Array(raw.length);
    for (let i = 0; i < raw.length; i++) out[i] = Math.min(hi, Math.max(raw[i], lo));
    return out;
  }

  protected resetModel(): void {
    const qpos = addUniform(this.initQpos, this.rng, this.resetNoiseScale);
    const qvel = addNormal(this.initQvel, this.rng, this.resetNoiseScale);
    this.setState(qpos, qvel);
  }

  protected writeObservation(out: Float32Array): void {
    const skip = this.excludeCurrentPositionsFromObservation ? 2 : 0;
    const qpos = this.data.qpos as Float64Array;
    out.set(qpos.subarray(skip));
    out.set(this.data.qvel as Float64Array, qpos.length - skip);
    if (this.includeCfrcExtInObservation)
      out.set(this.contactForces().subarray(6), qpos.length - skip + this.model.nv);
  }

  protected override resetInfo(): Record<string, unknown> {
    const qpos = this.data.qpos as Float64Array;
    return { x_position: qpos[0], y_position: qpos[1], distance_from_origin: Math.hypot(qpos[0], qpos[1]) };
  }

  /**
   * Applies the torques for `frameSkip` MuJoCo steps.
   * @returns info `x_position`, `y_position`, `distance_from_origin`, `x_velocity`, `y_velocity`,
   *   `reward_forward`, `reward_ctrl`, `reward_contact`, `reward_survive` (Gymnasium v5).
   * @throws TypeError / RangeError naming `action`; Error before `reset()` or after termination.
   */
  step(action: Float32Array): StepResult<Float32Array> {
    this.beginStep(action);
    const b = 3 * this.mainBody;
    const before = this.data.xpos as Float64Array;
    const x0 = before[b];
    const y0 = before[b + 1];
    this.doSimulation();
    const xpos = this.data.xpos as Float64Array;
    const xVelocity = (xpos[b] - x0) / this.dt;
    const yVelocity = (xpos[b + 1] - y0) / this.dt;
    const forward = xVelocity * this.forwardRewardWeight;
    const healthy = this.isHealthy;
    const survive = healthy ? this.healthyReward : 0;
    const ctrlCost = this.ctrlCostWeight * this.actionSquaredNorm();
    let contact = 0;
    for (const f of this.contactForces()) contact += f * f;
    const contactCost = this.contactCostWeight * contact;
    const terminated = !healthy && this.terminateWhenUnhealthy;
    if (terminated) this.endEpisode();
    const qpos = this.data.qpos as Float64Array;
    return {
      observation: this.observation(),
      reward: forward + survive - ctrlCost - contactCost,
      terminated,
      truncated: false,
      info: {
        x_position: qpos[0],
        y_position: qpos[1],
        distance_from_origin: Math.hypot(qpos[0], qpos[1]),
        x_velocity: xVelocity,
        y_velocity: yVelocity,
        reward_forward: forward,
        reward_ctrl: -ctrlCost,
        reward_contact: -contactCost,
        reward_survive: survive,
      },
    };
  }
}
