import { type SpawnSyncReturns, spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(fileURLToPath(new URL('../../..', import.meta.url)));
/** The workspace's own pnpm (the devDependency), through its bin shim: pnpm 12 ships a native binary, not a .cjs entry. */
const pnpmBin = join(repoRoot, 'node_modules', '.bin', 'pnpm');

/** npm/pnpm settings worth keeping from the caller's environment (registry, cache, TLS, proxy). */
const KEEP_NPM = new Set([
  'npm_config_registry',
  'npm_config_cache',
  'npm_config_userconfig',
  'npm_config_cafile',
  'npm_config_proxy',
  'npm_config_https_proxy',
  'npm_config_strict_ssl',
]);

/**
 * The environment of the child processes: without the npm_* variables that `pnpm run`/`npm run`
 * inject for the workspace (they would leak workspace settings into the temp projects), and without
 * PROXIMAL_* (each scenario sets what it tests), and without NODE_PATH.
 */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    const lower = k.toLowerCase();
    if (lower.startsWith('npm_') && !KEEP_NPM.has(lower)) continue;
    if (k.startsWith('PROXIMAL_') || k.startsWith('PNPM_') || k === 'INIT_CWD') continue;
    // pnpm's bin shims (node_modules/.bin/vitest) export NODE_PATH pointing into the workspace's
    // node_modules/.pnpm, which would let the temp projects resolve workspace packages
    if (k === 'NODE_PATH') continue;
    env[k] = v;
  }
  return { ...env, NO_UPDATE_NOTIFIER: '1', ...extra };
}

export interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

export function run(
  command: string,
  args: string[],
  cwd: string,
  options: { env?: Record<string, string>; timeoutMs?: number } = {},
): Run {
  const t0 = performance.now();
  const r: SpawnSyncReturns<string> = spawnSync(command, args, {
    cwd,
    encoding: 'utf8',
    env: cleanEnv(options.env),
    timeout: options.timeoutMs ?? 240_000,
    maxBuffer: 64 << 20,
  });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, ms: performance.now() - t0 };
}

/** Throws with the command's output when it failed. */
export function check(r: Run, what: string): Run {
  if (r.status !== 0) {
    throw new Error(`${what} exited with ${r.status}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`);
  }
  return r;
}

export interface PublicPackage {
  name: string;
  version: string;
  dir: string;
}

/** The workspace packages that get published (packages/* and native, minus private ones). */
export function publicPackages(): PublicPackage[] {
  const dirs = [
    ...readdirSync(join(repoRoot, 'packages')).map((d) => join(repoRoot, 'packages', d)),
    join(repoRoot, 'native'),
  ];
  const out: PublicPackage[] = [];
  for (const dir of dirs) {
    let pkg: { name: string; version: string; private?: boolean };
    try {
      pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    } catch {
      continue;
    }
    if (!pkg.private) out.push({ name: pkg.name, version: pkg.version, dir });
  }
  return out;
}

/** `pnpm pack` of one package into `dest`; returns the tarball's path. */
export function pack(p: PublicPackage, dest: string): string {
  const r = check(
    run(pnpmBin, ['pack', '--pack-destination', dest], p.dir, { timeoutMs: 120_000 }),
    `pnpm pack (${p.name})`,
  );
  const tgz = r.stdout
    .split('\n')
    .map((l) => l.trim())
    .reverse()
    .find((l) => l.endsWith('.tgz'));
  if (!tgz) throw new Error(`pnpm pack (${p.name}) printed no tarball path:\n${r.stdout}`);
  return resolve(dest, tgz);
}

/** A fresh npm project in `dir` (ESM). */
export function createProject(dir: string): string {
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'package.json'),
    `${JSON.stringify({ name: 'pack-consumer', version: '1.0.0', private: true, type: 'module' }, null, 2)}\n`,
  );
  return dir;
}

/** `npm install --no-audit --no-fund <specs>` in `dir`, in one command. */
export function npmInstall(
  dir: string,
  specs: string[],
  extraArgs: string[] = [],
  env: Record<string, string> = {},
): Run {
  return check(
    run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', ...extraArgs, ...specs], dir, {
      env,
      timeoutMs: 280_000,
    }),
    `npm install ${specs.map((s) => s.split('/').pop()).join(' ')}`,
  );
}

/** Runs an ES module in the project and parses the JSON it prints on its last stdout line. */
export function runModule<T>(dir: string, file: string, code: string, env: Record<string, string> = {}): T {
  writeFileSync(join(dir, file), code);
  const r = check(run(process.execPath, [file], dir, { env, timeoutMs: 240_000 }), `node ${file}`);
  const last = r.stdout.trim().split('\n').pop() ?? '';
  try {
    return JSON.parse(last) as T;
  } catch {
    throw new Error(`node ${file} did not print JSON last:\n${r.stdout}\n${r.stderr}`);
  }
}
