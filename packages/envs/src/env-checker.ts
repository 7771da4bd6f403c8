/**
 * A structural check of an environment, run by `make` unless `disableEnvChecker` is set.
 *
 * Source: Gymnasium 1.x, `gymnasium/utils/passive_env_checker.py` (`env_reset_passive_checker`'s
 * and `check_space`'s structural checks). Unlike Gymnasium's `PassiveEnvChecker` wrapper it adds
 * no wrapper layer and never calls `reset` / `step` (which would consume randomness).
 */
import type { AnyEnv } from './env.js';
import { formatValue } from './utils/format.js';

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

/**
 * Checks that `env` has `reset`, `step` and `close` methods, `metadata.renderModes`, and
 * observation/action spaces implementing `Space` (methods and a valid `shape`).
 * @param env the env to check (typically the unwrapped env).
 * @param envName name used in messages (default: the spec id or `'env'`).
 * @throws TypeError describing the first problem found.
 */
export function checkEnv(env: AnyEnv, envName = env?.spec?.id ?? 'env'): void {
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
  if (!Array.isArray(env.metadata?.renderModes)) {
    throw new TypeError(`${envName}: metadata.renderModes must be an array of strings`);
  }
}
