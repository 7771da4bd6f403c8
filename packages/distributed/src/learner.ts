import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { PPO, type PpoHyperparameters, type TfBackend } from '@proximal/algorithms';
import type { Redis } from 'ioredis';
import { DEFAULT_MAX_MESSAGE_BYTES, decodeMessage, encodeMessage, MessageError } from './codec.js';
import { checkRollout, concatBatches, type ReceivedBatch, type RolloutSchema } from './rollout.js';
import {
  claimPending,
  connect,
  ensureGroup,
  type Keys,
  keys,
  readNew,
  type StreamEntry,
} from './transport.js';

/** Options of {@link Learner.create}. */
export interface LearnerOptions {
  /** Redis URL (redis:// or rediss://, with user:password for AUTH/ACL); default `REDIS_URL`. */
  redis?: string;
  /** Key namespace of the run (default 'proximal'); learner and workers must agree. */
  prefix?: string;
  /** Registered env id the workers run. */
  env: string;
  /** N: envs per update in total (the update trains on nSteps × numEnvs steps). */
  numEnvs: number;
  /** Envs per worker batch; must divide numEnvs (default numEnvs: one batch per update). */
  workerNumEnvs?: number;
  /** Seed of the network initialization and minibatch shuffling; workers derive theirs from it. */
  seed?: number;
  /** PPO hyperparameters (as `PPO.create` takes them; JSON values for the workers: nSteps, gamma, gaeLambda, policyKwargs, useSde, sdeSampleFreq). */
  hyperparameters?: Partial<PpoHyperparameters>;
  /** Environment steps to train on in total (rounded up to whole updates). */
  totalTimesteps: number;
  /**
   * Batches produced by a policy older than `version − maxPolicyLag` are dropped (acknowledged,
   * counted as `stale`, never trained). Default 0: synchronous PPO, every update trains on batches
   * of the current version only.
   */
  maxPolicyLag?: number;
  /** Directory of the learner's checkpoints (model, trained batch ids, version); resumed from when it holds one. */
  checkpointDir?: string;
  /** Claim entries pending for other consumers (a dead learner) after this idle time, ms (default 30 000). */
  claimIdleMs?: number;
  /**
   * When no batch of the current version arrived for this long (a worker died mid-rollout), ask
   * again for the missing rollouts, ms (default 30 000).
   */
  redoAfterMs?: number;
  /** Largest message accepted, bytes (default 64 MiB). */
  maxMessageBytes?: number;
  /** Longest blocking read, ms (default 200). */
  blockMs?: number;
  /** Consumer name in the group (default `learner-<hostname>-<pid>`). */
  consumer?: string;
  tfBackend?: TfBackend;
  /** Called after every update (after the checkpoint and the weights are published). */
  onUpdate?: (info: UpdateInfo) => void | Promise<void>;
  /** Where warnings about rejected messages go (default console.warn). */
  log?: (line: string) => void;
}

/** What {@link LearnerOptions.onUpdate} receives. */
export interface UpdateInfo {
  /** The policy version the update produced. */
  version: number;
  /** The batches trained, in column order. */
  batchIds: string[];
  metrics: Record<string, number>;
}

/**
 * Exact counters of a run, kept in the Redis hash `<prefix>:stats` and changed in the same
 * transaction as the acknowledgement they count: `sent` (workers), `trained` (entries acknowledged
 * after their update was checkpointed), `stale` (dropped beyond maxPolicyLag), `rejected` (bad
 * messages: `rejected:malformed`, `rejected:oversized`, `rejected:schema`, `rejected:duplicate`,
 * `rejected:future`), `redone` (rollouts requested again after `redoAfterMs` without a batch),
 * `claimed` (entries taken over from another consumer with XAUTOCLAIM),
 * `redelivered` (already-trained entries seen again after a learner restart;
 * also counted in `trained`), `version`. Every appended entry ends up in exactly one of trained,
 * stale and rejected, or is still in the stream.
 */
export type Stats = Record<string, number>;

const STATE_FILE = 'learner.json';
const STATE_FORMAT = 'proximal-distributed-learner';
/** Updates whose trained batch ids the checkpoint keeps (for deduplication and audit). */
export const HISTORY_UPDATES = 1000;

