/**
 * `makeVec`: a vector env of `numEnvs` copies of a registered env.
 *
 * Source: Gymnasium 1.x, `gymnasium/envs/registration.py` (`make_vec` with
 * `vectorization_mode="sync"` or `"vector_entry_point"`, `vector_kwargs`, `wrappers`).
 */
import type { Env, EnvSpec } from '../env.js';
import { type MakeOptions, make, spec } from '../registry.js';
import { formatValue } from '../utils/format.js';
import { RecordEpisodeStatistics } from '../wrappers/record-episode-statistics.js';
import { AsyncVectorEnv } from './async-vector-env.js';
import { SyncVectorEnv } from './sync-vector-env.js';
import type { AutoresetMode, VectorEnv } from './vector-env.js';

/** Options of {@link makeVec}; any other key is passed to `make` for every sub-env. */
export interface MakeVecOptions extends MakeOptions {
  /** Number of sub-envs, a positive integer (default 1). */
  numEnvs?: number;
  /** Default `'next-step'`; see {@link AutoresetMode}. */
  autoresetMode?: AutoresetMode;
  /**
   * Optional seed: used by the first `reset()` called without a seed (sub-env i gets seed + i) and
   * seeds sub-env i's action space with seed + i.
   */
  seed?: number;
  /**
   * `'sync'` (default): a {@link SyncVectorEnv} of `make(id)` sub-envs. `'vector'`: the env's
   * batched implementation (`spec.vectorEntryPoint`: `CartPoleVectorEnv`, `PendulumVectorEnv`,
   * `MountainCarVectorEnv`, `MountainCarContinuousVectorEnv`, `AcrobotVectorEnv` for the
   * classic-control ids), which gives the same trajectories for the same seeds and actions. `'async'`: an
   * {@link AsyncVectorEnv}, one worker thread per sub-env (`id` must be a registered id; the env
   * options must be structured-cloneable; `wrappers` are not supported).
   */
  vectorizationMode?: 'sync' | 'vector' | 'async';
  /**
   * `'async'` only: module URLs each worker imports before `make` (e.g. to register a custom env);
   * see {@link AsyncVectorEnv}.
   */
  workerModules?: readonly string[];
  /** Extra wrappers applied to each sub-env, in order, after `RecordEpisodeStatistics`. */
  wrappers?: readonly ((env: Env) => Env)[];
}

/**
 * Creates a {@link SyncVectorEnv} of `numEnvs` sub-envs, each `make(id, envOptions)` wrapped in
 * `RecordEpisodeStatistics` (so `infos.episode` / `infos._episode` report finished episodes) and
 * then in `options.wrappers`.
 *
 * @example
 * const vec = makeVec('CartPole-v1', { numEnvs: 8, autoresetMode: 'same-step' });
 * let { observations } = vec.reset({ seed: 42 });   // float32 [8 * 4]
 *
 * With `vectorizationMode: 'vector'` the env's `vectorEntryPoint` is called with
 * `{ ...spec.kwargs, ...envOptions, numEnvs, autoresetMode, seed, maxEpisodeSteps }` (the time
 * limit and episode statistics are then the batched env's own; `wrappers` are not supported).
 *
 * @throws RangeError when `numEnvs` is not a positive integer, `vectorizationMode` is unknown, or
 *   `'vector'` is asked of an env without `vectorEntryPoint` or with `wrappers`; everything `make`
 *   and the vector env throw (unknown id, bad seed or mode).
 */
export function makeVec(
  id: string | EnvSpec,
  options?: MakeVecOptions & { vectorizationMode?: 'sync' },
): SyncVectorEnv;
export function makeVec(
  id: string | EnvSpec,
  options: MakeVecOptions & { vectorizationMode: 'vector' },
): VectorEnv;
export function makeVec(id: string, options: MakeVecOptions & { vectorizationMode: 'async' }): AsyncVectorEnv;
export function makeVec(id: string | EnvSpec, options?: MakeVecOptions): VectorEnv;
export function makeVec(id: string | EnvSpec, options: MakeVecOptions = {}): VectorEnv {
  const {
    numEnvs = 1,
    autoresetMode,
    seed,
    vectorizationMode = 'sync',
    wrappers = [],
    workerModules,
    ...envOptions
  } = options;
  if (!Number.isSafeInteger(numEnvs) || numEnvs <= 0) {
    throw new RangeError(`makeVec: numEnvs must be a positive integer, got ${formatValue(numEnvs)}`);
  }
  if (vectorizationMode === 'vector') {
    const base = typeof id === 'string' ? spec(id) : id;
    if (base.vectorEntryPoint === undefined) {
      throw new RangeError(
        `makeVec: ${base.id} has no vectorEntryPoint; use vectorizationMode 'sync' for this env`,
      );
    }
    if (wrappers.length > 0) {
      throw new RangeError("makeVec: wrappers are not supported with vectorizationMode 'vector'");
    }
    const { maxEpisodeSteps = base.maxEpisodeSteps, disableEnvChecker: _unused, ...kwargs } = envOptions;
    const vectorOptions: Record<string, unknown> = { ...base.kwargs, ...kwargs, numEnvs };
    if (autoresetMode !== undefined) vectorOptions.autoresetMode = autoresetMode;
    if (seed !== undefined) vectorOptions.seed = seed;
    if (maxEpisodeSteps !== undefined) vectorOptions.maxEpisodeSteps = maxEpisodeSteps;
    return base.vectorEntryPoint(vectorOptions);
  }
  if (vectorizationMode === 'async') {
    if (typeof id !== 'string')
      throw new TypeError("makeVec: vectorizationMode 'async' needs a registered id");
    if (wrappers.length > 0) {
      throw new RangeError(
        "makeVec: wrappers are not supported with vectorizationMode 'async' (functions cannot cross threads)",
      );
    }
    return new AsyncVectorEnv(id, { numEnvs, autoresetMode, seed, envOptions, workerModules });
  }
  if (vectorizationMode !== 'sync') {
    throw new RangeError(
      `makeVec: vectorizationMode must be 'sync', 'vector' or 'async', got ${formatValue(vectorizationMode)}`,
    );
  }
  const envFn = (): Env => {
    let env: Env = new RecordEpisodeStatistics(make(id, envOptions));
    for (const wrap of wrappers) env = wrap(env);
    return env;
  };
  return new SyncVectorEnv(
    Array.from({ length: numEnvs }, () => envFn),
    { autoresetMode, seed },
  );
}
