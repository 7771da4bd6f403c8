/** Shapes of the files in a run directory (`runs/<run>/`), as written by the `proximal` CLI. */

/** `config.json`: what was trained, with which settings, where. */
export interface RunConfig {
  /** e.g. `'PPO'`. */
  algorithm: string;
  /** e.g. `'CartPole-v1'`. */
  envId: string;
  seed: number;
  numEnvs: number;
  totalTimesteps: number;
  /** Algorithm hyperparameters (learning rate, n_steps, ...), values as JSON. */
  hyperparameters: Record<string, unknown>;
  backends: {
    /** Backend of the RL kernels in `@proximal/core`: `'native'`, `'cuda'` or `'js'`. */
    core: string;
    /** Why the preferred backend was not used, or `null`. */
    coreReason: string | null;
    /** TensorFlow.js backend, e.g. `'wasm'`. */
    tf: string;
  };
  machine: {
    cpus: string;
    cpuCount: number;
    memoryGiB: number;
    node: string;
    platform: string;
  };
  /** ISO 8601 time the run started. */
  startedAt: string;
}

/**
 * One line of `metrics.jsonl`: scalars of one training iteration, keyed as SB3 names them
 * (`time/total_timesteps`, `rollout/ep_rew_mean`, `train/approx_kl`, ...). `null` in the file
 * (how JSON writes NaN) is read back as `NaN`.
 */
export type MetricsRow = Record<string, number>;

/** `eval.json`: the final evaluation of the trained policy. */
export interface EvalResult {
  nEvalEpisodes: number;
  deterministic: boolean;
  /** Mean undiscounted episode return. */
  meanReward: number;
  /** Standard deviation of episode returns (over episodes). */
  stdReward: number;
  episodeRewards: number[];
  /** Seconds spent evaluating. */
  wallTime: number;
  /** Seconds spent training. */
  trainWallTime?: number;
}

/** A run directory read by {@link readRun}. */
export interface RunData {
  /** The directory as given. */
  dir: string;
  /** Its last path component (the run name). */
  name: string;
  /** `config.json`, or `null` when missing or unreadable (a warning says which). */
  config: RunConfig | null;
  /** Rows of `metrics.jsonl` that parsed, in file order. */
  metrics: MetricsRow[];
  /** `eval.json`, or `null` when absent. */
  eval: EvalResult | null;
  /** Problems met while reading, e.g. `metrics.jsonl line 7: Unexpected token ...`. */
  warnings: string[];
}
