/**
 * Reacher-v5: move the tip of a two-link arm to a random target.
 *
 * Source: Gymnasium 1.x, `gymnasium/envs/mujoco/reacher_v5.py` (`ReacherEnv`) and its
 * registration (`max_episode_steps=50`, `reward_threshold=-3.75`).
 */
import type { StepResult } from '@proximal/envs';
import { REACHER_XML } from '../models.js';
import { objectId } from '../mujoco.js';
import { MujocoEnv, type MujocoEnvOptions } from '../mujoco-env.js';
import { finiteOption } from '../options.js';
import { addUniform } from './common.js';

/** Options of {@link Reacher} (Gymnasium v5 keywords in camelCase). */
export interface ReacherOptions extends MujocoEnvOptions {
  /** Weight of the distance term (default 1). */
  rewardDistWeight?: number;
  /** Weight of the control term (default 1). */
  rewardControlWeight?: number;
}

/**
 * The Reacher environment (Gymnasium `ReacherEnv` v5).
 *
 * - Observation `Float32Array(10)`: cos and sin of the two arm angles, the target's x and y
 *   (qpos[2:]), the two arm angular velocities, and (fingertip − target) x and y.
 * - Action `Box(-1, 1, (2,))`: the two joint torques (gear 200).
 * - Reward: reward_dist + reward_ctrl with reward_dist = −rewardDistWeight · ‖fingertip − target‖
 *   (3-D, after the step) and reward_ctrl = −rewardControlWeight · Σ action²; never terminates;
 *   50-step time limit.
 * - dt = 0.01 s · `frameSkip` (default 2) = 0.02 s.
 * - Reset: qpos + U(±0.1), then the target drawn uniformly in [−0.2, 0.2]² until its norm is
 *   < 0.2; qvel + U(±0.005) with the target's velocity 0.
 */
export class Reacher extends MujocoEnv {
  readonly rewardDistWeight: number;
  readonly rewardControlWeight: number;
  private readonly fingertip: number;
  private readonly target: number;

  /**
   * @param options see {@link ReacherOptions}.
   * @throws TypeError / RangeError naming a bad or unknown option; Error when the model lacks the
   *   `fingertip` or `target` body.
   */
  constructor(options: ReacherOptions = {}) {
    super(options as ReacherOptions & Record<string, unknown>, {
      name: 'Reacher',
      xml: REACHER_XML,
      frameSkip: 2,
      observationSize: () => 10,
      optionKeys: ['rewardDistWeight', 'rewardControlWeight'],
      view: 'top',
      trackBody: null,
      viewWidth: 0.7,
    });
    this.rewardDistWeight = finiteOption(options.rewardDistWeight, 1, 'Reacher: rewardDistWeight');
    this.rewardControlWeight = finiteOption(options.rewardControlWeight, 1, 'Reacher: rewardControlWeight');
    this.fingertip = objectId(this.model, 'body', 'fingertip');
    this.target = objectId(this.model, 'body', 'target');
  }

  protected resetModel(): void {
    const qpos = addUniform(this.initQpos, this.rng, 0.1);
    let gx: number;
    let gy: number;
    do {
      gx = this.rng.uniformRange(-0.2, 0.2);
      gy = this.rng.uniformRange(-0.2, 0.2);
    } while (Math.hypot(gx, gy) >= 0.2);
    const n = qpos.length;
    qpos[n - 2] = gx;
    qpos[n - 1] = gy;
    const qvel = addUniform(this.initQvel, this.rng, 0.005);
    qvel[qvel.length - 2] = 0;
    qvel[qvel.length - 1] = 0;
    this.setState(qpos, qvel);
  }

  /** fingertip − target (world, 3-D). */
  private tipToTarget(): [number, number, number] {
    const x = this.data.xpos as Float64Array;
    const f = 3 * this.fingertip;
    const t = 3 * this.target;
    return [x[f] - x[t], x[f + 1] - x[t + 1], x[f + 2] - x[t + 2]];
  }

  protected writeObservation(out: Float32Array): void {
    const qpos = this.data.qpos as Float64Array;
    const qvel = this.data.qvel as Float64Array;
    const d = this.tipToTarget();
    out[0] = Math.cos(qpos[0]);
    out[1] = Math.cos(qpos[1]);
    out[2] = Math.sin(qpos[0]);
    out[3] = Math.sin(qpos[1]);
    out[4] = qpos[2];
    out[5] = qpos[3];
    out[6] = qvel[0];
    out[7] = qvel[1];
    out[8] = d[0];
    out[9] = d[1];
  }

  /**
   * Applies the torques for `frameSkip` MuJoCo steps.
   * @returns info `reward_dist`, `reward_ctrl` (both ≤ 0, weighted).
   * @throws TypeError / RangeError naming `action`; Error before `reset()`.
   */
  step(action: Float32Array): StepResult<Float32Array> {
    this.beginStep(action);
    this.doSimulation();
    const d = this.tipToTarget();
    const rewardDist = -Math.hypot(d[0], d[1], d[2]) * this.rewardDistWeight;
    const rewardCtrl = -this.actionSquaredNorm() * this.rewardControlWeight;
    return {
      observation: this.observation(),
      reward: rewardDist + rewardCtrl,
      terminated: false,
      truncated: false,
      info: { reward_dist: rewardDist, reward_ctrl: rewardCtrl },
    };
  }
}
