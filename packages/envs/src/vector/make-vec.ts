/**
 * `makeVec`: a vector env of `numEnvs` copies of a registered env.
 *
 * Source: Gymnasium 1.x, `gymnasium/envs/registration.py` (`make_vec` with
 * `vectorization_mode="sync"`, `vector_kwargs`, `wrappers`).
 */
import type { Env, EnvSpec } from '../env.js';
import { type MakeOptions, make } from '../registry.js';
import { formatValue } from '../utils/format.js';
import { RecordEpisodeStatistics } from '../wrappers/record-episode-statistics.js';
import { SyncVectorEnv } from './sync-vector-env.js';
import type { AutoresetMode } from './vector-env.js';

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
  /** Only `'sync'` (the default) is implemented. */
  vectorizationMode?: 'sync';
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
 * @throws RangeError when `numEnvs` is not a positive integer or `vectorizationMode` is not
 *   `'sync'`; everything `make` and `SyncVectorEnv` throw (unknown id, bad seed or mode).
 */
export function makeVec(id: string | EnvSpec, options: MakeVecOptions = {}): SyncVectorEnv {
  const {
    numEnvs = 1,
    autoresetMode,
    seed,
    vectorizationMode = 'sync',
    wrappers = [],
    ...envOptions
  } = options;
  if (!Number.isSafeInteger(numEnvs) || numEnvs <= 0) {
    throw new RangeError(`makeVec: numEnvs must be a positive integer, got ${formatValue(numEnvs)}`);
  }
  if (vectorizationMode !== 'sync') {
    throw new RangeError(`makeVec: vectorizationMode must be 'sync', got ${formatValue(vectorizationMode)}`);
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
