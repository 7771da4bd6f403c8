import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

// A child process with a broken addon path: core must fall back to TypeScript and say why.
const script = `
import { backendInfo, gae } from '@proximal/core';
const info = backendInfo();
const args = { rewards: new Float32Array([1, 1]), values: new Float32Array([0, 0]), bootstrapValues: new Float32Array([0]),
  terminated: new Uint8Array([0, 0]), numEnvs: 1, gamma: 1, lambda: 1 };
let nativeError = null;
try { gae(args, { backend: 'native' }); } catch (e) { nativeError = e.message; }
console.log(JSON.stringify({ available: info.native.available, reason: info.native.reason, auto: info.auto,
  advantages: Array.from(gae(args).advantages), nativeError }));
`;

describe('fallback when the native addon cannot load', () => {
  it('auto uses the TypeScript kernels and backendInfo/explicit requests carry the reason', () => {
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      cwd: new URL('..', import.meta.url).pathname,
      encoding: 'utf8',
      env: {
        ...process.env,
        PROXIMAL_NATIVE_PATH: '/nonexistent/proximal_native.node',
        PROXIMAL_REQUIRE_NATIVE: '',
      },
    });
    expect(r.stderr).toBe('');
    const out = JSON.parse(r.stdout);
    expect(out.available).toBe(false);
    expect(out.reason).toMatch(/nonexistent/);
    expect(out.auto).toBe('js');
    expect(out.advantages).toEqual([2, 1]);
    expect(out.nativeError).toMatch(/backend 'native' is not available: .*nonexistent/);
  });
});
