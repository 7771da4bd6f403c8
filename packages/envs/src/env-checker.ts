/**
 * The environment checks: the structural check and `PassiveEnvChecker`'s per-result checks
 * run by `make` unless `disableEnvChecker` is set, the active {@link checkEnv} (shared with
 * `checkAsyncEnv`), and the check of what `render()` returns.
 *
 * Source: Gymnasium 1.x, `gymnasium/utils/passive_env_checker.py` (`check_space`, `check_obs`,
 * `env_reset_passive_checker`, `env_step_passive_checker`, `env_render_passive_checker`,
 * `_check_render_return`) and `gymnasium/utils/env_checker.py` (`check_env`,
 * `check_reset_seed_determinism`, `check_step_determinism`). Where Gymnasium only warns (an
 * observation of the wrong dtype or outside its space, a NaN / infinite value), Proximal throws.
 */
import type { AnyAsyncEnv } from './async/async-env.js';
import type { AnyEnv, ResetOptions } from './env.js';
import { isRgbaFrame } from './rendering/frame.js';
import { formatModes } from './rendering/render-mode.js';
import { Box } from './spaces/box.js';
import { Dict } from './spaces/dict.js';
import type { DType, Space } from './spaces/space.js';
import { Tuple } from './spaces/tuple.js';
import { formatShape, formatValue } from './utils/format.js';

function checkSpace(space: unknown, name: string, envName: string): void {
  const s = space as Record<string, unknown> | null | undefined;
  if (s === null || typeof s !== 'object') {
    throw new TypeError(`${envName}: ${name} must be a Space, got ${formatValue(space)}`);
  }
  for (const method of ['sample', 'contains', 'seed', 'toJSON']) {
    if (typeof s[method] !== 'function') {
      throw new TypeError(`${envName}: ${name} has no ${method}() method; it must implement Space`);
    }
  }
  const shape = s.shape;
  if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
    throw new TypeError(
      `${envName}: ${name}.shape must be an array of non-negative integers, got ${formatValue(shape)}`,
    );
  }
}

function checkRenderMetadata(env: AnyEnv | AnyAsyncEnv, envName: string): void {
  const modes = env.metadata?.renderModes;
  if (!Array.isArray(modes) || !modes.every((m) => typeof m === 'string')) {
    throw new TypeError(
      `${envName}: metadata.renderModes must be an array of strings, got ${formatValue(modes)}`,
    );
  }
  const fps = env.metadata.renderFps;
  if (fps !== undefined && (typeof fps !== 'number' || !Number.isFinite(fps) || fps <= 0)) {
    throw new TypeError(
      `${envName}: metadata.renderFps must be a positive number when given, got ${formatValue(fps)}`,
    );
  }
  const mode = env.renderMode as unknown;
  if (mode === undefined || mode === null) return;
  if (modes.length === 0) {
    throw new TypeError(
      `${envName}: renderMode is ${formatValue(mode)} but metadata.renderModes is empty; an env that cannot render must have renderMode undefined`,
    );
  }
  if (typeof mode !== 'string' || !modes.includes(mode)) {
    throw new TypeError(
      `${envName}: renderMode ${formatValue(mode)} is not one of metadata.renderModes ${formatModes(modes)}`,
    );
  }
  if (typeof env.render !== 'function') {
    throw new TypeError(`${envName}: renderMode is '${mode}' but the env has no render() method`);
  }
}

/**
 * The structural checks of an env (nothing is called): `reset`, `step` and `close` methods,
 * observation/action spaces implementing `Space` (methods and a valid `shape`), and consistent
 * render settings: `metadata.renderModes` an array of strings, `metadata.renderFps` (when given) a
 * positive number, `renderMode` undefined or one of `metadata.renderModes` with a `render()` method.
 * Run by `make` (through `PassiveEnvChecker`), {@link checkEnv} and `checkAsyncEnv`; works for
 * `Env` and `AsyncEnv` alike.
 * Source: Gymnasium 1.x `passive_env_checker.py` (`check_space`, `env_render_passive_checker`).
 * @param env the env to check.
 * @param envName name used in messages.
 * @throws TypeError describing the first problem found.
 */
