/**
 * `@proximal/envs`: Gymnasium 1.x-style environments, spaces, wrappers, a registry and vector envs.
 */
export { BaseEnv } from './base-env.js';
export { CartPole, type CartPoleOptions, FLOAT32_MAX } from './classic-control/cartpole.js';
export { assignState, parseResetBounds } from './classic-control/utils.js';
export type {
  AnyEnv,
  Env,
  EnvMetadata,
  EnvSpec,
  ResetOptions,
  ResetResult,
  StepResult,
} from './env.js';
export { checkEnv } from './env-checker.js';
export { type MakeOptions, make, register, registeredIds, spec, unregister } from './registry.js';
export { Box, type BoxJSON } from './spaces/box.js';
export { Discrete, type DiscreteJSON, type DiscreteSampleOptions } from './spaces/discrete.js';
export { type DType, type Space, SpaceBase, shapeSize } from './spaces/space.js';
export { formatValue } from './utils/format.js';
export { EpisodeStatistics, type EpisodeSummary, type FinishedEpisode } from './vector/episode-statistics.js';
export { VectorInfoBuilder } from './vector/infos.js';
export { type MakeVecOptions, makeVec } from './vector/make-vec.js';
export { SyncVectorEnv, type SyncVectorEnvOptions } from './vector/sync-vector-env.js';
export {
  AUTORESET_MODES,
  type AutoresetMode,
  type VectorEnv,
  type VectorInfo,
  type VectorResetOptions,
  type VectorResetResult,
  type VectorStepResult,
} from './vector/vector-env.js';
export { OrderEnforcing, ResetNeededError } from './wrappers/order-enforcing.js';
export { type EpisodeInfo, RecordEpisodeStatistics } from './wrappers/record-episode-statistics.js';
export { TimeLimit } from './wrappers/time-limit.js';
export { type StatefulEnv, Wrapper } from './wrappers/wrapper.js';
