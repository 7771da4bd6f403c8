/**
 * `checkAsyncEnv`: an active check of an {@link AsyncEnv} implementation, the same checks as the
 * synchronous `checkEnv` (one shared implementation, `activeEnvChecks`) with every call awaited.
 *
 * Source: Gymnasium 1.x, `gymnasium/utils/env_checker.py` (`check_env`: reset with a seed, the
 * determinism of seeded resets and steps, the step result's types, the render result) and
 * `passive_env_checker.py` (`env_reset_passive_checker`, `env_step_passive_checker`), adapted to
 * Promises; where Gymnasium warns, Proximal throws.
 */
import {
  activeEnvChecks,
  type CheckEnvOptions,
  callEnv,
  checkEnvStructure,
  resolveCheckOptions,
} from '../env-checker.js';
import { formatValue } from '../utils/format.js';
import type { AnyAsyncEnv } from './async-env.js';

/** Options of {@link checkAsyncEnv}: those of `checkEnv` (`envName`, `seed`, `skipRenderCheck`). */
export type CheckAsyncEnvOptions = CheckEnvOptions;

function isThenable(x: unknown): x is PromiseLike<unknown> {
  return (
    x !== null &&
    (typeof x === 'object' || typeof x === 'function') &&
    typeof (x as PromiseLike<unknown>).then === 'function'
  );
}

/**
 * Checks an {@link AsyncEnv} by using it, with the checks of `checkEnv` (the same code): the
 * structural checks; `reset({ seed })` resolving to `{ observation, info }` with the observation
 * of the space's type, shape, finite and in bounds and `info` a plain object; up to
 * `DETERMINISM_STEPS` steps with seeded sampled actions resolving to `{ observation, reward,
 * terminated, truncated, info }` (reward a finite number, flags booleans); a second
 * `reset({ seed })` and the same actions giving the same observations, rewards and flags; no
 * observation handed out twice; when `renderMode` is set (and `skipRenderCheck` is not), the
 * `render()` result. Every call must return a Promise. The env is left after the last step (not
 * closed); reset it before further use.
 * @param env the env to check.
 * @param options see {@link CheckAsyncEnvOptions}.
 * @returns a Promise that resolves when every check passed.
 * @throws (rejects with) TypeError when a call does not return a Promise, and the errors of
 *   `checkEnv` (`<envName>: <check> check failed: …`); whatever the env's own calls reject with.
 */
export async function checkAsyncEnv(env: AnyAsyncEnv, options: CheckAsyncEnvOptions = {}): Promise<void> {
  const resolved = resolveCheckOptions(env, options, 'checkAsyncEnv');
  checkEnvStructure(env, resolved.envName);
  const checks = activeEnvChecks(env, resolved);
  for (let next = checks.next(); !next.done; ) {
    const pending = callEnv(env, next.value);
    if (!isThenable(pending)) {
      throw new TypeError(
        `${resolved.envName}: ${next.value.label} must return a Promise (AsyncEnv), got ${formatValue(pending)}; wrap a synchronous env with toAsyncEnv(env)`,
      );
    }
    next = checks.next(await pending);
  }
}
