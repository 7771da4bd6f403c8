/**
 * `AsyncEnv`: the environment interface for environments whose `reset` and `step` are
 * asynchronous (a browser page, a game over a socket, a simulator in another process).
 *
 * Source: Proximal. Gymnasium 1.x `gymnasium.Env` with every method returning a Promise of the
 * value Gymnasium returns; the results have exactly the shapes of {@link Env}'s.
 */
import type { EnvMetadata, EnvSpec, ResetOptions, ResetResult, StepResult } from '../env.js';
import type { Space } from '../spaces/space.js';

/**
 * A reinforcement-learning environment with the Gymnasium 1.x API whose calls return Promises.
 *
 * Type parameters as {@link Env}: `O` the observation type (default `Float32Array`), `A` the
 * action type (default `number | Float32Array`).
 *
 * Life cycle: `await reset()` first, then `await step()` until `terminated || truncated`, then
 * `reset()` again; `await close()` releases resources. Errors (an invalid action, `step` before
 * `reset`) are reported as rejected Promises. Calls must not overlap: await each one before the
 * next. `toAsyncEnv(env)` adapts a synchronous {@link Env}; `checkAsyncEnv(env)` checks an
 * implementation.
 */
export interface AsyncEnv<O = Float32Array, A = number | Float32Array> {
  /** The space every observation belongs to. */
  readonly observationSpace: Space<O>;
  /** The space of valid actions; `step` rejects for an action outside it. */
  readonly actionSpace: Space<A>;
  /** Render modes and frame rate. */
  readonly metadata: EnvMetadata;
  /** The render mode chosen at creation, one of `metadata.renderModes`, or undefined. */
  readonly renderMode?: string;
  /** The registry entry this env was made from, if any. */
  spec?: EnvSpec;
  /** Starts a new episode; resolves to the first observation and an info dict. */
  reset(options?: ResetOptions): Promise<ResetResult<O>>;
  /** Applies one action; resolves to `{ observation, reward, terminated, truncated, info }`. */
  step(action: A): Promise<StepResult<O>>;
  /** Resolves to the current frame in `renderMode` (optional; same values as `Env.render`). */
  render?(): Promise<unknown>;
  /** Releases resources; idempotent. */
  close(): Promise<void>;
}

/** An async env of any observation and action type. */
export type AnyAsyncEnv = AsyncEnv<unknown, unknown>;
