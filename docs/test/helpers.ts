import { existsSync, readFileSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const docsDir = resolve(fileURLToPath(new URL('..', import.meta.url)));
export const distDir = join(docsDir, '.vitepress', 'dist');

/** Throws a helpful error when the site has not been built. */
export function requireBuiltSite(): void {
  if (!existsSync(join(distDir, 'index.html')) || !existsSync(join(distDir, 'api', 'index.html'))) {
    throw new Error(
      `the docs site is not built (${distDir} has no index.html or api/index.html); run \`pnpm run docs:build\` first`,
    );
  }
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
};

/** Resolves a URL path inside `root` as a static host would (index.html, then `.html` clean URLs). */
export function resolveFile(root: string, urlPath: string): string | null {
  const rel = normalize(decodeURIComponent(urlPath.split('?')[0].split('#')[0]));
  const file = join(root, rel);
  if (!file.startsWith(root)) return null;
  for (const candidate of [file, join(file, 'index.html'), `${file}.html`]) {
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  }
  return null;
}

/** A minimal static file server for the built site, on 127.0.0.1 and a free port. */
export async function serveStatic(root: string): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    const file = resolveFile(root, req.url ?? '/');
    if (!file) {
      res.writeHead(404, { 'content-type': 'text/html; charset=utf-8' });
      res.end(readFileSync(join(root, '404.html')));
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
    res.end(readFileSync(file));
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((done) => server.close(() => done())),
  };
}
