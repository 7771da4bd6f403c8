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

/** Throws RangeError at the first non-finite element. */
export function checkFinite(name: string, array: Float32Array | Float64Array): void {
  for (let i = 0; i < array.length; i++) {
    if (!Number.isFinite(array[i])) throw new RangeError(`${name}[${i}] must be finite, got ${array[i]}`);
  }
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
export function checkOutputs(name: string, value: unknown, field: string): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value) || ArrayBuffer.isView(value)) {
    throw new TypeError(`${name} must be an object { ${field}?: Float32Array }, got ${describe(value)}`);
  }
  return value as Record<string, unknown>;
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
