import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, redactUrl, redisUrl } from '../src/index.js';
import { redisServerMissing, startRedisServer } from '../src/redis-server.js';

const missing = redisServerMissing();

describe('Redis URLs', () => {
  it('takes redis:// and rediss:// URLs, or REDIS_URL; redacts passwords', () => {
    expect(redisUrl('rediss://u:p@host:6380/0')).toBe('rediss://u:p@host:6380/0');
    const saved = process.env.REDIS_URL;
    try {
      process.env.REDIS_URL = 'redis://from-env:6379';
      expect(redisUrl()).toBe('redis://from-env:6379');
      delete process.env.REDIS_URL;
      expect(() => redisUrl()).toThrow(
        'no Redis URL: pass --redis redis://host:port (or rediss://) or set REDIS_URL',
      );
    } finally {
      if (saved === undefined) delete process.env.REDIS_URL;
      else process.env.REDIS_URL = saved;
    }
    expect(() => redisUrl('http://u:secret@x')).toThrow('got "http://u:***@x"');
    expect(redactUrl('redis://alice:s3cret@h:1')).toBe('redis://alice:***@h:1');
  });
});

describe.skipIf(missing !== null)('AUTH with an ACL user (real redis-server)', () => {
  let server: Awaited<ReturnType<typeof startRedisServer>>;
  beforeAll(async () => {
    server = await startRedisServer([
      '--user',
      'alice',
      'on',
      '>pw',
      '~*',
      '&*',
      '+@all',
      '--user',
      'default',
      'off',
    ]);
  });
  afterAll(() => server?.stop());

  it('connects as the URL’s user; a wrong password is a clear error without the password', async () => {
    const ok = await connect(`redis://alice:pw@127.0.0.1:${server.port}`);
    expect(await ok.ping()).toBe('PONG');
    ok.disconnect();
    const bad = connect(`redis://alice:sekrit9@127.0.0.1:${server.port}`);
    await expect(bad).rejects.toThrow(
      `cannot connect to Redis at redis://alice:***@127.0.0.1:${server.port}`,
    );
    await expect(bad).rejects.not.toThrow('sekrit9');
  });
});
