export type { TunedConfig } from './hyperparams.js';
export { GENERIC_PPO, TUNED_PPO } from './hyperparams.js';
export { main, program } from './main.js';
