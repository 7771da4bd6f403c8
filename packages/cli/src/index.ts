export type { TunedConfig } from './hyperparams.js';
export {
  GENERIC_A2C,
  GENERIC_PPO,
  GENERIC_TRPO,
  TUNED_A2C,
  TUNED_PPO,
  TUNED_TRPO,
} from './hyperparams.js';
export { main, program } from './main.js';
