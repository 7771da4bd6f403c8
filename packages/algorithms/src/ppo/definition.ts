/**
 * PPO's registry definition: its name on the command line, its hyperparameter schema, training
 * presets per env, and how to create and load it.
 */
import { linearSchedule } from '../common/schedules.js';
import { onPolicySupport } from '../common/support.js';
import type { AlgorithmDefinition, RegisteredModel, TrainingPreset } from '../registry.js';
import { PPO_SCHEMA } from './config.js';
import { PPO, type PpoOptions } from './ppo.js';

/**
 * Tuned PPO settings per environment. CartPole-v1 follows the RL Baselines3 Zoo's PPO entry
 * (8 envs, 32 steps, batch 256, λ 0.8, γ 0.98, linearly annealed lr 1e-3 and clip 0.2) with 10
 * epochs instead of 20: in a sweep on the 2-core reference machine (seeds 1–4) it reached a
 * 100-episode training mean of 475 after 78k–91k steps and 17–19 s, and every seed evaluated at 500.
 */
export const TUNED_PPO: Readonly<Record<string, TrainingPreset>> = {
  // RL Zoo's PPO entries for Acrobot and Pendulum (Pendulum without the zoo's gSDE)
  'Acrobot-v1': {
    numEnvs: 16,
    totalTimesteps: 300_000,
    normalize: { normObs: true, normReward: true },
    hyperparameters: { nSteps: 256, gaeLambda: 0.94, gamma: 0.99, nEpochs: 4, entCoef: 0 },
  },
  'Pendulum-v1': {
    numEnvs: 4,
    totalTimesteps: 300_000,
    normalize: { normObs: true, normReward: true },
    hyperparameters: {
      nSteps: 1024,
      gaeLambda: 0.95,
      gamma: 0.9,
      nEpochs: 10,
      learningRate: 1e-3,
      clipRange: 0.2,
    },
  },
  // gSDE (Raffin et al. 2021) as in the RL Zoo, which solves this env with it. The zoo's own PPO
  // entry (1 env × 8 steps, 20k steps, lr 7.77e-5, logStdInit −3.29, orthoInit false; 88.3 in the
  // zoo's benchmark.md) reached 90.7, −98.9 and 90.0 on seeds 1–3 here even with 60–80k steps, and
  // takes ~5 s per 1k steps (ten 8-sample gradient steps per 8 env steps). This entry keeps SB3's PPO
  // defaults and the zoo's normalization and gSDE, with 8 envs × 512 steps and one noise matrix per
  // env for the whole rollout (sdeSampleFreq −1, SB3's default): smooth, state-dependent exploration
  // that pumps energy into the car. Seeds 1–6 evaluated at 93.4–93.7 after 100k steps.
  'MountainCarContinuous-v0': {
    numEnvs: 8,
    totalTimesteps: 100_000,
    normalize: { normObs: true, normReward: true },
    hyperparameters: {
      nSteps: 512,
      batchSize: 64,
      nEpochs: 10,
      learningRate: 3e-4,
      gamma: 0.99,
      gaeLambda: 0.95,
      clipRange: 0.2,
      useSde: true,
      sdeSampleFreq: -1,
    },
  },
  'CartPole-v1': {
    numEnvs: 8,
    totalTimesteps: 100_000,
    hyperparameters: {
      nSteps: 32,
      batchSize: 256,
      gaeLambda: 0.8,
      gamma: 0.98,
      nEpochs: 10,
      entCoef: 0,
      learningRate: linearSchedule(1e-3),
      clipRange: linearSchedule(0.2),
    },
  },
};

/** Settings for an env without a tuned entry: SB3's defaults with 8 envs and 1M steps. */
export const GENERIC_PPO: TrainingPreset = { numEnvs: 8, totalTimesteps: 1_000_000, hyperparameters: {} };

/** PPO in the algorithm registry (`proximal train ppo <env>`). */
export const PPO_ALGORITHM: AlgorithmDefinition = {
  name: 'ppo',
  modelName: 'PPO',
  summary: 'Proximal Policy Optimization (Schulman et al. 2017), as Stable-Baselines3',
  schema: PPO_SCHEMA,
  vectorEnvs: true,
  presets: { default: GENERIC_PPO, perEnv: TUNED_PPO },
  supports: (spaces) => onPolicySupport('PPO', spaces),
  create: (options) => PPO.create(options as unknown as PpoOptions) as Promise<RegisteredModel>,
  load: (dir, options) => PPO.load(dir, options) as Promise<RegisteredModel>,
};
