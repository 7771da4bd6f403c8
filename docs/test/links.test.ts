// Link check over the built site: every internal link (pages, assets, #fragments) must resolve.
// External links are skipped, so the check runs offline.
import { LinkChecker, LinkState } from 'linkinator';
import { beforeAll, describe, expect, it } from 'vitest';
import { distDir, requireBuiltSite } from './helpers.js';

const isLocal = (url: string) => /^https?:\/\/(localhost|127\.0\.0\.1)(:\d+)?(\/|$)/.test(url);

describe('built site links', () => {
  beforeAll(requireBuiltSite);

  it('has no broken internal links or fragments', async () => {
    const checker = new LinkChecker();
    const result = await checker.check({
      path: distDir,
      recurse: true,
      checkFragments: true,
      // modest concurrency: the runner has 2 cores shared with other test processes
      concurrency: 8,
      timeout: 30_000,
      retryErrors: true,
      retryErrorsCount: 3,
      retryErrorsJitter: 500,
      linksToSkip: async (link) => !isLocal(link),
    });
    const checked = result.links.filter((l) => l.state !== LinkState.SKIPPED);
    const broken = result.links
      .filter((l) => l.state === LinkState.BROKEN)
      .map((l) => `${l.status ?? '?'} ${l.url} (linked from ${l.parent ?? '?'})`);
    expect(broken, broken.join('\n')).toEqual([]);
    // the crawl reached the API reference, not just the home page
    expect(checked.some((l) => l.url.includes('/api/'))).toBe(true);
    expect(checked.length).toBeGreaterThan(100);
  });
});
