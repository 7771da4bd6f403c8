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
