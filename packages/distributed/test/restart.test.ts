import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readLearnerCheckpoint } from '../src/index.js';
import { redisServerMissing, startRedisServer as startRedis } from '../src/redis-server.js';
import { startChild, startWorker } from './processes.js';

const missing = redisServerMissing();
const UPDATES = 6;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.skipIf(missing !== null)('learner killed with SIGKILL and restarted (real redis-server)', () => {
  let server: Awaited<ReturnType<typeof startRedis>>;
  let raw: Redis;
  let dir: string;
  beforeAll(async () => {
    server = await startRedis();
    raw = new Redis(server.url);
    dir = mkdtempSync(join(tmpdir(), 'proximal-restart-'));
  });
  afterAll(() => {
    raw?.disconnect();
    server?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('resumes from its checkpoint, claims the dead learner’s pending batches (XAUTOCLAIM) and trains every batch exactly once', async () => {
    const prefix = 'restart';
    const options = JSON.stringify({
      redis: server.url,
      prefix,
      env: 'CartPole-v1',
      numEnvs: 4,
      workerNumEnvs: 2,
      seed: 2,
      hyperparameters: { nSteps: 16, batchSize: 32, nEpochs: 2 },
      totalTimesteps: UPDATES * 64,
      checkpointDir: dir,
      claimIdleMs: 300,
      redoAfterMs: 1000,
      blockMs: 50,
      tfBackend: 'wasm',
    });
    const first = startChild('learner.mjs', [options]);
    const workers = [startWorker(server.url, prefix, 'w1'), startWorker(server.url, prefix, 'w2')];
    let second: ReturnType<typeof startChild> | null = null;
    try {
      // kill the learner once it has reached version 2 while it holds unacknowledged batches:
      // freeze it (SIGSTOP), look at the group's pending entries, kill it or let it go on
      for (let i = 0; ; i++) {
        if (i > 2000) throw new Error('the learner never reached version 2 with pending batches');
        await sleep(5);
        if (Number((await raw.hget(`${prefix}:stats`, 'version')) ?? 0) < 2) continue;
        first.proc.kill('SIGSTOP');
        const pending = (await raw.xpending(`${prefix}:rollouts`, 'learners')) as [number, ...unknown[]];
        if (pending[0] > 0) break;
        first.proc.kill('SIGCONT');
      }
      first.proc.kill('SIGKILL');
      const killed = await first.done;
      expect(killed.signal).toBe('SIGKILL');
      const [pendingAtKill] = (await raw.xpending(`${prefix}:rollouts`, 'learners')) as [number];
      expect(pendingAtKill).toBeGreaterThan(0);
      const versionAtKill = (await readLearnerCheckpoint(dir))?.state.version ?? 0;
      expect(versionAtKill).toBeGreaterThanOrEqual(2);

      second = startChild('learner.mjs', [options]);
      const end = await second.done;
      expect(end.code, end.stderr).toBe(0);
      expect(JSON.parse(end.stdout).version).toBe(UPDATES);
      for (const w of await Promise.all(workers.map((w) => w.done))) expect(w.code, w.stderr).toBe(0);

      const ckpt = await readLearnerCheckpoint(dir);
      expect(ckpt?.state.version).toBe(UPDATES);
      expect(ckpt?.state.history.map((h) => h.version)).toEqual([1, 2, 3, 4, 5, 6]);
      const ids = ckpt?.state.history.flatMap((h) => h.batchIds) ?? [];
      expect(ids.length).toBe(UPDATES * 2);
      expect(new Set(ids).size).toBe(ids.length);
      const s = Object.fromEntries(
        Object.entries(await raw.hgetall(`${prefix}:stats`)).map(([k, v]) => [k, Number(v)]),
      );
      expect(s.claimed).toBe(pendingAtKill);
      expect(s.trained).toBe(UPDATES * 2);
      expect(s.rejected ?? 0).toBe(0);
      expect(s.sent).toBe(s.trained + (s.stale ?? 0) + (await raw.xlen(`${prefix}:rollouts`)));
    } finally {
      first.proc.kill('SIGKILL');
      second?.proc.kill('SIGKILL');
      for (const w of workers) w.proc.kill('SIGKILL');
    }
  });
});
