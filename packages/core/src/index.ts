export type { Backend, BackendInfo, BackendStatus, KernelOptions } from './backend/dispatch.js';
export { backendInfo } from './backend/dispatch.js';
export { Categorical } from './distributions/categorical.js';
export * from './gae.js';
export * from './mlp.js';
export * from './random.js';
export * from './stats.js';
export * from './surrogate.js';
