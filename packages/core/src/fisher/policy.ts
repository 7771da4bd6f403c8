import { checkObject, checkTyped } from '../internal/checks.js';
import type { MlpLayer } from '../mlp.js';

/** Output head of an MLP policy: logits of a categorical, or means of a diagonal Gaussian. */
export type PolicyHead = 'categorical' | 'diag-gaussian';

/** Layers and head of an MLP policy, without parameters. */
export interface MlpPolicyShape {
  /** Dense layers, sizes chained (`layers[i].inSize === layers[i - 1].outSize`). */
  layers: MlpLayer[];
  /**
   * `'categorical'`: the last layer's outputs are logits over `outSize` actions.
   * `'diag-gaussian'`: they are the means of N(μ, diag(σ²)) with a state-independent log-std
   * vector ℓ = log σ [actionDim = last outSize] stored after the MLP parameters.
   */
  head: PolicyHead;
}

/**
 * An MLP policy with flat float32 parameters (ARCHITECTURE.md, "Kernel API"): for each layer in
 * turn its weight matrix W [inSize, outSize] row-major (a tfjs Dense kernel), then its bias
 * [outSize]; for `'diag-gaussian'` the log-std [actionDim] comes last.
 */
export interface MlpPolicy extends MlpPolicyShape {
  params: Float32Array;
}

/** Largest layer width the kernels accept (2^24, as the native addon). */
export const MAX_LAYER_SIZE = 2 ** 24;
const MAX_LAYERS = 4096;

/** Flat parameter layout of a policy (offsets of each W_l; b_l follows W_l). */
export interface NetLayout {
  layers: readonly MlpLayer[];
  /** Offset of W_l in the flat params. */
  offsets: number[];
  /** Σ inSize·outSize + outSize over layers. */
  mlpParams: number;
  /** mlpParams, plus actionDim for a Gaussian head. */
  size: number;
  inSize: number;
  outSize: number;
  head: PolicyHead;
}

function describe(x: unknown): string {
  if (x === null) return 'null';
  if (x === undefined) return 'undefined';
  if (typeof x === 'string') return `'${x}'`;
  if (typeof x === 'number') return String(x);
  if (ArrayBuffer.isView(x)) return `${x.constructor.name}(${(x as unknown as { length: number }).length})`;
  if (Array.isArray(x)) return `Array(${x.length})`;
  return typeof x;
}

function checkSize(name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > MAX_LAYER_SIZE) {
    throw new RangeError(`${name} must be an integer in [1, ${MAX_LAYER_SIZE}], got ${describe(value)}`);
  }
  return value;
}

/**
 * Validates layers and head (the same checks and messages as the native addon) and returns the
 * parameter layout.
 * @throws TypeError when `layers` is not a non-empty array or an element is not an object;
 *   RangeError for a size not an integer in [1, 2^24], an unknown activation or head, or sizes
 *   that do not chain.
 */
export function policyLayout(shape: MlpPolicyShape, name = 'policy'): NetLayout {
  const s = checkObject(name, shape) as unknown as MlpPolicyShape;
  const layers = s.layers as unknown;
  if (!Array.isArray(layers) || layers.length === 0) {
    throw new TypeError(`layers must be a non-empty array, got ${describe(layers)}`);
  }
  if (layers.length > MAX_LAYERS) {
    throw new RangeError(`layers has ${layers.length} layers, at most ${MAX_LAYERS} are supported`);
  }
  const checked: MlpLayer[] = [];
  const offsets: number[] = [];
  let n = 0;
  layers.forEach((l: unknown, i: number) => {
    if (l === null || typeof l !== 'object' || Array.isArray(l)) {
      throw new TypeError(
        `layers[${i}] must be an object { inSize, outSize, activation }, got ${describe(l)}`,
      );
    }
    const layer = l as MlpLayer;
    const inSize = checkSize(`layers[${i}].inSize`, layer.inSize);
    const outSize = checkSize(`layers[${i}].outSize`, layer.outSize);
    const act = layer.activation;
    if (act !== 'tanh' && act !== 'relu' && act !== 'linear') {
      throw new RangeError(
        `layers[${i}].activation must be 'tanh', 'relu' or 'linear', got ${describe(act)}`,
      );
    }
    checked.push({ inSize, outSize, activation: act });
  });
  checked.forEach((l, i) => {
    if (i > 0 && l.inSize !== checked[i - 1].outSize) {
      throw new RangeError(
        `layers[${i}].inSize is ${l.inSize}, expected ${checked[i - 1].outSize} (layers[${i - 1}].outSize)`,
      );
    }
    offsets.push(n);
    n += l.inSize * l.outSize + l.outSize;
  });
  const head = s.head as unknown;
  if (head !== 'categorical' && head !== 'diag-gaussian') {
    throw new RangeError(`head must be 'categorical' or 'diag-gaussian', got ${describe(head)}`);
  }
  const outSize = checked[checked.length - 1].outSize;
  return {
    layers: checked,
    offsets,
    mlpParams: n,
    size: n + (head === 'diag-gaussian' ? outSize : 0),
    inSize: checked[0].inSize,
    outSize,
    head,
  };
}

/** Throws RangeError unless `params` has the layout's length (after the Float32Array check). */
export function checkParams(layout: NetLayout, params: unknown, name = 'params'): Float32Array {
  const p = checkTyped<Float32Array>(name, params, Float32Array);
  if (p.length !== layout.size) {
    const what =
      layout.head === 'diag-gaussian'
        ? 'Σ inSize·outSize + outSize over layers, + actionDim log-std'
        : 'Σ inSize·outSize + outSize over layers';
    throw new RangeError(`${name} has length ${p.length}, expected ${layout.size} (= ${what})`);
  }
  return p;
}

/** Checks `states` (Float32Array [batch ≥ 1, obsDim]) and returns the batch size. */
export function checkStates(layout: NetLayout, states: unknown): number {
  const s = checkTyped<Float32Array>('states', states, Float32Array);
  if (s.length % layout.inSize !== 0) {
    throw new RangeError(
      `states has length ${s.length}, which is not a multiple of obsDim = ${layout.inSize} (layers[0].inSize)`,
    );
  }
  if (s.length === 0) throw new RangeError('states must hold at least one state, got length 0');
  return s.length / layout.inSize;
}

/** Throws RangeError unless `value` is a finite number ≥ 0 (undefined gives `fallback`). */
export function checkNonNegative(name: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new RangeError(`${name} must be a finite number ≥ 0, got ${describe(value)}`);
  }
  return value;
}

/** Number of flat parameters of a policy: MLP params, plus actionDim for a Gaussian head. */
export function policyParamCount(shape: MlpPolicyShape): number {
  return policyLayout(shape).size;
}
