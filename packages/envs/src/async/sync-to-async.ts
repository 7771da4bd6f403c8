/**
 * `SyncToAsyncEnv` / `toAsyncEnv`: runs a synchronous {@link Env} behind the {@link AsyncEnv}
 * interface.
 *
 * Source: Proximal.
 */
import type { Env, ResetOptions, ResetResult, StepResult } from '../env.js';
import { EnvForwarder } from '../wrappers/env-forwarder.js';
import type { AsyncEnv } from './async-env.js';

/**
 * An {@link AsyncEnv} that forwards to a synchronous env: each call runs the sync method at once
 * and returns a Promise of its result; an exception becomes a rejected Promise (never a synchronous
 * throw), as it would from a truly asynchronous env. Spaces, metadata, `renderMode` and `spec` are
 * the wrapped env's.
 */
export class SyncToAsyncEnv<O = Float32Array, A = number | Float32Array>
  extends EnvForwarder<O, A>
  implements AsyncEnv<O, A>
{
  /**
   * @param env the synchronous env (e.g. from `make`), held as `env`; `observationSpace`,
   *   `actionSpace`, `metadata`, `renderMode` and `spec` read through to it.
   * @throws TypeError when `env` does not look like an env (no `reset` / `step` / `close` functions).
   */
  constructor(env: Env<O, A>) {
    super(env, ['reset', 'step', 'close'], 'a synchronous environment with reset(), step() and close()');
  }

  /** `env.reset(options)`; rejects with whatever it throws. */
  async reset(options?: ResetOptions): Promise<ResetResult<O>> {
    return this.env.reset(options);
  }

  /** `env.step(action)`; rejects with whatever it throws (e.g. the invalid-action error). */
  async step(action: A): Promise<StepResult<O>> {
    return this.env.step(action);
  }

  /** `env.render()` (undefined when the env has no `render`); rejects with whatever it throws. */
  async render(): Promise<unknown> {
    return this.env.render?.();
  }

  /** `env.close()`; rejects with whatever it throws. */
  async close(): Promise<void> {
    this.env.close();
  }

  /** `<SyncToAsyncEnv<inner>>`. */
  override toString(): string {
    return `<SyncToAsyncEnv${String(this.env)}>`;
  }
}

/**
 * Adapts a synchronous env to the {@link AsyncEnv} interface (see {@link SyncToAsyncEnv}).
 * @example
 * const env = toAsyncEnv(make('CartPole-v1'));
 * const { observation } = await env.reset({ seed: 0 });
 * const { reward, terminated } = await env.step(1);
 * @param env the synchronous env.
 * @throws TypeError when `env` is not an env.
 */
export function toAsyncEnv<O, A>(env: Env<O, A>): SyncToAsyncEnv<O, A> {
  return new SyncToAsyncEnv(env);
}
