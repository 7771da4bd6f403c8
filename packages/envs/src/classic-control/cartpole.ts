/**
 * CartPole: balance a pole hinged on a cart moving along a frictionless track.
 *
 * Source: Gymnasium 1.x, `gymnasium/envs/classic_control/cartpole.py` (`CartPoleEnv`), itself
 * from Barto, Sutton & Anderson, "Neuronlike adaptive elements that can solve difficult learning
 * control problems" (1983). Dynamics, constants, termination, rewards and the initial-state
 * distribution are Gymnasium's (defined once in `cartpole-dynamics.ts`, shared with
 * `CartPoleVectorEnv`); observations match Gymnasium 1.4 to float32 precision.
 */
import type { EnvMetadata, ResetOptions, ResetResult, StepResult } from '../env.js';
import { CLASSIC_RENDER_MODES, type ClassicRenderMode } from '../rendering/render-mode.js';
import { cartPoleSvg } from '../rendering/scenes/cartpole.js';
import type { Box } from '../spaces/box.js';
import { Discrete } from '../spaces/discrete.js';
import * as cartPole from './cartpole-dynamics.js';
import { booleanOption, ClassicControlEnv, checkOptionKeys } from './classic-env.js';

export { FLOAT32_MAX } from './cartpole-dynamics.js';

/** Constructor options of {@link CartPole} (Gymnasium `gym.make('CartPole-v1', sutton_barto_reward=...)`). */
export interface CartPoleOptions {
  /**
   * Default false: reward 1 on every step, the terminating one included. True: reward 0 on
   * non-terminal steps and −1 on the terminating step (Sutton & Barto's formulation).
   */
  suttonBartoReward?: boolean;
  /**
   * `'rgb_array'` (an `RgbaFrame`) or `'svg'` (SVG string): what `render()` returns; default
   * undefined (no rendering; `render()` returns undefined). Gymnasium's `render_mode`.
   */
  renderMode?: ClassicRenderMode;
}

/**
 * The CartPole environment (Gymnasium `CartPoleEnv`; registered as `CartPole-v1` and `CartPole-v0`).
 *
 * - Observation: `Float32Array(4)` = [cart position x (m), cart velocity xDot (m/s), pole angle
 *   theta (rad, 0 = upright), pole angular velocity thetaDot (rad/s)], a new array each step.
 *   Space: `Box(-high, high)` with high = [4.8, f32max, 0.41887903 (24°), f32max].
 * - Action: `Discrete(2)`: 0 pushes the cart left with 10 N, 1 pushes it right.
 * - Dynamics: Euler integration with tau = 0.02 s, physical state kept in float64.
 * - Reward: 1 per step including the terminating step (see {@link CartPoleOptions}).
 * - Termination: |x| > 2.4 m or |theta| > 12° (12·2π/360 rad). Truncation comes from the
 *   `TimeLimit` wrapper `make` adds (500 steps for v1, 200 for v0), never from the env itself.
 * - Reset: each state variable uniform in [-0.05, 0.05) (or `options.low` / `options.high`).
 * - Rendering (`renderMode` `'rgb_array'` or `'svg'`): Gymnasium's 600x400 picture of the cart
 *   and pole, see {@link ClassicControlEnv.render}.
 *
 * Unlike Gymnasium, which only warns, `step` after a terminating step throws until `reset()`.
 */
export class CartPole extends ClassicControlEnv<number> {
  /** m/s². */
  readonly gravity = cartPole.constants.gravity;
  /** Cart mass, kg. */
  readonly masscart = cartPole.constants.masscart;
  /** Pole mass, kg. */
  readonly masspole = cartPole.constants.masspole;
  /** masspole + masscart, kg. */
  readonly totalMass = cartPole.constants.totalMass;
  /** Half the pole's length, m. */
  readonly length = cartPole.constants.length;
  /** masspole · length, kg·m. */
  readonly polemassLength = cartPole.constants.polemassLength;
  /** Magnitude of the applied force, N. */
  readonly forceMag = cartPole.constants.forceMag;
  /** Seconds between state updates. */
  readonly tau = cartPole.constants.tau;
  /** Integration scheme (Gymnasium's default, the only one implemented). */
  readonly kinematicsIntegrator = 'euler' as const;
  /** Pole angle at which the episode terminates, rad (12°). */
  readonly thetaThresholdRadians = cartPole.constants.thetaThresholdRadians;
  /** Cart position at which the episode terminates, m. */
  readonly xThreshold = cartPole.constants.xThreshold;
  /** Whether the Sutton & Barto reward is used (see {@link CartPoleOptions}). */
  readonly suttonBartoReward: boolean;

