/**
 * A2C's registry definition: its name on the command line, its hyperparameter schema, training
 * presets per env, and how to create and load it.
 */
import { onPolicySupport } from '../common/support.js';
import type { AlgorithmDefinition, RegisteredModel, TrainingPreset } from '../registry.js';
import { A2C, type A2cOptions } from './a2c.js';
import { A2C_SCHEMA } from './config.js';

/**
 * Tuned A2C settings per environment (SB3's A2C defaults otherwise). CartPole-v1: the RL Baselines3
 * Zoo's A2C entry (8 envs, entCoef 0, 500k steps; not re-tuned here).
 */
export const TUNED_A2C: Readonly<Record<string, TrainingPreset>> = {
  'CartPole-v1': { numEnvs: 8, totalTimesteps: 500_000, hyperparameters: { entCoef: 0 } },
};

/** Settings for an env without a tuned A2C entry: SB3's defaults with 8 envs and 1M steps. */
export const GENERIC_A2C: TrainingPreset = { numEnvs: 8, totalTimesteps: 1_000_000, hyperparameters: {} };

/** A2C in the algorithm registry (`proximal train a2c <env>`). */
export const A2C_ALGORITHM: AlgorithmDefinition = {
  name: 'a2c',
  modelName: 'A2C',
  summary: 'Advantage Actor-Critic (Mnih et al. 2016), as Stable-Baselines3',
  schema: A2C_SCHEMA,
  vectorEnvs: true,
  presets: { default: GENERIC_A2C, perEnv: TUNED_A2C },
  supports: (spaces) => onPolicySupport('A2C', spaces),
  create: (options) => A2C.create(options as unknown as A2cOptions) as Promise<RegisteredModel>,
  load: (dir, options) => A2C.load(dir, options) as Promise<RegisteredModel>,
};
