import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';

/**
 * Why a private redis-server cannot be started here (null when `redis-server` is on PATH): tests
 * skip with this reason, printed once.
 */
export function redisServerMissing(): string | null {
  const r = spawnSync('redis-server', ['--version'], { encoding: 'utf8' });
  if (r.error || r.status !== 0) {
    const reason = 'redis-server is not installed (apt-get install redis-server); skipping the Redis tests';
    console.warn(reason);
    return reason;
  }
  return null;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/**
 * Starts a private `redis-server` on a free loopback port, without persistence (for tests and
 * local experiments); `stop` kills it.
 * @param extra further redis-server arguments (e.g. ['--requirepass', 'secret']).
 * @throws Error when redis-server is not installed or exits before it is ready.
 */
export async function startRedisServer(
  extra: string[] = [],
): Promise<{ url: string; port: number; stop: () => void }> {
  const port = await freePort();
  const proc: ChildProcess = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', ...extra],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  await new Promise<void>((resolve, reject) => {
    let out = '';
    const onData = (d: Buffer) => {
      out += d.toString();
      if (out.includes('Ready to accept connections')) resolve();
    };
    proc.stdout?.on('data', onData);
    proc.once('error', (e) => reject(new Error(`cannot start redis-server: ${e.message}`)));
    proc.once('error', (e) => reject(new Error(`cannot start redis-server: ${e.message}`)));
    proc.once('exit', (code) => reject(new Error(`redis-server exited with ${code}: ${out}`)));
  });
  return { url: `redis://127.0.0.1:${port}`, port, stop: () => proc.kill('SIGKILL') };
}
