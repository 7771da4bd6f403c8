import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { defaultAddonPath, loadNative } from '../index.js';
import { addon, load, requireNative, skipNative } from './helpers.js';

const nativeDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Runs loadNative() in a fresh process with extra environment variables. */
function loadInChild(env: Record<string, string>): { addon: boolean; error: string | null; path: string } {
  const script =
    "const r = require('./loader.cjs').loadNative(); process.stdout.write(JSON.stringify({ addon: r.addon !== null, error: r.error, path: r.path }));";
  const out = execFileSync(process.execPath, ['-e', script], {
    cwd: nativeDir,
    env: { ...process.env, PROXIMAL_DISABLE_NATIVE: '', PROXIMAL_NATIVE_PATH: '', ...env },
    encoding: 'utf8',
  });
  return JSON.parse(out);
}

describe('loader', () => {
  it('loads the addon (or skips with the reason; fails with PROXIMAL_REQUIRE_NATIVE=1)', (ctx) => {
    if (load.addon === null) {
      expect(load.error).toEqual(expect.any(String));
      if (requireNative)
        throw new Error(`PROXIMAL_REQUIRE_NATIVE=1 but the addon did not load: ${load.error}`);
      ctx.skip();
    }
    expect(load.error).toBeNull();
    expect(typeof load.addon?.gae).toBe('function');
    expect(typeof load.addon?.gaeAsync).toBe('function');
    expect(typeof load.addon?.version).toBe('function');
  });

  it('caches the result and shares it between ESM and CommonJS', () => {
    const require = createRequire(import.meta.url);
    const cjs = require('../loader.cjs') as { loadNative: typeof loadNative };
    expect(loadNative()).toBe(load);
    expect(cjs.loadNative()).toBe(load);
    expect(path.isAbsolute(defaultAddonPath)).toBe(true);
    expect(defaultAddonPath.endsWith(path.join('build', 'Release', 'proximal_native.node'))).toBe(true);
  });

  it('is disabled by PROXIMAL_DISABLE_NATIVE=1', () => {
    const r = loadInChild({ PROXIMAL_DISABLE_NATIVE: '1' });
    expect(r).toEqual({
      addon: false,
      error: 'disabled by PROXIMAL_DISABLE_NATIVE=1',
      path: defaultAddonPath,
    });
  });

  it('reports a missing PROXIMAL_NATIVE_PATH without throwing', () => {
    const missing = path.join(nativeDir, 'build', 'does-not-exist.node');
    const r = loadInChild({ PROXIMAL_NATIVE_PATH: missing });
    expect(r.addon).toBe(false);
    expect(r.path).toBe(missing);
    expect(r.error).toContain('does not exist');
  });

  it('reports a file that is not a native addon without throwing', () => {
    const r = loadInChild({ PROXIMAL_NATIVE_PATH: path.join(nativeDir, 'index.d.ts') });
    expect(r.addon).toBe(false);
    expect(r.error).toMatch(/failed to load|does not export/);
    expect(r.error).toContain('pnpm --filter @proximal/native build');
  });

  it.skipIf(skipNative)('loads from PROXIMAL_NATIVE_PATH', () => {
    const r = loadInChild({ PROXIMAL_NATIVE_PATH: load.path });
    expect(r).toEqual({ addon: true, error: null, path: load.path });
  });
});

describe.skipIf(skipNative)('version()', () => {
  it('describes the build', () => {
    const v = addon().version();
    expect(v.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(v.napiVersion).toBe(8);
    expect(v.runtimeNapiVersion).toBeGreaterThanOrEqual(8);
    expect(v.compiler).toEqual(expect.any(String));
    expect(Number.isInteger(v.threads) && v.threads >= 1).toBe(true);
    expect(v.cuda).toBe(false);
    expect(['avx512', 'avx2', 'sse2', 'neon', 'scalar']).toContain(v.simd);
    expect(v.kernels).toContain('gae');
    expect(v.kernels).toContain('gaeAsync');
  });
});
