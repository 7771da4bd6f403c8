/**
 * @proximal/native — C++ kernels for Proximal behind a Node-API addon.
 *
 * Applications normally use these kernels through `@proximal/core` (which picks a backend and falls
 * back to its TypeScript reference when the addon is missing); this package only builds and loads
 * the addon.
 *
 * @packageDocumentation
 */

/**
 * Arguments of {@link NativeAddon.gae}. Every [T, N] array is time-major and flattened: element
 * (t, n) is at `t * numEnvs + n`, T = `rewards.length / numEnvs`. Typed arrays are read and written
 * in place (zero-copy).
 */
export interface NativeGaeArgs {
  /** r_t, Float32Array [T, N]. Its length defines T * N. */
  rewards: Float32Array;
  /** V(s_t), Float32Array [T, N]. */
  values: Float32Array;
  /**
   * V(s_{t+1}) of the true successor state (the final observation when the episode ended at t),
   * Float32Array [T, N]. Exactly one of `nextValues` and `bootstrapValues` must be given.
   */
  nextValues?: Float32Array;
  /**
   * V(s_T), Float32Array [N]: without `nextValues` the successor value of step t < T−1 is
   * `values[t + 1]` and of step T−1 is `bootstrapValues` (CleanRL's form). Not allowed together
   * with `truncated`.
   */
  bootstrapValues?: Float32Array;
  /** 1 where the episode reached a terminal state at step t, else 0; Uint8Array (or Buffer) [T, N]. */
  terminated: Uint8Array;
  /** 1 where the episode was cut off (time limit) at step t, else 0; Uint8Array [T, N]. Needs `nextValues`. */
  truncated?: Uint8Array;
  /** N, the number of parallel environments: a positive integer dividing `rewards.length`. */
  numEnvs: number;
  /** Discount factor γ, a finite number in [0, 1]. */
  gamma: number;
  /** GAE smoothing λ, a finite number in [0, 1]. */
  lambda: number;
  /** Preallocated output for the advantages, Float32Array [T, N]; a new one is allocated when absent. */
  advantages?: Float32Array;
  /** Preallocated output for the returns, Float32Array [T, N]; a new one is allocated when absent. */
  returns?: Float32Array;
  /**
   * CPU threads to use, an integer in [1, 1024] (default: all hardware threads; 1 forces the
   * single-threaded path). Inputs with T·N < 2^18 always run on one thread; larger ones are split
   * into column ranges of at least 32 environments, each thread running the whole backward time
   * loop for its columns.
   */
  threads?: number;
}

/** Outputs of {@link NativeAddon.gae}: the given or newly allocated Float32Arrays [T, N]. */
export interface NativeGaeResult {
  advantages: Float32Array;
  returns: Float32Array;
}

/** What {@link NativeAddon.version} reports about the build and the machine. */
export interface NativeVersionInfo {
  /** The package version the addon was built from (package.json). */
  version: string;
  /** The Node-API version the addon was compiled against (package.json `binary.napi_versions`). */
  napiVersion: number;
  /** The highest Node-API version the running Node.js supports. */
  runtimeNapiVersion: number;
  /** Compiler and version, e.g. "GCC 12.2.0". */
  compiler: string;
  /** CMake build type, e.g. "Release". */
  buildType: string;
  /** `std::thread::hardware_concurrency()`: the default thread count of the kernels. */
  threads: number;
  /** Whether CUDA kernels were compiled in (always false in this build). */
  cuda: boolean;
  /** Vector instruction set the kernels run with on this CPU: "avx2", "sse2", "neon" or "scalar". */
  simd?: string;
  /** Names of the kernel functions this build exports. */
  kernels: string[];
}

/** The functions exported by proximal_native.node. */
export interface NativeAddon {
  /**
   * Generalized advantage estimation over a time-major rollout [T, N], on the calling thread.
   *
   * ```
   * delta_t = r_t + γ (1 − terminated_t) v'_t − v_t
   * A_t     = delta_t + γ λ (1 − (terminated_t ∨ truncated_t)) A_{t+1},   A_T = 0
   * returns = A + v
   * ```
   * where v'_t is `nextValues[t]`, or without it `values[t+1]` (and `bootstrapValues` at t = T−1).
   * Source: Schulman et al. 2016, "High-Dimensional Continuous Control Using Generalized Advantage
   * Estimation" (eq. 16); done handling as TorchRL's `generalized_advantage_estimate`
   * (done = terminated ∨ truncated: a truncated step bootstraps from its successor's value but
   * does not carry A_{t+1} across the episode boundary).
   *
   * Precision: float32 inputs, float64 arithmetic, float32 outputs — the same operations in the same
   * order as @proximal/core's TypeScript reference, so results are bit-identical to it. The
   * "(1 − flag) · x" factors are selects: a non-finite value masked by a flag does not propagate.
   *
   * @returns `{ advantages, returns }`, Float32Array [T, N] (the `advantages`/`returns` arrays
   *   passed in, when given).
   * @throws TypeError when the argument is not an object; when an array argument is missing or not
   *   of its typed-array type (e.g. `rewards must be a Float32Array, got Float64Array(8)`); when both
   *   or neither of `nextValues`/`bootstrapValues` are given; when `truncated` is given with
   *   `bootstrapValues`.
   * @throws RangeError when a length differs from T·N (or N for `bootstrapValues`), naming both
   *   lengths (`values has length 7, expected 8 (= rewards.length)`); when `numEnvs` is not a
   *   positive integer dividing `rewards.length`; when `gamma`/`lambda` is not a finite number in
   *   [0, 1]; when `threads` is not an integer in [1, 1024]; when a flag is not 0/1 (naming the
   *   first bad index: `terminated[5] must be 0 or 1, got 2`); when an output array shares memory
   *   with an input or with the other output.
   */
  gae(args: NativeGaeArgs): NativeGaeResult;

  /**
   * As {@link NativeAddon.gae}, on the libuv thread pool; the JS thread only validates the
   * arguments (the flag check runs on the pool too). Invalid arguments reject the promise with the
   * same TypeError/RangeError as `gae` (it never throws synchronously). The input and output arrays
   * are kept alive until the promise settles; do not write to them, transfer or resize their
   * buffers meanwhile.
   */
  gaeAsync(args: NativeGaeArgs): Promise<NativeGaeResult>;

  /** Build and machine information. */
  version(): NativeVersionInfo;
}

/** Outcome of {@link loadNative}. */
export interface NativeLoadResult {
  /** The loaded addon, or null when it is missing, disabled or failed to load. */
  addon: NativeAddon | null;
  /**
   * Why `addon` is null (null when it loaded): 'disabled by PROXIMAL_DISABLE_NATIVE=1', a missing
   * build (with the reason of the last failed build from build/BUILD_ERROR.txt and how to rebuild),
   * or the dlopen error.
   */
  error: string | null;
  /** The .node file that was (or would have been) loaded. */
  path: string;
}

/**
 * Loads build/Release/proximal_native.node (or `PROXIMAL_NATIVE_PATH`) once and caches the result;
 * never throws. `PROXIMAL_DISABLE_NATIVE=1` skips loading. ESM and CommonJS share the same cache.
 */
export function loadNative(): NativeLoadResult;

/** Absolute path of the package's build/Release/proximal_native.node. */
export const defaultAddonPath: string;
