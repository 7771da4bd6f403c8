/**
 * `BaseEnv`: the shared plumbing of Proximal's own environments (seeding, `unwrapped`, `close`).
 *
 * Source: Gymnasium 1.x, `gymnasium/core.py` (`Env.reset(seed=...)` re-seeding `np_random`,
 * `Env.unwrapped`, `Env.close`).
 */
import { Random } from '@proximal/core';
import type { Env, EnvMetadata, EnvSpec, ResetOptions, ResetResult, StepResult } from './env.js';
import type { Space } from './spaces/space.js';

/**
 * Base class for environments: subclasses implement `reset` (calling `super.seedFromReset(options)`
 * first) and `step`, and declare their spaces and metadata.
 */
export abstract class BaseEnv<O = Float32Array, A = number | Float32Array> implements Env<O, A> {
  abstract readonly observationSpace: Space<O>;
  abstract readonly actionSpace: Space<A>;
  abstract readonly metadata: EnvMetadata;
  /** The registry entry this env was made from (set by `make`). */
  spec?: EnvSpec;
  private generator: Random | undefined;

  /**
   * The env's generator (`@proximal/core` `Random`, Gymnasium's `np_random`); created from a random
   * seed on first use unless `reset({ seed })` set it. Assigning replaces it.
   */
  get rng(): Random {
    if (this.generator === undefined) this.generator = new Random();
    return this.generator;
  }

  set rng(rng: Random) {
    this.generator = rng;
  }

  /** This env itself (it wraps nothing). */
  get unwrapped(): this {
    return this;
  }

  /**
   * Re-seeds the generator when `options.seed` is given (Gymnasium `super().reset(seed=seed)`).
   * @throws RangeError when the seed is not a non-negative safe integer.
   */
  protected seedFromReset(options?: ResetOptions): void {
    if (options?.seed !== undefined) this.generator = new Random(options.seed);
  }

  abstract reset(options?: ResetOptions): ResetResult<O>;
  abstract step(action: A): StepResult<O>;

  /** Releases resources; the base implementation has none. */
  close(): void {}

  /** `<ClassName<id>>` like Gymnasium's `str(env)`. */
  toString(): string {
    return this.spec ? `<${this.constructor.name}<${this.spec.id}>>` : `<${this.constructor.name} instance>`;
  }
}
