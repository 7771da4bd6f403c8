/**
 * `checkAsyncEnv`: an active check of an {@link AsyncEnv} implementation.
 *
 * Source: Gymnasium 1.x, `gymnasium/utils/env_checker.py` (`check_env`: reset with a seed, the
 * determinism of seeded resets, the step result's types, the render result) and
 * `passive_env_checker.py` (`env_reset_passive_checker`, `env_step_passive_checker`), adapted to
 * Promises; where Gymnasium warns, Proximal throws.
 */
import { checkEnv, checkRenderReturn } from '../env-checker.js';
import type { Space } from '../spaces/space.js';
import { formatValue } from '../utils/format.js';
import type { AnyAsyncEnv } from './async-env.js';

/** Options of {@link checkAsyncEnv}. */
export interface CheckAsyncEnvOptions {
  /** Name used in messages (default: the spec id or `'env'`). */
  envName?: string;
  /** Seed of the two determinism resets (default 0). */
  seed?: number;
  /** Default false: when the env has a `renderMode`, call `render()` and check its result. */
  skipRenderCheck?: boolean;
}

function isThenable(x: unknown): x is PromiseLike<unknown> {
  return (
    x !== null &&
    (typeof x === 'object' || typeof x === 'function') &&
    typeof (x as PromiseLike<unknown>).then === 'function'
  );
}

function isPlainObject(x: unknown): x is Record<string, unknown> {
  return x !== null && typeof x === 'object' && !Array.isArray(x) && !ArrayBuffer.isView(x);
}

async function awaitCall(value: unknown, call: string, envName: string): Promise<unknown> {
  if (!isThenable(value)) {
    throw new TypeError(
      `${envName}: ${call} must return a Promise (AsyncEnv), got ${formatValue(value)}; wrap a synchronous env with toAsyncEnv(env)`,
    );
  }
  return await value;
}

function checkObservation(space: Space<unknown>, obs: unknown, call: string, envName: string): void {
  if (!space.contains(obs)) {
    throw new TypeError(
      `${envName}: the observation from ${call} is not in the observation space ${String(space)}: ${formatValue(obs)}`,
    );
  }
}

/** Element-wise equality of observations (numbers, strings, arrays, typed arrays, plain objects). */
function sameValue(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  const aList = Array.isArray(a) || (ArrayBuffer.isView(a) && !(a instanceof DataView));
  const bList = Array.isArray(b) || (ArrayBuffer.isView(b) && !(b instanceof DataView));
  if (aList && bList) {
    const x = a as ArrayLike<unknown>;
    const y = b as ArrayLike<unknown>;
    if (x.length !== y.length) return false;
    for (let i = 0; i < x.length; i++) if (!sameValue(x[i], y[i])) return false;
    return true;
  }
  if (isPlainObject(a) && isPlainObject(b)) {
    const keys = Object.keys(a);
    if (keys.length !== Object.keys(b).length) return false;
    return keys.every((k) => k in b && sameValue(a[k], b[k]));
  }
  return false;
}

/**
 * Checks an {@link AsyncEnv} by using it: the structural checks of `checkEnv`, then
 * 1. `reset({ seed })` returns a Promise of `{ observation, info }` with the observation in
 *    `observationSpace` and `info` a plain object;
 * 2. a second `reset({ seed })` with the same seed gives the same observation;
 * 3. `step(actionSpace.sample())` returns a Promise of `{ observation, reward, terminated,
 *    truncated, info }` with the observation in the space, `reward` a number, `terminated` /
 *    `truncated` booleans and `info` a plain object;
 * 4. when `renderMode` is set (and `skipRenderCheck` is not), `render()` resolves to a value of the
 *    right type for the mode (see `checkRenderReturn`).
 * The env is left after that step (not closed); reset it before further use.
 * @param env the env to check.
 * @param options see {@link CheckAsyncEnvOptions}.
 * @returns a Promise that resolves when every check passed.
 * @throws (rejects with) TypeError describing the first structural or type problem; Error when
 *   seeded resets are not deterministic; whatever the env's own calls reject with.
 */
export async function checkAsyncEnv(env: AnyAsyncEnv, options: CheckAsyncEnvOptions = {}): Promise<void> {
  const envName = options.envName ?? env?.spec?.id ?? 'env';
  checkEnv(env, envName);
  const seed = options.seed ?? 0;

  const first = await awaitCall(env.reset({ seed }), `reset({ seed: ${seed} })`, envName);
  if (!isPlainObject(first) || !('observation' in first) || !isPlainObject(first.info)) {
    throw new TypeError(
      `${envName}: reset() must resolve to { observation, info }, got ${formatValue(first)}`,
    );
  }
  checkObservation(env.observationSpace, first.observation, 'reset()', envName);
  const second = (await awaitCall(env.reset({ seed }), `reset({ seed: ${seed} })`, envName)) as {
    observation?: unknown;
  };
  if (!sameValue(first.observation, second?.observation)) {
    throw new Error(
      `${envName}: reset({ seed: ${seed} }) is not deterministic: ${formatValue(first.observation)} then ${formatValue(second?.observation)}; seed the env's generator in reset()`,
    );
  }

  const step = await awaitCall(env.step(env.actionSpace.sample()), 'step(action)', envName);
  if (!isPlainObject(step)) {
    throw new TypeError(
      `${envName}: step() must resolve to { observation, reward, terminated, truncated, info }, got ${formatValue(step)}`,
    );
  }
  checkObservation(env.observationSpace, step.observation, 'step()', envName);
  if (typeof step.reward !== 'number') {
    throw new TypeError(`${envName}: step() reward must be a number, got ${formatValue(step.reward)}`);
  }
  for (const flag of ['terminated', 'truncated'] as const) {
    if (typeof step[flag] !== 'boolean') {
      throw new TypeError(`${envName}: step() ${flag} must be a boolean, got ${formatValue(step[flag])}`);
    }
  }
  if (!isPlainObject(step.info)) {
    throw new TypeError(`${envName}: step() info must be a plain object, got ${formatValue(step.info)}`);
  }

  if (env.renderMode !== undefined && env.renderMode !== null && !options.skipRenderCheck) {
    const frame = await awaitCall(env.render?.(), 'render()', envName);
    checkRenderReturn(env.renderMode, frame, envName);
  }
}