export function checkEnvStructure(env: AnyEnv | AnyAsyncEnv, envName: string): void {
  if (env === null || typeof env !== 'object') {
    throw new TypeError(
      `${envName}: the entry point must return an environment object, got ${formatValue(env)}`,
    );
  }
  for (const method of ['reset', 'step', 'close'] as const) {
    if (typeof env[method] !== 'function') throw new TypeError(`${envName}: env has no ${method}() method`);
  }
  checkSpace(env.observationSpace, 'observationSpace', envName);
  checkSpace(env.actionSpace, 'actionSpace', envName);
  checkRenderMetadata(env, envName);
}

/**
 * The names of the checks on what an env returns, as they appear in messages
 * (`<envName>: <check> check failed: <details, with the offending value>`).
 */
export type EnvCheckName =
  | 'reset result'
  | 'step result'
  | 'observation type'
  | 'observation shape'
  | 'observation finite'
  | 'observation bounds'
  | 'reward'
  | 'terminated'
  | 'truncated'
  | 'info'
  | 'observation buffer reuse'
  | 'seeded reset determinism'
  | 'step determinism';

function fail(kind: 'type' | 'range' | 'other', envName: string, check: EnvCheckName, detail: string): never {
  const message = `${envName}: ${check} check failed: ${detail}`;
  if (kind === 'type') throw new TypeError(message);
  if (kind === 'range') throw new RangeError(message);
  throw new Error(message);
}

/** `x` is an object holding named results (not null, an array, a typed array or a Promise). */
function isResultObject(x: unknown): x is Record<string, unknown> {
  return (
    x !== null &&
    typeof x === 'object' &&
    !Array.isArray(x) &&
    !ArrayBuffer.isView(x) &&
    typeof (x as { then?: unknown }).then !== 'function'
  );
}

/** A plain object: `{}` literal or `Object.create(null)` (not an array, Map, class instance…). */
function isPlainObject(x: unknown): x is Record<string, unknown> {
  if (x === null || typeof x !== 'object') return false;
  const proto = Object.getPrototypeOf(x);
  return proto === Object.prototype || proto === null;
}

function isTypedArray(x: unknown): x is ArrayBufferView & ArrayLike<number | bigint> {
  return ArrayBuffer.isView(x) && !(x instanceof DataView);
}

/** The typed array holding values of each dtype (composite spaces have dtype 'object'). */
const ARRAY_TYPES: Partial<Record<DType, { name: string; prototype: object }>> = {
  float32: Float32Array,
  float64: Float64Array,
  int32: Int32Array,
  int64: BigInt64Array,
  int8: Int8Array,
  uint8: Uint8Array,
};

function problemOf(space: Space<unknown>, x: unknown, name: string): Error | null {
  const s = space as Space<unknown> & { assertContains?: (x: unknown, name: string) => void };
  if (typeof s.assertContains === 'function') {
    try {
      s.assertContains(x, name);
      return null;
    } catch (error) {
      return error instanceof Error ? error : new Error(String(error));
    }
  }
  return space.contains(x) ? null : new RangeError(`${name} is not an element of ${String(space)}`);
}

/**
 * Checks that `observation` belongs to `space` with the exact representation Proximal's spaces
 * produce (Gymnasium `passive_env_checker.check_obs`, throwing where Gymnasium warns):
 * - type (`observation type`): a space with a non-empty shape, or a `Box`, takes the typed array
 *   of its dtype (`float32` → `Float32Array`, `int32` → `Int32Array`, `int8` → `Int8Array`, …;
 *   a `Float64Array` or `number[]` for a float32 `Box` fails); a scalar integer space (`Discrete`)
 *   takes a `number`; `Dict` a plain object with its keys, `Tuple` an array of its length (both
 *   checked element by element);
 * - shape (`observation shape`): the typed array has `prod(shape)` elements;
 * - finite (`observation finite`): no NaN or ±Infinity element in a float array;
 * - bounds (`observation bounds`): `space.assertContains(observation)` passes (`Box` bounds,
 *   `Discrete` range, …).
 * @param space the observation space.
 * @param observation the value returned by `reset` / `step`.
 * @param where what the value is, for messages (e.g. `'step() observation'`).
 * @param envName env name used in messages.
 * @throws TypeError (type, shape) or RangeError (finite, bounds), with the message
 *   `<envName>: <check> check failed: <where> …, got <value>`.
 */
