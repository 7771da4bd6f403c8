import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderBenchmarkReport, resolveBenchmarkResults } from '../src/index.js';
import { SAMPLE_BENCH, tempDir } from './helpers.js';

describe('resolveBenchmarkResults', () => {
  it('computes missing ratios from the baseline row and warns when it is absent', () => {
    const { results, warnings } = resolveBenchmarkResults([...SAMPLE_BENCH.results, { kernel: 'bad' }]);
    const get = (k: string, s: string, b: string) =>
      results.find((r) => r.kernel === k && r.size === s && r.backend === b)!;
    expect(get('gae', '128x8', 'native').ratio).toBeCloseTo(5, 12);
    expect(get('gae', '128x8', 'js')).toMatchObject({ baseline: 'js', ratio: 1 }); // baseline named by another row
    expect(get('gae', '1024x8192', 'native').ratio).toBeCloseTo(16.9 / 4.2, 12);
    expect(get('gae', '1024x8192', 'native-mt').ratio).toBe(14.1); // given ratio kept
    expect(get('surrogate', '65536', 'cuda').ratio).toBeNaN();
    expect(warnings).toEqual([
      'results[8]: needs string kernel, size, backend and numeric medianMs; skipped',
      "surrogate 65536 cuda: baseline 'gpu-ref' has no result; ratio unknown",
    ]);
  });
});

describe('renderBenchmarkReport', () => {
  it('renders tables and ratio bar charts from a JSON file', async () => {
    const dir = tempDir();
    const json = join(dir, 'kernels.json');
    writeFileSync(json, JSON.stringify(SAMPLE_BENCH));
    const res = await renderBenchmarkReport(json);
    expect(res.path).toBe(join(dir, 'kernels.html'));
    expect(res.charts).toEqual(['ratio-gae', 'ratio-surrogate']);
    const html = readFileSync(res.path, 'utf8');
    expect(html).toContain('<th>native-mt median (speed-up)</th>');
    expect(html).toContain('1.2 ms <span class="ratio">(14.1×)</span>');
    expect(html).toContain('4.2 ms <span class="ratio">(4.02×)</span>');
    expect(html).toContain('0.1 ms <span class="ratio">(n/a)</span>');
    expect(html).toContain('Synthetic CPU');
    expect(html).toContain('baseline &#39;gpu-ref&#39; has no result');
    expect(html).not.toMatch(/<script|<link|src=/i);
    const svgs = html.match(/<svg[\s\S]*?<\/svg>/g)!;
    expect(svgs).toHaveLength(2);
    for (const s of svgs) expect(s).toMatch(/<path/);
  });

  it('draws every bar on a log scale when the ratios span more than 30x', async () => {
    const results = [
      { kernel: 'gae', size: '2048x8', backend: 'js', medianMs: 0.25 },
      { kernel: 'gae', size: '2048x8', backend: 'native', medianMs: 0.025, baseline: 'js' },
      { kernel: 'gae', size: '2048x8', backend: 'tfjs-wasm', medianMs: 300, baseline: 'js' },
    ];
    const res = await renderBenchmarkReport(results, { out: join(tempDir(), 'log.html') });
    const html = readFileSync(res.path, 'utf8');
    expect(html).toContain('log scale');
    // one bar per row, each with a height (a stacked log-scale bar chart drew none)
    const bars = [...html.matchAll(/<path aria-label="[^"]*"[^>]*d="M[^"]*"/g)].map((m) => m[0]);
    expect(bars).toHaveLength(3);
    for (const bar of bars) expect(bar).not.toMatch(/v0h|h0v|NaN/);
  });

  it('accepts results in memory and an explicit output with PNGs', async () => {
    const out = join(tempDir(), 'bench.html');
    const res = await renderBenchmarkReport(SAMPLE_BENCH.results, { out, png: true, title: 'Kernels' });
    expect(res.path).toBe(out);
    expect(res.pngPaths.map((p) => p.slice(out.length - 10))).toEqual([
      'bench-ratio-gae.png',
      'bench-ratio-surrogate.png',
    ]);
    expect(readFileSync(out, 'utf8')).toContain('<h1>Kernels</h1>');
    await expect(renderBenchmarkReport(join(tempDir(), 'missing.json'))).rejects.toThrow(/ENOENT/);
  });
});
