import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CURVE_CHARTS, Logger, writeReport } from '../src/index.js';
import { tempDir, writeSyntheticRun } from './helpers.js';

describe('writeReport', () => {
  let root: string;
  let seed1: string;
  let seed2: string;

  beforeAll(async () => {
    root = tempDir();
    seed1 = join(root, 'ppo-cartpole-s1');
    seed2 = join(root, 'ppo-cartpole-s2');
    mkdirSync(seed1);
    mkdirSync(seed2);
    // Unequal step grids across seeds.
    await writeSyntheticRun(seed1, { seed: 1, stepsPerIteration: 2048, iterations: 30 });
    await writeSyntheticRun(seed2, { seed: 2, stepsPerIteration: 1536, iterations: 40, evalEpisodes: 5 });
    appendFileSync(join(seed2, 'metrics.jsonl'), '{"time/total_timesteps": 62000, "rollout/ep_r');
  });

  it('writes one self-contained HTML file with every section', async () => {
    const res = await writeReport([seed1, seed2], { title: 'Two <seeds>' });
    expect(res.path).toBe(join(root, 'report.html'));
    const html = readFileSync(res.path, 'utf8');
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).toContain('<title>Two &lt;seeds&gt;</title>');
    // No external resources or scripts.
    expect(html).not.toMatch(/<script|<link|<img|src=|@import|href="http/i);
    // One figure per chart, each with an inline SVG with paths.
    expect(res.charts).toEqual([...CURVE_CHARTS.map((c) => c.name), 'eval']);
    for (const name of res.charts) {
      const m = html.match(
        new RegExp(`<figure class="chart[^"]*" data-chart="${name}">\\s*(<svg[\\s\\S]*?</svg>)`),
      );
      expect(m, name).not.toBeNull();
      expect(m![1]).toMatch(/<path/);
    }
    // Clip-path ids are unique across the inlined SVGs.
    const ids = [...html.matchAll(/\bid="([^"]+)"/g)].map((m) => m[1]);
    expect(new Set(ids).size).toBe(ids.length);
    // The partially written last line is a warning, shown in the page.
    expect(res.warnings).toEqual([expect.stringMatching(/^ppo-cartpole-s2: metrics\.jsonl line 41: /)]);
    expect(html).toContain('ppo-cartpole-s2: metrics.jsonl line 41: ');
    // Tables: hyperparameters (nSteps differs between the seeds), evaluation, machine.
    expect(html).toMatch(/<td>nSteps<\/td><td class="differs">256 \/ 192<\/td>/);
    expect(html).toContain('<td>seeds</td><td>1, 2</td>');
    expect(html).toMatch(/id="eval-summary-table"/);
    expect(html).toMatch(/ ± /);
    expect(html).toContain('Synthetic CPU @ 3.0GHz');
    expect(html).toContain('PPO · CartPole-v1 · native');
  });

  it('expands a parent directory, defaults the output next to a single run, and writes PNGs', async () => {
    const res = await writeReport([seed1], { png: true });
    expect(res.path).toBe(join(seed1, 'report.html'));
    expect(res.pngPaths).toHaveLength(res.charts.length);
    for (const p of res.pngPaths) {
      const png = readFileSync(p);
      expect(png.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))).toBe(
        true,
      );
      expect(png.length).toBeGreaterThan(5000);
    }
    expect(existsSync(join(seed1, 'report-return.png'))).toBe(true);

    const out = join(tempDir(), 'sub', 'all.html');
    const all = await writeReport([root], { out });
    expect(all.path).toBe(out);
    expect(readFileSync(out, 'utf8')).toContain('2 runs in 1 group');
  });

  it('compares groups side by side and notes metrics no run logged', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'ppo-native-1'));
    await writeSyntheticRun(join(dir, 'ppo-native-1'), {
      seed: 1,
      backend: 'native',
      iterations: 10,
      evalEpisodes: 0,
    });
    // A TRPO run on the js backend that logs only return and KL.
    const trpo = join(dir, 'trpo-js-1');
    const logger = new Logger(trpo, { formats: ['jsonl'] });
    for (let i = 1; i <= 10; i++)
      logger.record(i * 1000, { 'rollout/ep_rew_mean': 10 * i, 'train/approx_kl': 0.01 });
    await logger.close();
    writeFileSync(
      join(trpo, 'config.json'),
      JSON.stringify({
        ...JSON.parse(readFileSync(join(dir, 'ppo-native-1', 'config.json'), 'utf8')),
        algorithm: 'TRPO',
        backends: { core: 'js', coreReason: 'addon missing', tf: 'wasm' },
      }),
    );

    const res = await writeReport([dir]);
    const html = readFileSync(res.path, 'utf8');
    expect(html).toContain('2 runs in 2 groups');
    expect(html).toContain('PPO · CartPole-v1 · native');
    expect(html).toContain('TRPO · CartPole-v1 · js');
    expect(html).toContain('js (addon missing)');
    expect(html).toContain('No run has an eval.json.');
    expect(html).not.toContain('eval-summary-table');
    expect(res.charts).not.toContain('eval');
    expect(res.warnings).toEqual([]);

    const only = await writeReport([trpo]);
    expect(only.charts).toEqual(['return', 'approx_kl']);
    const onlyHtml = readFileSync(only.path, 'utf8');
    expect(onlyHtml).toMatch(/id="not-logged">Not logged by any run: .*<code>train\/clip_fraction<\/code>/);
  });

  it('throws without run directories', async () => {
    await expect(writeReport([])).rejects.toThrow(/no run directories/);
    await expect(writeReport([join(tempDir(), 'missing')])).rejects.toThrow(/is not a directory/);
  });
});