export function checkObservation(
  space: Space<unknown>,
  observation: unknown,
  where: string,
  envName: string,
): void {
  const got = (): string => `got ${formatValue(observation)}`;
  if (space instanceof Dict) {
    if (!isPlainObject(observation)) {
      fail('type', envName, 'observation type', `${where} must be a plain object for ${space}, ${got()}`);
    }
    for (const key of space.keys) {
      if (!(key in observation)) {
        fail('type', envName, 'observation type', `${where} has no key ${JSON.stringify(key)} of ${space}`);
      }
      checkObservation(space.spaces[key], observation[key], `${where}.${key}`, envName);
    }
  } else if (space instanceof Tuple) {
    if (!Array.isArray(observation) || observation.length !== space.spaces.length) {
      fail(
        'type',
        envName,
        'observation type',
        `${where} must be an array of ${space.spaces.length} values for ${space}, ${got()}`,
      );
    }
    space.spaces.forEach((sub, i) => {
      checkObservation(sub, observation[i], `${where}[${i}]`, envName);
    });
  } else {
    const arrayType = ARRAY_TYPES[space.dtype];
    const wantsArray = arrayType !== undefined && (space.shape.length > 0 || space instanceof Box);
    if (wantsArray) {
      if (!(observation instanceof (arrayType as unknown as typeof Float32Array))) {
        fail(
          'type',
          envName,
          'observation type',
          `${where} must be a ${arrayType.name} (observationSpace ${space} has dtype ${space.dtype}), ${got()}`,
        );
      }
      const size = space.shape.reduce((a, b) => a * b, 1);
      if (observation.length !== size) {
        fail(
          'type',
          envName,
          'observation shape',
          `${where} has ${observation.length} elements, expected ${size} (shape ${formatShape(space.shape)} of ${space}), ${got()}`,
        );
      }
      if (space.dtype === 'float32' || space.dtype === 'float64') {
        const values = observation as ArrayLike<number>;
        for (let i = 0; i < values.length; i++) {
          if (!Number.isFinite(values[i])) {
            fail('range', envName, 'observation finite', `${where}[${i}] is ${values[i]}, ${got()}`);
          }
        }
      }
    }
  }
  const problem = problemOf(space, observation, where);
  if (problem !== null) {
    const kind = problem instanceof TypeError ? 'type' : 'range';
    const check = problem instanceof TypeError ? 'observation type' : 'observation bounds';
    fail(kind, envName, check, `${problem.message}; ${got()}`);
  }
}

function checkInfo(info: unknown, call: string, envName: string): void {
  if (!isPlainObject(info)) {
    fail('type', envName, 'info', `${call} info must be a plain object ({}), got ${formatValue(info)}`);
  }
}

/**
 * Checks what `reset()` returned: an object `{ observation, info }` with the observation in the
 * observation space (see {@link checkObservation}) and `info` a plain object.
 * Source: Gymnasium 1.x `passive_env_checker.env_reset_passive_checker`.
 * @param result what `reset()` returned (resolved, for an `AsyncEnv`).
 * @param space the observation space.
 * @param call the call, for messages (e.g. `'reset({ seed: 0 })'`).
 * @param envName env name used in messages.
 * @throws TypeError / RangeError `<envName>: <check> check failed: …` naming the offending value.
 */
