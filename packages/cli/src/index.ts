export { main, program } from './main.js';
export { TUNED_PPO, GENERIC_PPO } from './hyperparams.js';
export type { TunedConfig } from './hyperparams.js';
