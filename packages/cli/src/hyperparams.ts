import type { PpoHyperparameters } from '@proximal/algorithms';
import { linearSchedule } from '@proximal/algorithms';

/** Per-environment defaults of `proximal train`: hyperparameters, env count and budget. */
export interface TunedConfig {
  numEnvs: number;
  totalTimesteps: number;
  hyperparameters: Partial<PpoHyperparameters>;
}

/**
 * Tuned PPO settings per environment. CartPole-v1 follows the RL Baselines3 Zoo's PPO entry
 * (8 envs, 32 steps, batch 256, λ 0.8, γ 0.98, 20 epochs, linearly annealed lr 1e-3 and clip 0.2).
 */
export const TUNED_PPO: Record<string, TunedConfig> = {
  'CartPole-v1': {
    numEnvs: 8,
    totalTimesteps: 100_000,
    hyperparameters: {
      nSteps: 32,
      batchSize: 256,
      gaeLambda: 0.8,
      gamma: 0.98,
      nEpochs: 20,
      entCoef: 0,
      learningRate: linearSchedule(1e-3),
      clipRange: linearSchedule(0.2),
    },
  },
};

/** Settings for an env without a tuned entry: SB3's defaults with 8 envs and 1M steps. */
export const GENERIC_PPO: TunedConfig = { numEnvs: 8, totalTimesteps: 1_000_000, hyperparameters: {} };
