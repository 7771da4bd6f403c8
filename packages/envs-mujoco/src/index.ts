/**
 * `@proximal/envs-mujoco`: Gymnasium v5 MuJoCo environments for `@proximal/envs`, simulated by
 * DeepMind's official MuJoCo WebAssembly build (`mujoco-js`).
 *
 * Importing the package loads the WebAssembly module (top-level await) and registers the envs:
 *
 * @example
 * import '@proximal/envs-mujoco';
 * import { make } from '@proximal/envs';
 * const env = make('HalfCheetah-v5');
 */
import { loadMujoco } from './mujoco.js';
import { registerMujocoEnvs } from './register.js';

export { Ant, type AntOptions } from './envs/ant.js';
export {
  InvertedDoublePendulum,
  type InvertedDoublePendulumOptions,
} from './envs/inverted-double-pendulum.js';
export { InvertedPendulum, type InvertedPendulumOptions } from './envs/inverted-pendulum.js';
export {
  HalfCheetah,
  type HalfCheetahOptions,
  Hopper,
  type HopperOptions,
  Walker2d,
  type Walker2dOptions,
} from './envs/locomotion.js';
export { Reacher, type ReacherOptions } from './envs/reacher.js';
export { Swimmer, type SwimmerOptions } from './envs/swimmer.js';
export {
  compileModel,
  loadMujoco,
  type MainModule,
  type MjData,
  type MjModel,
  mujocoModule,
  objectId,
  takeMessages,
} from './mujoco.js';
export {
  MujocoEnv,
  type MujocoEnvConfig,
  type MujocoEnvOptions,
  type MujocoRenderMode,
} from './mujoco-env.js';
export { MUJOCO_ENV_IDS, registerMujocoEnvs } from './register.js';
export { type SceneOptions, type SceneView, sceneSvg } from './render.js';

await loadMujoco();
registerMujocoEnvs();
