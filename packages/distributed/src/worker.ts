import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { PPO, type TfBackend } from '@proximal/algorithms';
import type { Redis } from 'ioredis';
import { DEFAULT_MAX_MESSAGE_BYTES, decodeMessage, encodeMessage } from './codec.js';
import { rolloutMessage } from './rollout.js';
import { connect, type Keys, keys } from './transport.js';

/** Options of {@link Worker.create}. */
export interface WorkerOptions {
  /** Redis URL (redis:// or rediss://, with user:password for AUTH/ACL); default `REDIS_URL`. */
  redis?: string;
  /** Key namespace of the run (default 'proximal'); learner and workers must agree. */
  prefix?: string;
  /** This worker's id, unique in the run (default `<hostname>-<pid>`). */
  workerId?: string;
  /** Seed of the worker's action sampling and env resets (default: the run's seed + a hash of workerId). */
  seed?: number;
  /** Stop after sending this many batches (default: until the learner is done). */
  maxBatches?: number;
  /** Wait while the stream holds this many unread or unacknowledged batches (default 64). */
  maxQueuedBatches?: number;
  /** Polling interval while waiting for the learner, ms (default 100). */
  pollMs?: number;
  /** Give up when no config appears within this time, ms (default 600 000). */
  configTimeoutMs?: number;
  tfBackend?: TfBackend;
}

const WORKER_KEYS = [
  'redis',
  'prefix',
  'workerId',
  'seed',
  'maxBatches',
  'maxQueuedBatches',
  'pollMs',
  'configTimeoutMs',
  'tfBackend',
];

/** The run's config the learner writes to `<prefix>:config`. */
interface RunConfig {
  algorithm: string;
  env: string;
  numEnvs: number;
  seed: number;
  maxMessageBytes: number;
  hyperparameters: Record<string, unknown>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function hash(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h >>> 0;
}

/**
 * A rollout worker: reads the run's config, builds the same policy and `numEnvs` envs, and in a
 * loop takes a rollout request of the learner (`<prefix>:tasks`), loads the newest published weights, collects nSteps × numEnvs steps with them and appends
 * the batch (with its policy version, worker id and batch id `<workerId>:<session>:<n>`) to the rollout
 * stream, counting it in `<prefix>:stats` `sent` in the same transaction (MULTI: XADD + HINCRBY).
 * It exits when the learner sets `<prefix>:status` to 'done'. A worker killed mid-rollout loses
 * only that unsent rollout: the learner requests it again after `redoAfterMs` and another worker
 * redoes it.
 */
export class Worker {
  readonly workerId: string;
  readonly keys: Keys;
  /** Batches sent. */
  sent = 0;
  /** Version of the weights loaded (−1 before any). */
  version = -1;
  private stopped = false;
  /** Distinguishes this process's batch ids from those of an earlier process with the same workerId. */
  private readonly session = randomUUID().slice(0, 8);

  private constructor(
    private readonly redis: Redis,
    private readonly o: WorkerOptions,
    private readonly config: RunConfig,
    readonly model: PPO,
  ) {
    this.workerId = o.workerId ?? `${hostname()}-${process.pid}`;
    this.keys = keys(o.prefix);
  }

