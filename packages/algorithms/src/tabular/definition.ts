/**
 * The registry definitions of tabular Q-learning and SARSA: their names on the command line, the
 * shared hyperparameter schema, training presets, and how to create and load them.
 */
import { supportFrom } from '../common/support.js';
import type {
  AlgorithmDefinition,
  RegisteredModel,
  RegistryCreateOptions,
  TrainingPreset,
} from '../registry.js';
import { TABULAR_SCHEMA } from './config.js';
import { QLearning } from './q-learning.js';
import { SARSA } from './sarsa.js';
import { checkTabularSpaces, type TabularAlgorithm, type TabularOptions } from './tabular-algorithm.js';

/** Settings for any env: one env (tabular methods learn from one stream of experience), 100k steps. */
export const GENERIC_TABULAR: TrainingPreset = { numEnvs: 1, totalTimesteps: 100_000, hyperparameters: {} };

/**
 * `create` of a tabular definition: the options without `numEnvs` (which must be 1 when given:
 * a tabular agent runs one env), then the constructor (which refuses other unknown options).
 */
function createTabular(
  algorithm: string,
  make: (o: TabularOptions) => TabularAlgorithm,
): (options: RegistryCreateOptions) => Promise<RegisteredModel> {
  return async ({ numEnvs, ...rest }) => {
    if (numEnvs !== undefined && numEnvs !== 1) {
      throw new RangeError(`${algorithm} trains on one env: numEnvs must be 1, got ${String(numEnvs)}`);
    }
    return make(rest as unknown as TabularOptions) as unknown as RegisteredModel;
  };
}

const supports: AlgorithmDefinition['supports'] = ({ observationSpace, actionSpace }) =>
  supportFrom(() => checkTabularSpaces(observationSpace, actionSpace, 'a tabular method'));

/** Tabular Q-learning in the algorithm registry (`proximal train q-learning <env>`). */
export const Q_LEARNING_ALGORITHM: AlgorithmDefinition = {
  name: 'q-learning',
  modelName: 'QLearning',
  summary: 'tabular Q-learning (Watkins & Dayan 1992) with ε-greedy exploration',
  schema: TABULAR_SCHEMA,
  vectorEnvs: false,
  presets: { default: GENERIC_TABULAR },
  supports,
  create: createTabular('QLearning', (o) => new QLearning(o)),
  load: (dir, options) => QLearning.load(dir, options) as unknown as Promise<RegisteredModel>,
};

/** Tabular SARSA in the algorithm registry (`proximal train sarsa <env>`). */
export const SARSA_ALGORITHM: AlgorithmDefinition = {
  name: 'sarsa',
  modelName: 'SARSA',
  summary: 'tabular SARSA (Sutton & Barto 2018, §6.4) with ε-greedy exploration',
  schema: TABULAR_SCHEMA,
  vectorEnvs: false,
  presets: { default: GENERIC_TABULAR },
  supports,
  create: createTabular('SARSA', (o) => new SARSA(o)),
  load: (dir, options) => SARSA.load(dir, options) as unknown as Promise<RegisteredModel>,
};
