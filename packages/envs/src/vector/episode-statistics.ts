/**
 * `EpisodeStatistics`: collects finished episodes from vector infos for training logs.
 *
 * Source: Proximal (reads the `episode` / `_episode` entries that Gymnasium 1.x's
 * `RecordEpisodeStatistics` produces; the summary fields follow Stable-Baselines3's
 * `rollout/ep_rew_mean` and `rollout/ep_len_mean`).
 */

import { formatValue } from '../utils/format.js';
import type { EpisodeInfo } from '../wrappers/record-episode-statistics.js';
import type { VectorInfo } from './vector-env.js';

/** One finished episode: `r` return, `l` length (steps), `t` seconds, and the sub-env it ran in. */
export interface FinishedEpisode extends EpisodeInfo {
  envIndex: number;
}

/** Summary of the episodes in the window; NaN fields when the window is empty. */
export interface EpisodeSummary {
  /** Episodes in the window. */
  count: number;
  /** Episodes recorded since construction. */
  total: number;
  meanReturn: number;
  stdReturn: number;
  minReturn: number;
  maxReturn: number;
  meanLength: number;
}

/**
 * Keeps the last `windowSize` finished episodes seen in vector infos (in every autoreset mode,
 * `infos.episode` marks the sub-envs whose episode ended in that step, see `VectorInfo`).
 *
 * @example
 * const stats = new EpisodeStatistics();
 * const { infos } = vec.step(actions);
 * stats.record(infos);
 * log(stats.summary().meanReturn);
 */
export class EpisodeStatistics {
  /** Capacity of the window. */
  readonly windowSize: number;
  /** Number of episodes recorded since construction. */
  total = 0;
  private readonly window: FinishedEpisode[] = [];
  private pending: FinishedEpisode[] = [];

  /**
   * @param options `windowSize` (default 100, SB3's `stats_window_size`).
   * @throws RangeError when `windowSize` is not a positive integer.
   */
  constructor(options: { windowSize?: number } = {}) {
    const windowSize = options.windowSize ?? 100;
    if (!Number.isSafeInteger(windowSize) || windowSize <= 0) {
      throw new RangeError(
        `EpisodeStatistics: windowSize must be a positive integer, got ${formatValue(windowSize)}`,
      );
    }
    this.windowSize = windowSize;
  }

  /**
   * Records every episode marked in `infos._episode`.
   * @returns the number of episodes recorded by this call.
   */
  record(infos: VectorInfo): number {
    const mask = infos._episode;
    const episode = infos.episode;
    if (mask === undefined || episode === undefined) return 0;
    let count = 0;
    for (let i = 0; i < mask.length; i++) {
      if (mask[i] !== 1) continue;
      this.add({ envIndex: i, r: episode.r[i], l: episode.l[i], t: episode.t[i] });
      count++;
    }
    return count;
  }

  /**
   * Records one episode, e.g. a single env's `info.episode`.
   * @param envIndex which env it ran in (default 0).
   */
  recordEpisode(episode: EpisodeInfo, envIndex = 0): void {
    this.add({ envIndex, r: episode.r, l: episode.l, t: episode.t });
  }

  private add(episode: FinishedEpisode): void {
    this.window.push(episode);
    if (this.window.length > this.windowSize) this.window.shift();
    this.pending.push(episode);
    this.total++;
  }

  /** The episodes recorded since the previous `drain()` (oldest first); empties that list. */
  drain(): FinishedEpisode[] {
    const out = this.pending;
    this.pending = [];
    return out;
  }

  /** The episodes in the window, oldest first (a copy). */
  episodes(): FinishedEpisode[] {
    return [...this.window];
  }

  /** Mean/std/min/max return and mean length over the window (population std). */
  summary(): EpisodeSummary {
    const count = this.window.length;
    if (count === 0) {
      return {
        count,
        total: this.total,
        meanReturn: Number.NaN,
        stdReturn: Number.NaN,
        minReturn: Number.NaN,
        maxReturn: Number.NaN,
        meanLength: Number.NaN,
      };
    }
    let sumR = 0;
    let sumL = 0;
    let minR = Number.POSITIVE_INFINITY;
    let maxR = Number.NEGATIVE_INFINITY;
    for (const e of this.window) {
      sumR += e.r;
      sumL += e.l;
      if (e.r < minR) minR = e.r;
      if (e.r > maxR) maxR = e.r;
    }
    const meanReturn = sumR / count;
    let sq = 0;
    for (const e of this.window) sq += (e.r - meanReturn) ** 2;
    return {
      count,
      total: this.total,
      meanReturn,
      stdReturn: Math.sqrt(sq / count),
      minReturn: minR,
      maxReturn: maxR,
      meanLength: sumL / count,
    };
  }
}