export function checkResetResult(
  result: unknown,
  space: Space<unknown>,
  call: string,
  envName: string,
): void {
  if (!isResultObject(result)) {
    fail(
      'type',
      envName,
      'reset result',
      `${call} must return { observation, info }, got ${formatValue(result)}`,
    );
  }
  if (result.observation === undefined) {
    fail(
      'type',
      envName,
      'reset result',
      `${call} returned no observation: { ${Object.keys(result).join(', ')} }`,
    );
  }
  checkObservation(space, result.observation, `${call} observation`, envName);
  checkInfo(result.info, call, envName);
}

/**
 * Checks what `step()` returned: an object `{ observation, reward, terminated, truncated, info }`
 * (not Gymnasium's tuple) with the observation in the observation space (see
 * {@link checkObservation}), `reward` a finite number, `terminated` and `truncated` booleans and
 * `info` a plain object.
 * Source: Gymnasium 1.x `passive_env_checker.env_step_passive_checker` (which warns for a NaN or
 * infinite reward; Proximal throws).
 * @param result what `step()` returned (resolved, for an `AsyncEnv`).
 * @param space the observation space.
 * @param call the call, for messages (e.g. `'step(action)'`).
 * @param envName env name used in messages.
 * @throws TypeError / RangeError `<envName>: <check> check failed: …` naming the offending value.
 */
export function checkStepResult(result: unknown, space: Space<unknown>, call: string, envName: string): void {
  if (!isResultObject(result)) {
    fail(
      'type',
      envName,
      'step result',
      `${call} must return an object { observation, reward, terminated, truncated, info }, got ${formatValue(result)}`,
    );
  }
  if (result.observation === undefined) {
    fail(
      'type',
      envName,
      'step result',
      `${call} returned no observation: { ${Object.keys(result).join(', ')} }`,
    );
  }
  checkObservation(space, result.observation, `${call} observation`, envName);
  const reward = result.reward;
  if (typeof reward !== 'number') {
    fail('type', envName, 'reward', `${call} reward must be a finite number, got ${formatValue(reward)}`);
  }
  if (!Number.isFinite(reward)) {
    fail('range', envName, 'reward', `${call} reward must be a finite number, got ${formatValue(reward)}`);
  }
  for (const flag of ['terminated', 'truncated'] as const) {
    if (typeof result[flag] !== 'boolean') {
      fail('type', envName, flag, `${call} ${flag} must be a boolean, got ${formatValue(result[flag])}`);
    }
  }
  checkInfo(result.info, call, envName);
}

/** The objects of an observation that a caller may keep (typed arrays, arrays, plain objects). */
function observationParts(observation: unknown, out: object[] = []): object[] {
  if (isTypedArray(observation)) {
    out.push(observation);
  } else if (Array.isArray(observation)) {
    out.push(observation);
    for (const item of observation) observationParts(item, out);
  } else if (isPlainObject(observation)) {
    out.push(observation);
    for (const value of Object.values(observation)) observationParts(value, out);
  }
  return out;
}

function sharesMemory(a: object, b: object): boolean {
  if (a === b) return true;
  if (!isTypedArray(a) || !isTypedArray(b) || a.buffer !== b.buffer) return false;
  return a.byteOffset < b.byteOffset + b.byteLength && b.byteOffset < a.byteOffset + a.byteLength;
}

/**
 * Remembers the observations an env returned and throws when a new one is (or shares memory with)
 * an array or object handed out before: the caller owns every observation, so an env must return
 * a new one from every `reset` and `step`.
 */
export class ObservationBuffers {
  private readonly seen: { part: object; call: string }[] = [];

  /** @param envName env name used in messages. */
  constructor(private readonly envName: string) {}

