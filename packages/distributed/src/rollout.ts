import type { RolloutBatch } from '@proximal/algorithms';
import { type Field, type Message, MessageError } from './codec.js';

/** What a learner accepts: the rollout length, its envs in total, and the policy's input/output sizes. */
export interface RolloutSchema {
  /** T, steps per env per rollout (the learner's nSteps). */
  numSteps: number;
  /** N, envs per update in total; a batch's numEnvs must divide it. */
  numEnvs: number;
  /** Encoded observation size. */
  obsDim: number;
  /** Action size (1 for Discrete). */
  actionSize: number;
}

/** A decoded, validated rollout batch with its metadata. */
export interface ReceivedBatch extends RolloutBatch {
  policyVersion: number;
  workerId: string;
  batchId: string;
}

const TN_FLOAT = ['rewards', 'values', 'nextValues', 'logProbs'] as const;
const TN_FLAG = ['terminated', 'truncated'] as const;
const FIELD_NAMES = [
  'observations',
  'actions',
  ...TN_FLOAT,
  ...TN_FLAG,
  'episodeReturns',
  'episodeLengths',
] as const;

/** A rollout batch as a message (see `encodeMessage`). */
export function rolloutMessage(
  batch: RolloutBatch,
  meta: { policyVersion: number; workerId: string; batchId: string },
): Message {
  const { numSteps: T, numEnvs: N } = batch;
  const obsDim = batch.observations.length / (T * N);
  const actionSize = batch.actions.length / (T * N);
  const fields: Record<string, Field> = {
    observations: { data: batch.observations, shape: [T, N, obsDim] },
    actions: { data: batch.actions, shape: [T, N, actionSize] },
  };
  for (const f of TN_FLOAT) fields[f] = { data: batch[f], shape: [T, N] };
  for (const f of TN_FLAG) fields[f] = { data: batch[f], shape: [T, N] };
  const E = batch.episodeReturns.length;
  fields.episodeReturns = { data: Float32Array.from(batch.episodeReturns), shape: [E] };
  fields.episodeLengths = { data: Int32Array.from(batch.episodeLengths), shape: [E] };
  return { kind: 'rollout', ...meta, fields };
}

function schemaError(message: string): MessageError {
  return new MessageError('schema', message);
}

function field<T>(m: Message, name: string, ctor: new (n: number) => T, dtype: string): Field & { data: T } {
  const f = m.fields[name];
  if (!f) throw schemaError(`rollout ${m.batchId}: field ${name} is missing`);
  if (!(f.data instanceof (ctor as unknown as typeof Float32Array))) {
    throw schemaError(`rollout ${m.batchId}: field ${name} must be ${dtype}`);
  }
  return f as Field & { data: T };
}

const same = (a: number[], b: number[]) => a.length === b.length && a.every((x, i) => x === b[i]);

/**
 * Checks a decoded message against the learner's schema and returns it as a batch.
 * @throws MessageError('schema') naming the batch and what is wrong: not a rollout, a missing,
 *   extra or wrongly typed field, a shape other than [T, n, obsDim] / [T, n, actionSize] / [T, n]
 *   with n dividing the schema's numEnvs, a non-finite float, a flag other than 0/1, or episode
 *   statistics of different lengths.
 */
