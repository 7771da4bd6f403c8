/**
 * VPG's registry definition: its name on the command line, its hyperparameter schema, training
 * presets per env, and how to create and load it.
 */
import { onPolicySupport } from '../common/support.js';
import type { AlgorithmDefinition, RegisteredModel, TrainingPreset } from '../registry.js';
import { VPG_SCHEMA } from './config.js';
import { VPG, type VpgOptions } from './vpg.js';

/** Tuned VPG settings per environment (none yet: Spinning Up's defaults everywhere). */
export const TUNED_VPG: Readonly<Record<string, TrainingPreset>> = {};

/** Settings for an env without a tuned entry: Spinning Up's defaults (one env, 4000 steps per epoch) for 50 epochs. */
export const GENERIC_VPG: TrainingPreset = { numEnvs: 1, totalTimesteps: 200_000, hyperparameters: {} };

/** VPG in the algorithm registry (`proximal train vpg <env>`). */
export const VPG_ALGORITHM: AlgorithmDefinition = {
  name: 'vpg',
  modelName: 'VPG',
  summary: 'Vanilla policy gradient / REINFORCE (Williams 1992), as OpenAI Spinning Up',
  schema: VPG_SCHEMA,
  vectorEnvs: true,
  presets: { default: GENERIC_VPG, perEnv: TUNED_VPG },
  supports: (spaces) => onPolicySupport('VPG', spaces),
  create: (options) => VPG.create(options as unknown as VpgOptions) as Promise<RegisteredModel>,
  load: (dir, options) => VPG.load(dir, options) as Promise<RegisteredModel>,
};
