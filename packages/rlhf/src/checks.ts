/** Argument checks shared by the rlhf package (clear errors naming the argument; nothing corrected). */

/** @throws TypeError when `value` is not a plain object or has a key outside `known`. */
export function checkOptions(
  where: string,
  value: unknown,
  known: readonly string[],
): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new TypeError(`${where} must be an object, got ${value === null ? 'null' : typeof value}`);
  }
  for (const key of Object.keys(value)) {
    if (!known.includes(key)) {
      throw new TypeError(`${where}: unknown option '${key}' (known: ${known.join(', ')})`);
    }
  }
  return value as Record<string, unknown>;
}

/** @throws RangeError unless `value` is an integer ≥ min (and ≤ max). */
export function checkInt(name: string, value: unknown, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `≥ ${min}` : `in [${min}, ${max}]`;
    throw new RangeError(`${name} must be an integer ${range}, got ${String(value)}`);
  }
  return value;
}

/** @throws RangeError unless `value` is a finite number in [lo, hi] (open ends with `openLo`). */
export function checkNum(name: string, value: unknown, lo: number, hi: number, openLo = false): number {
  if (
    typeof value !== 'number' ||
    !Number.isFinite(value) ||
    value > hi ||
    (openLo ? value <= lo : value < lo)
  ) {
    const left = openLo ? '(' : '[';
    throw new RangeError(`${name} must be a finite number in ${left}${lo}, ${hi}], got ${String(value)}`);
  }
  return value;
}

/** @throws RangeError unless `value` is one of `choices`. */
export function checkOneOf<T extends string>(name: string, value: unknown, choices: readonly T[]): T {
  if (!choices.includes(value as T)) {
    throw new RangeError(
      `${name} must be one of ${choices.map((c) => `'${c}'`).join(', ')}, got ${String(value)}`,
    );
  }
  return value as T;
}

/** @throws TypeError unless `value` is a boolean. */
export function checkBool(name: string, value: unknown): boolean {
  if (typeof value !== 'boolean') throw new TypeError(`${name} must be a boolean, got ${typeof value}`);
  return value;
}
