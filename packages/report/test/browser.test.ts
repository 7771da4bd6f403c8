/**
 * Opens generated reports in headless Chromium (Debian's `chromium` package at /usr/bin/chromium:
 * `apt-get update && apt-get install -y chromium`) and checks they render without errors or network
 * requests. Skipped, with the reason printed, when Chromium is not installed.
 */
import { appendFileSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderBenchmarkReport, writeReport } from '../src/index.js';
import { SAMPLE_BENCH, tempDir, writeSyntheticRun } from './helpers.js';

const CHROMIUM = '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
const OUTPUT = fileURLToPath(new URL('../test-output/', import.meta.url));

if (!hasChromium) {
  console.log(
    `[report browser test] skipped: ${CHROMIUM} not found (install with: apt-get update && apt-get install -y chromium)`,
  );
}

async function openAndCheck(browser: Browser, htmlPath: string, screenshot: string) {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  const errors: string[] = [];
  const requests: string[] = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error' || msg.type() === 'warning')
      errors.push(`console.${msg.type()}: ${msg.text()}`);
  });
  page.on('pageerror', (err) => errors.push(`pageerror: ${err.message}`));
  page.on('request', (req) => {
    if (!req.url().startsWith('file://') && !req.url().startsWith('data:')) requests.push(req.url());
  });
  await page.goto(pathToFileURL(htmlPath).href, { waitUntil: 'load' });
  const charts = await page.$$eval('figure.chart', (figs) =>
    figs.map((f) => {
      const svg = f.querySelector('svg');
      const box = svg?.getBoundingClientRect();
      return {
        name: f.getAttribute('data-chart'),
        hasSvg: !!svg,
        paths: svg ? svg.querySelectorAll('path').length : 0,
        nonEmptyPaths: svg
          ? [...svg.querySelectorAll('path')].filter((p) => (p.getAttribute('d') ?? '').length > 20).length
          : 0,
        width: box?.width ?? 0,
        height: box?.height ?? 0,
      };
    }),
  );
  mkdirSync(OUTPUT, { recursive: true });
  await page.screenshot({ path: join(OUTPUT, screenshot), fullPage: true });
  const text = (await page.textContent('body')) ?? '';
  await page.close();
  return { errors, requests, charts, text };
}

describe.skipIf(!hasChromium)('report in headless Chromium', () => {
  let browser: Browser;

  beforeAll(async () => {
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('renders a two-seed training report with every chart and no errors', async () => {
    const root = tempDir();
    for (const [seed, steps] of [
      [1, 2048],
      [2, 1536],
    ]) {
      const dir = join(root, `ppo-cartpole-s${seed}`);
      mkdirSync(dir);
      await writeSyntheticRun(dir, { seed, stepsPerIteration: steps, iterations: 45 });
    }
    appendFileSync(
      join(root, 'ppo-cartpole-s2', 'metrics.jsonl'),
      '{"time/total_timesteps": 70000, "rollout/ep_r',
    );
    const res = await writeReport([root], {
      out: join(root, 'report.html'),
      title: 'PPO CartPole-v1, two seeds',
    });
    const { errors, requests, charts, text } = await openAndCheck(browser, res.path, 'report.png');

    expect(errors).toEqual([]);
    expect(requests).toEqual([]);
    expect(charts.map((c) => c.name)).toEqual(res.charts);
    expect(charts.length).toBeGreaterThanOrEqual(11);
    for (const c of charts) {
      expect(c.hasSvg, c.name ?? '').toBe(true);
      expect(c.nonEmptyPaths, c.name ?? '').toBeGreaterThan(0);
      expect(c.width, c.name ?? '').toBeGreaterThan(200);
      expect(c.height, c.name ?? '').toBeGreaterThan(60);
    }
    expect(text).toContain('metrics.jsonl line 46');
    expect(text).toContain('Hyperparameters');
    expect(text).toContain('Machine and backends');
  });

  it('renders the benchmark report', async () => {
    const res = await renderBenchmarkReport(SAMPLE_BENCH, { out: join(tempDir(), 'bench.html') });
    const { errors, requests, charts } = await openAndCheck(browser, res.path, 'benchmark.png');
    expect(errors).toEqual([]);
    expect(requests).toEqual([]);
    expect(charts).toHaveLength(2);
    for (const c of charts) expect(c.paths).toBeGreaterThan(0);
  });
});
