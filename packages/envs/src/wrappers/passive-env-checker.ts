/**
 * `PassiveEnvChecker`: checks what the env returns from its first calls, then gets out of the way.
 *
 * Source: Gymnasium 1.x, `gymnasium/wrappers/common.py` (`PassiveEnvChecker`, applied by `make`
 * below `OrderEnforcing`) and `gymnasium/utils/passive_env_checker.py`. Differences: the first
 * {@link PASSIVE_CHECK_CALLS} resets and steps are checked (Gymnasium: the first one), so that an
 * observation buffer handed out twice is caught, and every problem throws (Gymnasium warns for an
 * observation outside its space or a NaN / infinite value).
 */
import type { Env, ResetOptions, ResetResult, StepResult } from '../env.js';
import {
  checkEnvStructure,
  checkRenderReturn,
  checkResetResult,
  checkStepResult,
  ObservationBuffers,
} from '../env-checker.js';
import { Wrapper } from './wrapper.js';

/** How many `reset()` and how many `step()` results {@link PassiveEnvChecker} checks. */
export const PASSIVE_CHECK_CALLS = 2;

/**
 * Checks the env's structure when created, then the results of its first
 * {@link PASSIVE_CHECK_CALLS} `reset()` and `step()` calls and of its first `render()`:
 * observations of the space's type, shape, finite and in bounds, `info` a plain object, reward a
 * finite number, `terminated` / `truncated` booleans, no observation returned twice (see
 * `checkResetResult`, `checkStepResult`, `ObservationBuffers`, `checkRenderReturn`). Later calls
 * are forwarded with no check (one integer comparison). `make` applies it to every env unless
 * `disableEnvChecker` is set.
 */
export class PassiveEnvChecker<O = Float32Array, A = number | Float32Array> extends Wrapper<O, A> {
  private resetsChecked = 0;
  private stepsChecked = 0;
  private renderChecked = false;
  private buffers: ObservationBuffers | null;
  private readonly envName: string;

  /**
   * @param env the env to check (`make` passes the env from the entry point).
   * @param envName name used in messages (default: the spec id, else `'env'`).
   * @throws TypeError when `env` fails the structural check (`checkEnvStructure`).
   */
  constructor(env: Env<O, A>, envName: string = env?.spec?.id ?? 'env') {
    super(env);
    checkEnvStructure(env as never, envName);
    this.envName = envName;
    this.buffers = new ObservationBuffers(envName);
  }

  /**
   * Forwards; checks the result of the first {@link PASSIVE_CHECK_CALLS} calls.
   * @throws TypeError / RangeError / Error `<envName>: <check> check failed: …` for a bad result.
   */
  override reset(options?: ResetOptions): ResetResult<O> {
    const result = this.env.reset(options);
    if (this.resetsChecked < PASSIVE_CHECK_CALLS) {
      this.resetsChecked += 1;
      const call = `reset() (call ${this.resetsChecked})`;
      checkResetResult(result, this.observationSpace as never, call, this.envName);
      this.buffers?.add(result.observation, call);
      this.releaseWhenDone();
    }
    return result;
  }

  /**
   * Forwards; checks the result of the first {@link PASSIVE_CHECK_CALLS} calls.
   * @throws TypeError / RangeError / Error `<envName>: <check> check failed: …` for a bad result.
   */
  override step(action: A): StepResult<O> {
    const result = this.env.step(action);
    if (this.stepsChecked < PASSIVE_CHECK_CALLS) {
      this.stepsChecked += 1;
      const call = `step() (call ${this.stepsChecked})`;
      checkStepResult(result, this.observationSpace as never, call, this.envName);
      this.buffers?.add(result.observation, call);
      this.releaseWhenDone();
    }
    return result;
  }

  /**
   * Forwards; checks the first result with `checkRenderReturn`.
   * @throws TypeError when the first `render()` returns the wrong type for `renderMode`.
   */
  override render(): unknown {
    const frame = super.render();
    if (!this.renderChecked) {
      this.renderChecked = true;
      checkRenderReturn(this.renderMode, frame, this.envName);
    }
    return frame;
  }

  /** Drops the references to checked observations once all checks are done. */
  private releaseWhenDone(): void {
    if (this.resetsChecked >= PASSIVE_CHECK_CALLS && this.stepsChecked >= PASSIVE_CHECK_CALLS) {
      this.buffers = null;
    }
  }
}
