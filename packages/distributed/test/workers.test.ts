import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Learner, type LearnerOptions, type UpdateInfo } from '../src/index.js';
import { redisServerMissing, startRedisServer as startRedis } from '../src/redis-server.js';
import { type Child, startWorker } from './processes.js';

const missing = redisServerMissing();

const UPDATES = 4;
const options = (url: string, prefix: string): LearnerOptions => ({
  redis: url,
  prefix,
  env: 'CartPole-v1',
  numEnvs: 4,
  workerNumEnvs: 2,
  seed: 1,
  hyperparameters: { nSteps: 16, batchSize: 32, nEpochs: 2 },
  totalTimesteps: UPDATES * 64,
  tfBackend: 'wasm',
  blockMs: 50,
  redoAfterMs: 1000,
  log: () => {},
});

/** Every appended entry is trained, dropped as stale, rejected, or still in the stream. */
async function expectExactAccounting(raw: Redis, prefix: string) {
  const s = Object.fromEntries(
    Object.entries(await raw.hgetall(`${prefix}:stats`)).map(([k, v]) => [k, Number(v)]),
  );
  const left = await raw.xlen(`${prefix}:rollouts`);
  expect(s.trained).toBe(UPDATES * 2);
  expect(s.rejected ?? 0).toBe(0);
  expect(s.sent).toBe(s.trained + (s.stale ?? 0) + left);
  return s;
}

describe.skipIf(missing !== null)('PPO learner + 2 worker processes (real redis-server)', () => {
  let server: Awaited<ReturnType<typeof startRedis>>;
  let raw: Redis;
  beforeAll(async () => {
    server = await startRedis();
    raw = new Redis(server.url);
  });
  afterAll(() => {
    raw?.disconnect();
    server?.stop();
  });

  it('trains CartPole-v1 for 4 updates; every batch trained exactly once, exact counts', async () => {
    const prefix = 'run1';
    const updates: UpdateInfo[] = [];
    const learner = await Learner.create({
      ...options(server.url, prefix),
      onUpdate: (u) => void updates.push(u),
    });
    const workers = [startWorker(server.url, prefix, 'w1'), startWorker(server.url, prefix, 'w2')];
    try {
      const result = await learner.run();
      expect(result.version).toBe(UPDATES);
      const exits = await Promise.all(workers.map((w) => w.done));
      for (const e of exits) expect(e.code, e.stderr).toBe(0);
      const sent = exits.map((e) => JSON.parse(e.stdout).sent as number);
      const s = await expectExactAccounting(raw, prefix);
      expect(sent[0] + sent[1]).toBe(s.sent);
      const ids = updates.flatMap((u) => u.batchIds);
      expect(ids.length).toBe(UPDATES * 2);
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids.every((id) => /^w[12]:/.test(id))).toBe(true);
      expect(updates.every((u) => Number.isFinite(u.metrics['train/loss']))).toBe(true);
    } finally {
      for (const w of workers) w.proc.kill('SIGKILL');
      await learner.close();
    }
  });

  it('a worker killed with SIGKILL mid-run loses nothing: the other worker fills the updates, exact counts', async () => {
    const prefix = 'run2';
    const updates: UpdateInfo[] = [];
    let workers: Child[] = [];
    const learner = await Learner.create({
      ...options(server.url, prefix),
      onUpdate: (u) => {
        updates.push(u);
        if (u.version === 1) workers[0].proc.kill('SIGKILL');
      },
    });
    workers = [startWorker(server.url, prefix, 'w1'), startWorker(server.url, prefix, 'w2')];
    try {
      const result = await learner.run();
      expect(result.version).toBe(UPDATES);
      const [killed, survivor] = await Promise.all(workers.map((w) => w.done));
      expect(killed.signal).toBe('SIGKILL');
      expect(survivor.code, survivor.stderr).toBe(0);
      await expectExactAccounting(raw, prefix);
      const ids = updates.flatMap((u) => u.batchIds);
      expect(new Set(ids).size).toBe(UPDATES * 2);
      // updates 3 and 4 train on batches of versions ≥ 2, published after w1 died: all w2's
      expect(
        updates
          .slice(2)
          .flatMap((u) => u.batchIds)
          .every((id) => id.startsWith('w2:')),
      ).toBe(true);
    } finally {
      for (const w of workers) w.proc.kill('SIGKILL');
      await learner.close();
    }
  });
});