export function checkRollout(m: Message, schema: RolloutSchema): ReceivedBatch {
  if (m.kind !== 'rollout') throw schemaError(`message ${m.batchId} is '${m.kind}', expected 'rollout'`);
  for (const name of Object.keys(m.fields)) {
    if (!(FIELD_NAMES as readonly string[]).includes(name)) {
      throw schemaError(`rollout ${m.batchId}: unknown field ${name}`);
    }
  }
  const { numSteps: T, numEnvs: N, obsDim, actionSize } = schema;
  const obs = field(m, 'observations', Float32Array, 'float32');
  const n = obs.shape[1];
  if (obs.shape.length !== 3 || obs.shape[0] !== T || !(n >= 1) || N % n !== 0 || obs.shape[2] !== obsDim) {
    throw schemaError(
      `rollout ${m.batchId}: observations has shape [${obs.shape.join(', ')}], expected [${T}, n, ${obsDim}] with n dividing numEnvs = ${N}`,
    );
  }
  const check = (name: string, f: Field, shape: number[]) => {
    if (!same(f.shape, shape)) {
      throw schemaError(
        `rollout ${m.batchId}: ${name} has shape [${f.shape.join(', ')}], expected [${shape.join(', ')}]`,
      );
    }
    if (f.data instanceof Float32Array) {
      for (let i = 0; i < f.data.length; i++) {
        if (!Number.isFinite(f.data[i])) {
          throw schemaError(`rollout ${m.batchId}: ${name}[${i}] must be finite, got ${f.data[i]}`);
        }
      }
    }
  };
  check('observations', obs, [T, n, obsDim]);
  const actions = field(m, 'actions', Float32Array, 'float32');
  check('actions', actions, [T, n, actionSize]);
  const out: Record<string, Float32Array | Uint8Array> = {};
  for (const name of TN_FLOAT) {
    const f = field(m, name, Float32Array, 'float32');
    check(name, f, [T, n]);
    out[name] = f.data;
  }
  for (const name of TN_FLAG) {
    const f = field(m, name, Uint8Array, 'uint8');
    check(name, f, [T, n]);
    const bad = f.data.findIndex((x) => x > 1);
    if (bad >= 0)
      throw schemaError(`rollout ${m.batchId}: ${name}[${bad}] must be 0 or 1, got ${f.data[bad]}`);
    out[name] = f.data;
  }
  const er = field(m, 'episodeReturns', Float32Array, 'float32');
  const el = field(m, 'episodeLengths', Int32Array, 'int32');
  if (er.shape.length !== 1 || !same(el.shape, er.shape)) {
    throw schemaError(
      `rollout ${m.batchId}: episodeReturns [${er.shape.join(', ')}] and episodeLengths [${el.shape.join(', ')}] must be vectors of the same length`,
    );
  }
  check('episodeReturns', er, er.shape);
  return {
    policyVersion: m.policyVersion,
    workerId: m.workerId,
    batchId: m.batchId,
    numSteps: T,
    numEnvs: n,
    observations: obs.data,
    actions: actions.data,
    rewards: out.rewards as Float32Array,
    values: out.values as Float32Array,
    nextValues: out.nextValues as Float32Array,
    logProbs: out.logProbs as Float32Array,
    terminated: out.terminated as Uint8Array,
    truncated: out.truncated as Uint8Array,
    episodeReturns: Array.from(er.data),
    episodeLengths: Array.from(el.data),
  };
}

/**
 * Joins batches [T, n_j] side by side into one rollout [T, Σ n_j] (batch j's env i becomes column
 * Σ_{k<j} n_k + i), keeping the time-major layout.
 * @throws RangeError when the batches have different numSteps.
 */
export function concatBatches(batches: RolloutBatch[]): RolloutBatch {
  const T = batches[0].numSteps;
  const N = batches.reduce((s, b) => s + b.numEnvs, 0);
  const width = (b: RolloutBatch, name: 'observations' | 'actions') =>
    b[name].length / (b.numSteps * b.numEnvs);
  const D = width(batches[0], 'observations');
  const A = width(batches[0], 'actions');
  const join = <C extends Float32Array | Uint8Array>(
    name: keyof RolloutBatch,
    w: number,
    make: (n: number) => C,
  ): C => {
    const out = make(T * N * w);
    let col = 0;
    for (const b of batches) {
      if (b.numSteps !== T) throw new RangeError(`batches have numSteps ${b.numSteps} and ${T}`);
      const src = b[name] as C;
      const n = b.numEnvs;
      for (let t = 0; t < T; t++) out.set(src.subarray(t * n * w, (t + 1) * n * w), (t * N + col) * w);
      col += n;
    }
    return out;
  };
  const f32 = (n: number) => new Float32Array(n);
  const u8 = (n: number) => new Uint8Array(n);
  return {
    numSteps: T,
    numEnvs: N,
    observations: join('observations', D, f32),
    actions: join('actions', A, f32),
    rewards: join('rewards', 1, f32),
    values: join('values', 1, f32),
    nextValues: join('nextValues', 1, f32),
    logProbs: join('logProbs', 1, f32),
    terminated: join('terminated', 1, u8),
    truncated: join('truncated', 1, u8),
    episodeReturns: batches.flatMap((b) => b.episodeReturns),
    episodeLengths: batches.flatMap((b) => b.episodeLengths),
  };
}
