export * from './random.js';
export { backendInfo } from './backend/dispatch.js';
export type { Backend, BackendInfo, BackendStatus, KernelOptions } from './backend/dispatch.js';
export * from './gae.js';
export * from './surrogate.js';
export * from './stats.js';
export * from './mlp.js';
export { Categorical } from './distributions/categorical.js';