  /**
   * Checks `observation` against those added before, then adds it.
   * @param observation the observation returned by `call`.
   * @param call the call, for messages (e.g. `'step 2 (step(action))'`).
   * @throws Error `<envName>: observation buffer reuse check failed: …` naming both calls and the value.
   */
  add(observation: unknown, call: string): void {
    const parts = observationParts(observation);
    for (const part of parts) {
      const earlier = this.seen.find((s) => sharesMemory(s.part, part));
      if (earlier !== undefined) {
        const same = earlier.part === part ? 'the same' : 'memory of the';
        fail(
          'other',
          this.envName,
          'observation buffer reuse',
          `the observation of ${call} is ${same} ${formatValue(part)} object that ${earlier.call} returned; return a new array from every reset() and step() (callers keep them)`,
        );
      }
    }
    for (const part of parts) this.seen.push({ part, call });
  }
}

/** A deep copy of an observation (typed arrays, arrays and plain objects copied). */
function snapshot(x: unknown): unknown {
  if (isTypedArray(x)) return (x as unknown as Float32Array).slice();
  if (Array.isArray(x)) return x.map(snapshot);
  if (isPlainObject(x)) return Object.fromEntries(Object.entries(x).map(([k, v]) => [k, snapshot(v)]));
  return x;
}

/** Element-wise equality of observations (numbers, strings, arrays, typed arrays, plain objects). */
function sameValue(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  const aList = Array.isArray(a) || isTypedArray(a);
  const bList = Array.isArray(b) || isTypedArray(b);
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

/** Options of {@link checkEnv} and `checkAsyncEnv`. */
export interface CheckEnvOptions {
  /** Name used in messages (default: the spec id, else `'env'`). */
  envName?: string;
  /** Seed of the two determinism resets and of the action space's samples (default 0). */
  seed?: number;
  /** Default false: when the env has a `renderMode`, call `render()` and check its result. */
  skipRenderCheck?: boolean;
}

const CHECK_OPTION_KEYS = ['envName', 'seed', 'skipRenderCheck'];

/** Steps taken after each seeded reset by the determinism check (fewer when the episode ends). */
export const DETERMINISM_STEPS = 10;

/** Options of the active check, validated. */
export interface ResolvedCheckOptions {
  envName: string;
  seed: number;
  skipRenderCheck: boolean;
}

/**
 * Validates {@link CheckEnvOptions}.
 * @throws TypeError for an unknown option or a non-string `envName` / non-boolean
 *   `skipRenderCheck`; RangeError when `seed` is not a non-negative safe integer.
 */
export function resolveCheckOptions(
  env: AnyEnv | AnyAsyncEnv,
  options: CheckEnvOptions,
  caller: string,
): ResolvedCheckOptions {
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new TypeError(`${caller}: options must be an object, got ${formatValue(options)}`);
  }
  for (const key of Object.keys(options)) {
    if (!CHECK_OPTION_KEYS.includes(key)) {
      throw new TypeError(
        `${caller}: unknown option ${JSON.stringify(key)}; expected one of ${CHECK_OPTION_KEYS.join(', ')}`,
      );
    }
  }
  const { envName = env?.spec?.id ?? 'env', seed = 0, skipRenderCheck = false } = options;
  if (typeof envName !== 'string') {
    throw new TypeError(`${caller}: envName must be a string, got ${formatValue(envName)}`);
  }
  if (!Number.isSafeInteger(seed) || seed < 0) {
    throw new RangeError(`${caller}: seed must be a non-negative safe integer, got ${formatValue(seed)}`);
  }
  if (typeof skipRenderCheck !== 'boolean') {
    throw new TypeError(`${caller}: skipRenderCheck must be a boolean, got ${formatValue(skipRenderCheck)}`);
  }
  return { envName, seed, skipRenderCheck };
}

/** One call the active check asks its driver to make (synchronously or awaiting a Promise). */
export type EnvCheckCall =
  | { method: 'reset'; options: ResetOptions; label: string }
  | { method: 'step'; action: unknown; label: string }
  | { method: 'render'; label: string };

/**
 * The active check shared by {@link checkEnv} and `checkAsyncEnv`, as a generator: it yields each
 * call to make and receives its (resolved) result, so that both drivers run the same checks.
 * Source: Gymnasium 1.x `env_checker.check_env` (`check_reset_seed_determinism`,
 * `check_step_determinism`, the passive checks of each result, the render check).
 */
