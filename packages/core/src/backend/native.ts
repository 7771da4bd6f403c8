/**
 * Loads `@proximal/native` if it is installed and built. Never throws: the reason for a failed
 * load is kept and shown by `backendInfo()`.
 */
import { createRequire } from 'node:module';

/** Options accepted by the native GAE kernel (see `gae` in ../gae.ts for semantics). */
export interface NativeGaeArgs {
  rewards: Float32Array;
  values: Float32Array;
  nextValues?: Float32Array;
  bootstrapValues?: Float32Array;
  terminated: Uint8Array;
  truncated?: Uint8Array;
  numEnvs: number;
  gamma: number;
  lambda: number;
  advantages?: Float32Array;
  returns?: Float32Array;
  threads?: number;
}

/** The subset of the addon's API that core uses. */
export interface NativeAddon {
  gae(args: NativeGaeArgs): { advantages: Float32Array; returns: Float32Array };
  gaeAsync(args: NativeGaeArgs): Promise<{ advantages: Float32Array; returns: Float32Array }>;
  version(): { version: string; napiVersion: number; compiler?: string; threads: number; cuda: boolean };
  [kernel: string]: unknown;
}

export interface NativeLoad {
  addon: NativeAddon | null;
  error: string | null;
  path: string | null;
}

let cached: NativeLoad | undefined;

/** Loads the addon once (synchronously) and caches the outcome. */
export function loadNativeBackend(): NativeLoad {
  if (cached) return cached;
  try {
    const require = createRequire(import.meta.url);
    const mod = require('@proximal/native') as { loadNative(): NativeLoad };
    const res = mod.loadNative();
    cached = { addon: res.addon, error: res.error, path: res.path };
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err);
    cached = {
      addon: null,
      error: `@proximal/native is not installed or failed to load (${msg.split('\n')[0]}); install it with \`npm i @proximal/native\` for the C++ kernels`,
      path: null,
    };
  }
  return cached;
}
