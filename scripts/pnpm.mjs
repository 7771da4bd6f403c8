// Runs the pinned pnpm (from package.json's packageManager) through npx, so a fresh machine
// with only Node and npm needs no global install.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const root = new URL('..', import.meta.url);
const pm = JSON.parse(readFileSync(new URL('package.json', root), 'utf8')).packageManager;

/** Runs `pnpm <args>` in the repo root; returns the exit status. */
export function pnpm(args, env = {}) {
  const r = spawnSync('npx', ['-y', pm, ...args], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, ...env },
  });
  if (r.error) throw r.error;
  return r.status ?? 1;
}