interface LearnerState {
  format: string;
  version: number;
  envId: string;
  numEnvs: number;
  /** batch ids trained by the update that produced `version`, for the last HISTORY_UPDATES updates */
  history: { version: number; batchIds: string[] }[];
}

interface Pooled {
  entryId: string;
  batch: ReceivedBatch;
}

/** Reads a checkpoint written by the learner (`<dir>/LATEST` names the subdirectory), or null. */
export async function readLearnerCheckpoint(
  dir: string,
): Promise<{ modelDir: string; state: LearnerState } | null> {
  let latest: string;
  try {
    latest = (await readFile(join(dir, 'LATEST'), 'utf8')).trim();
  } catch {
    return null;
  }
  const state = JSON.parse(await readFile(join(dir, latest, STATE_FILE), 'utf8')) as LearnerState;
  if (state.format !== STATE_FORMAT) {
    throw new Error(
      `${join(dir, latest, STATE_FILE)} is not a learner state (format ${JSON.stringify(state.format)})`,
    );
  }
  return { modelDir: join(dir, latest, 'model'), state };
}

function needInt(name: string, v: unknown, min: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min) {
    throw new RangeError(`${name} must be an integer ≥ ${min}, got ${String(v)}`);
  }
  return v;
}

const LEARNER_KEYS = [
  'redis',
  'prefix',
  'env',
  'numEnvs',
  'workerNumEnvs',
  'seed',
  'hyperparameters',
  'totalTimesteps',
  'maxPolicyLag',
  'checkpointDir',
  'claimIdleMs',
  'redoAfterMs',
  'maxMessageBytes',
  'blockMs',
  'consumer',
  'tfBackend',
  'onUpdate',
  'log',
];

/**
 * The learner of synchronous distributed PPO over Redis Streams. It publishes the run's config and
 * the current weights (`<prefix>:weights`: one binary blob and its version), reads workers'
 * rollout batches from the stream `<prefix>:rollouts` through the consumer group `learners`
 * (XREADGROUP; entries idle longer than `claimIdleMs` in another consumer, e.g. a learner that was
 * killed, are taken over with XAUTOCLAIM), rejects and counts malformed, oversized and wrong-schema
 * messages, drops and counts batches older than `maxPolicyLag` versions, and for every update
 * joins batches of the current version totalling nSteps × numEnvs steps, runs one PPO update on
 * them (`trainOnRollout`), checkpoints (model + the ids of the batches trained), publishes the new
 * weights and only then acknowledges (XACK, XDEL) the batches. A restarted learner resumes from
 * its checkpoint and acknowledges, without training again, any batch it already trained: every
 * batch is trained exactly once.
 */
export class Learner {
  readonly model: PPO;
  readonly keys: Keys;
  /** Current policy version (number of updates done). */
  version: number;
  private readonly history: LearnerState['history'];
  private readonly trainedIds = new Set<string>();
  private readonly pool: Pooled[] = [];
  private readonly pooledEntries = new Set<string>();
  private readonly schema: RolloutSchema;
  private readonly updates: number;
  private readonly log: (line: string) => void;
  private stopRequested = false;
  private lastProgress = Date.now();
  private readonly workerNumEnvs: number;
  private readonly batchesPerUpdate: number;

  private constructor(
    private readonly redis: Redis,
    private readonly reader: Redis,
    private readonly o: LearnerOptions,
    model: PPO,
    state: LearnerState | null,
  ) {
    this.model = model;
    this.keys = keys(o.prefix);
    this.version = state?.version ?? 0;
    this.history = state?.history ?? [];
    for (const h of this.history) for (const id of h.batchIds) this.trainedIds.add(id);
    const h = model.hyperparameters;
    this.schema = {
      numSteps: h.nSteps,
      numEnvs: o.numEnvs,
      obsDim: model.policy.obsDim,
      actionSize: model.policy.actionSize,
    };
    this.updates = Math.ceil(o.totalTimesteps / (h.nSteps * o.numEnvs));
    this.workerNumEnvs = o.workerNumEnvs ?? o.numEnvs;
    this.batchesPerUpdate = o.numEnvs / this.workerNumEnvs;
    this.log = o.log ?? ((line) => console.warn(line));
  }

