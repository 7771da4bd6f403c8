import { describe, expect, it } from 'vitest';
import {
  aggregateRuns,
  extractSeries,
  groupRuns,
  interpolate,
  type MetricsRow,
  type RunData,
} from '../src/index.js';

const K = 'rollout/ep_rew_mean';
const X = 'time/total_timesteps';
const rows = (pairs: Array<[number, number]>): MetricsRow[] => pairs.map(([x, y]) => ({ [X]: x, [K]: y }));

describe('interpolate', () => {
  it('is linear between points and clamps outside', () => {
    expect(interpolate([0, 10, 20], [0, 100, 50], [-5, 0, 2.5, 10, 15, 20, 25])).toEqual([
      0, 0, 25, 100, 75, 50, 50,
    ]);
  });
});

describe('aggregateRuns', () => {
  it('averages seeds on unequal step grids over the common range (numbers by hand)', () => {
    // Run A: y = x on steps 0, 10, 20, 30.     Run B: steps 5, 15, 25, 35 with y = 10, 10, 30, 30.
    // Common range: [max(0, 5), min(30, 35)] = [5, 30]; 6 points → 5, 10, 15, 20, 25, 30.
    // A at the grid: 5, 10, 15, 20, 25, 30.
    // B at the grid: 10, 10 (between 5 and 15), 10, 20 (halfway 15→25), 30, 30 (between 25 and 35).
    const a = {
      name: 'a',
      metrics: rows([
        [0, 0],
        [10, 10],
        [20, 20],
        [30, 30],
      ]),
    };
    const b = {
      name: 'b',
      metrics: rows([
        [5, 10],
        [15, 10],
        [25, 30],
        [35, 30],
      ]),
    };
    const s = aggregateRuns([a, b], K, { points: 6 });
    expect(s.steps).toEqual([5, 10, 15, 20, 25, 30]);
    expect(s.mean).toEqual([7.5, 10, 12.5, 20, 27.5, 30]);
    // Population std of two values = |a - b| / 2.
    expect(s.std).toEqual([2.5, 0, 2.5, 0, 2.5, 0]);
    expect(s.min).toEqual([5, 10, 10, 20, 25, 30]);
    expect(s.max).toEqual([10, 10, 15, 20, 30, 30]);
    expect(s.runs).toBe(2);
    expect(s.skipped).toEqual([]);
  });

  it('computes the population std of three seeds and ignores NaN rows', () => {
    // Values at x = 0 and 100: (1, 2, 6) → mean 3, var ((−2)² + (−1)² + 3²) / 3 = 14/3.
    const mk = (y0: number, y1: number): { metrics: MetricsRow[] } => ({
      metrics: [
        { [X]: 0, [K]: y0 },
        { [X]: 50, [K]: Number.NaN },
        { [X]: 100, [K]: y1 },
      ],
    });
    const s = aggregateRuns([mk(1, 1), mk(2, 2), mk(6, 6)], K, { points: 3 });
    expect(s.steps).toEqual([0, 50, 100]);
    expect(s.mean).toEqual([3, 3, 3]);
    for (const v of s.std) expect(v).toBeCloseTo(Math.sqrt(14 / 3), 12);
    expect(s.min).toEqual([1, 1, 1]);
    expect(s.max).toEqual([6, 6, 6]);
  });

  it('sorts steps, lets the last of repeated steps win and skips runs without data', () => {
    expect(
      extractSeries(
        rows([
          [20, 2],
          [10, 1],
          [20, 3],
        ]),
        K,
      ),
    ).toEqual({ xs: [10, 20], ys: [1, 3] });
    const empty = { name: 'empty', metrics: [{ [X]: 10, [K]: Number.NaN }] };
    const s = aggregateRuns(
      [
        {
          name: 'a',
          metrics: rows([
            [20, 2],
            [10, 1],
            [20, 3],
          ]),
        },
        empty,
      ],
      K,
      { points: 2 },
    );
    expect(s.skipped).toEqual(['empty']);
    expect(s.runs).toBe(1);
    expect(s.mean).toEqual([1, 3]);
    expect(s.std).toEqual([0, 0]);
  });

  it('returns an empty series with a reason when ranges do not overlap or no run has data', () => {
    const s = aggregateRuns(
      [
        {
          metrics: rows([
            [0, 1],
            [10, 1],
          ]),
        },
        {
          metrics: rows([
            [20, 1],
            [30, 1],
          ]),
        },
      ],
      K,
    );
    expect(s.steps).toEqual([]);
    expect(s.reason).toMatch(/do not overlap/);
    const none = aggregateRuns([{ metrics: rows([[0, 1]]) }], 'train/value_loss');
    expect(none.steps).toEqual([]);
    expect(none.reason).toMatch(/no run has finite values/);
    expect(none.skipped).toEqual(['0']);
  });

  it('uses one grid point when the common range is a single step, and validates points', () => {
    const s = aggregateRuns(
      [
        {
          metrics: rows([
            [0, 1],
            [10, 3],
          ]),
        },
        {
          metrics: rows([
            [10, 5],
            [20, 7],
          ]),
        },
      ],
      K,
    );
    expect(s.steps).toEqual([10]);
    expect(s.mean).toEqual([4]);
    expect(() => aggregateRuns([], K, { points: 0 })).toThrow(RangeError);
    expect(() => aggregateRuns([], K, { points: 2.5 })).toThrow(/points/);
  });

  it('supports another x key', () => {
    const m = [
      { 'time/iterations': 1, [K]: 10 },
      { 'time/iterations': 2, [K]: 20 },
    ];
    const s = aggregateRuns([{ metrics: m }], K, { x: 'time/iterations', points: 3 });
    expect(s.steps).toEqual([1, 1.5, 2]);
    expect(s.mean).toEqual([10, 15, 20]);
  });
});

describe('groupRuns', () => {
  it('groups by algorithm, environment and core backend in order of appearance', () => {
    const run = (name: string, algorithm: string, core: string): RunData => ({
      dir: name,
      name,
      config: {
        algorithm,
        envId: 'CartPole-v1',
        seed: 1,
        numEnvs: 8,
        totalTimesteps: 1,
        hyperparameters: {},
        backends: { core, coreReason: null, tf: 'wasm' },
        machine: { cpus: '', cpuCount: 1, memoryGiB: 1, node: '', platform: '' },
        startedAt: '',
      },
      metrics: [],
      eval: null,
      warnings: [],
    });
    const groups = groupRuns([
      run('a', 'PPO', 'native'),
      run('b', 'PPO', 'js'),
      run('c', 'PPO', 'native'),
      run('d', 'TRPO', 'native'),
      { ...run('e', 'PPO', 'js'), config: null },
    ]);
    expect(groups.map((g) => [g.label, g.runs.map((r) => r.name)])).toEqual([
      ['PPO · CartPole-v1 · native', ['a', 'c']],
      ['PPO · CartPole-v1 · js', ['b']],
      ['TRPO · CartPole-v1 · native', ['d']],
      ['unknown · unknown · unknown', ['e']],
    ]);
  });
});
