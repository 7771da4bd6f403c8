/**
 * Constructor-option checks shared by the MuJoCo envs (Gymnasium v5 keyword arguments in camelCase).
 *
 * Source: Gymnasium 1.x `gymnasium/envs/mujoco/mujoco_env.py` (`MujocoEnv.__init__`: `xml_file`,
 * `frame_skip`, `render_mode`, `width`, `height`, `camera_id`, `camera_name`,
 * `default_camera_config`, `max_geom`, `visual_options`) and the `*_v5.py` env constructors.
 */
import { formatValue } from '@proximal/envs';

/** The options every MuJoCo env takes (Gymnasium's `MujocoEnv` keywords that Proximal implements). */
export const BASE_OPTIONS = ['xmlFile', 'frameSkip', 'renderMode', 'width', 'height'] as const;

/**
 * Gymnasium `MujocoEnv` keywords that only configure its OpenGL renderer; Proximal draws an
 * orthographic SVG picture instead and refuses them by name.
 */
export const RENDERER_OPTIONS = [
  'cameraId',
  'cameraName',
  'defaultCameraConfig',
  'maxGeom',
  'visualOptions',
] as const;

/**
 * Checks constructor options against the env's keys.
 * @throws TypeError naming the option: for one of Gymnasium's OpenGL-renderer options (not
 *   supported), and for any other unknown key (listing the accepted ones).
 */
export function checkOptions(options: object, allowed: readonly string[], envName: string): void {
  if (options === null || typeof options !== 'object') {
    throw new TypeError(`${envName}: options must be an object, got ${formatValue(options)}`);
  }
  for (const key of Object.keys(options)) {
    if (allowed.includes(key)) continue;
    if ((RENDERER_OPTIONS as readonly string[]).includes(key)) {
      throw new TypeError(
        `${envName}: option ${formatValue(key)} configures Gymnasium's OpenGL renderer and is not supported; Proximal renders an orthographic SVG view (renderMode 'svg' or 'rgb_array', with width and height)`,
      );
    }
    throw new TypeError(
      `${envName}: unknown option ${formatValue(key)}; the options are ${allowed.join(', ')}`,
    );
  }
}

/**
 * A finite number option.
 * @throws TypeError naming the option when present and not a finite number.
 */
export function finiteOption(value: unknown, fallback: number, what: string): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new TypeError(`${what} must be a finite number, got ${formatValue(value)}`);
  }
  return value;
}

/**
 * A non-negative finite number option (noise scales).
 * @throws TypeError when not a finite number; RangeError when negative.
 */
export function nonNegativeOption(value: unknown, fallback: number, what: string): number {
  const v = finiteOption(value, fallback, what);
  if (v < 0) throw new RangeError(`${what} must be >= 0, got ${formatValue(v)}`);
  return v;
}

/**
 * A positive integer option (`frameSkip`, `width`, `height`).
 * @throws TypeError / RangeError naming the option when not a positive safe integer.
 */
export function positiveIntegerOption(value: unknown, fallback: number, what: string): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value <= 0) {
    throw new RangeError(`${what} must be a positive integer, got ${formatValue(value)}`);
  }
  return value;
}

/**
 * A boolean option.
 * @throws TypeError naming the option when present and not a boolean.
 */
export function boolOption(value: unknown, fallback: boolean, what: string): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') throw new TypeError(`${what} must be a boolean, got ${formatValue(value)}`);
  return value;
}

/**
 * A `[min, max]` range option (Gymnasium's tuples such as `healthy_z_range`); bounds may be
 * ±Infinity.
 * @returns a new `[min, max]` pair.
 * @throws TypeError when not an array of two numbers; RangeError for NaN bounds or min > max.
 */
export function rangeOption(
  value: unknown,
  fallback: readonly [number, number],
  what: string,
): [number, number] {
  if (value === undefined) return [fallback[0], fallback[1]];
  const ok =
    (Array.isArray(value) || ArrayBuffer.isView(value)) &&
    (value as ArrayLike<unknown>).length === 2 &&
    typeof (value as ArrayLike<unknown>)[0] === 'number' &&
    typeof (value as ArrayLike<unknown>)[1] === 'number';
  if (!ok) throw new TypeError(`${what} must be a [min, max] pair of numbers, got ${formatValue(value)}`);
  const [lo, hi] = value as [number, number];
  if (Number.isNaN(lo) || Number.isNaN(hi) || lo > hi) {
    throw new RangeError(`${what} must be [min, max] with min <= max, got ${formatValue(value)}`);
  }
  return [lo, hi];
}
