/**
 * `@proximal/envs`: Gymnasium 1.x-style environments, spaces, wrappers, a registry and vector envs.
 */
export type { AnyAsyncEnv, AsyncEnv } from './async/async-env.js';
export { type CheckAsyncEnvOptions, checkAsyncEnv } from './async/check-async-env.js';
export { SyncToAsyncEnv, toAsyncEnv } from './async/sync-to-async.js';
export { BaseEnv } from './base-env.js';
export { Acrobot, type AcrobotOptions } from './classic-control/acrobot.js';
export { CartPole, type CartPoleOptions, FLOAT32_MAX } from './classic-control/cartpole.js';
export { CartPoleVectorEnv, type CartPoleVectorEnvOptions } from './classic-control/cartpole-vector.js';
export {
  booleanOption,
  ClassicControlEnv,
  checkOptionKeys,
  numberOption,
} from './classic-control/classic-env.js';
export { MountainCar, type MountainCarOptions } from './classic-control/mountain-car.js';
export {
  MountainCarContinuous,
  type MountainCarContinuousOptions,
} from './classic-control/mountain-car-continuous.js';
export { angleNormalize, Pendulum, type PendulumOptions } from './classic-control/pendulum.js';
export { assignState, clip, parseResetBounds, readBoxAction, resetOption } from './classic-control/utils.js';
export * from './classic-control/vector-envs.js';
export type {
  AnyEnv,
  Env,
  EnvMetadata,
  EnvSpec,
  ResetOptions,
  ResetResult,
  StepResult,
} from './env.js';
export {
  type CheckEnvOptions,
  checkEnv,
  checkEnvStructure,
  checkObservation,
  checkRenderReturn,
  checkResetResult,
  checkStepResult,
  DETERMINISM_STEPS,
  type EnvCheckName,
} from './env-checker.js';
export { type MakeOptions, make, register, registeredIds, spec, unregister } from './registry.js';
export { assertRgbaFrame, framePixel, isRgbaFrame, type RgbaFrame } from './rendering/frame.js';
export { encodeGif, type GifOptions, GifWriter, saveGif } from './rendering/gif.js';
export { encodePng, type PngFramesOptions, savePngFrames } from './rendering/png.js';
export { rasterizeSvg } from './rendering/rasterize.js';
export {
  CLASSIC_RENDER_MODES,
  type ClassicRenderMode,
  GRID_RENDER_MODES,
  parseRenderMode,
  type RenderMode,
} from './rendering/render-mode.js';
export { RenderableEnv } from './rendering/renderable-env.js';
export { ACROBOT_SCREEN, type AcrobotSceneParams, acrobotSvg } from './rendering/scenes/acrobot.js';
export { CARTPOLE_SCREEN, type CartPoleSceneParams, cartPoleSvg } from './rendering/scenes/cartpole.js';
export { GRID_COLOURS, gridSvg } from './rendering/scenes/grid.js';
export {
  MOUNTAIN_CAR_SCREEN,
  type MountainCarSceneParams,
  mountainCarSvg,
  mountainHeight,
} from './rendering/scenes/mountain-car.js';
export { PENDULUM_SCREEN, pendulumSvg } from './rendering/scenes/pendulum.js';
export { Box, type BoxJSON } from './spaces/box.js';
export { Dict, type DictJSON } from './spaces/dict.js';
export { Discrete, type DiscreteJSON, type DiscreteSampleOptions } from './spaces/discrete.js';
export { flatdim, flatten, flattenSpace, unflatten } from './spaces/flatten.js';
export { spaceFromJSON } from './spaces/from-json.js';
export { MultiBinary, type MultiBinaryJSON } from './spaces/multi-binary.js';
export { MultiDiscrete, type MultiDiscreteJSON } from './spaces/multi-discrete.js';
export { type DType, type Space, SpaceBase, shapeSize } from './spaces/space.js';
export { Tuple, type TupleJSON } from './spaces/tuple.js';
export { Bandit, type BanditOptions } from './toy-text/bandit.js';
export { CliffWalking, type CliffWalkingOptions } from './toy-text/cliff-walking.js';
export {
  FROZEN_LAKE_MAPS,
  FrozenLake,
  type FrozenLakeOptions,
  generateRandomMap,
} from './toy-text/frozen-lake.js';
export {
  GRID_WORLD_DEFAULT_LAYOUT,
  GRID_WORLD_DEFAULT_WALLS,
  type GridWall,
  GridWorld,
  type GridWorldOptions,
} from './toy-text/grid-world.js';
export { categoricalSample, TabularEnv, type Transition } from './toy-text/tabular-env.js';
export { formatValue } from './utils/format.js';
export { AsyncVectorEnv, type AsyncVectorEnvOptions } from './vector/async-vector-env.js';
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
export { ClipAction, RescaleAction } from './wrappers/action.js';
export {
  FlattenObservation,
  type FramePadding,
  FrameStackObservation,
  NormalizeObservation,
  ObservationWrapper,
  TransformObservation,
} from './wrappers/observation.js';
export { OrderEnforcing, ResetNeededError } from './wrappers/order-enforcing.js';
export { PASSIVE_CHECK_CALLS, PassiveEnvChecker } from './wrappers/passive-env-checker.js';
export { type EpisodeInfo, RecordEpisodeStatistics } from './wrappers/record-episode-statistics.js';
export { cappedCubicVideoSchedule, RecordVideo, type RecordVideoOptions } from './wrappers/record-video.js';
export { NormalizeReward, TransformReward } from './wrappers/reward.js';
export { TimeLimit } from './wrappers/time-limit.js';
export { type StatefulEnv, Wrapper } from './wrappers/wrapper.js';