export function* activeEnvChecks(
  env: AnyEnv | AnyAsyncEnv,
  options: ResolvedCheckOptions,
): Generator<EnvCheckCall, void, unknown> {
  const { envName, seed } = options;
  const space = env.observationSpace as Space<unknown>;
  const buffers = new ObservationBuffers(envName);
  const resetLabel = `reset({ seed: ${seed} })`;
  const stepLabel = 'step(action)';

  const reset = function* (ordinal: string): Generator<EnvCheckCall, unknown, unknown> {
    const result = yield { method: 'reset', options: { seed }, label: resetLabel };
    checkResetResult(result, space, resetLabel, envName);
    const observation = (result as { observation: unknown }).observation;
    buffers.add(observation, `the ${ordinal} ${resetLabel}`);
    return observation;
  };
  const determinismHint =
    "; draw all randomness from the env's generator seeded in reset() (this.rng), not Math.random";

  // Gymnasium check_reset_seed_determinism: two seeded resets, the same observation.
  const first = snapshot(yield* reset('first'));
  const second = yield* reset('second');
  if (!sameValue(first, second)) {
    fail(
      'other',
      envName,
      'seeded reset determinism',
      `${resetLabel} twice gave different observations: ${formatValue(first)} then ${formatValue(second)}${determinismHint}`,
    );
  }

  // Gymnasium check_step_determinism: the same actions after the same seeded reset, the same steps.
  env.actionSpace.seed(seed);
  const actions: unknown[] = [];
  const trajectory: Record<string, unknown>[] = [];
  for (let t = 0; t < DETERMINISM_STEPS; t++) {
    const action = env.actionSpace.sample();
    const step = (yield { method: 'step', action, label: stepLabel }) as Record<string, unknown>;
    checkStepResult(step, space, stepLabel, envName);
    buffers.add(step.observation, `step ${t + 1} after the second ${resetLabel}`);
    actions.push(action);
    trajectory.push({ ...step, observation: snapshot(step.observation) });
    if (step.terminated || step.truncated) break;
  }
  yield* reset('third');
  for (let t = 0; t < actions.length; t++) {
    const step = (yield { method: 'step', action: actions[t], label: stepLabel }) as Record<string, unknown>;
    checkStepResult(step, space, stepLabel, envName);
    buffers.add(step.observation, `step ${t + 1} after the third ${resetLabel}`);
    const expected = trajectory[t];
    for (const key of ['observation', 'reward', 'terminated', 'truncated'] as const) {
      if (!sameValue(expected[key], step[key])) {
        fail(
          'other',
          envName,
          'step determinism',
          `step ${t + 1} after ${resetLabel} with the same actions gave ${key} ${formatValue(expected[key])}, then ${formatValue(step[key])}${determinismHint}`,
        );
      }
    }
  }

  if (env.renderMode !== undefined && env.renderMode !== null && !options.skipRenderCheck) {
    const frame = yield { method: 'render', label: 'render()' };
    checkRenderReturn(env.renderMode, frame, envName);
  }
}

function isThenable(x: unknown): x is PromiseLike<unknown> {
  return (
    x !== null &&
    (typeof x === 'object' || typeof x === 'function') &&
    typeof (x as PromiseLike<unknown>).then === 'function'
  );
}

/** Makes one call of the active check on `env` (what it returns may be a Promise). */
export function callEnv(env: AnyEnv | AnyAsyncEnv, call: EnvCheckCall): unknown {
  if (call.method === 'reset') return env.reset(call.options);
  if (call.method === 'step') return (env.step as (action: unknown) => unknown)(call.action);
  return env.render?.();
}

