/**
 * `SyncToAsyncEnv` / `toAsyncEnv`: runs a synchronous {@link Env} behind the {@link AsyncEnv}
 * interface.
 *
 * Source: Proximal.
 */
import type { Env, EnvMetadata, EnvSpec, ResetOptions, ResetResult, StepResult } from '../env.js';
import type { Space } from '../spaces/space.js';
import { formatValue } from '../utils/format.js';
import type { AsyncEnv } from './async-env.js';

/**
 * An {@link AsyncEnv} that forwards to a synchronous env: each call runs the sync method at once
 * and returns a Promise of its result; an exception becomes a rejected Promise (never a synchronous
 * throw), as it would from a truly asynchronous env. Spaces, metadata, `renderMode` and `spec` are
 * the wrapped env's.
 */
export class SyncToAsyncEnv<O = Float32Array, A = number | Float32Array> implements AsyncEnv<O, A> {
  /** The synchronous env. */
  readonly env: Env<O, A>;

  /**
   * @param env the synchronous env (e.g. from `make`).
   * @throws TypeError when `env` does not look like an env (no `reset` / `step` / `close` functions).
   */
  constructor(env: Env<O, A>) {
    if (
      env === null ||
      typeof env !== 'object' ||
      typeof env.reset !== 'function' ||
      typeof env.step !== 'function' ||
      typeof env.close !== 'function'
    ) {
      throw new TypeError(
        `SyncToAsyncEnv: env must be a synchronous environment with reset(), step() and close(), got ${formatValue(env)}`,
      );
    }
    this.env = env;
  }

  /** The wrapped env's observation space. */
  get observationSpace(): Space<O> {
    return this.env.observationSpace;
  }

  /** The wrapped env's action space. */
  get actionSpace(): Space<A> {
    return this.env.actionSpace;
  }

  /** The wrapped env's metadata. */
  get metadata(): EnvMetadata {
    return this.env.metadata;
  }

  /** The wrapped env's render mode. */
  get renderMode(): string | undefined {
    return this.env.renderMode;
  }

  /** The wrapped env's spec (assigning sets it on the wrapped env). */
  get spec(): EnvSpec | undefined {
    return this.env.spec;
  }

  set spec(spec: EnvSpec | undefined) {
    this.env.spec = spec;
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
  toString(): string {
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
