import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expandRunDirs, parseMetricsJsonl, readRun } from '../src/index.js';
import { tempDir } from './helpers.js';

const row = (t: number, r: number | null) =>
  JSON.stringify({ 'time/total_timesteps': t, 'rollout/ep_rew_mean': r });

describe('readRun', () => {
  it('reports a malformed line and a partially written last line by number; the rest loads', async () => {
    const dir = tempDir();
    const lines = [
      row(2048, null),
      row(4096, 25),
      '{"time/total_timesteps": 6144, "rollout/ep_rew_mean": 3', // malformed (cut in the middle)
      '',
      row(8192, 40),
      '[1, 2]',
      row(10240, 55),
      '{"time/total_timesteps": 12288, "rollout/ep_re', // crash while writing the last line
    ];
    writeFileSync(join(dir, 'metrics.jsonl'), lines.join('\n'));
    writeFileSync(
      join(dir, 'config.json'),
      JSON.stringify({
        algorithm: 'PPO',
        envId: 'CartPole-v1',
        seed: 3,
        numEnvs: 8,
        totalTimesteps: 12288,
        hyperparameters: { learningRate: 3e-4 },
        backends: { core: 'js', coreReason: 'native addon not built', tf: 'wasm' },
        machine: { cpus: 'X', cpuCount: 2, memoryGiB: 8, node: 'v20', platform: 'linux-x64' },
        startedAt: '2025-01-01T00:00:00Z',
      }),
    );
    const run = await readRun(dir);
    expect(run.metrics.map((m) => m['time/total_timesteps'])).toEqual([2048, 4096, 8192, 10240]);
    expect(run.metrics[0]['rollout/ep_rew_mean']).toBeNaN(); // null → NaN
    expect(run.metrics[1]['rollout/ep_rew_mean']).toBe(25);
    expect(run.warnings).toHaveLength(3);
    expect(run.warnings[0]).toMatch(/^metrics\.jsonl line 3: /);
    expect(run.warnings[1]).toBe('metrics.jsonl line 6: expected a JSON object');
    expect(run.warnings[2]).toMatch(/^metrics\.jsonl line 8: .*(JSON|Unterminated|Unexpected)/);
    expect(run.config?.seed).toBe(3);
    expect(run.config?.backends).toEqual({ core: 'js', coreReason: 'native addon not built', tf: 'wasm' });
    expect(run.eval).toBeNull();
  });

  it('reads eval.json and warns about missing or broken files without throwing', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'config.json'), '{"algorithm": "PPO", ');
    writeFileSync(
      join(dir, 'eval.json'),
      JSON.stringify({
        nEvalEpisodes: 3,
        deterministic: true,
        meanReward: 500,
        stdReward: 0,
        episodeRewards: [500, 500, 500],
        wallTime: 1.5,
        trainWallTime: 60,
      }),
    );
    const run = await readRun(dir);
    expect(run.config).toBeNull();
    expect(run.metrics).toEqual([]);
    expect(run.eval).toEqual({
      nEvalEpisodes: 3,
      deterministic: true,
      meanReward: 500,
      stdReward: 0,
      episodeRewards: [500, 500, 500],
      wallTime: 1.5,
      trainWallTime: 60,
    });
    expect(run.warnings).toEqual([expect.stringMatching(/^config\.json: /), 'metrics.jsonl: missing']);
  });

  it('throws for a directory that does not exist', async () => {
    await expect(readRun(join(tempDir(), 'nope'))).rejects.toThrow(/is not a directory/);
  });
});

describe('parseMetricsJsonl', () => {
  it('keeps numbers, turns null into NaN and drops non-numbers with one warning per key', () => {
    const text = '{"a": 1, "b": null, "c": "x"}\r\n{"a": 2, "c": "y"}\n';
    const { rows, warnings } = parseMetricsJsonl(text);
    expect(rows).toHaveLength(2);
    expect(rows[0].a).toBe(1);
    expect(rows[0].b).toBeNaN();
    expect('c' in rows[0]).toBe(false);
    expect(warnings).toEqual(["metrics.jsonl line 1: 'c' is not a number (ignored in this and later lines)"]);
  });
});

describe('expandRunDirs', () => {
  it('keeps run directories and expands a parent into its runs', () => {
    const root = tempDir();
    for (const name of ['b-run', 'a-run']) {
      mkdirSync(join(root, name));
      writeFileSync(join(root, name, 'metrics.jsonl'), '');
    }
    mkdirSync(join(root, 'not-a-run'));
    expect(expandRunDirs([root])).toEqual([join(root, 'a-run'), join(root, 'b-run')]);
    expect(expandRunDirs([join(root, 'b-run')])).toEqual([join(root, 'b-run')]);
    expect(() => expandRunDirs([join(root, 'not-a-run')])).toThrow(/holds no run directory/);
  });
});
