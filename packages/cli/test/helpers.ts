import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** The built CLI. */
export const bin = fileURLToPath(new URL('../dist/bin.js', import.meta.url));

/** Runs the CLI to completion in `cwd`. */
export function proximalIn(cwd: string, args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [bin, ...args], {
    cwd,
    encoding: 'utf8',
    timeout: 240_000,
    env: { ...process.env, ...env },
  });
  return { code: r.status, signal: r.signal, out: r.stdout, err: r.stderr };
}

/** Starts the CLI without waiting; `done` resolves with its exit code and output. */
export function startProximal(cwd: string, args: string[], env: Record<string, string> = {}) {
  const child = spawn(process.execPath, [bin, ...args], { cwd, env: { ...process.env, ...env } });
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => {
    out += d;
  });
  child.stderr.on('data', (d) => {
    err += d;
  });
  const done = new Promise<{ code: number | null; signal: string | null; out: string; err: string }>(
    (res) => {
      child.on('close', (code, signal) => res({ code, signal, out, err }));
    },
  );
  return { child, done };
}

/** Resolves once `path` exists (polling; the test's timeout bounds the wait). */
export async function waitForFile(path: string): Promise<void> {
  while (!existsSync(path)) await new Promise((r) => setTimeout(r, 20));
}

/**
 * Resolves once process `pid` has no SIGINT pending (its handler ran), read from /proc on Linux.
 */
export async function waitSigintDelivered(pid: number): Promise<void> {
  const pending = () => {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    return ['SigPnd', 'ShdPnd'].some((k) => {
      const m = new RegExp(`^${k}:\\s*([0-9a-f]+)`, 'm').exec(status);
      return m !== null && (BigInt(`0x${m[1]}`) & 2n) !== 0n;
    });
  };
  while (pending()) await new Promise((r) => setTimeout(r, 10));
}

/**
 * Writes `<dir>/gate-env.mjs`, which registers `GateChain-v0`: a deterministic 16-step chain with
 * 2 actions. With GATE_AT and GATE_DIR set, its GATE_AT-th step writes `<GATE_DIR>/ready` (the
 * process id) and blocks, as a slow env step would, until `<GATE_DIR>/go` exists: a test can
 * send signals while training is surely in progress.
 */
export function writeGateEnv(dir: string): string {
  // the same module instance as the CLI's @proximal/envs (the workspace package, by real path)
  const envs = pathToFileURL(
    realpathSync(fileURLToPath(new URL('../../envs/dist/index.js', import.meta.url))),
  );
  const path = join(dir, 'gate-env.mjs');
  writeFileSync(
    path,
    `import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BaseEnv, Box, Discrete, register } from '${envs.href}';

const gateAt = Number(process.env.GATE_AT ?? 0);
const gateDir = process.env.GATE_DIR;
const sleeper = new Int32Array(new SharedArrayBuffer(4));
let steps = 0;

class GateChain extends BaseEnv {
  observationSpace = new Box(-100, 100, [2]);
  actionSpace = new Discrete(2);
  metadata = { renderModes: [] };
  t = 0;
  reset() {
    this.t = 0;
    return { observation: Float32Array.from([0, 0]), info: {} };
  }
  step(action) {
    steps++;
    if (gateDir && steps === gateAt) {
      writeFileSync(join(gateDir, 'ready'), String(process.pid));
      while (!existsSync(join(gateDir, 'go'))) Atomics.wait(sleeper, 0, 0, 10);
    }
    this.t++;
    return {
      observation: Float32Array.from([this.t / 16, action]),
      reward: action === this.t % 2 ? 1 : 0,
      terminated: this.t >= 16,
      truncated: false,
      info: {},
    };
  }
}
register({ id: 'GateChain-v0', entryPoint: () => new GateChain(), rewardThreshold: 16 });
`,
  );
  return path;
}

/** Rows of a run's metrics.jsonl. */
export function metrics(runDir: string): Record<string, number>[] {
  return readFileSync(join(runDir, 'metrics.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
}
