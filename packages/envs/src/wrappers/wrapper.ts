/**
 * `Wrapper`: the base class of environment wrappers.
 *
 * Source: Gymnasium 1.x, `gymnasium/core.py` (`Wrapper`: forwards everything to `self.env`;
 * `Wrapper.unwrapped` returns the innermost env).
 */
import type { Env, ResetOptions, ResetResult, StepResult } from '../env.js';
import { EnvForwarder } from './env-forwarder.js';

/**
 * An env exposing its physical state (the classic-control envs): reading gives a float64 copy,
 * assigning copies the values in.
 */
export interface StatefulEnv {
  get state(): Float64Array;
  set state(value: ArrayLike<number>);
}

/**
 * Wraps an env and forwards every call to it; subclasses override `reset` / `step` to change
 * behaviour. Also forwards the physical `state` of classic-control envs to the innermost env.
 */
export class Wrapper<O = Float32Array, A = number | Float32Array>
  extends EnvForwarder<O, A>
  implements Env<O, A>
{
  /**
   * @param env the env to wrap (possibly another wrapper); `observationSpace`, `actionSpace`,
   *   `metadata`, `renderMode` and `spec` read through to it (see {@link EnvForwarder}).
   * @throws TypeError when `env` does not look like an env (no `reset` / `step` functions).
   */
  constructor(env: Env<O, A>) {
    super(env, ['reset', 'step'], 'an environment');
  }

  /** The innermost env below all wrappers. */
  get unwrapped(): Env<O, A> {
    return this.env.unwrapped ?? this.env;
  }

  /**
   * The innermost env's physical state (classic control: a float64 copy of its `state`);
   * assigning sets the innermost env's `state`.
   * @throws TypeError when the innermost env has no `state` property.
   */
  get state(): Float64Array {
    return this.statefulEnv().state;
  }

  set state(value: ArrayLike<number>) {
    this.statefulEnv().state = value;
  }

  private statefulEnv(): StatefulEnv {
    const inner = this.unwrapped as unknown as { state?: unknown };
    if (!('state' in inner)) {
      throw new TypeError(`${this.toString()}: the innermost environment has no physical state`);
    }
    return inner as unknown as StatefulEnv;
  }

  /** Forwards to the wrapped env. */
  reset(options?: ResetOptions): ResetResult<O> {
    return this.env.reset(options);
  }

  /** Forwards to the wrapped env. */
  step(action: A): StepResult<O> {
    return this.env.step(action);
  }

  /** Forwards to the wrapped env (undefined when it cannot render). */
  render(): unknown {
    return this.env.render?.();
  }

  /** Closes the wrapped env. */
  close(): void {
    this.env.close();
  }

  /** `<WrapperName<inner>>` like Gymnasium's `str(wrapper)`. */
  override toString(): string {
    return `<${this.constructor.name}${String(this.env)}>`;
  }
}
