/**
 * `RecordEpisodeStatistics`: reports each episode's return, length and duration in `info.episode`.
 *
 * Source: Gymnasium 1.x, `gymnasium/wrappers/common.py` (`RecordEpisodeStatistics`).
 */
import type { Env, ResetOptions, ResetResult, StepResult } from '../env.js';
import { formatValue } from '../utils/format.js';
import { Wrapper } from './wrapper.js';

/**
 * Statistics of one finished episode, as put in `info.episode`.
 * - `r`: return, the sum of rewards (float64).
 * - `l`: length, number of steps (integer).
 * - `t`: wall-clock seconds from `reset()` to the last step, rounded to microseconds.
 */
export interface EpisodeInfo {
  r: number;
  l: number;
  t: number;
}

/**
 * On the step where `terminated || truncated`, adds `info.episode = { r, l, t }` (see
 * {@link EpisodeInfo}) and pushes the values to `returnQueue`, `lengthQueue` and `timeQueue`
 * (the last `bufferLength` episodes).
 */
export class RecordEpisodeStatistics<O = Float32Array, A = number | Float32Array> extends Wrapper<O, A> {
  /** Returns of the last `bufferLength` episodes, oldest first. */
  readonly returnQueue: number[] = [];
  /** Lengths of the last `bufferLength` episodes, oldest first. */
  readonly lengthQueue: number[] = [];
  /** Durations (seconds) of the last `bufferLength` episodes, oldest first. */
  readonly timeQueue: number[] = [];
  /** Capacity of the queues. */
  readonly bufferLength: number;
  /** Total number of episodes finished. */
  episodeCount = 0;
  private episodeReturn = 0;
  private episodeLength = 0;
  private episodeStart = 0;
  private readonly statsKey: string;

  /**
   * @param env the env to wrap.
   * @param options `bufferLength` (default 100): queue capacity; `statsKey` (default `'episode'`):
   *   the info key.
   * @throws RangeError when `bufferLength` is not a positive integer.
   */
  constructor(env: Env<O, A>, options: { bufferLength?: number; statsKey?: string } = {}) {
    super(env);
    this.bufferLength = options.bufferLength ?? 100;
    if (!Number.isSafeInteger(this.bufferLength) || this.bufferLength <= 0) {
      throw new RangeError(
        `RecordEpisodeStatistics: bufferLength must be a positive integer, got ${formatValue(this.bufferLength)}`,
      );
    }
    this.statsKey = options.statsKey ?? 'episode';
  }

  /** Forwards and starts counting a new episode. */
  override reset(options?: ResetOptions): ResetResult<O> {
    const result = this.env.reset(options);
    this.episodeStart = performance.now();
    this.episodeReturn = 0;
    this.episodeLength = 0;
    return result;
  }

  /**
   * Forwards and accumulates; at the end of an episode adds `info[statsKey]`.
   * @throws Error when the wrapped env already put `info[statsKey]` at the end of an episode.
   */
  override step(action: A): StepResult<O> {
    const result = this.env.step(action);
    this.episodeReturn += result.reward;
    this.episodeLength += 1;
    if (result.terminated || result.truncated) {
      if (this.statsKey in result.info) {
        throw new Error(`RecordEpisodeStatistics: info already contains the key '${this.statsKey}'`);
      }
      // performance.now() is in ms; round to whole microseconds, report seconds.
      const seconds = Math.round((performance.now() - this.episodeStart) * 1e3) / 1e6;
      const episode: EpisodeInfo = { r: this.episodeReturn, l: this.episodeLength, t: seconds };
      result.info[this.statsKey] = episode;
      this.push(this.returnQueue, episode.r);
      this.push(this.lengthQueue, episode.l);
      this.push(this.timeQueue, episode.t);
      this.episodeCount += 1;
    }
    return result;
  }

  private push(queue: number[], value: number): void {
    queue.push(value);
    if (queue.length > this.bufferLength) queue.shift();
  }
}
