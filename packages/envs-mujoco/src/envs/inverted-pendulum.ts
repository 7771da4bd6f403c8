/**
 * InvertedPendulum-v5: balance a pole on a cart pushed along a rail.
 *
 * Source: Gymnasium 1.x, `gymnasium/envs/mujoco/inverted_pendulum_v5.py` (`InvertedPendulumEnv`)
 * and its registration (`max_episode_steps=1000`, `reward_threshold=950`).
 */
import type { StepResult } from '@proximal/envs';
import { INVERTED_PENDULUM_XML } from '../models.js';
import { MujocoEnv, type MujocoEnvOptions } from '../mujoco-env.js';
import { nonNegativeOption } from '../options.js';
import { addUniform } from './common.js';

/** Options of {@link InvertedPendulum} (Gymnasium v5 keywords in camelCase). */
export interface InvertedPendulumOptions extends MujocoEnvOptions {
  /** Half-width of the uniform noise added to the initial qpos and qvel (default 0.01). */
  resetNoiseScale?: number;
}

/**
 * The InvertedPendulum environment (Gymnasium `InvertedPendulumEnv` v5).
 *
 * - Observation `Float32Array(4)`: [cart x (m), pole angle (rad), cart velocity, pole angular
 *   velocity] = [qpos, qvel].
 * - Action `Box(-3, 3, (1,))`: the force on the cart (motor gear 100).
 * - Reward: 1 while the pole is upright (|angle| ≤ 0.2 rad and the observation finite), else 0;
 *   `info.reward_survive` is the same value.
 * - Terminates when |angle| > 0.2 or a value is not finite; 1000-step time limit (registry).
 * - dt = 0.02 s · `frameSkip` (default 2) = 0.04 s.
 * - Reset: qpos and qvel uniform in ±`resetNoiseScale` around zero.
 */
export class InvertedPendulum extends MujocoEnv {
  /** Half-width of the reset noise. */
  readonly resetNoiseScale: number;

  /**
   * @param options see {@link InvertedPendulumOptions}.
   * @throws TypeError / RangeError naming a bad or unknown option.
   */
  constructor(options: InvertedPendulumOptions = {}) {
    super(options as InvertedPendulumOptions & Record<string, unknown>, {
      name: 'InvertedPendulum',
      xml: INVERTED_PENDULUM_XML,
      frameSkip: 2,
      observationSize: (m) => m.nq + m.nv,
      optionKeys: ['resetNoiseScale'],
      view: 'side',
      trackBody: null,
      viewWidth: 2.6,
      verticalCentre: 0.2,
    });
    this.resetNoiseScale = nonNegativeOption(
      options.resetNoiseScale,
      0.01,
      'InvertedPendulum: resetNoiseScale',
    );
  }

  protected resetModel(): void {
    const s = this.resetNoiseScale;
    const qpos = addUniform(this.initQpos, this.rng, s);
    const qvel = addUniform(this.initQvel, this.rng, s);
    this.setState(qpos, qvel);
  }

  protected writeObservation(out: Float32Array): void {
    out.set(this.data.qpos as Float64Array);
    out.set(this.data.qvel as Float64Array, this.model.nq);
  }

  /**
   * Applies the force for `frameSkip` MuJoCo steps.
   * @throws TypeError / RangeError naming `action`; Error before `reset()` or after termination.
   */
  step(action: Float32Array): StepResult<Float32Array> {
    this.beginStep(action);
    this.doSimulation();
    const qpos = this.data.qpos as Float64Array;
    const qvel = this.data.qvel as Float64Array;
    let finite = true;
    for (let i = 0; i < qpos.length; i++) finite &&= Number.isFinite(qpos[i]);
    for (let i = 0; i < qvel.length; i++) finite &&= Number.isFinite(qvel[i]);
    const terminated = !finite || Math.abs(qpos[1]) > 0.2;
    if (terminated) this.endEpisode();
    const reward = terminated ? 0 : 1;
    return {
      observation: this.observation(),
      reward,
      terminated,
      truncated: false,
      info: { reward_survive: reward },
    };
  }
}