  /**
   * Connects, builds or resumes the model (from `checkpointDir` when it holds a checkpoint; a fresh
   * run clears the prefix's keys first), publishes config and weights.
   * @throws TypeError for an unknown option; RangeError for an invalid one (naming it); Error
   *   when Redis cannot be reached or the checkpoint is of another env / numEnvs.
   */
  static async create(o: LearnerOptions): Promise<Learner> {
    if (o === null || typeof o !== 'object') throw new TypeError('learner options must be an object');
    for (const k of Object.keys(o)) {
      if (!LEARNER_KEYS.includes(k)) {
        throw new TypeError(
          `learner options has an unknown option '${k}' (accepted: ${LEARNER_KEYS.join(', ')})`,
        );
      }
    }
    if (typeof o.env !== 'string')
      throw new TypeError(`env must be a registered env id, got ${typeof o.env}`);
    const numEnvs = needInt('numEnvs', o.numEnvs, 1);
    const w = needInt('workerNumEnvs', o.workerNumEnvs ?? numEnvs, 1);
    if (numEnvs % w !== 0) {
      throw new RangeError(`workerNumEnvs = ${w} must divide numEnvs = ${numEnvs}`);
    }
    needInt('totalTimesteps', o.totalTimesteps, 1);
    needInt('maxPolicyLag', o.maxPolicyLag ?? 0, 0);
    needInt('claimIdleMs', o.claimIdleMs ?? 30_000, 0);
    needInt('redoAfterMs', o.redoAfterMs ?? 30_000, 1);
    needInt('maxMessageBytes', o.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES, 1024);
    needInt('blockMs', o.blockMs ?? 200, 1);
    const k = keys(o.prefix);
    const ckpt = o.checkpointDir ? await readLearnerCheckpoint(o.checkpointDir) : null;
    if (ckpt && (ckpt.state.envId !== o.env || ckpt.state.numEnvs !== numEnvs)) {
      throw new Error(
        `${o.checkpointDir} holds a run of ${ckpt.state.envId} with numEnvs = ${ckpt.state.numEnvs}, but this learner has ${o.env} with numEnvs = ${numEnvs}`,
      );
    }
    const model = ckpt
      ? await PPO.load(ckpt.modelDir, { env: o.env, numEnvs, tfBackend: o.tfBackend })
      : await PPO.create({
          ...(o.hyperparameters ?? {}),
          env: o.env,
          numEnvs,
          ...(o.seed !== undefined ? { seed: o.seed } : {}),
          ...(o.tfBackend ? { tfBackend: o.tfBackend } : {}),
        });
    let redis: Redis;
    try {
      redis = await connect(o.redis ?? process.env.REDIS_URL ?? '');
    } catch (e) {
      model.dispose();
      throw e;
    }
    const reader = redis.duplicate();
    reader.on('error', () => {});
    const learner = new Learner(redis, reader, o, model, ckpt?.state ?? null);
    if (!ckpt) await redis.del(k.rollouts, k.weights, k.stats, k.status, k.config, k.tasks);
    await ensureGroup(redis, k);
    const h = model.hyperparameters;
    const d = model.describeHyperparameters();
    await redis.set(
      k.config,
      JSON.stringify({
        algorithm: 'PPO',
        env: o.env,
        numEnvs: w,
        seed: model.seed,
        maxMessageBytes: o.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES,
        hyperparameters: {
          nSteps: h.nSteps,
          gamma: h.gamma,
          gaeLambda: h.gaeLambda,
          policyKwargs: d.policyKwargs,
          useSde: h.useSde,
          sdeSampleFreq: h.sdeSampleFreq,
        },
      }),
    );
    await redis.set(k.status, 'running');
    await learner.publishWeights();
    return learner;
  }

  /** Stops {@link run} after the current step (the learner stays resumable from its checkpoint). */
  stop(): void {
    this.stopRequested = true;
  }

  /** Whether {@link stop} was called. */
  get stopped(): boolean {
    return this.stopRequested;
  }

