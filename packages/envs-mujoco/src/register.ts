/**
 * Registration of the MuJoCo envs in the `@proximal/envs` registry under Gymnasium's ids.
 *
 * Source: Gymnasium 1.x, `gymnasium/envs/__init__.py` (the v5 MuJoCo `register` calls:
 * `max_episode_steps` and `reward_threshold`).
 */
import { register } from '@proximal/envs';
import { Ant, type AntOptions } from './envs/ant.js';
import {
  InvertedDoublePendulum,
  type InvertedDoublePendulumOptions,
} from './envs/inverted-double-pendulum.js';
import { InvertedPendulum, type InvertedPendulumOptions } from './envs/inverted-pendulum.js';
import {
  HalfCheetah,
  type HalfCheetahOptions,
  Hopper,
  type HopperOptions,
  Walker2d,
  type Walker2dOptions,
} from './envs/locomotion.js';
import { Reacher, type ReacherOptions } from './envs/reacher.js';
import { Swimmer, type SwimmerOptions } from './envs/swimmer.js';

/** The ids {@link registerMujocoEnvs} registers. */
export const MUJOCO_ENV_IDS = Object.freeze([
  'InvertedPendulum-v5',
  'HalfCheetah-v5',
  'Hopper-v5',
  'Walker2d-v5',
  'Swimmer-v5',
  'Reacher-v5',
  'InvertedDoublePendulum-v5',
  'Ant-v5',
] as const);

/**
 * Registers `InvertedPendulum-v5` (1000 steps, threshold 950), `HalfCheetah-v5` (1000, 4800),
 * `Hopper-v5` (1000, 3800), `Walker2d-v5` (1000), `Swimmer-v5` (1000, 360), `Reacher-v5` (50,
 * −3.75), `InvertedDoublePendulum-v5` (1000, 9100) and `Ant-v5` (1000, 6000) with `@proximal/envs`'s `register`, so that
 * `make(id, options)` builds them (options are the envs' constructor options). Importing
 * `@proximal/envs-mujoco` calls it once; calling it again replaces the entries.
 */
export function registerMujocoEnvs(): void {
  register({
    id: 'InvertedPendulum-v5',
    entryPoint: (o) => new InvertedPendulum(o as InvertedPendulumOptions),
    maxEpisodeSteps: 1000,
    rewardThreshold: 950,
  });
  register({
    id: 'HalfCheetah-v5',
    entryPoint: (o) => new HalfCheetah(o as HalfCheetahOptions),
    maxEpisodeSteps: 1000,
    rewardThreshold: 4800,
  });
  register({
    id: 'Hopper-v5',
    entryPoint: (o) => new Hopper(o as HopperOptions),
    maxEpisodeSteps: 1000,
    rewardThreshold: 3800,
  });
  register({
    id: 'Walker2d-v5',
    entryPoint: (o) => new Walker2d(o as Walker2dOptions),
    maxEpisodeSteps: 1000,
  });
  register({
    id: 'Swimmer-v5',
    entryPoint: (o) => new Swimmer(o as SwimmerOptions),
    maxEpisodeSteps: 1000,
    rewardThreshold: 360,
  });
  register({
    id: 'Reacher-v5',
    entryPoint: (o) => new Reacher(o as ReacherOptions),
    maxEpisodeSteps: 50,
    rewardThreshold: -3.75,
  });
  register({
    id: 'InvertedDoublePendulum-v5',
    entryPoint: (o) => new InvertedDoublePendulum(o as InvertedDoublePendulumOptions),
    maxEpisodeSteps: 1000,
    rewardThreshold: 9100,
  });
  register({
    id: 'Ant-v5',
    entryPoint: (o) => new Ant(o as AntOptions),
    maxEpisodeSteps: 1000,
    rewardThreshold: 6000,
  });
}
