/**
 * Reward wrappers: `TransformReward` and `NormalizeReward`.
 *
 * Source: Gymnasium 1.x, `gymnasium/wrappers/transform_reward.py` (`TransformReward`) and
 * `gymnasium/wrappers/stateful_reward.py` (`NormalizeReward`).
 */
import { RunningMeanStd } from '@proximal/core';
import type { Env, StepResult } from '../env.js';
import { formatValue } from '../utils/format.js';
import { Wrapper } from './wrapper.js';

/**
 * Replaces every reward `r` by `func(r)` (Gymnasium `TransformReward`).
 * @example new TransformReward(make('CartPole-v1'), (r) => 0.01 * r)
 */
export class TransformReward<O = Float32Array, A = number | Float32Array> extends Wrapper<O, A> {
  /** The reward function. */
  readonly func: (reward: number) => number;

  /** @throws TypeError when `func` is not a function. */
  constructor(env: Env<O, A>, func: (reward: number) => number) {
    super(env);
    if (typeof func !== 'function') {
      throw new TypeError(`TransformReward: func must be a function, got ${formatValue(func)}`);
    }
    this.func = func;
  }

  /** Steps and transforms the reward. */
  override step(action: A): StepResult<O> {
    const result = this.env.step(action);
    result.reward = this.func(result.reward);
    return result;
  }
}

/**
 * Scales rewards so that their discounted return has roughly unit variance (Gymnasium 1.x
 * `NormalizeReward`): the wrapper keeps the discounted return
 * `G ← G · gamma · (1 − terminated) + r` (not reset by `reset()` or truncation, as in Gymnasium),
 * merges each `G` into a running variance (`returnRms`, initial count 1e-4) and returns
 * `r / sqrt(var + epsilon)`. The mean is not subtracted.
 */
export class NormalizeReward<O = Float32Array, A = number | Float32Array> extends Wrapper<O, A> {
  /** Running statistics of the discounted return. */
  readonly returnRms = new RunningMeanStd(1);
  /** Discount factor of the return. */
  readonly gamma: number;
  /** Added to the variance before the square root. */
  readonly epsilon: number;
  /** Whether steps update `returnRms` (set false to freeze the statistics, e.g. for evaluation). */
  updateRunningMean = true;
  /** The current discounted return G. */
  discountedReward = 0;

  /**
   * @param options `gamma` (default 0.99, in [0, 1]) and `epsilon` (default 1e-8, ≥ 0).
   * @throws RangeError for a `gamma` outside [0, 1] or a negative / non-finite `epsilon`.
   */
  constructor(env: Env<O, A>, options: { gamma?: number; epsilon?: number } = {}) {
    super(env);
    this.gamma = options.gamma ?? 0.99;
    this.epsilon = options.epsilon ?? 1e-8;
    if (typeof this.gamma !== 'number' || !(this.gamma >= 0 && this.gamma <= 1)) {
      throw new RangeError(`NormalizeReward: gamma must be in [0, 1], got ${formatValue(this.gamma)}`);
    }
    if (typeof this.epsilon !== 'number' || !(this.epsilon >= 0) || !Number.isFinite(this.epsilon)) {
      throw new RangeError(
        `NormalizeReward: epsilon must be a finite number ≥ 0, got ${formatValue(this.epsilon)}`,
      );
    }
  }

  /** Steps, updates the return statistics and scales the reward. */
  override step(action: A): StepResult<O> {
    const result = this.env.step(action);
    this.discountedReward = this.discountedReward * this.gamma * (result.terminated ? 0 : 1) + result.reward;
    if (this.updateRunningMean) this.returnRms.update([this.discountedReward]);
    result.reward = result.reward / Math.sqrt(this.returnRms.var[0] + this.epsilon);
    return result;
  }
}