  /** `Box(-high, high, (4,), float32)`, high = [4.8, f32max, 24° in rad, f32max]. */
  readonly observationSpace: Box;
  /** `Discrete(2)`: 0 = push left, 1 = push right. */
  readonly actionSpace: Discrete;
  /** Render modes `'rgb_array'` and `'svg'`; `renderFps` is Gymnasium's 50 (= 1 / tau). */
  readonly metadata: EnvMetadata = {
    renderModes: [...CLASSIC_RENDER_MODES],
    renderFps: cartPole.constants.renderFps,
  };
  /** One-element views of the physical state (x, xDot, theta, thetaDot) for the shared dynamics. */
  private readonly x: Float64Array;
  private readonly xDot: Float64Array;
  private readonly theta: Float64Array;
  private readonly thetaDot: Float64Array;

  /**
   * @param options see {@link CartPoleOptions}.
   * @throws TypeError for an unknown option or a non-boolean `suttonBartoReward` (Gymnasium raises
   *   TypeError for unexpected keyword arguments too); TypeError / RangeError naming `renderMode`
   *   when it is not `'rgb_array'`, `'svg'` or undefined.
   */
  constructor(options: CartPoleOptions = {}) {
    super(4, 'CartPole');
    checkOptionKeys(options, ['suttonBartoReward', 'renderMode'], 'CartPole');
    this.initRenderMode(options.renderMode);
    this.suttonBartoReward = booleanOption(options.suttonBartoReward, false, 'CartPole: suttonBartoReward');
    this.observationSpace = cartPole.observationSpace();
    this.actionSpace = new Discrete(2);
    const s = this.physical;
    this.x = s.subarray(0, 1);
    this.xDot = s.subarray(1, 2);
    this.theta = s.subarray(2, 3);
    this.thetaDot = s.subarray(3, 4);
  }

  /**
   * Starts an episode: each of the 4 state variables uniform in [low, high) (default ±0.05).
   * @param options `seed` re-seeds the env's generator; `options.low` / `options.high` change the bounds.
   * @returns the initial observation (`Float32Array(4)`) and an empty info.
   * @throws RangeError for a bad seed or `low > high`; TypeError for non-numeric bounds.
   */
  reset(options?: ResetOptions): ResetResult<Float32Array> {
    this.seedFromReset(options);
    const [low, high] = cartPole.resetBounds(options?.options);
    const observation = new Float32Array(4);
    cartPole.reset(this.rng, low, high, this.x, this.xDot, this.theta, this.thetaDot, 0, observation);
    this.startEpisode();
    return { observation, info: {} };
  }

  /**
   * Advances the simulation by tau = 0.02 s with a push left (0) or right (1).
   * @param action 0 or 1 (an element of `Discrete(2)`).
   * @returns a new `Float32Array(4)` observation, reward (1, or the Sutton–Barto reward),
   *   `terminated` (pole fell or cart left the track), `truncated` = false, empty info.
   * @throws TypeError when `action` is not a number, RangeError when it is not 0 or 1 (both name
   *   the value and `Discrete(2)`); Error when called before `reset()` or after a terminating step.
   */
  step(action: number): StepResult<Float32Array> {
    this.actionSpace.assertContains(action, 'action');
    this.beginStep();
    const observation = new Float32Array(4);
    const terminated = cartPole.step(this.x, this.xDot, this.theta, this.thetaDot, 0, action, observation);
    if (terminated) this.endEpisode();
    const reward = cartPole.reward(terminated, this.suttonBartoReward);
    return { observation, reward, terminated, truncated: false, info: {} };
  }

  /** The current state as Gymnasium's 600x400 CartPole picture (see {@link cartPoleSvg}). */
  protected override sceneSvg(): string {
    return cartPoleSvg(this.physical[0], this.physical[2], this);
  }
}
