/**
 * Formatting of arbitrary values for error messages.
 */

const MAX_ITEMS = 8;

function formatNumber(x: number): string {
  if (Object.is(x, -0)) return '-0';
  return String(x);
}

function formatItems(items: ArrayLike<unknown>): string {
  const shown: string[] = [];
  const n = Math.min(items.length, MAX_ITEMS);
  for (let i = 0; i < n; i++) {
    const v = items[i];
    shown.push(typeof v === 'number' ? formatNumber(v) : formatValue(v));
  }
  if (items.length > MAX_ITEMS) shown.push(`… ${items.length - MAX_ITEMS} more`);
  return `[${shown.join(', ')}]`;
}

/**
 * A short, unambiguous description of `x` for an error message: numbers as written (`NaN`,
 * `Infinity`, `-0`), strings quoted and marked `(string)`, typed arrays with their type and length,
 * plain arrays and objects abbreviated to 8 items.
 *
 * @example formatValue('1') === '"1" (string)'; formatValue(new Float32Array([1, 2])) === 'Float32Array(2) [1, 2]'
 */
export function formatValue(x: unknown): string {
  switch (typeof x) {
    case 'number':
      return formatNumber(x);
    case 'string':
      return `${JSON.stringify(x)} (string)`;
    case 'bigint':
      return `${x}n (bigint)`;
    case 'boolean':
      return `${x} (boolean)`;
    case 'undefined':
      return 'undefined';
    case 'function':
      return 'a function';
    case 'symbol':
      return x.toString();
    default:
      break;
  }
  if (x === null) return 'null';
  if (ArrayBuffer.isView(x) && !(x instanceof DataView)) {
    const arr = x as unknown as ArrayLike<unknown>;
    return `${x.constructor.name}(${arr.length}) ${formatItems(arr)}`;
  }
  if (Array.isArray(x)) return `Array(${x.length}) ${formatItems(x)}`;
  const name = (x as object).constructor?.name;
  return name && name !== 'Object' ? `a ${name}` : 'an object';
}

/** Formats a shape like numpy does: `[]` → `()`, `[4]` → `(4,)`, `[2, 3]` → `(2, 3)`. */
export function formatShape(shape: readonly number[]): string {
  return shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
}
