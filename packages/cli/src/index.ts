/**
 * The tuned training settings moved to each algorithm's registry definition in
 * @proximal/algorithms (`getAlgorithm(name).presets`); re-exported here for compatibility.
 * @deprecated import them from @proximal/algorithms.
 */
export type { TunedConfig } from '@proximal/algorithms';
export {
  GENERIC_A2C,
  GENERIC_PPO,
  GENERIC_TRPO,
  TUNED_A2C,
  TUNED_PPO,
  TUNED_TRPO,
} from '@proximal/algorithms';
export { main, program } from './main.js';
