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
export const GENERIC_PPO: TunedConfig = { numEnvs: 8, totalTimesteps: 1_000_000, hyperparameters: {} };

/**
 * Tuned TRPO settings per environment (sb3-contrib's defaults otherwise). CartPole-v1: 4 envs × 512
 * steps, critic minibatches of 256 and 5 critic epochs per rollout. MountainCarContinuous-v0: the
 * RL Zoo's entry (2 envs, sb3-contrib defaults, normalization, gSDE) with the noise matrix held for
 * the whole 2048-step rollout (sdeSampleFreq −1 instead of the zoo's 4, with which seed 3 never
 * reached the goal in 53k steps) and 100k steps instead of 50k (one seed dipped mid-training before
 * settling). Seeds 1–6 evaluated at 92.7–93.1.
 */
export const TUNED_TRPO: Record<string, TunedConfig> = {
  'CartPole-v1': {
    numEnvs: 4,
    totalTimesteps: 100_000,
    hyperparameters: { nSteps: 512, batchSize: 256, nCriticUpdates: 5 },
  },
  'MountainCarContinuous-v0': {
    numEnvs: 2,
    totalTimesteps: 100_000,
    normalize: { normObs: true, normReward: true },
    hyperparameters: { useSde: true, sdeSampleFreq: -1 },
  },
};

/** Settings for an env without a tuned TRPO entry. */
export const GENERIC_TRPO: TunedConfig = { numEnvs: 4, totalTimesteps: 1_000_000, hyperparameters: {} };

/**
 * Tuned A2C settings per environment (SB3's A2C defaults otherwise). CartPole-v1: the RL Baselines3
 * Zoo's A2C entry (8 envs, entCoef 0, 500k steps; not re-tuned here).
 */
export const TUNED_A2C: Record<string, TunedConfig> = {
  'CartPole-v1': { numEnvs: 8, totalTimesteps: 500_000, hyperparameters: { entCoef: 0 } },
};

/** Settings for an env without a tuned A2C entry: SB3's defaults with 8 envs and 1M steps. */
export const GENERIC_A2C: TunedConfig = { numEnvs: 8, totalTimesteps: 1_000_000, hyperparameters: {} };
