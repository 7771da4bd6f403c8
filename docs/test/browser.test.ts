// Opens the built site in headless Chromium and checks that pages render without console errors.
// Skipped (with the reason printed) when Chromium is not installed.
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { distDir, requireBuiltSite, serveStatic } from './helpers.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.log(`docs browser test skipped: no Chromium at ${CHROMIUM} (set CHROMIUM_PATH)`);

const PAGES = [
  { path: '/', text: 'Policy optimization for TypeScript' },
  { path: '/api/@proximal/core/functions/gae.html', text: 'gae' },
  { path: '/concepts/gae.html', text: 'Generalized advantage estimation' },
  { path: '/benchmarks/', text: 'Benchmark results' },
];

describe.skipIf(!hasChromium)('built site in Chromium', () => {
  let server: Awaited<ReturnType<typeof serveStatic>>;
  let browser: import('playwright-core').Browser;

  beforeAll(async () => {
    requireBuiltSite();
    server = await serveStatic(distDir);
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  for (const { path, text } of PAGES) {
    it(`renders ${path} without console errors`, async () => {
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'error') errors.push(`console: ${m.text()} (${m.location().url})`);
      });
      page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
      page.on('requestfailed', (r) => errors.push(`request failed: ${r.url()} ${r.failure()?.errorText}`));
      page.on('response', (r) => {
        if (r.status() >= 400) errors.push(`HTTP ${r.status()}: ${r.url()}`);
      });
      const response = await page.goto(server.url + path, { waitUntil: 'load' });
      expect(response?.status()).toBe(200);
      await page.waitForLoadState('networkidle');
      // hydration done: the VitePress app mounted and the navigation works
      const heading = await page.locator('h1').first().textContent();
      expect(heading ?? '').toContain(text);
      expect(await page.locator('.VPNav').count()).toBeGreaterThan(0);
      await page.close();
      expect(errors).toEqual([]);
    });
  }
});
