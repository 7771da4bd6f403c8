/**
 * Benchmark results, as the benchmark scripts write them (`benchmarks/results/*.json`):
 *
 * ```json
 * {
 *   "machine": { "cpus": "AMD EPYC 7B13", "cpuCount": 2, "gpu": null, "node": "v20.20.2" },
 *   "timestamp": "2025-11-21T00:00:00.000Z",
 *   "results": [
 *     { "kernel": "gae", "size": "1024x8192", "backend": "js", "medianMs": 16.9 },
 *     { "kernel": "gae", "size": "1024x8192", "backend": "native-mt", "medianMs": 1.2, "baseline": "js", "ratio": 14.1 }
 *   ]
 * }
 * ```
 */

/** One measurement: a kernel at one problem size on one backend. */
export interface BenchmarkResult {
  /** Kernel or workload name, e.g. `'gae'`, `'surrogate'`, `'ppo-cartpole'`. */
  kernel: string;
  /** Problem size label, e.g. `'1024x8192'` (T×N); compared as text, ordered as first seen. */
  size: string;
  /** Backend label, e.g. `'js'`, `'native'`, `'native-mt'`, `'cuda'`. */
  backend: string;
  /** Median wall time of one call, in milliseconds. */
  medianMs: number;
  /** Backend this one is compared with (same kernel and size). */
  baseline?: string;
  /**
   * Speed-up against the baseline: `baseline medianMs / this medianMs` (> 1 means faster). When
   * absent it is computed from the baseline's row of the same kernel and size, when there is one.
   */
  ratio?: number;
  /** Optional spread: 10th and 90th percentile times, in milliseconds. */
  p10Ms?: number;
  p90Ms?: number;
  /** Timed repetitions behind the median. */
  iterations?: number;
}

/** A results file: the machine it ran on, when, and the measurements. */
export interface BenchmarkFile {
  /** Free-form description of the machine (CPU model, core count, GPU, Node version, ...). */
  machine?: Record<string, unknown>;
  /** ISO 8601 time of the run. */
  timestamp?: string;
  results: BenchmarkResult[];
}
