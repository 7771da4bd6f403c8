/**
 * DQN's registry definition: its name on the command line, its hyperparameter schema, training
 * presets per env, and how to create and load it.
 */
import { observationEncoder } from '../common/spaces.js';
import { supportFrom } from '../common/support.js';
import type { AlgorithmDefinition, RegisteredModel, TrainingPreset } from '../registry.js';
import { DQN_SCHEMA } from './config.js';
import { DQN, type DqnOptions, discreteActions } from './dqn.js';

/**
 * Tuned DQN settings per environment. Maze2x3-v0: the settings of the learning test. CartPole-v1: the RL Baselines3 Zoo's DQN entry (lr 2.3e-3,
 * batch 64, buffer 100k, learningStarts 1000, γ 0.99, target update every 10 steps, trainFreq 256,
 * 128 gradient steps, exploration over 16 % to ε 0.04, net [256, 256], 50k steps).
 */
export const TUNED_DQN: Readonly<Record<string, TrainingPreset>> = {
  // The seeds' 2×3 maze: solved (return 10 in 3 steps) within 2000 steps on seeds 1–3 (test/dqn-learning.test.ts)
  'Maze2x3-v0': {
    numEnvs: 1,
    totalTimesteps: 2000,
    hyperparameters: {
      learningRate: 1e-3,
      learningStarts: 200,
      bufferSize: 10_000,
      trainFreq: 1,
      targetUpdateInterval: 100,
      explorationFraction: 0.3,
    },
  },
  'CartPole-v1': {
    numEnvs: 1,
    totalTimesteps: 50_000,
    hyperparameters: {
      learningRate: 2.3e-3,
      batchSize: 64,
      bufferSize: 100_000,
      learningStarts: 1000,
      gamma: 0.99,
      targetUpdateInterval: 10,
      trainFreq: 256,
      gradientSteps: 128,
      explorationFraction: 0.16,
      explorationFinalEps: 0.04,
      policyKwargs: { netArch: [256, 256] },
    },
  },
};

/** Settings for an env without a tuned DQN entry: SB3's defaults with 1 env and 1M steps. */
export const GENERIC_DQN: TrainingPreset = { numEnvs: 1, totalTimesteps: 1_000_000, hyperparameters: {} };

/** DQN in the algorithm registry (`proximal train dqn <env>`). */
export const DQN_ALGORITHM: AlgorithmDefinition = {
  name: 'dqn',
  modelName: 'DQN',
  summary: 'Deep Q-Network (Mnih et al. 2015; Double DQN option), as Stable-Baselines3',
  schema: DQN_SCHEMA,
  vectorEnvs: true,
  presets: { default: GENERIC_DQN, perEnv: TUNED_DQN },
  supports: (spaces) =>
    supportFrom(() => {
      observationEncoder(spaces.observationSpace, 'DQN');
      discreteActions(spaces.actionSpace);
    }),
  create: (options) => DQN.create(options as unknown as DqnOptions) as Promise<RegisteredModel>,
  load: (dir, options) => DQN.load(dir, options) as Promise<RegisteredModel>,
};
