// Link check over the built site: every internal link (pages, assets, #fragments) must resolve.
// It reads the built files directly (no server, no crawl over HTTP), so it takes a second or two
// even on a loaded machine; external links are skipped, so it runs offline.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { Parser } from 'htmlparser2';
import { beforeAll, describe, expect, it } from 'vitest';
import { distDir, requireBuiltSite, resolveFile } from './helpers.js';

/** What one HTML page offers (its fragment ids) and asks for (its links). */
interface Page {
  ids: Set<string>;
  links: string[];
}

/** Attributes that point at another resource, per element. */
const LINK_ATTRS: Record<string, string[]> = {
  a: ['href'],
  link: ['href'],
  script: ['src'],
  img: ['src'],
  source: ['src'],
  iframe: ['src'],
};

function parsePage(html: string): Page {
  const ids = new Set<string>();
  const links: string[] = [];
  const parser = new Parser({
    onopentag(name, attrs) {
      if (attrs.id) ids.add(attrs.id);
      if (name === 'a' && attrs.name) ids.add(attrs.name);
      for (const attr of LINK_ATTRS[name] ?? []) {
        const value = attrs[attr];
        if (value !== undefined) links.push(value);
      }
    },
  });
  parser.write(html);
  parser.end();
  return { ids, links };
}

function htmlFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.html'))
    .map((f) => join(dir, f));
}

/** The site's base path (`DOCS_BASE` at build time, as in .vitepress/config), with a trailing slash. */
const base = (process.env.DOCS_BASE ?? '/').replace(/\/?$/, '/');

/** True for links that leave the site (another scheme or host) or carry no target. */
const isExternal = (link: string) => /^[a-z][a-z0-9+.-]*:/i.test(link) || link.startsWith('//');

describe('built site links', () => {
  beforeAll(requireBuiltSite);

  it('has no broken internal links or fragments', () => {
    const pages = new Map<string, Page>();
    for (const file of htmlFiles(distDir)) pages.set(file, parsePage(readFileSync(file, 'utf8')));
    const pageOf = (file: string) => {
      let page = pages.get(file);
      if (!page) {
        page = parsePage(readFileSync(file, 'utf8'));
        pages.set(file, page);
      }
      return page;
    };

    const resolved = new Map<string, string | null>();
    const resolveCached = (path: string) => {
      if (!resolved.has(path)) resolved.set(path, resolveFile(distDir, path));
      return resolved.get(path) ?? null;
    };
    const broken: string[] = [];
    let checked = 0;
    let apiLinks = 0;
    for (const [file, page] of [...pages]) {
      const pageUrl = `${base}${relative(distDir, file).split('\\').join('/')}`;
      for (const link of page.links) {
        if (link === '' || isExternal(link)) continue;
        checked++;
        const url = new URL(link, `http://site${pageUrl}`);
        if (url.pathname.includes('/api/')) apiLinks++;
        const path = url.pathname.startsWith(base) ? `/${url.pathname.slice(base.length)}` : url.pathname;
        const target = resolveCached(path);
        const from = relative(distDir, file);
        if (!target) {
          broken.push(`${link} (linked from ${from}): no such file`);
          continue;
        }
        const fragment = decodeURIComponent(url.hash.slice(1));
        if (fragment && target.endsWith('.html') && !pageOf(target).ids.has(fragment)) {
          broken.push(`${link} (linked from ${from}): no element with id "${fragment}"`);
        }
      }
    }
    expect(broken, broken.join('\n')).toEqual([]);
    // the check covered the whole site, the API reference included
    expect(pages.size).toBeGreaterThan(50);
    expect(apiLinks).toBeGreaterThan(100);
    expect(checked).toBeGreaterThan(1000);
  });

  it('reports a missing page and a missing fragment', () => {
    // the checker itself must be able to fail: a page linking to nothing and to a bad fragment
    const page = parsePage('<a href="/no-such-page">x</a><h2 id="here">h</h2>');
    expect(page.links).toEqual(['/no-such-page']);
    expect(resolveFile(distDir, '/no-such-page')).toBeNull();
    expect(page.ids.has('here')).toBe(true);
    expect(page.ids.has('elsewhere')).toBe(false);
  });
});
