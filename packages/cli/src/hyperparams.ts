import type { NormalizationOptions } from '@proximal/algorithms';
import { linearSchedule } from '@proximal/algorithms';
import type { AnyHyperparameters } from './hyperparam-flags.js';

/** Per-environment defaults of `proximal train`: hyperparameters, env count and budget. */
export interface TunedConfig {
  numEnvs: number;
  totalTimesteps: number;
  hyperparameters: AnyHyperparameters;
  /** Observation/reward normalization (SB3's VecNormalize), when the tuned entry uses it. */
  normalize?: NormalizationOptions;
}

/**
 * Tuned PPO settings per environment. CartPole-v1 follows the RL Baselines3 Zoo's PPO entry
 * (8 envs, 32 steps, batch 256, λ 0.8, γ 0.98, linearly annealed lr 1e-3 and clip 0.2) with 10
 * epochs instead of 20: in a sweep on the 2-core reference machine (seeds 1–4) it reached a
 * 100-episode training mean of 475 after 78k–91k steps and 17–19 s, and every seed evaluated at 500.
 */
export const TUNED_PPO: Record<string, TunedConfig> = {
  // RL Zoo's PPO entries (without gSDE, which Proximal does not have yet; MountainCarContinuous
  // with 1024-step rollouts since batchSize may not exceed nSteps · numEnvs here)
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
  'MountainCarContinuous-v0': {
    numEnvs: 1,
    totalTimesteps: 100_000,
    normalize: { normObs: true, normReward: true },
    hyperparameters: {
      nSteps: 1024,
      batchSize: 256,
      gamma: 0.9999,
      learningRate: 7.77e-5,
      entCoef: 0.00429,
      clipRange: 0.1,
      nEpochs: 10,
      gaeLambda: 0.9,
      maxGradNorm: 5,
      vfCoef: 0.19,
      policyKwargs: { logStdInit: -3.29 },
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
export const GENERIC_PPO: TunedConfig = { numEnvs: 8, totalTimesteps: 1_000_000, hyperparameters: {} };

/**
 * Tuned TRPO settings per environment (sb3-contrib's defaults otherwise). CartPole-v1: 4 envs × 512
 * steps, critic minibatches of 256 and 5 critic epochs per rollout.
 */
export const TUNED_TRPO: Record<string, TunedConfig> = {
  'CartPole-v1': {
    numEnvs: 4,
    totalTimesteps: 100_000,
    hyperparameters: { nSteps: 512, batchSize: 256, nCriticUpdates: 5 },
  },
};

/** Settings for an env without a tuned TRPO entry. */
export const GENERIC_TRPO: TunedConfig = { numEnvs: 4, totalTimesteps: 1_000_000, hyperparameters: {} };
