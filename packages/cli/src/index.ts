export type { TunedConfig } from './hyperparams.js';
export { GENERIC_PPO, GENERIC_TRPO, TUNED_PPO, TUNED_TRPO } from './hyperparams.js';
export { main, program } from './main.js';
