/**
 * `OrderEnforcing`: refuses `step` (and `render`) before the first `reset`.
 *
 * Source: Gymnasium 1.x, `gymnasium/wrappers/common.py` (`OrderEnforcing`,
 * `gymnasium.error.ResetNeeded`).
 */
import type { Env, ResetOptions, ResetResult, StepResult } from '../env.js';
import { Wrapper } from './wrapper.js';

/** Thrown when an env is used before `reset()` (Gymnasium `ResetNeeded`). */
export class ResetNeededError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ResetNeededError';
  }
}

/**
 * Throws {@link ResetNeededError} when `step()` (or `render()`, unless `disableRenderOrderEnforcing`)
 * is called before the first `reset()`. `make` applies it to every env.
 */
export class OrderEnforcing<O = Float32Array, A = number | Float32Array> extends Wrapper<O, A> {
  private resetCalled = false;
  private readonly disableRenderOrderEnforcing: boolean;

  /**
   * @param env the env to wrap.
   * @param options `disableRenderOrderEnforcing` (default false): allow `render()` before `reset()`.
   */
  constructor(env: Env<O, A>, options: { disableRenderOrderEnforcing?: boolean } = {}) {
    super(env);
    this.disableRenderOrderEnforcing = options.disableRenderOrderEnforcing ?? false;
  }

  /** Whether `reset()` has been called. */
  get hasReset(): boolean {
    return this.resetCalled;
  }

  /** Forwards and records that the env was reset. */
  override reset(options?: ResetOptions): ResetResult<O> {
    const result = this.env.reset(options);
    this.resetCalled = true;
    return result;
  }

  /**
   * Forwards to the wrapped env.
   * @throws ResetNeededError before the first `reset()`.
   */
  override step(action: A): StepResult<O> {
    if (!this.resetCalled) {
      throw new ResetNeededError(`${this.describe()}: cannot call step() before reset(); call reset() first`);
    }
    return this.env.step(action);
  }

  /**
   * Forwards to the wrapped env.
   * @throws ResetNeededError before the first `reset()` unless `disableRenderOrderEnforcing`.
   */
  override render(): unknown {
    if (!this.disableRenderOrderEnforcing && !this.resetCalled) {
      throw new ResetNeededError(
        `${this.describe()}: cannot call render() before reset(); call reset() first`,
      );
    }
    return super.render();
  }

  private describe(): string {
    return this.spec?.id ?? 'OrderEnforcing';
  }
}
