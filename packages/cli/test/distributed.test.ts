import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { redisServerMissing, startRedisServer } from '@proximal/distributed';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { proximalIn, startProximal } from './helpers.js';

const missing = redisServerMissing();
const work = mkdtempSync(join(tmpdir(), 'proximal-cli-distributed-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe.skipIf(missing !== null)('proximal train --redis and proximal worker (real redis-server)', () => {
  let server: Awaited<ReturnType<typeof startRedisServer>>;
  beforeAll(async () => {
    server = await startRedisServer();
  });
  afterAll(() => server?.stop());

  it('a learner and a worker train PPO on CartPole-v1; the worker exits when the learner is done', async () => {
    const worker = startProximal(work, ['worker', '--worker-id', 'cli-w'], { REDIS_URL: server.url });
    try {
      const run = join(work, 'run');
      const r = proximalIn(work, [
        ...['train', 'ppo', 'CartPole-v1', '--redis', server.url, '--num-envs', '2', '--n-steps', '16'],
        ...['--batch-size', '32', '--n-epochs', '1', '--timesteps', '64', '--seed', '3', '--out', run],
      ]);
      expect(r.code, r.err).toBe(0);
      expect(r.out).toContain('update 2: 64 steps');
      expect(r.out).toContain('version 2: trained 2 batches, dropped 0 stale, rejected 0');
      expect(existsSync(join(run, 'model', 'proximal.json'))).toBe(true);
      expect(existsSync(join(run, 'learner', 'LATEST'))).toBe(true);
      const config = JSON.parse(readFileSync(join(run, 'config.json'), 'utf8'));
      expect(config.distributed).toMatchObject({ prefix: 'proximal', workerNumEnvs: 2, maxPolicyLag: 0 });
      expect(readFileSync(join(run, 'metrics.jsonl'), 'utf8').trim().split('\n').length).toBe(2);
      const w = await worker.done;
      expect(w.code, w.err).toBe(0);
      expect(w.out).toContain('worker cli-w: sent 2 batches');
    } finally {
      worker.child.kill('SIGKILL');
    }
  });

  it('refuses other algorithms and a missing URL with clear errors', () => {
    const a2c = proximalIn(work, [
      'train',
      'a2c',
      'CartPole-v1',
      '--redis',
      server.url,
      '--out',
      join(work, 'x'),
    ]);
    expect(a2c.code).toBe(1);
    expect(a2c.err).toContain("--redis (distributed training) supports ppo, got 'a2c'");
    const env = { REDIS_URL: '' };
    const w = proximalIn(work, ['worker'], env);
    expect(w.code).toBe(1);
    expect(w.err).toContain('no Redis URL: pass --redis redis://host:port (or rediss://) or set REDIS_URL');
  });
});
