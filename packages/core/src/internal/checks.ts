/** Argument validation shared by every public kernel: errors name the argument and both values. */

type TypedArrayCtor =
  | Float32ArrayConstructor
  | Uint8ArrayConstructor
  | Int32ArrayConstructor
  | Float64ArrayConstructor;

function describe(x: unknown): string {
  if (x === null) return 'null';
  if (x === undefined) return 'undefined';
  if (ArrayBuffer.isView(x)) return `${x.constructor.name}(${(x as unknown as { length: number }).length})`;
  if (Array.isArray(x)) return `Array(${x.length})`;
  return typeof x;
}

/** Throws TypeError unless `value` is an instance of `ctor` (e.g. Float32Array). */
export function checkTyped<T>(name: string, value: unknown, ctor: TypedArrayCtor): T {
  if (!(value instanceof ctor)) {
    throw new TypeError(`${name} must be a ${ctor.name}, got ${describe(value)}`);
  }
  return value as T;
}

/** Throws RangeError unless `array.length === expected`; `what` explains where `expected` comes from. */
export function checkLength(name: string, array: { length: number }, expected: number, what: string): void {
  if (array.length !== expected) {
    throw new RangeError(`${name} has length ${array.length}, expected ${expected} (= ${what})`);
  }
}

/** Throws RangeError unless `value` is an integer ≥ `min`. */
export function checkInteger(name: string, value: unknown, min = 1): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    throw new RangeError(`${name} must be an integer ≥ ${min}, got ${String(value)}`);
  }
  return value;
}

/** Throws RangeError unless `value` is a finite number in [lo, hi]. */
export function checkNumberInRange(name: string, value: unknown, lo: number, hi: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < lo || value > hi) {
    throw new RangeError(`${name} must be a finite number in [${lo}, ${hi}], got ${String(value)}`);
  }
  return value;
}

/** Throws RangeError unless every element of a 0/1 flag array is 0 or 1. */
export function checkFlags(name: string, flags: Uint8Array): void {
  for (let i = 0; i < flags.length; i++) {
    if (flags[i] > 1) throw new RangeError(`${name}[${i}] must be 0 or 1, got ${flags[i]}`);
  }
}

/**
 * Throws RangeError `<name>[i] must be finite, got NaN` at the first NaN or ±Infinity element (only
 * elements with `mask[i] !== 0` count when a mask is given). The native addon's message is the same.
 */
export function checkFinite(name: string, array: ArrayLike<number> | undefined, mask?: Uint8Array): void {
  if (array === undefined) return;
  for (let i = 0; i < array.length; i++) {
    if (!Number.isFinite(array[i]) && (mask === undefined || mask[i] !== 0)) {
      throw new RangeError(`${name}[${i}] must be finite, got ${array[i]}`);
    }
  }
}

/**
 * Throws TypeError `<what> has an unknown option 'x' (accepted: a, b)` for the first enumerable key
 * of `value` (own or inherited, as `for…in`) not in `accepted`: unknown options are refused, not
 * ignored (a misspelt option would otherwise silently take its default). Same message as the addon.
 */
export function checkKeys(what: string, value: object, accepted: readonly string[]): void {
  for (const key in value) {
    if (!accepted.includes(key)) {
      throw new TypeError(`${what} has an unknown option '${key}' (accepted: ${accepted.join(', ')})`);
    }
  }
}

/** Largest `threads` any kernel accepts (the addon's limit). */
export const MAX_THREADS = 1024;

/** The `threads` option: undefined, or an integer in [1, 1024] (RangeError otherwise). */
export function checkThreads(value: unknown): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > MAX_THREADS) {
    throw new RangeError(`threads must be an integer in [1, ${MAX_THREADS}], got ${String(value)}`);
  }
  return value;
}

