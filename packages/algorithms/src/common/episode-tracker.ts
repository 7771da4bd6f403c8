/** A bounded window of recent episode returns/lengths (SB3's `ep_info_buffer`, 100 by default). */
export class EpisodeTracker {
  readonly capacity: number;
  readonly returns: number[] = [];
  readonly lengths: number[] = [];
  totalEpisodes = 0;

  constructor(capacity = 100) {
    this.capacity = capacity;
  }

  push(ret: number, len: number): void {
    this.returns.push(ret);
    this.lengths.push(len);
    this.totalEpisodes++;
    if (this.returns.length > this.capacity) {
      this.returns.shift();
      this.lengths.shift();
    }
  }

  /** The window and the episode count as JSON (saved in checkpoints so that resumed runs continue them). */
  toJSON(): { returns: number[]; lengths: number[]; totalEpisodes: number } {
    return { returns: [...this.returns], lengths: [...this.lengths], totalEpisodes: this.totalEpisodes };
  }

  /**
   * Replaces the window and the count with those saved by {@link toJSON}.
   * @throws RangeError when returns and lengths differ in length or totalEpisodes is not an integer ≥ 0.
   */
  load(json: { returns: number[]; lengths: number[]; totalEpisodes: number }): void {
    if (
      !Array.isArray(json?.returns) ||
      !Array.isArray(json.lengths) ||
      json.returns.length !== json.lengths.length
    ) {
      throw new RangeError('saved episodes must have returns and lengths arrays of the same length');
    }
    if (!Number.isInteger(json.totalEpisodes) || json.totalEpisodes < 0) {
      throw new RangeError(
        `saved episodes.totalEpisodes must be an integer ≥ 0, got ${String(json.totalEpisodes)}`,
      );
    }
    const start = Math.max(0, json.returns.length - this.capacity);
    this.returns.splice(0, this.returns.length, ...json.returns.slice(start));
    this.lengths.splice(0, this.lengths.length, ...json.lengths.slice(start));
    this.totalEpisodes = json.totalEpisodes;
  }

  meanReturn(): number {
    return mean(this.returns);
  }

  meanLength(): number {
    return mean(this.lengths);
  }
}

function mean(xs: number[]): number {
  if (xs.length === 0) return Number.NaN;
  let s = 0;
  for (const x of xs) s += x;
  return s / xs.length;
}
