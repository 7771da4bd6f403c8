export type { Dtype, Field, FieldArray, Message } from './codec.js';
export {
  DEFAULT_MAX_MESSAGE_BYTES,
  decodeMessage,
  encodeMessage,
  FORMAT_VERSION,
  MAGIC,
  MAX_HEADER_BYTES,
  MessageError,
} from './codec.js';
export type { LearnerOptions, Stats, UpdateInfo } from './learner.js';
export { HISTORY_UPDATES, Learner, readLearnerCheckpoint } from './learner.js';
export { redisServerMissing, startRedisServer } from './redis-server.js';
export type { ReceivedBatch, RolloutSchema } from './rollout.js';
export { checkRollout, concatBatches, rolloutMessage } from './rollout.js';
export type { Keys, StreamEntry } from './transport.js';
export {
  claimPending,
  connect,
  ensureGroup,
  GROUP,
  keys,
  readNew,
  redactUrl,
  redisUrl,
} from './transport.js';
export type { WorkerOptions } from './worker.js';
export { Worker } from './worker.js';
