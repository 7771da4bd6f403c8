/**
 * Bandit: the k-armed Gaussian bandit testbed (Sutton & Barto, section 2.3).
 *
 * Source: Proximal, after Sutton & Barto, "Reinforcement Learning: An Introduction" (2nd ed.),
 * the 10-armed testbed: arm means q*(a) ~ N(meanOffset, 1) drawn at each reset, rewards
 * R ~ N(q*(a), rewardStd²).
 */
import { checkOptionKeys } from '../classic-control/classic-env.js';
import type { EnvMetadata, ResetOptions, ResetResult, StepResult } from '../env.js';
import { RenderableEnv } from '../rendering/renderable-env.js';
import { Discrete } from '../spaces/discrete.js';
import { formatValue } from '../utils/format.js';

/** Options of {@link Bandit}. */
export interface BanditOptions {
  /** Number of arms (default 10). */
  k?: number;
  /** Fixed arm means (length k); default: drawn from N(meanOffset, 1) at every reset. */
  means?: readonly number[];
  /** Mean of the arm-mean distribution (default 0). */
  meanOffset?: number;
  /** Standard deviation of the rewards (default 1). */
  rewardStd?: number;
  /**
   * `'ansi'`: `render()` returns the arm means and the last pull as text; default undefined (no
   * rendering; `render()` warns and returns undefined).
   */
  renderMode?: 'ansi';
}

/**
 * A k-armed bandit (registered as `Bandit-v0`, 1000 steps): a single state (observation 0 of
 * `Discrete(1)`), action `Discrete(k)`, reward ~ N(means[a], rewardStd²). Episodes never terminate
 * (the `TimeLimit` truncates them). `info` holds `optimalAction` (the best arm) and `regret`
 * (its mean minus the chosen arm's). Render mode `'ansi'`: one line per arm with its mean, the
 * best arm and the last pull marked.
 */
export class Bandit extends RenderableEnv<number, number, 'ansi'> {
  readonly k: number;
  readonly observationSpace = new Discrete(1);
  readonly actionSpace: Discrete;
  /** Render mode `'ansi'`. */
  readonly metadata: EnvMetadata = { renderModes: ['ansi'] };
  /** The arm means of the current episode. */
  readonly means: Float64Array;
  readonly rewardStd: number;
  private readonly fixedMeans: boolean;
  private readonly meanOffset: number;
  private started = false;
  private lastAction = -1;
  private lastReward = 0;

  /**
   * @throws TypeError for an unknown option; RangeError for a bad `k`, `means` or `rewardStd`;
   *   TypeError / RangeError naming `renderMode` when it is not `'ansi'` or undefined.
   */
  constructor(options: BanditOptions = {}) {
    super('Bandit');
    checkOptionKeys(options, ['k', 'means', 'meanOffset', 'rewardStd', 'renderMode'], 'Bandit');
    this.initRenderMode(options.renderMode);
    const k = options.k ?? options.means?.length ?? 10;
    if (!Number.isSafeInteger(k) || k < 1)
      throw new RangeError(`Bandit: k must be a positive integer, got ${formatValue(k)}`);
    this.k = k;
    this.actionSpace = new Discrete(k);
    this.means = new Float64Array(k);
    this.fixedMeans = options.means !== undefined;
    if (options.means !== undefined) {
      if (
        options.means.length !== k ||
        !options.means.every((m) => typeof m === 'number' && Number.isFinite(m))
      ) {
        throw new RangeError(`Bandit: means must be ${k} finite numbers, got ${formatValue(options.means)}`);
      }
      this.means.set(options.means);
    }
    this.meanOffset = options.meanOffset ?? 0;
    this.rewardStd = options.rewardStd ?? 1;
    if (typeof this.rewardStd !== 'number' || !(this.rewardStd >= 0) || !Number.isFinite(this.rewardStd)) {
      throw new RangeError(
        `Bandit: rewardStd must be a finite number ≥ 0, got ${formatValue(this.rewardStd)}`,
      );
    }
    if (typeof this.meanOffset !== 'number' || !Number.isFinite(this.meanOffset)) {
      throw new TypeError(`Bandit: meanOffset must be a finite number, got ${formatValue(this.meanOffset)}`);
    }
  }

  /** The arm with the highest mean (the first one on ties). */
  get optimalAction(): number {
    let best = 0;
    for (let a = 1; a < this.k; a++) if (this.means[a] > this.means[best]) best = a;
    return best;
  }

  /** Draws new arm means (unless fixed); observation 0. */
  reset(options?: ResetOptions): ResetResult<number> {
    this.seedFromReset(options);
    if (!this.fixedMeans)
      for (let a = 0; a < this.k; a++) this.means[a] = this.meanOffset + this.rng.normal();
    this.started = true;
    this.lastAction = -1;
    return { observation: 0, info: { optimalAction: this.optimalAction } };
  }

  /**
   * Pulls arm `action`: reward ~ N(means[action], rewardStd²).
   * @throws TypeError / RangeError for an action outside `Discrete(k)`; Error before `reset()`.
   */
  step(action: number): StepResult<number> {
    this.actionSpace.assertContains(action, 'action');
    if (!this.started) throw new Error(`${this.name}: step() called before reset(); call reset() first`);
    const best = this.optimalAction;
    const reward = this.means[action] + this.rewardStd * this.rng.normal();
    this.lastAction = action;
    this.lastReward = reward;
    return {
      observation: 0,
      reward,
      terminated: false,
      truncated: false,
      info: { optimalAction: best, regret: this.means[best] - this.means[action] },
    };
  }

  /** Whether there is an episode to show (after the first reset). */
  protected hasRenderState(): boolean {
    return this.started;
  }

  /**
   * The arms as text: one line per arm with its mean, `>` before the last pulled arm and `(best)`
   * after the optimal one, under a header with the last reward.
   */
  protected override sceneText(): string {
    const best = this.optimalAction;
    const last = this.lastAction;
    const header =
      last >= 0
        ? `Bandit: ${this.k} arms, last pull arm ${last}, reward ${this.lastReward.toFixed(3)}`
        : `Bandit: ${this.k} arms`;
    const lines = Array.from(this.means, (mean, a) => {
      const marker = a === last ? '>' : ' ';
      return `${marker} arm ${String(a).padStart(3)}  mean ${mean.toFixed(3).padStart(7)}${a === best ? '  (best)' : ''}`;
    });
    return `${header}\n${lines.join('\n')}\n`;
  }
}
