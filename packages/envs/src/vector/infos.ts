/**
 * Batching of per-sub-env info dicts into Gymnasium-style dict-of-arrays with `_key` masks.
 *
 * Source: Gymnasium 1.x, `gymnasium/vector/vector_env.py` (`VectorEnv._add_info`). Differences: the
 * arrays are typed arrays reused between calls, and `episode.l` is an `Int32Array`.
 */
import { formatValue } from '../utils/format.js';
import type { VectorInfo } from './vector-env.js';

type NumericArray =
  | Float32Array
  | Float64Array
  | Int8Array
  | Int16Array
  | Int32Array
  | Uint8Array
  | Uint8ClampedArray
  | Uint16Array
  | Uint32Array;

type Kind = 'float64' | 'int32' | 'bool' | 'typed' | 'object';

interface Column {
  kind: Kind;
  data: NumericArray | unknown[];
  width: number;
  ctor: unknown;
  stamp: number;
}

/** One key path of the infos tree (`episode`, `episode.r`, ...): its column and its mask. */
interface Node {
  path: string;
  children: Map<string, Node>;
  intPath: boolean;
  column: Column | undefined;
  mask: Uint8Array;
  maskStamp: number;
}

function isPlainObject(x: unknown): x is Record<string, unknown> {
  if (x === null || typeof x !== 'object') return false;
  const proto = Object.getPrototypeOf(x);
  return proto === Object.prototype || proto === null;
}

function isNumericArray(x: unknown): x is NumericArray {
  return (
    ArrayBuffer.isView(x) &&
    !(x instanceof DataView) &&
    !(x instanceof BigInt64Array) &&
    !(x instanceof BigUint64Array)
  );
}

/** Episode lengths are integers: `episode.l` (also nested, e.g. `finalInfo.episode.l`) is int32. */
function isIntPath(path: string): boolean {
  return path === 'episode.l' || path.endsWith('.episode.l');
}

function kindOf(value: unknown, intPath: boolean): Kind {
  if (typeof value === 'number') return intPath ? 'int32' : 'float64';
  if (typeof value === 'boolean') return 'bool';
  if (isNumericArray(value)) return 'typed';
  return 'object';
}

/**
 * Builds {@link VectorInfo} dicts for `numEnvs` sub-envs, reusing its arrays from call to call:
 * `begin()` starts a new dict (arrays of the previous one are cleared on first use), `add()` merges
 * one sub-env's info into it.
 */
export class VectorInfoBuilder {
  private readonly root: Node;
  private stamp = 0;

  /** @param numEnvs number of sub-envs (length of every mask). */
  constructor(readonly numEnvs: number) {
    this.root = this.node('');
  }

  /** A new, empty infos dict; arrays handed out before are reused (and cleared) from now on. */
  begin(): VectorInfo {
    this.stamp++;
    return {};
  }

  /**
   * Merges sub-env `env`'s `info` into `target` (Gymnasium `_add_info`).
   * @throws TypeError when a key holds values of different kinds for different sub-envs in one
   *   call; RangeError when typed-array values of one key have different lengths.
   */
  add(target: Record<string, unknown>, info: Record<string, unknown>, env: number): void {
    this.addUnder(this.root, target, info, env);
  }

  /** Merges one `key: value` entry of sub-env `env` into `target` (see {@link add}). */
  addEntry(target: Record<string, unknown>, key: string, value: unknown, env: number): void {
    this.addAt(this.root, target, key, value, env);
  }

  private addUnder(
    parent: Node,
    target: Record<string, unknown>,
    info: Record<string, unknown>,
    env: number,
  ): void {
    for (const key in info) this.addAt(parent, target, key, info[key], env);
  }

  private addAt(
    parent: Node,
    target: Record<string, unknown>,
    key: string,
    value: unknown,
    env: number,
  ): void {
    let node = parent.children.get(key);
    if (node === undefined) {
      node = this.node(parent.path === '' ? key : `${parent.path}.${key}`);
      parent.children.set(key, node);
    }
    const existing = target[key];
    if (isPlainObject(value)) {
      let nested = existing;
      if (nested === undefined) {
        nested = {};
        target[key] = nested;
      } else if (!isPlainObject(nested)) {
        throw new TypeError(
          `vector infos: key '${node.path}' holds a dict for sub-env ${env} and a value for another`,
        );
      }
      this.addUnder(node, nested as Record<string, unknown>, value, env);
    } else {
      if (isPlainObject(existing)) {
        throw new TypeError(
          `vector infos: key '${node.path}' holds a dict for one sub-env and ${formatValue(value)} for sub-env ${env}`,
        );
      }
      const column = this.column(node, value);
      write(column, value, env, node.path);
      target[key] = column.data;
    }
    if (node.maskStamp !== this.stamp) {
      node.mask.fill(0);
      node.maskStamp = this.stamp;
    }
    node.mask[env] = 1;
    target[`_${key}`] = node.mask;
  }

  private node(path: string): Node {
    return {
      path,
      children: new Map(),
      intPath: isIntPath(path),
      column: undefined,
      mask: new Uint8Array(this.numEnvs),
      maskStamp: 0,
    };
  }

  private column(node: Node, value: unknown): Column {
    const path = node.path;
    const kind = kindOf(value, node.intPath);
    const width = kind === 'typed' ? (value as NumericArray).length : 1;
    const ctor = kind === 'typed' ? (value as NumericArray).constructor : undefined;
    const existing = node.column;
    if (existing !== undefined) {
      const compatible = existing.kind === kind && existing.width === width && existing.ctor === ctor;
      if (existing.stamp === this.stamp) {
        if (!compatible) {
          const message = `vector infos: key '${path}' holds ${describe(existing)} for one sub-env and ${formatValue(value)} for another`;
          throw existing.kind === kind ? new RangeError(message) : new TypeError(message);
        }
        return existing;
      }
      if (compatible) {
        if (kind === 'object') (existing.data as unknown[]).fill(null);
        else (existing.data as NumericArray).fill(0);
        existing.stamp = this.stamp;
        return existing;
      }
    }
    const n = this.numEnvs;
    let data: NumericArray | unknown[];
    if (kind === 'float64') data = new Float64Array(n);
    else if (kind === 'int32') data = new Int32Array(n);
    else if (kind === 'bool') data = new Uint8Array(n);
    else if (kind === 'typed') data = new (ctor as new (length: number) => NumericArray)(n * width);
    else data = new Array<unknown>(n).fill(null);
    const column: Column = { kind, data, width, ctor, stamp: this.stamp };
    node.column = column;
    return column;
  }
}

function describe(column: Column): string {
  if (column.kind === 'typed') return `typed arrays of length ${column.width}`;
  if (column.kind === 'object') return 'non-numeric values';
  return column.kind === 'bool' ? 'booleans' : 'numbers';
}

function write(column: Column, value: unknown, env: number, path: string): void {
  switch (column.kind) {
    case 'float64':
    case 'int32':
      (column.data as NumericArray)[env] = value as number;
      break;
    case 'bool':
      (column.data as NumericArray)[env] = value ? 1 : 0;
      break;
    case 'typed': {
      const v = value as NumericArray;
      if (v.length !== column.width) {
        throw new RangeError(`vector infos: key '${path}' has length ${v.length}, expected ${column.width}`);
      }
      (column.data as NumericArray).set(v, env * column.width);
      break;
    }
    default:
      (column.data as unknown[])[env] = value;
  }
}
