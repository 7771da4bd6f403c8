import type { MetricsRow, RunData } from './types.js';

/** Options of {@link aggregateRuns}. */
export interface AggregateOptions {
  /** Key of the x axis. Default `'time/total_timesteps'`. */
  x?: string;
  /** Number of grid points (evenly spaced, both ends included). Default 100. */
  points?: number;
}

/**
 * One metric across runs (seeds) on a common x grid. All arrays have the length of `steps`.
 * `std` is the population standard deviation across runs (divides by the number of runs, as
 * `numpy.std`); with one run it is 0 and min = max = mean.
 */
export interface AggregatedSeries {
  key: string;
  x: string;
  /** The common grid of x values. */
  steps: number[];
  mean: number[];
  std: number[];
  min: number[];
  max: number[];
  /** Number of runs aggregated. */
  runs: number;
  /** Names (or indices) of runs left out because they have no finite (x, key) pair. */
  skipped: string[];
  /** When `steps` is empty: why. */
  reason?: string;
}

/**
 * A run's finite (x, y) pairs for `key`, sorted by x; for repeated x values the last row wins
 * (a resumed run re-logging a step overrides the earlier value).
 */
export function extractSeries(
  rows: MetricsRow[],
  key: string,
  x = 'time/total_timesteps',
): { xs: number[]; ys: number[] } {
  const byX = new Map<number, number>();
  for (const row of rows) {
    const xv = row[x];
    const yv = row[key];
    if (typeof xv === 'number' && Number.isFinite(xv) && typeof yv === 'number' && Number.isFinite(yv))
      byX.set(xv, yv);
  }
  const xs = [...byX.keys()].sort((a, b) => a - b);
  return { xs, ys: xs.map((v) => byX.get(v)!) };
}

/**
 * Linear interpolation of the piecewise-linear curve through (xs, ys) at each (ascending) grid
 * point. Grid points outside [xs[0], xs[last]] get the nearest end value.
 */
export function interpolate(xs: number[], ys: number[], grid: number[]): number[] {
  const out = new Array<number>(grid.length);
  let j = 0;
  for (let i = 0; i < grid.length; i++) {
    const g = grid[i];
    if (g <= xs[0]) {
      out[i] = ys[0];
      continue;
    }
    if (g >= xs[xs.length - 1]) {
      out[i] = ys[ys.length - 1];
      continue;
    }
    while (xs[j + 1] < g) j++;
    const t = (g - xs[j]) / (xs[j + 1] - xs[j]);
    out[i] = ys[j] + t * (ys[j + 1] - ys[j]);
  }
  return out;
}

/**
 * Aggregates one metric across runs (typically seeds of one configuration).
 *
 * Rule: each run's finite (x, key) pairs define a piecewise-linear curve; the grid spans only the x
 * range covered by every run, [max of first x, min of last x], with `points` evenly spaced values
 * (one value when that range is a single point); each run is interpolated linearly onto the grid and
 * mean, population std, min and max are taken across runs at each grid point. Runs without any
 * finite value for `key` are left out (listed in `skipped`). When no run has data, or the runs'
 * ranges do not overlap, the series is empty and `reason` says why.
 * @throws RangeError when `points` is not an integer ≥ 1.
 */
export function aggregateRuns(
  runs: Array<Pick<RunData, 'metrics'> & { name?: string }>,
  key: string,
  options: AggregateOptions = {},
): AggregatedSeries {
  const x = options.x ?? 'time/total_timesteps';
  const points = options.points ?? 100;
  if (!Number.isInteger(points) || points < 1)
    throw new RangeError(`aggregateRuns: points must be an integer >= 1, got ${points}`);
  const empty = (reason: string, skipped: string[], used = 0): AggregatedSeries => ({
    key,
    x,
    steps: [],
    mean: [],
    std: [],
    min: [],
    max: [],
    runs: used,
    skipped,
    reason,
  });

  const series: { xs: number[]; ys: number[] }[] = [];
  const skipped: string[] = [];
  runs.forEach((run, i) => {
    const s = extractSeries(run.metrics, key, x);
    if (s.xs.length === 0) skipped.push(run.name ?? String(i));
    else series.push(s);
  });
  if (series.length === 0) return empty(`no run has finite values of '${key}'`, skipped);

  const lo = Math.max(...series.map((s) => s.xs[0]));
  const hi = Math.min(...series.map((s) => s.xs[s.xs.length - 1]));
  if (lo > hi) return empty(`the runs' '${x}' ranges of '${key}' do not overlap`, skipped, series.length);

  const n = lo === hi ? 1 : points;
  const steps = Array.from({ length: n }, (_, i) =>
    n === 1 ? lo : i === n - 1 ? hi : lo + ((hi - lo) * i) / (n - 1),
  );
  const values = series.map((s) => interpolate(s.xs, s.ys, steps));
  const mean: number[] = [];
  const std: number[] = [];
  const min: number[] = [];
  const max: number[] = [];
  for (let i = 0; i < n; i++) {
    let sum = 0;
    let mn = Number.POSITIVE_INFINITY;
    let mx = Number.NEGATIVE_INFINITY;
    for (const v of values) {
      sum += v[i];
      mn = Math.min(mn, v[i]);
      mx = Math.max(mx, v[i]);
    }
    const m = sum / values.length;
    let sq = 0;
    for (const v of values) sq += (v[i] - m) ** 2;
    mean.push(m);
    std.push(Math.sqrt(sq / values.length));
    min.push(mn);
    max.push(mx);
  }
  return { key, x, steps, mean, std, min, max, runs: series.length, skipped };
}

/** Runs sharing algorithm, environment and core backend: the unit compared side by side. */
export interface RunGroup {
  /** `algorithm|envId|backend`. */
  key: string;
  /** `PPO · CartPole-v1 · native`. */
  label: string;
  algorithm: string;
  envId: string;
  /** `config.backends.core`, or `'unknown'`. */
  backend: string;
  runs: RunData[];
}

/**
 * Groups runs by (algorithm, envId, core backend), in order of first appearance. Runs without a
 * config fall into the group `unknown · unknown · unknown`.
 */
export function groupRuns(runs: RunData[]): RunGroup[] {
  const groups = new Map<string, RunGroup>();
  for (const run of runs) {
    const algorithm = run.config?.algorithm ?? 'unknown';
    const envId = run.config?.envId ?? 'unknown';
    const backend = run.config?.backends.core ?? 'unknown';
    const key = `${algorithm}|${envId}|${backend}`;
    let g = groups.get(key);
    if (!g) {
      g = { key, label: `${algorithm} · ${envId} · ${backend}`, algorithm, envId, backend, runs: [] };
      groups.set(key, g);
    }
    g.runs.push(run);
  }
  return [...groups.values()];
}
