import { availableParallelism } from 'node:os';
import { loadNativeBackend, type NativeAddon } from './native.js';

/** Which implementation runs a kernel. `'auto'` picks the fastest one that loaded. */
export type Backend = 'auto' | 'js' | 'native' | 'cuda';

/**
 * Options of every kernel (its last argument). Both backends accept the same keys with the same
 * meaning and checks; any other key is refused (TypeError `options has an unknown option 'x'`).
 */
export interface KernelOptions {
  /** Implementation to use (default `'auto'`: native when the addon loaded, else the TypeScript reference). */
  backend?: Backend;
  /**
   * CPU threads for the native backend, an integer in [1, 1024] (default: all hardware threads).
   * The 'js' backend checks it and runs single-threaded: a validated no-op there.
   */
  threads?: number;
  /**
   * Check that every float input is finite (default true): a NaN or ±Infinity element throws
   * RangeError `<argument>[<index>] must be finite, got NaN` naming the first bad element (in
   * argument order; for masked kernels only elements with mask = 1 count), on every backend, before
   * any output is written. `false` skips the scan (one pass over the inputs) for callers that
   * guarantee finite data; non-finite inputs then propagate into the results as IEEE arithmetic
   * makes them.
   */
  checkFinite?: boolean;
}

export interface BackendStatus {
  available: boolean;
  /** Why the backend is unavailable (null when available). */
  reason: string | null;
}

/** What `backendInfo()` reports. */
export interface BackendInfo {
  js: BackendStatus;
  native: BackendStatus & { path: string | null; version: string | null; compiler: string | null };
  cuda: BackendStatus & { gpu: string | null };
  /** Kernels the native addon exports. */
  nativeKernels: string[];
  /** Backend that `'auto'` picks for GAE on host arrays. */
  auto: 'js' | 'native' | 'cuda';
  /** Logical CPU threads available to the process. */
  cpuThreads: number;
}

/**
 * Which backends loaded, why the others did not, CPU threads and GPU name.
 * Never throws; the native addon is loaded on first call.
 */
export function backendInfo(): BackendInfo {
  const load = loadNativeBackend();
  let version: ReturnType<NativeAddon['version']> | null = null;
  if (load.addon) {
    try {
      version = load.addon.version();
    } catch {
      version = null;
    }
  }
  const kernels = load.addon
    ? Object.keys(load.addon).filter((k) => typeof load.addon?.[k] === 'function')
    : [];
  return {
    js: { available: true, reason: null },
    native: {
      available: load.addon !== null,
      reason: load.error,
      path: load.path,
      version: version?.version ?? null,
      compiler: version?.compiler ?? null,
    },
    cuda: {
      available: false,
      reason: load.addon
        ? 'the native addon was built without CUDA (no nvcc, or no GPU on this machine)'
        : 'the native addon did not load',
      gpu: null,
    },
    nativeKernels: kernels.sort(),
    auto: load.addon ? 'native' : 'js',
    cpuThreads: availableParallelism(),
  };
}

/**
 * Resolves the backend for one kernel call.
 * @param kernel the addon function the native path needs (e.g. 'gae').
 * @throws Error when a backend was asked for explicitly and did not load, naming the load error.
 */
export function resolveBackend(
  requested: Backend | undefined,
  kernel: string,
): { backend: 'js' } | { backend: 'native'; addon: NativeAddon } {
  const backend = requested ?? 'auto';
  if (backend === 'js') return { backend: 'js' };
  if (backend !== 'auto' && backend !== 'native' && backend !== 'cuda') {
    throw new RangeError(`backend must be 'auto', 'js', 'native' or 'cuda', got ${String(backend)}`);
  }
  const load = loadNativeBackend();
  const fn = load.addon?.[kernel];
  if (backend === 'auto') {
    return load.addon && typeof fn === 'function'
      ? { backend: 'native', addon: load.addon }
      : { backend: 'js' };
  }
  if (backend === 'cuda') {
    throw new Error(`backend 'cuda' is not available: ${backendInfo().cuda.reason}`);
  }
  if (!load.addon) throw new Error(`backend 'native' is not available: ${load.error}`);
  if (typeof fn !== 'function') {
    throw new Error(`backend 'native' has no '${kernel}' kernel in this build of @proximal/native`);
  }
  return { backend: 'native', addon: load.addon };
}
