/**
 * The environment interfaces (Gymnasium 1.x `gymnasium.Env` API, camelCase).
 *
 * Source: Gymnasium 1.x, `gymnasium/core.py` (`Env.reset`, `Env.step`, `Env.metadata`) and
 * `gymnasium/envs/registration.py` (`EnvSpec`).
 */
import type { Space } from './spaces/space.js';
import type { VectorEnv } from './vector/vector-env.js';

/**
 * What `Env.step` returns (Gymnasium's 5-tuple as an object).
 *
 * - `observation`: the observation after the action (for classic-control envs a fresh
 *   `Float32Array` each step, owned by the caller).
 * - `reward`: float64 reward for this transition.
 * - `terminated`: the MDP reached a terminal state (no bootstrapping past it).
 * - `truncated`: the episode was cut for a reason outside the MDP (time limit); the state is not terminal.
 * - `info`: auxiliary diagnostics; a new object each step, wrappers may add keys (e.g. `episode`).
 */
export interface StepResult<O> {
  observation: O;
  reward: number;
  terminated: boolean;
  truncated: boolean;
  info: Record<string, unknown>;
}

/** What `Env.reset` returns: the first observation of the episode and an info dict. */
export interface ResetResult<O> {
  observation: O;
  info: Record<string, unknown>;
}

/**
 * Options of `Env.reset` (Gymnasium's keyword arguments `seed` and `options`).
 *
 * - `seed`: non-negative safe integer; when given, the env's generator is re-seeded before the reset
 *   (so the same seed gives the same initial state); when omitted the generator continues.
 * - `options`: env-specific reset options (classic control: `{ low, high }` bounds of the initial state).
 */
export interface ResetOptions {
  seed?: number;
  options?: Record<string, unknown>;
}

/**
 * Static facts about an environment (Gymnasium's `metadata` dict).
 *
 * - `renderModes`: the values `renderMode` may take (empty when the env does not render); the
 *   classic-control envs list `['rgb_array', 'svg']`.
 * - `renderFps`: frames per second of the simulation when rendered (CartPole: 50 = 1 / tau); a
 *   positive number, used as the default frame rate of recordings.
 */
export interface EnvMetadata {
  renderModes: string[];
  renderFps?: number;
}

/**
 * A reinforcement-learning environment with the Gymnasium 1.x API.
 *
 * Type parameters: `O` the observation type (default `Float32Array`), `A` the action type
 * (default `number | Float32Array`: a `Discrete` index or a `Box` vector).
 *
 * Life cycle: `reset()` first, then `step()` until `terminated || truncated`, then `reset()` again;
 * `close()` releases resources. Source: Gymnasium 1.x `gymnasium.Env`.
 */
export interface Env<O = Float32Array, A = number | Float32Array> {
  /** The space every observation belongs to. */
  readonly observationSpace: Space<O>;
  /** The space of valid actions; `step` throws for an action outside it. */
  readonly actionSpace: Space<A>;
  /** Render modes and frame rate. */
  readonly metadata: EnvMetadata;
  /** The registry entry this env was made from (set by `make`), if any. */
  spec?: EnvSpec;
  /** The innermost env below all wrappers (an unwrapped env returns itself). */
  readonly unwrapped?: Env<O, A>;
  /**
   * The render mode chosen when the env was created (Gymnasium's `render_mode`), one of
   * `metadata.renderModes`, or undefined when the env does not render.
   */
  readonly renderMode?: string;
  /** Starts a new episode; see {@link ResetOptions}. */
  reset(options?: ResetOptions): ResetResult<O>;
  /** Applies one action and advances the env by one time step. */
  step(action: A): StepResult<O>;
  /**
   * Renders the current state in the env's `renderMode` (optional; Gymnasium 1.x `Env.render`):
   * `'rgb_array'` returns an `RgbaFrame`, `'svg'` an SVG string, `'ansi'` a text string; without a
   * render mode it returns undefined.
   */
  render?(): unknown;
  /** Releases resources; idempotent. */
  close(): void;
}

/** An env of any observation and action type (what the registry stores). */
export type AnyEnv = Env<unknown, unknown>;

/**
 * A registry entry (Gymnasium 1.x `EnvSpec`, the subset Proximal uses).
 *
 * - `id`: `"[namespace/]Name-vN"`, e.g. `"CartPole-v1"`.
 * - `entryPoint`: creates the unwrapped env; receives `{ ...kwargs, ...makeOptions }` (make's
 *   reserved options `maxEpisodeSteps` and `disableEnvChecker` removed).
 * - `maxEpisodeSteps`: when set, `make` wraps the env in `TimeLimit(maxEpisodeSteps)`.
 * - `rewardThreshold`: the average return at which the task counts as solved (informational).
 * - `kwargs`: default keyword options passed to `entryPoint`.
 * - `vectorEntryPoint`: optional batched implementation used by `makeVec(id, { vectorizationMode:
 *   'vector' })`; receives `{ ...kwargs, ...envOptions, numEnvs, autoresetMode, seed,
 *   maxEpisodeSteps }` (Gymnasium's `vector_entry_point`).
 */
export interface EnvSpec {
  id: string;
  entryPoint: (options?: Record<string, unknown>) => AnyEnv;
  maxEpisodeSteps?: number;
  rewardThreshold?: number;
  kwargs?: Record<string, unknown>;
  vectorEntryPoint?: (options: Record<string, unknown>) => VectorEnv;
}
