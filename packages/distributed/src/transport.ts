import { Redis } from 'ioredis';

/**
 * The Redis keys of one run, all under a prefix (default 'proximal'):
 * `<prefix>:config` (JSON the learner writes for workers), `<prefix>:weights` (hash: `version`,
 * `blob`), `<prefix>:rollouts` (the stream workers append to; consumer group `learners`),
 * `<prefix>:stats` (hash of exact counters), `<prefix>:status` ('running' | 'done') and
 * `<prefix>:tasks` (a list of rollout requests: one entry per batch the current update needs).
 */
export interface Keys {
  config: string;
  weights: string;
  rollouts: string;
  stats: string;
  status: string;
  tasks: string;
}

/** The consumer group of the rollout stream. */
export const GROUP = 'learners';

/** The keys of a run (see {@link Keys}). */
export function keys(prefix = 'proximal'): Keys {
  if (typeof prefix !== 'string' || prefix.length === 0 || /\s/.test(prefix)) {
    throw new RangeError(`prefix must be a non-empty string without spaces, got ${JSON.stringify(prefix)}`);
  }
  return {
    config: `${prefix}:config`,
    weights: `${prefix}:weights`,
    rollouts: `${prefix}:rollouts`,
    stats: `${prefix}:stats`,
    status: `${prefix}:status`,
    tasks: `${prefix}:tasks`,
  };
}

/**
 * The Redis URL from an explicit value or the `REDIS_URL` environment variable.
 * @throws RangeError when neither is set or the URL's scheme is not redis:// or rediss://.
 */
export function redisUrl(url?: string): string {
  const u = url ?? process.env.REDIS_URL;
  if (!u)
    throw new RangeError('no Redis URL: pass --redis redis://host:port (or rediss://) or set REDIS_URL');
  if (!/^rediss?:\/\//.test(u)) {
    throw new RangeError(
      `the Redis URL must start with redis:// or rediss://, got ${JSON.stringify(redactUrl(u))}`,
    );
  }
  return u;
}

/** The URL with its password replaced by '***' (for logs and errors). */
export function redactUrl(url: string): string {
  return url.replace(/(\/\/[^:/@]*:)[^@]*@/, '$1***@');
}

/**
 * Opens a connection (ioredis; `rediss://` uses TLS; `redis://user:password@host:port/db` sends
 * AUTH with an ACL user) and waits until it is ready.
 * @throws Error naming the (redacted) URL when the server cannot be reached or refuses AUTH.
 */
export async function connect(url: string): Promise<Redis> {
  const u = redisUrl(url);
  const redis = new Redis(u, {
    lazyConnect: true,
    maxRetriesPerRequest: 3,
    retryStrategy: (times) => (times > 20 ? null : Math.min(times * 100, 1000)),
  });
  redis.on('error', () => {}); // reported by the failing command instead
  try {
    await redis.connect();
  } catch (e) {
    redis.disconnect();
    throw new Error(`cannot connect to Redis at ${redactUrl(u)}: ${(e as Error).message}`);
  }
  return redis;
}

/** One stream entry: its id and the message bytes (null when the entry has no `m` field). */
export interface StreamEntry {
  id: string;
  data: Buffer | null;
}

function parseEntries(raw: unknown): StreamEntry[] {
  const out: StreamEntry[] = [];
  if (!Array.isArray(raw)) return out;
  for (const e of raw) {
    if (!Array.isArray(e) || e.length < 2) continue;
    const id = String(e[0]);
    const fields = e[1] as Buffer[] | null;
    let data: Buffer | null = null;
    if (Array.isArray(fields)) {
      for (let i = 0; i + 1 < fields.length; i += 2) {
        if (String(fields[i]) === 'm') data = fields[i + 1];
      }
    }
    out.push({ id, data });
  }
  return out;
}

/** Creates the consumer group of the rollout stream (and the stream) unless it exists. */
export async function ensureGroup(redis: Redis, k: Keys): Promise<void> {
  try {
    await redis.xgroup('CREATE', k.rollouts, GROUP, '0', 'MKSTREAM');
  } catch (e) {
    if (!String((e as Error).message).includes('BUSYGROUP')) throw e;
  }
}

/** Reads up to `count` new entries for `consumer` (XREADGROUP … >), blocking up to `blockMs`. */
export async function readNew(
  redis: Redis,
  k: Keys,
  consumer: string,
  count: number,
  blockMs: number,
): Promise<StreamEntry[]> {
  const raw = (await redis.callBuffer(
    'XREADGROUP',
    'GROUP',
    GROUP,
    consumer,
    'COUNT',
    count,
    'BLOCK',
    blockMs,
    'STREAMS',
    k.rollouts,
    '>',
  )) as [Buffer, unknown][] | null;
  if (!raw || raw.length === 0) return [];
  return parseEntries(raw[0][1]);
}

/**
 * Claims entries of the group pending for longer than `minIdleMs` (any consumer, e.g. a learner
 * that died between reading and acknowledging them) with XAUTOCLAIM, all pages.
 */
export async function claimPending(
  redis: Redis,
  k: Keys,
  consumer: string,
  minIdleMs: number,
): Promise<StreamEntry[]> {
  const out: StreamEntry[] = [];
  let start = '0-0';
  for (;;) {
    const raw = (await redis.callBuffer(
      'XAUTOCLAIM',
      k.rollouts,
      GROUP,
      consumer,
      minIdleMs,
      start,
      'COUNT',
      100,
    )) as [Buffer, unknown, unknown?];
    out.push(...parseEntries(raw[1]));
    start = String(raw[0]);
    if (start === '0-0') return out;
  }
}
