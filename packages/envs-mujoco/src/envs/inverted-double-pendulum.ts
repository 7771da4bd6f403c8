/**
 * InvertedDoublePendulum-v5: balance two stacked poles on a cart.
 *
 * Source: Gymnasium 1.x, `gymnasium/envs/mujoco/inverted_double_pendulum_v5.py`
 * (`InvertedDoublePendulumEnv`) and its registration (`max_episode_steps=1000`,
 * `reward_threshold=9100`).
 */
import type { StepResult } from '@proximal/envs';
import { INVERTED_DOUBLE_PENDULUM_XML } from '../models.js';
import { MujocoEnv, type MujocoEnvOptions } from '../mujoco-env.js';
import { finiteOption, nonNegativeOption } from '../options.js';
import { addNormal, addUniform, writeClipped } from './common.js';

/** Options of {@link InvertedDoublePendulum} (Gymnasium v5 keywords in camelCase). */
export interface InvertedDoublePendulumOptions extends MujocoEnvOptions {
  /** Reward per step while the tip is above y = 1 (default 10). */
  healthyReward?: number;
  /** Scale of the initial-state noise (default 0.1; qpos uniform ±scale, qvel scale · N(0, 1)). */
  resetNoiseScale?: number;
}

/**
 * The InvertedDoublePendulum environment (Gymnasium `InvertedDoublePendulumEnv` v5).
 *
 * - Observation `Float32Array(9)`: cart x, sin and cos of the two pole angles, qvel (3) clipped
 *   to ±10, and the cart's constraint force `qfrc_constraint[0]` clipped to ±10.
 * - Action `Box(-1, 1, (1,))`: the force on the cart (gear 500).
 * - Reward: healthyReward · (not terminated) − (0.01 x² + (y − 2)²) − (1e-3 v1² + 5e-3 v2²),
 *   with (x, y) the tip site's world x and z and v1, v2 the pole angular velocities; info
 *   `reward_survive`, `distance_penalty`, `velocity_penalty` (the last two ≤ 0).
 * - Terminates when the tip's height is ≤ 1; 1000-step time limit.
 * - dt = 0.01 s · `frameSkip` (default 5) = 0.05 s.
 * - Reset: qpos + U(±0.1), qvel + 0.1 · N(0, 1).
 */
export class InvertedDoublePendulum extends MujocoEnv {
  readonly healthyReward: number;
  readonly resetNoiseScale: number;

  /**
   * @param options see {@link InvertedDoublePendulumOptions}.
   * @throws TypeError / RangeError naming a bad or unknown option.
   */
  constructor(options: InvertedDoublePendulumOptions = {}) {
    super(options as InvertedDoublePendulumOptions & Record<string, unknown>, {
      name: 'InvertedDoublePendulum',
      xml: INVERTED_DOUBLE_PENDULUM_XML,
      frameSkip: 5,
      observationSize: () => 9,
      optionKeys: ['healthyReward', 'resetNoiseScale'],
      view: 'side',
      trackBody: null,
      viewWidth: 3,
      verticalCentre: 0.6,
    });
    this.healthyReward = finiteOption(options.healthyReward, 10, 'InvertedDoublePendulum: healthyReward');
    this.resetNoiseScale = nonNegativeOption(
      options.resetNoiseScale,
      0.1,
      'InvertedDoublePendulum: resetNoiseScale',
    );
  }

  protected resetModel(): void {
    const qpos = addUniform(this.initQpos, this.rng, this.resetNoiseScale);
    const qvel = addNormal(this.initQvel, this.rng, this.resetNoiseScale);
    this.setState(qpos, qvel);
  }

  protected writeObservation(out: Float32Array): void {
    const qpos = this.data.qpos as Float64Array;
    out[0] = qpos[0];
    out[1] = Math.sin(qpos[1]);
    out[2] = Math.sin(qpos[2]);
    out[3] = Math.cos(qpos[1]);
    out[4] = Math.cos(qpos[2]);
    writeClipped(out, 5, this.data.qvel as Float64Array, 0, 10);
    const f = (this.data.qfrc_constraint as Float64Array)[0];
    out[8] = Math.min(10, Math.max(f, -10));
  }

  /**
   * Applies the force for `frameSkip` MuJoCo steps.
   * @throws TypeError / RangeError naming `action`; Error before `reset()` or after termination.
   */
  step(action: Float32Array): StepResult<Float32Array> {
    this.beginStep(action);
    this.doSimulation();
    const site = this.data.site_xpos as Float64Array;
    const x = site[0];
    const y = site[2];
    const qvel = this.data.qvel as Float64Array;
    const terminated = y <= 1;
    if (terminated) this.endEpisode();
    const distPenalty = 0.01 * x * x + (y - 2) ** 2;
    const velPenalty = 1e-3 * qvel[1] ** 2 + 5e-3 * qvel[2] ** 2;
    const alive = terminated ? 0 : this.healthyReward;
    return {
      observation: this.observation(),
      reward: alive - distPenalty - velPenalty,
      terminated,
      truncated: false,
      info: { reward_survive: alive, distance_penalty: -distPenalty, velocity_penalty: -velPenalty },
    };
  }
}
