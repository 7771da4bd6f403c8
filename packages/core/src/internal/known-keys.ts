/** Refusal of unknown options (a misspelt option must not be silently ignored). */

/**
 * Throws TypeError when `args` has an own enumerable key outside `allowed` (keys whose value is
 * `undefined` count as absent).
 */
export function checkKnownKeys(
  what: string,
  args: Record<string, unknown>,
  allowed: readonly string[],
): void {
  for (const key of Object.keys(args)) {
    if (args[key] === undefined || allowed.includes(key)) continue;
    throw new TypeError(`${what}: unknown option '${key}' (expected one of ${allowed.join(', ')})`);
  }
}

/** Throws RangeError unless `value` is one of `choices`; returns it. */
export function checkChoice<T extends string>(name: string, value: unknown, choices: readonly T[]): T {
  if (typeof value !== 'string' || !(choices as readonly string[]).includes(value)) {
    const got = typeof value === 'string' ? `'${value}'` : String(value);
    const list = choices.map((c) => `'${c}'`).join(', ');
    throw new RangeError(`${name} must be one of ${list}, got ${got}`);
  }
  return value as T;
}