  /** The run's counters (see {@link Stats}). */
  async stats(): Promise<Stats> {
    const raw = await this.redis.hgetall(this.keys.stats);
    return Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, Number(v)]));
  }

  private async publishWeights(): Promise<void> {
    const params = this.model.policy.getFlatParams();
    const blob = encodeMessage(
      {
        kind: 'weights',
        policyVersion: this.version,
        workerId: '',
        batchId: '',
        fields: { params: { data: params, shape: [params.length] } },
      },
      Number.MAX_SAFE_INTEGER,
    );
    // the weights and the rollout requests of the new version, in one transaction
    const k = this.keys;
    const m = this.redis
      .multi()
      .hset(k.weights, 'blob', blob, 'version', this.version)
      .hset(k.stats, 'version', this.version)
      .del(k.tasks);
    if (this.version < this.updates) {
      m.rpush(k.tasks, ...new Array<string>(this.batchesPerUpdate).fill(String(this.version)));
    }
    await m.exec();
    this.lastProgress = Date.now();
  }

  /** Rollout requests for the batches the current update still misses, when none is outstanding. */
  private async redo(): Promise<void> {
    const have = this.pool.reduce((s, p) => s + p.batch.numEnvs, 0);
    const missing = Math.ceil(Math.max(0, this.schema.numEnvs - have) / this.workerNumEnvs);
    this.lastProgress = Date.now();
    if (missing === 0 || (await this.redis.llen(this.keys.tasks)) > 0) return;
    this.log(
      `learner: no batch for ${this.o.redoAfterMs ?? 30_000} ms; requesting ${missing} rollouts again`,
    );
    await this.redis
      .multi()
      .rpush(this.keys.tasks, ...new Array<string>(missing).fill(String(this.version)))
      .hincrby(this.keys.stats, 'redone', missing)
      .exec();
  }

  /** Acknowledges and deletes entries, incrementing counters in the same transaction. */
  private async ack(ids: string[], counters: Record<string, number>): Promise<void> {
    const m = this.redis.multi();
    if (ids.length > 0) {
      m.xack(this.keys.rollouts, 'learners', ...ids);
      m.xdel(this.keys.rollouts, ...ids);
    }
    for (const [k, v] of Object.entries(counters)) m.hincrby(this.keys.stats, k, v);
    await m.exec();
  }

  private async reject(entry: StreamEntry, reason: string, message: string): Promise<void> {
    this.log(`learner: rejected stream entry ${entry.id} (${reason}): ${message}`);
    await this.ack([entry.id], { rejected: 1, [`rejected:${reason}`]: 1 });
  }

  /** Sorts one entry into the pool, or rejects / drops / late-acknowledges it. */
  private async take(entry: StreamEntry): Promise<void> {
    if (this.pooledEntries.has(entry.id)) return; // claimed again while waiting in the pool
    if (entry.data === null) return this.reject(entry, 'malformed', "the entry has no 'm' field");
    const maxBytes = this.o.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
    let batch: ReceivedBatch;
    try {
      batch = checkRollout(decodeMessage(entry.data, maxBytes), this.schema);
    } catch (e) {
      if (e instanceof MessageError) return this.reject(entry, e.reason, e.message);
      throw e;
    }
    if (this.trainedIds.has(batch.batchId)) {
      // trained and checkpointed before a restart, not yet acknowledged then
      return this.ack([entry.id], { trained: 1, redelivered: 1 });
    }
    if (this.pool.some((p) => p.batch.batchId === batch.batchId)) {
      return this.reject(entry, 'duplicate', `batch ${batch.batchId} is already waiting to be trained`);
    }
    if (batch.policyVersion > this.version) {
      return this.reject(
        entry,
        'future',
        `batch ${batch.batchId} has policy version ${batch.policyVersion} > the learner's ${this.version}`,
      );
    }
    if (batch.policyVersion < this.version - (this.o.maxPolicyLag ?? 0)) {
      return this.ack([entry.id], { stale: 1 });
    }
    this.pool.push({ entryId: entry.id, batch });
    this.pooledEntries.add(entry.id);
    this.lastProgress = Date.now();
  }

  /** Drops pooled batches that became older than the lag bound. */
  private async dropStale(): Promise<void> {
    const bound = this.version - (this.o.maxPolicyLag ?? 0);
    const stale = this.pool.filter((p) => p.batch.policyVersion < bound);
    if (stale.length === 0) return;
    for (const p of stale) {
      this.pool.splice(this.pool.indexOf(p), 1);
      this.pooledEntries.delete(p.entryId);
    }
    await this.ack(
      stale.map((p) => p.entryId),
      { stale: stale.length },
    );
  }

  /** Batches filling exactly numEnvs columns (oldest first), or null when the pool has too few. */
  private select(): Pooled[] | null {
    const chosen: Pooled[] = [];
    let cols = 0;
    for (const p of this.pool) {
      if (cols + p.batch.numEnvs > this.schema.numEnvs) continue;
      chosen.push(p);
      cols += p.batch.numEnvs;
      if (cols === this.schema.numEnvs) return chosen;
    }
    return null;
  }

  private async checkpoint(): Promise<void> {
    const dir = this.o.checkpointDir;
    if (!dir) return;
    await mkdir(dir, { recursive: true });
    const name = `v${this.version}`;
    const tmp = join(dir, `${name}.tmp-${process.pid}`);
    await rm(tmp, { recursive: true, force: true });
    await this.model.save(join(tmp, 'model'));
    const state: LearnerState = {
      format: STATE_FORMAT,
      version: this.version,
      envId: this.o.env,
      numEnvs: this.o.numEnvs,
      history: this.history,
    };
    await writeFile(join(tmp, STATE_FILE), JSON.stringify(state));
    await rm(join(dir, name), { recursive: true, force: true });
    await rename(tmp, join(dir, name));
    await writeFile(join(dir, 'LATEST.tmp'), name);
    await rename(join(dir, 'LATEST.tmp'), join(dir, 'LATEST'));
    if (this.version > 0) await rm(join(dir, `v${this.version - 1}`), { recursive: true, force: true });
  }

  /**
   * Trains until the run's update count is reached (or {@link stop}); then sets `<prefix>:status`
   * to 'done' so that workers exit.
   * @returns the policy version reached and the run's counters.
   */
  async run(): Promise<{ version: number; stats: Stats }> {
    const consumer = this.o.consumer ?? `learner-${hostname()}-${process.pid}`;
    const claimIdle = this.o.claimIdleMs ?? 30_000;
    const blockMs = this.o.blockMs ?? 200;
    const k = this.keys;
    while (this.version < this.updates && !this.stopRequested) {
      let chosen = this.select();
      if (!chosen) {
        const claimed = await claimPending(this.redis, k, consumer, claimIdle);
        const taken = claimed.filter((e) => !this.pooledEntries.has(e.id)).length;
        if (taken > 0) await this.redis.hincrby(k.stats, 'claimed', taken);
        for (const e of claimed) await this.take(e);
        chosen = this.select();
      }
      if (!chosen) {
        for (const e of await readNew(this.reader, k, consumer, 16, blockMs)) await this.take(e);
        if (Date.now() - this.lastProgress > (this.o.redoAfterMs ?? 30_000)) await this.redo();
        continue;
      }
      const batchIds = chosen.map((p) => p.batch.batchId);
      const h = this.model.hyperparameters;
      const metrics = this.model.trainOnRollout(
        concatBatches(chosen.map((p) => p.batch)),
        this.updates * h.nSteps * this.o.numEnvs,
      );
      this.version++;
      this.history.push({ version: this.version, batchIds });
      if (this.history.length > HISTORY_UPDATES) {
        for (const id of this.history.shift()?.batchIds ?? []) this.trainedIds.delete(id);
      }
      for (const id of batchIds) this.trainedIds.add(id);
      await this.checkpoint();
      await this.publishWeights();
      for (const p of chosen) {
        this.pool.splice(this.pool.indexOf(p), 1);
        this.pooledEntries.delete(p.entryId);
      }
      await this.ack(
        chosen.map((p) => p.entryId),
        { trained: chosen.length },
      );
      await this.dropStale();
      await this.o.onUpdate?.({ version: this.version, batchIds, metrics });
    }
    if (this.version >= this.updates) await this.redis.set(k.status, 'done');
    return { version: this.version, stats: await this.stats() };
  }

  /** Closes the Redis connections and releases the model. */
  async close(): Promise<void> {
    this.reader.disconnect();
    await this.redis.quit().catch(() => {});
    this.model.dispose();
  }
}
