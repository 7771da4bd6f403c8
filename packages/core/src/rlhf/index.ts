export * from './grpo.js';
export * from './preference.js';
export * from './token-rewards.js';
