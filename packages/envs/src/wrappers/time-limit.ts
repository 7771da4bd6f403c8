/**
 * `TimeLimit`: truncates episodes after a fixed number of steps.
 *
 * Source: Gymnasium 1.x, `gymnasium/wrappers/common.py` (`TimeLimit`).
 */
import type { Env, ResetOptions, ResetResult, StepResult } from '../env.js';
import { formatValue } from '../utils/format.js';
import { Wrapper } from './wrapper.js';

/**
 * Sets `truncated = true` on the step at which the episode reaches `maxEpisodeSteps` steps (and on
 * any later step). `terminated` is passed through unchanged, so both may be true on the same step.
 * The counter restarts at every `reset()`.
 */
export class TimeLimit<O = Float32Array, A = number | Float32Array> extends Wrapper<O, A> {
  /** Steps after which episodes are truncated. */
  readonly maxEpisodeSteps: number;
  private elapsed = 0;

  /**
   * @param env the env to wrap.
   * @param maxEpisodeSteps positive integer number of steps.
   * @throws RangeError when `maxEpisodeSteps` is not a positive safe integer.
   */
  constructor(env: Env<O, A>, maxEpisodeSteps: number) {
    super(env);
    if (!Number.isSafeInteger(maxEpisodeSteps) || maxEpisodeSteps <= 0) {
      throw new RangeError(
        `TimeLimit: maxEpisodeSteps must be a positive integer, got ${formatValue(maxEpisodeSteps)}`,
      );
    }
    this.maxEpisodeSteps = maxEpisodeSteps;
  }

  /** Steps taken since the last `reset()`. */
  get elapsedSteps(): number {
    return this.elapsed;
  }

  /** Forwards and restarts the step counter. */
  override reset(options?: ResetOptions): ResetResult<O> {
    this.elapsed = 0;
    return this.env.reset(options);
  }

  /** Forwards, counts the step and sets `truncated` once `maxEpisodeSteps` is reached. */
  override step(action: A): StepResult<O> {
    const result = this.env.step(action);
    this.elapsed += 1;
    if (this.elapsed >= this.maxEpisodeSteps) result.truncated = true;
    return result;
  }
}
