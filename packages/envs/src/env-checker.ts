/**
 * A structural check of an environment, run by `make` unless `disableEnvChecker` is set, and the
 * check of what `render()` returns.
 *
 * Source: Gymnasium 1.x, `gymnasium/utils/passive_env_checker.py` (`env_reset_passive_checker`'s
 * and `check_space`'s structural checks, `env_render_passive_checker`'s render-mode checks and
 * `_check_render_return`). Unlike Gymnasium's `PassiveEnvChecker` wrapper it adds no wrapper layer
 * and never calls `reset` / `step` / `render` (which would consume randomness); where Gymnasium
 * only warns, Proximal throws.
 */
import type { AnyAsyncEnv } from './async/async-env.js';
import type { AnyEnv } from './env.js';
import { isRgbaFrame } from './rendering/frame.js';
import { formatModes } from './rendering/render-mode.js';
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
 * Checks that `env` has `reset`, `step` and `close` methods, observation/action spaces implementing
 * `Space` (methods and a valid `shape`), and consistent render settings: `metadata.renderModes` an
 * array of strings, `metadata.renderFps` (when given) a positive number, and `renderMode` either
 * undefined or one of `metadata.renderModes` with a `render()` method. Works for {@link Env} and
 * `AsyncEnv` alike (it calls nothing).
 * @param env the env to check (typically the unwrapped env).
 * @param envName name used in messages (default: the spec id or `'env'`).
 * @throws TypeError describing the first problem found.
 */
export function checkEnv(env: AnyEnv | AnyAsyncEnv, envName = env?.spec?.id ?? 'env'): void {
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
