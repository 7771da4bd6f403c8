/**
 * `EnvForwarder`: the base of the classes that hold an env and present it as their own (`Wrapper`,
 * `SyncToAsyncEnv`): the check of the held env and the forwarding of its spaces, metadata, render
 * mode and spec.
 *
 * Source: Gymnasium 1.x, `gymnasium/core.py` (`Wrapper` forwards `observation_space`,
 * `action_space`, `metadata`, `render_mode` and `spec` to `self.env`).
 */
import type { Env, EnvMetadata, EnvSpec } from '../env.js';
import type { Space } from '../spaces/space.js';
import { formatValue } from '../utils/format.js';

/**
 * Holds an env (`env`) and reads its observation space, action space, metadata, render mode and
 * spec through to it; assigning `spec` sets the held env's.
 */
export abstract class EnvForwarder<O, A> {
  /** The env this object holds (possibly a wrapper). */
  readonly env: Env<O, A>;

  /**
   * @param env the env to hold.
   * @param methods the methods `env` must have.
   * @param what what `env` must be, for the message (e.g. `an environment`).
   * @throws TypeError `<ClassName>: env must be <what>, got <env>` when `env` is not an object with
   *   those methods.
   */
  protected constructor(env: Env<O, A>, methods: readonly ('reset' | 'step' | 'close')[], what: string) {
    const candidate = env as unknown as Record<string, unknown> | null;
    if (
      candidate === null ||
      typeof candidate !== 'object' ||
      methods.some((m) => typeof candidate[m] !== 'function')
    ) {
      throw new TypeError(`${new.target.name}: env must be ${what}, got ${formatValue(env)}`);
    }
    this.env = env;
  }

  /** The held env's observation space. */
  get observationSpace(): Space<O> {
    return this.env.observationSpace;
  }

  /** The held env's action space. */
  get actionSpace(): Space<A> {
    return this.env.actionSpace;
  }

  /** The held env's metadata. */
  get metadata(): EnvMetadata {
    return this.env.metadata;
  }

  /** The held env's render mode (Gymnasium's `render_mode`), undefined when it does not render. */
  get renderMode(): string | undefined {
    return this.env.renderMode;
  }

  /** The held env's spec (assigning sets it on the held env). */
  get spec(): EnvSpec | undefined {
    return this.env.spec;
  }

  set spec(spec: EnvSpec | undefined) {
    this.env.spec = spec;
  }
}
