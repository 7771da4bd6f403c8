/**
 * Helpers shared by the classic-control environments.
 *
 * Source: Gymnasium 1.x, `gymnasium/envs/classic_control/utils.py` (`maybe_parse_reset_bounds`,
 * `verify_number_and_cast`).
 */
import type { Box } from '../spaces/box.js';
import { formatValue } from '../utils/format.js';

/**
 * Reads one numeric reset option as Gymnasium's classic-control envs do (`verify_number_and_cast`):
 * a key that is present must hold a finite number, even `undefined`.
 *
 * @param options reset options (`env.reset({ options })`).
 * @param key the option's name.
 * @param fallback the value when `options` lacks `key`.
 * @throws TypeError when the key is present and its value is not a finite number.
 */
export function resetOption(
  options: Record<string, unknown> | undefined,
  key: string,
  fallback: number,
): number {
  if (options === undefined || !(key in options)) return fallback;
  const v = options[key];
  if (typeof v !== 'number' || !Number.isFinite(v)) {
    throw new TypeError(`reset options.${key} must be a finite number, got ${formatValue(v)}`);
  }
  return v;
}

/**
 * Reads the `low` / `high` bounds of the initial-state distribution from reset options.
 *
 * @param options reset options (`env.reset({ options })`); missing keys take the defaults.
 * @param defaultLow bound used when `options.low` is absent.
 * @param defaultHigh bound used when `options.high` is absent.
 * @returns `[low, high]` as float64 numbers.
 * @throws TypeError when a given bound is not a finite number; RangeError when `low > high`.
 */
export function parseResetBounds(
  options: Record<string, unknown> | undefined,
  defaultLow: number,
  defaultHigh: number,
): [number, number] {
  const low = resetOption(options, 'low', defaultLow);
  const high = resetOption(options, 'high', defaultHigh);
  if (low > high) throw new RangeError(`reset options: low (${low}) must not be greater than high (${high})`);
  return [low, high];
}

/**
 * Checks and copies a physical state given by the user.
 *
 * @param value the new state, an array-like of `length` finite numbers.
 * @param target where the values are copied (float64).
 * @param envName env name for the message.
 * @throws TypeError when `value` is not array-like or holds a non-number; RangeError for a wrong
 *   length or a non-finite value.
 */
export function assignState(value: unknown, target: Float64Array, envName: string): void {
  const n = target.length;
  const arrayLike = Array.isArray(value) || (ArrayBuffer.isView(value) && !(value instanceof DataView));
  if (!arrayLike) {
    throw new TypeError(`${envName}: state must be an array of ${n} numbers, got ${formatValue(value)}`);
  }
  const arr = value as ArrayLike<unknown>;
  if (arr.length !== n) {
    throw new RangeError(`${envName}: state has length ${arr.length}, expected ${n}`);
  }
  for (let i = 0; i < n; i++) {
    const v = arr[i];
    if (typeof v !== 'number') {
      throw new TypeError(`${envName}: state[${i}] must be a number, got ${formatValue(v)}`);
    }
    if (!Number.isFinite(v))
      throw new RangeError(`${envName}: state[${i}] must be finite, got ${formatValue(v)}`);
  }
  for (let i = 0; i < n; i++) target[i] = arr[i] as number;
}

/**
 * Reads a continuous action of a `Box` action space as Gymnasium's envs receive it: an array of
 * `size` float32 values, not yet clipped (out-of-bound values are valid; the env clips them).
 *
 * @param action the action given to `step`: any array-like of numbers (`Float32Array`, `number[]`, …).
 * @param out receives the values rounded to float32 (length = the action size).
 * @param space the action space, or its description, for messages (e.g. `Box(-2.0, 2.0, (1,),
 *   float32)`); a space is turned into text only when the action is rejected.
 * @throws TypeError when `action` is not an array of numbers; RangeError (message naming `action`,
 *   the value and the space) for a wrong length or a NaN / infinite element.
 */
export function readBoxAction(action: unknown, out: Float64Array, space: string | Box): void {
  const n = out.length;
  const arrayLike = Array.isArray(action) || (ArrayBuffer.isView(action) && !(action instanceof DataView));
  if (!arrayLike) {
    throw new TypeError(
      `action must be an array of ${n} number${n === 1 ? '' : 's'} in ${space}, got ${formatValue(action)}`,
    );
  }
  const arr = action as ArrayLike<unknown>;
  if (arr.length !== n) {
    throw new RangeError(
      `action has length ${arr.length}, expected ${n} (shape (${n},)) for ${space}; got ${formatValue(action)}`,
    );
  }
  for (let i = 0; i < n; i++) {
    const v = arr[i];
    if (typeof v !== 'number') {
      throw new TypeError(`action element [${i}] must be a number, got ${formatValue(v)} (${space})`);
    }
    if (!Number.isFinite(v)) {
      throw new RangeError(
        `action element [${i}] must be finite, got ${formatValue(v)} (${space}; finite values outside the bounds are clipped)`,
      );
    }
  }
  for (let i = 0; i < n; i++) out[i] = Math.fround(arr[i] as number);
}

/** `x` clipped to `[low, high]` (`np.clip` for a scalar). */
export function clip(x: number, low: number, high: number): number {
  return Math.min(Math.max(x, low), high);
}