/** The `checkFinite` option: true when undefined; TypeError unless a boolean. */
export function checkFiniteOption(value: unknown): boolean {
  if (value === undefined) return true;
  if (typeof value !== 'boolean') {
    const got = typeof value === 'number' ? String(value) : describe(value);
    throw new TypeError(`checkFinite must be a boolean, got ${got}`);
  }
  return value;
}

/** The options every kernel accepts (its second or last argument): `backend`, `threads`, `checkFinite`. */
export const KERNEL_OPTION_KEYS: readonly string[] = ['backend', 'threads', 'checkFinite'];

/**
 * Checks a kernel's options bag (undefined = `{}`): an object whose keys are
 * {@link KERNEL_OPTION_KEYS} plus `extra`, a valid `threads` and `checkFinite`. `backend` is checked
 * by resolveBackend.
 */
export function checkKernelOptions(
  raw: unknown,
  extra: readonly string[] = [],
): { threads: number | undefined; checkFinite: boolean } {
  if (raw === undefined) return { threads: undefined, checkFinite: true };
  const o = checkObject('options', raw);
  checkKeys('options', o, extra.length ? [...KERNEL_OPTION_KEYS, ...extra] : KERNEL_OPTION_KEYS);
  return { threads: checkThreads(o.threads), checkFinite: checkFiniteOption(o.checkFinite) };
}

/** Throws TypeError unless `value` is a plain object (the options bag of every kernel). */
export function checkObject(name: string, value: unknown): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new TypeError(`${name} must be an object, got ${describe(value)}`);
  }
  return value as Record<string, unknown>;
}

/**
 * Throws TypeError unless `value` is a plain object of outputs (not null, an array or a typed array:
 * passing the output array itself instead of `{ field: array }` is an easy mistake).
 */
export function checkOutputs(name: string, value: unknown, ...fields: string[]): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value) || ArrayBuffer.isView(value)) {
    const shape = fields.map((f) => `${f}?: Float32Array`).join(', ');
    throw new TypeError(`${name} must be an object { ${shape} }, got ${describe(value)}`);
  }
  checkKeys(name, value, fields);
  return value as Record<string, unknown>;
}

/** A copy of `value` without its undefined entries (the addon treats a present key as given). */
export function withoutUndefined(value: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = v;
  return out;
}

/**
 * The addon's arguments of a kernel with optional preallocated outputs: `args` without its `out`
 * bag, then `outputs` and the options `threads` / `checkFinite` as top-level keys (undefined ones
 * dropped, so the addon applies its defaults).
 */
export function addonArgs(
  args: object,
  outputs: Record<string, unknown>,
  options: { threads?: number; checkFinite?: boolean },
): Record<string, unknown> {
  const { out: _out, ...rest } = args as Record<string, unknown>;
  return withoutUndefined({
    ...rest,
    ...outputs,
    threads: options.threads,
    checkFinite: options.checkFinite,
  });
}

/**
 * Checks a caller's preallocated float32 output (`undefined` passes): a Float32Array of length `n`
 * (when `n` is known, i.e. the array it follows is valid; otherwise that array's own check throws
 * later) that shares no memory with any of `inputs` (entries that are not typed arrays are skipped).
 * @throws TypeError for a wrong dtype; RangeError for a wrong length or shared memory.
 */
export function checkOutput(
  name: string,
  value: unknown,
  n: number | undefined,
  what: string,
  inputs: Record<string, unknown>,
): Float32Array | undefined {
  if (value === undefined) return undefined;
  const out = checkTyped<Float32Array>(name, value, Float32Array);
  if (n !== undefined) checkLength(name, out, n, what);
  if (out.byteLength === 0) return out;
  const a0 = out.byteOffset;
  const a1 = a0 + out.byteLength;
  for (const [other, array] of Object.entries(inputs)) {
    if (!ArrayBuffer.isView(array) || array.buffer !== out.buffer || array.byteLength === 0) continue;
    const b0 = array.byteOffset;
    if (a0 < b0 + array.byteLength && b0 < a1) {
      throw new RangeError(`${name} must not share memory with ${other}`);
    }
  }
  return out;
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