  /**
   * Connects and waits for the learner's config, then builds the model.
   * @throws TypeError for an unknown option; RangeError for an invalid one; Error when Redis
   *   cannot be reached, no config appears within configTimeoutMs, or the run is not PPO.
   */
  static async create(o: WorkerOptions = {}): Promise<Worker> {
    for (const k of Object.keys(o)) {
      if (!WORKER_KEYS.includes(k)) {
        throw new TypeError(
          `worker options has an unknown option '${k}' (accepted: ${WORKER_KEYS.join(', ')})`,
        );
      }
    }
    if (o.workerId !== undefined && (typeof o.workerId !== 'string' || !/^[\w.-]{1,128}$/.test(o.workerId))) {
      throw new RangeError(
        `workerId must be 1-128 characters [A-Za-z0-9_.-], got ${JSON.stringify(o.workerId)}`,
      );
    }
    const k = keys(o.prefix);
    const redis = await connect(o.redis ?? process.env.REDIS_URL ?? '');
    const deadline = Date.now() + (o.configTimeoutMs ?? 600_000);
    let raw: string | null = null;
    while ((raw = await redis.get(k.config)) === null) {
      if (Date.now() > deadline) {
        redis.disconnect();
        throw new Error(`no learner config at ${k.config} within ${o.configTimeoutMs ?? 600_000} ms`);
      }
      await sleep(o.pollMs ?? 100);
    }
    const config = JSON.parse(raw) as RunConfig;
    if (config.algorithm !== 'PPO') {
      redis.disconnect();
      throw new Error(`the run's algorithm is ${config.algorithm}; this worker runs PPO`);
    }
    const id = o.workerId ?? `${hostname()}-${process.pid}`;
    const h = config.hyperparameters;
    let model: PPO;
    try {
      model = await PPO.create({
        ...h,
        env: config.env,
        numEnvs: config.numEnvs,
        batchSize: (h.nSteps as number) * config.numEnvs,
        seed: o.seed ?? (config.seed + hash(id)) % 2 ** 31,
        ...(o.tfBackend ? { tfBackend: o.tfBackend } : {}),
      });
    } catch (e) {
      redis.disconnect();
      throw e;
    }
    return new Worker(redis, o, config, model);
  }

  /** Stops {@link run} before the next rollout. */
  stop(): void {
    this.stopped = true;
  }

  /** Loads the newest weights when their version is newer than the loaded one; false when none are published. */
  private async loadWeights(): Promise<boolean> {
    const v = await this.redis.hget(this.keys.weights, 'version');
    if (v === null) return false;
    if (Number(v) === this.version) return true;
    const blob = await this.redis.hgetBuffer(this.keys.weights, 'blob');
    if (blob === null) return false;
    const m = decodeMessage(blob, Number.MAX_SAFE_INTEGER);
    const params = m.fields.params?.data;
    const policy = this.model.policy;
    if (m.kind !== 'weights' || !(params instanceof Float32Array) || params.length !== policy.numParams) {
      throw new Error(
        `the published weights (version ${m.policyVersion}) do not fit this worker's policy of ${policy.numParams} parameters`,
      );
    }
    policy.setFlatParams(params);
    policy.syncInference();
    this.version = m.policyVersion;
    return true;
  }

  /**
   * One step of the worker's loop: 'done' when the learner has finished; 'waiting' when the stream
   * holds `maxQueuedBatches` entries or the learner requests no rollout (`<prefix>:tasks` is
   * empty: the current update is covered); else takes one request, loads the newest weights,
   * collects one rollout, appends it and returns 'sent'.
   */
  async runOnce(): Promise<'sent' | 'waiting' | 'done'> {
    const k = this.keys;
    const maxQueued = this.o.maxQueuedBatches ?? 64;
    const [[, status], [, queued]] = (await this.redis.multi().get(k.status).xlen(k.rollouts).exec()) as [
      [unknown, string | null],
      [unknown, number],
    ];
    if (status === 'done') return 'done';
    if (queued >= maxQueued) return 'waiting';
    // a rollout request of the learner (one per batch an update needs); none: the update is covered
    if ((await this.redis.lpop(k.tasks)) === null) return 'waiting';
    if (!(await this.loadWeights())) return 'waiting';
    const batch = this.model.collectRolloutBatch();
    const message = encodeMessage(
      rolloutMessage(batch, {
        policyVersion: this.version,
        workerId: this.workerId,
        batchId: `${this.workerId}:${this.session}:${this.sent}`,
      }),
      this.config.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES,
    );
    await this.redis.multi().xadd(k.rollouts, '*', 'm', message).hincrby(k.stats, 'sent', 1).exec();
    this.sent++;
    return 'sent';
  }

  /**
   * Runs {@link runOnce} until the learner is done, `maxBatches` are sent or {@link stop}
   * (sleeping `pollMs` while waiting).
   * @returns the number of batches this worker sent.
   */
  async run(): Promise<{ sent: number }> {
    while (!this.stopped && (this.o.maxBatches === undefined || this.sent < this.o.maxBatches)) {
      const r = await this.runOnce();
      if (r === 'done') break;
      if (r === 'waiting') await sleep(this.o.pollMs ?? 100);
    }
    return { sent: this.sent };
  }

  /** Closes the connection and releases the model. */
  async close(): Promise<void> {
    await this.redis.quit().catch(() => {});
    this.model.dispose();
  }
}
