/**
 * Render modes: the `renderMode` constructor option and its validation.
 *
 * Source: Gymnasium 1.x, `gymnasium/core.py` (`Env.render_mode`, `metadata["render_modes"]`) and
 * `gymnasium/envs/registration.py` (`make(..., render_mode=...)`, which passes `render_mode` to the
 * env's constructor).
 */
import { formatValue } from '../utils/format.js';

/**
 * The render modes of the classic-control envs:
 * - `'rgb_array'`: `render()` returns an {@link RgbaFrame} of the current state.
 * - `'svg'`: `render()` returns the same picture as an SVG document (a string).
 */
export type ClassicRenderMode = 'rgb_array' | 'svg';

/** `metadata.renderModes` of the classic-control envs, in order. */
export const CLASSIC_RENDER_MODES: readonly ClassicRenderMode[] = Object.freeze(['rgb_array', 'svg']);

/**
 * Every render mode of Proximal's envs: the {@link ClassicRenderMode}s, and `'ansi'`, where
 * `render()` returns the current state as text (the toy-text envs).
 */
export type RenderMode = ClassicRenderMode | 'ansi';

/** `metadata.renderModes` of the toy-text grids (FrozenLake, CliffWalking, GridWorld), in order. */
export const GRID_RENDER_MODES: readonly RenderMode[] = Object.freeze(['ansi', 'rgb_array', 'svg']);

/**
 * Reads the `renderMode` constructor option (Gymnasium's `render_mode` keyword).
 * @param value the option; `undefined` or `null` means no rendering (Gymnasium's `None`).
 * @param modes the env's `metadata.renderModes`.
 * @param envName the env's name for messages.
 * @returns the mode, or `undefined`.
 * @throws TypeError when `value` is neither a string nor undefined/null; RangeError when it is a
 *   string not in `modes` (both messages name `renderMode` and list the supported modes).
 */
export function parseRenderMode<M extends string>(
  value: unknown,
  modes: readonly M[],
  envName: string,
): M | undefined {
  if (value === undefined || value === null) return undefined;
  const listed = modes.length === 0 ? 'it cannot render' : `metadata.renderModes is ${formatModes(modes)}`;
  if (typeof value !== 'string') {
    throw new TypeError(
      `${envName}: renderMode must be a string or undefined, got ${formatValue(value)} (${listed})`,
    );
  }
  if (!(modes as readonly string[]).includes(value)) {
    throw new RangeError(`${envName}: renderMode ${formatValue(value)} is not supported; ${listed}`);
  }
  return value as M;
}

/** `['a', 'b']` for messages. */
export function formatModes(modes: readonly string[]): string {
  return `[${modes.map((m) => `'${m}'`).join(', ')}]`;
}

const warned = new WeakSet<object>();

/**
 * Gymnasium's warning for `render()` on an env created without a render mode, emitted once per env
 * (through `process.emitWarning` where it exists, silently otherwise).
 * @param env the env (used to warn only once).
 * @param envName the env's name for the message.
 * @param example how to create it with a render mode, e.g. `make('CartPole-v1', { renderMode: 'rgb_array' })`.
 */
export function warnNoRenderMode(env: object, envName: string, example: string): void {
  if (warned.has(env)) return;
  warned.add(env);
  const proc = (globalThis as { process?: { emitWarning?: (message: string, type?: string) => void } })
    .process;
  proc?.emitWarning?.(
    `${envName}: render() was called without a render mode, so it returns undefined; choose the ` +
      `render mode when creating the env, e.g. ${example}`,
    'RenderWarning',
  );
}
