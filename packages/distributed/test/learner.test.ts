import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  encodeMessage,
  Learner,
  readLearnerCheckpoint,
  rolloutMessage,
  type UpdateInfo,
  Worker,
} from '../src/index.js';
import { redisServerMissing, startRedisServer as startRedis } from '../src/redis-server.js';

const missing = redisServerMissing();

describe.skipIf(missing !== null)('learner with an in-process worker (real redis-server)', () => {
  let server: Awaited<ReturnType<typeof startRedis>>;
  let dir: string;
  beforeAll(async () => {
    server = await startRedis();
    dir = mkdtempSync(join(tmpdir(), 'proximal-learner-'));
  });
  afterAll(() => {
    server?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('rejects and counts malformed, oversized, wrong-schema and future messages, drops stale ones, trains the rest exactly once', async () => {
    const prefix = 'l1';
    const updates: UpdateInfo[] = [];
    let onVersion: ((v: number) => void) | null = null;
    const learner = await Learner.create({
      redis: server.url,
      prefix,
      env: 'CartPole-v1',
      numEnvs: 2,
      seed: 1,
      hyperparameters: { nSteps: 8, batchSize: 16, nEpochs: 1 },
      totalTimesteps: 3 * 16,
      maxMessageBytes: 64 * 1024,
      checkpointDir: dir,
      tfBackend: 'wasm',
      blockMs: 20,
      log: () => {},
      onUpdate: (info) => {
        updates.push(info);
        onVersion?.(info.version);
      },
    });
    const worker = await Worker.create({ redis: server.url, prefix, workerId: 'w', tfBackend: 'wasm' });
    const raw = new Redis(server.url);
    const stream = `${prefix}:rollouts`;
    const nextVersion = () => new Promise<number>((r) => (onVersion = r));
    const running = learner.run();
    try {
      // version 0: bad messages first, then the worker's batch
      await raw.xadd(stream, '*', 'm', Buffer.from('not a message at all'));
      await raw.xadd(stream, '*', 'm', Buffer.alloc(100 * 1024));
      await raw.xadd(stream, '*', 'other', 'field');
      const batch = worker.model.collectRolloutBatch();
      const wrong = { ...batch, observations: new Float32Array(8 * 2 * 5) }; // obsDim 5, not 4
      await raw.xadd(
        stream,
        '*',
        'm',
        encodeMessage(rolloutMessage(wrong, { policyVersion: 0, workerId: 'x', batchId: 'x:1' })),
      );
      await raw.xadd(
        stream,
        '*',
        'm',
        encodeMessage(rolloutMessage(batch, { policyVersion: 7, workerId: 'x', batchId: 'x:2' })),
      );
      let v = nextVersion();
      expect(await worker.runOnce()).toBe('sent');
      expect(await v).toBe(1);
      // a batch of policy version 0 now lags by one version (maxPolicyLag 0): dropped and counted
      await raw.xadd(
        stream,
        '*',
        'm',
        encodeMessage(rolloutMessage(batch, { policyVersion: 0, workerId: 'x', batchId: 'x:3' })),
      );
      v = nextVersion();
      expect(await worker.runOnce()).toBe('sent');
      expect(worker.version).toBe(1);
      expect(await v).toBe(2);
      v = nextVersion();
      expect(await worker.runOnce()).toBe('sent');
      expect(await v).toBe(3);
      const result = await running;
      expect(result.version).toBe(3);
      expect(await worker.runOnce()).toBe('done');
      const s = await learner.stats();
      expect(s).toEqual({
        sent: 3,
        trained: 3,
        stale: 1,
        rejected: 5,
        'rejected:malformed': 2,
        'rejected:oversized': 1,
        'rejected:schema': 1,
        'rejected:future': 1,
        version: 3,
      });
      expect(await raw.xlen(stream)).toBe(0);
      expect(updates.map((u) => u.batchIds.length)).toEqual([1, 1, 1]);
      const ids = updates.flatMap((u) => u.batchIds);
      expect(new Set(ids).size).toBe(3);
      expect(ids.every((id) => id.startsWith('w:'))).toBe(true);
      // the checkpoint records the version and the batches each update trained
      const ckpt = await readLearnerCheckpoint(dir);
      expect(ckpt?.state.version).toBe(3);
      expect(ckpt?.state.history.flatMap((h) => h.batchIds)).toEqual(ids);
      // the published weights are the learner's
      expect(await raw.hget(`${prefix}:weights`, 'version')).toBe('3');
    } finally {
      raw.disconnect();
      await worker.close();
      await learner.close();
    }
  });

  it('refuses bad options naming them', async () => {
    const base = { redis: server.url, env: 'CartPole-v1', numEnvs: 4, totalTimesteps: 100 };
    await expect(Learner.create({ ...base, workerNumEnvs: 3 })).rejects.toThrow(
      'workerNumEnvs = 3 must divide numEnvs = 4',
    );
    await expect(Learner.create({ ...base, maxPolicyLag: -1 })).rejects.toThrow(
      'maxPolicyLag must be an integer ≥ 0, got -1',
    );
    await expect(Learner.create({ ...base, batchsize: 3 } as never)).rejects.toThrow(
      "learner options has an unknown option 'batchsize'",
    );
    await expect(Learner.create({ ...base, redis: 'http://x' })).rejects.toThrow(
      'the Redis URL must start with redis:// or rediss://',
    );
    await expect(Worker.create({ redis: server.url, workerId: 'a b' })).rejects.toThrow(/workerId must be/);
  });
});