/**
 * Checks an {@link Env} by using it, as Gymnasium's `check_env` does:
 * 1. the structural checks ({@link checkEnvStructure});
 * 2. `reset({ seed })` returns `{ observation, info }` ({@link checkResetResult}: observation of
 *    the space's type, shape, finite and in bounds; `info` a plain object), and a second
 *    `reset({ seed })` gives the same observation (seeded reset determinism);
 * 3. up to {@link DETERMINISM_STEPS} steps with actions sampled from `actionSpace` (seeded with
 *    `seed`) return `{ observation, reward, terminated, truncated, info }` ({@link checkStepResult}:
 *    reward a finite number, flags booleans), stopping early when the episode ends;
 * 4. after a third `reset({ seed })` the same actions give the same observations, rewards and
 *    flags (step determinism);
 * 5. no observation (typed array, array or object, nested ones included) is returned twice or
 *    shares memory with an earlier one, across all the calls above;
 * 6. when `renderMode` is set (and `skipRenderCheck` is not), `render()` returns a value of the
 *    right type for the mode ({@link checkRenderReturn}).
 * The env is left after the last step (not closed); reset it before further use.
 * @param env the env to check (a wrapper or the env itself).
 * @param options see {@link CheckEnvOptions}.
 * @throws TypeError (wrong types or shapes, structural problems; a Promise result: use
 *   `checkAsyncEnv`), RangeError (non-finite or out-of-bounds values) or Error (determinism,
 *   buffer reuse), each `<envName>: <check> check failed: …` naming the offending value (see
 *   {@link EnvCheckName}); TypeError / RangeError for bad options; whatever the env's calls throw.
 */
export function checkEnv(env: AnyEnv, options: CheckEnvOptions = {}): void {
  const resolved = resolveCheckOptions(env, options, 'checkEnv');
  checkEnvStructure(env, resolved.envName);
  const checks = activeEnvChecks(env, resolved);
  for (let next = checks.next(); !next.done; ) {
    const result = callEnv(env, next.value);
    if (isThenable(result)) {
      throw new TypeError(
        `${resolved.envName}: ${next.value.label} returned a Promise; check an AsyncEnv with checkAsyncEnv(env)`,
      );
    }
    next = checks.next(result);
  }
}

/**
 * Checks what `render()` returned for a render mode (Gymnasium's `_check_render_return`, throwing
 * where Gymnasium warns):
 * - `'rgb_array'`: an `RgbaFrame` (positive integer `width` / `height`, `data` a
 *   `Uint8ClampedArray` of 4 · width · height bytes);
 * - `'svg'`: a string holding an `<svg` element;
 * - `'ansi'` / `'ascii'`: a string;
 * - `'human'`: undefined;
 * - modes ending in `_list`: an array whose items pass the check of the base mode;
 * - undefined mode: undefined. Other modes are not checked.
 * @param renderMode the env's render mode.
 * @param value what `render()` returned.
 * @param envName name used in messages (default `'env'`).
 * @throws TypeError naming the render mode and describing `value` when it does not match.
 */
export function checkRenderReturn(renderMode: string | undefined, value: unknown, envName = 'env'): void {
  const fail = (expected: string): never => {
    throw new TypeError(
      `${envName}: render() in renderMode ${formatValue(renderMode)} must return ${expected}, got ${formatValue(value)}`,
    );
  };
  if (renderMode === undefined || renderMode === 'human') {
    if (value !== undefined) fail('undefined');
  } else if (renderMode === 'rgb_array') {
    if (!isRgbaFrame(value))
      fail('an RgbaFrame { width, height, data: Uint8ClampedArray(4 * width * height) }');
  } else if (renderMode === 'svg') {
    if (typeof value !== 'string' || !value.includes('<svg'))
      fail('an SVG document (a string with an <svg> element)');
  } else if (renderMode === 'ansi' || renderMode === 'ascii') {
    if (typeof value !== 'string') fail('a string');
  } else if (renderMode.endsWith('_list')) {
    if (!Array.isArray(value)) fail('an array of frames');
    const base = renderMode.slice(0, -'_list'.length);
    (value as unknown[]).forEach((item, i) => {
      checkRenderReturn(base, item, `${envName} (frame ${i} of the list)`);
    });
  }
}
