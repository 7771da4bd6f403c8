/**
 * The vector-environment interfaces: many sub-envs stepped together, batched as flat typed arrays.
 *
 * Source: Gymnasium 1.x, `gymnasium/vector/vector_env.py` (`VectorEnv`, `AutoresetMode`, the
 * `_add_info` dict-of-arrays convention with `_key` masks).
 */
import type { Space } from '../spaces/space.js';

/**
 * When a sub-env whose episode ended is reset (Gymnasium 1.x `AutoresetMode`):
 * - `'next-step'` (default): on the *next* `step()` call the sub-env is reset instead of stepped;
 *   its action is ignored and that step reports the reset observation, reward 0,
 *   terminated = truncated = 0 and the reset info.
 * - `'same-step'`: inside the same `step()` call; the returned observation is the reset one and the
 *   true last observation is in `infos.finalObservation` (rows where `infos.finalObservationMask`
 *   is 1), the last step's info in `infos.finalInfo`.
 * - `'disabled'`: never; stepping an ended sub-env throws, reset it with
 *   `reset({ options: { resetMask } })`.
 */
export type AutoresetMode = 'next-step' | 'same-step' | 'disabled';

/** The accepted autoreset modes. */
export const AUTORESET_MODES: readonly AutoresetMode[] = Object.freeze([
  'next-step',
  'same-step',
  'disabled',
]);

/**
 * Batched infos, Gymnasium 1.x style: for every key some sub-env reported, `infos[key]` holds one
 * entry per sub-env (numbers → `Float64Array`, booleans → `Uint8Array`, typed arrays of width k →
 * the same typed array type of length numEnvs·k, row-major, nested plain objects → nested dicts,
 * anything else → an `Array`) and `infos['_' + key]` is a `Uint8Array` mask of the sub-envs that
 * reported it (entries of the others are 0 / null). Arrays are reused by the next `step()` / `reset()`.
 */
export interface VectorInfo {
  [key: string]: unknown;
  /**
   * Statistics of the episodes that ended in this step (from `RecordEpisodeStatistics` sub-envs,
   * in every autoreset mode): return `r`, length `l`, seconds `t`; `_r`, `_l`, `_t` masks too.
   */
  episode?: { r: Float64Array; l: Int32Array; t: Float64Array; [key: string]: unknown };
  /** Which sub-envs finished an episode in this step (1) — read `episode` only there. */
  _episode?: Uint8Array;
  /**
   * `'same-step'` mode, present when a sub-env ended this step: float32 [numEnvs · obsDim],
   * row i is sub-env i's last observation of the ended episode where `finalObservationMask[i] === 1`
   * (other rows are 0).
   */
  finalObservation?: Float32Array;
  /** `'same-step'` mode: 1 for the sub-envs whose row of `finalObservation` is valid. */
  finalObservationMask?: Uint8Array;
  /** Same array as `finalObservationMask` (the Gymnasium-style `_key` mask name). */
  _finalObservation?: Uint8Array;
  /** `'same-step'` mode: the batched infos of the ended sub-envs' last step. */
  finalInfo?: VectorInfo;
  /** `'same-step'` mode: mask of the sub-envs present in `finalInfo`. */
  _finalInfo?: Uint8Array;
}

/**
 * What `VectorEnv.step` returns. All arrays are preallocated and **overwritten by the next
 * `step()` / `reset()`**: copy what you keep (a rollout buffer copies anyway).
 * - `observations`: float32 [numEnvs · obsDim], row-major (row i = sub-env i).
 * - `rewards`: float32 [numEnvs].
 * - `terminated`, `truncated`: 0/1 [numEnvs].
 * - `infos`: see {@link VectorInfo}.
 */
export interface VectorStepResult {
  observations: Float32Array;
  rewards: Float32Array;
  terminated: Uint8Array;
  truncated: Uint8Array;
  infos: VectorInfo;
}

/** What `VectorEnv.reset` returns (arrays reused like {@link VectorStepResult}'s). */
export interface VectorResetResult {
  observations: Float32Array;
  infos: VectorInfo;
}

/**
 * Options of `VectorEnv.reset`.
 * - `seed`: a number s seeds sub-env i with s + i; an array gives one seed (or undefined) per sub-env.
 * - `options`: passed to every sub-env's reset; `options.resetMask` (length numEnvs, 0/1 or
 *   booleans) resets only the marked sub-envs (Gymnasium's `reset_mask`), leaving the other rows.
 */
export interface VectorResetOptions {
  seed?: number | readonly (number | undefined)[];
  options?: Record<string, unknown>;
}

/**
 * A batch of `numEnvs` copies of one environment (Gymnasium 1.x `VectorEnv`).
 */
export interface VectorEnv {
  /** Number of sub-envs. */
  readonly numEnvs: number;
  /** The observation space of one sub-env. */
  readonly singleObservationSpace: Space<unknown>;
  /** The action space of one sub-env. */
  readonly singleActionSpace: Space<unknown>;
  /** How ended sub-envs are reset. */
  readonly autoresetMode: AutoresetMode;
  /** Resets the sub-envs; see {@link VectorResetOptions}. */
  reset(options?: VectorResetOptions): VectorResetResult;
  /**
   * Steps every sub-env; `actions` holds numEnvs · actionSize values (sub-env i's action at
   * `i * actionSize`; one integer per sub-env for `Discrete`).
   */
  step(actions: Int32Array | Float32Array | Float64Array | readonly number[]): VectorStepResult;
  /** Closes every sub-env; idempotent. */
  close(): void;
}
