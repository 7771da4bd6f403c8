/**
 * The batched structure-of-arrays classic-control vector envs (the `vectorEntryPoint`s of the
 * classic-control registry entries) and their shared base class.
 */
export { AcrobotVectorEnv, type AcrobotVectorEnvOptions } from './acrobot-vector.js';
export {
  MountainCarContinuousVectorEnv,
  MountainCarVectorEnv,
  type MountainCarVectorEnvOptions,
} from './mountain-car-vector.js';
export { PendulumVectorEnv, type PendulumVectorEnvOptions } from './pendulum-vector.js';
export {
  ClassicControlVectorEnv,
  type ClassicControlVectorEnvOptions,
  type ClassicControlVectorEnvSpec,
  type VectorActions,
  VectorEnvBuffers,
} from './vector-env-base.js';
