import { checkInteger, checkLength, checkObject, checkTyped } from './internal/checks.js';

/** Activation of a dense layer. */
export type Activation = 'tanh' | 'relu' | 'linear';

/** One dense layer y = act(x W + b), W [inSize, outSize] row-major. */
export interface MlpLayer {
  inSize: number;
  outSize: number;
  activation: Activation;
}

/**
 * A multilayer perceptron as flat float32 parameters (ARCHITECTURE.md's layout): for each layer in
 * turn its weight matrix [inSize, outSize] row-major (a tfjs Dense kernel), then its bias [outSize].
 */
export interface Mlp {
  layers: MlpLayer[];
  params: Float32Array;
}

/** Number of parameters of an MLP with these layers. */
export function mlpParamCount(layers: readonly MlpLayer[]): number {
  let n = 0;
  for (const l of layers) n += l.inSize * l.outSize + l.outSize;
  return n;
}

/**
 * Validates an {@link Mlp}: consecutive sizes match and params has exactly the right length.
 * @throws TypeError/RangeError naming the layer or `params` and the expected vs actual value.
 */
export function checkMlp(mlp: Mlp): void {
  checkObject('mlp', mlp);
  if (!Array.isArray(mlp.layers) || mlp.layers.length === 0)
    throw new TypeError('mlp.layers must be a non-empty array');
  mlp.layers.forEach((l, i) => {
    checkInteger(`layers[${i}].inSize`, l.inSize, 1);
    checkInteger(`layers[${i}].outSize`, l.outSize, 1);
    if (l.activation !== 'tanh' && l.activation !== 'relu' && l.activation !== 'linear') {
      throw new RangeError(
        `layers[${i}].activation must be 'tanh', 'relu' or 'linear', got ${String(l.activation)}`,
      );
    }
    if (i > 0 && l.inSize !== mlp.layers[i - 1].outSize) {
      throw new RangeError(
        `layers[${i}].inSize is ${l.inSize}, expected ${mlp.layers[i - 1].outSize} (layers[${i - 1}].outSize)`,
      );
    }
  });
  checkTyped('params', mlp.params, Float32Array);
  checkLength('params', mlp.params, mlpParamCount(mlp.layers), 'Σ inSize·outSize + outSize over layers');
}

/**
 * Forward pass of an MLP on a batch of inputs, in float32 storage with float64 dot products.
 * Meant for rollout-time inference of small policies, where a tensor library's per-call overhead
 * dominates.
 *
 * @param inputs float32 [batch, layers[0].inSize] row-major.
 * @param out optional float32 [batch, last.outSize] to write into.
 * @returns float32 [batch, last.outSize].
 * @throws RangeError when inputs.length is not a multiple of the input size, or `out` has the wrong length.
 */
export function mlpForward(mlp: Mlp, inputs: Float32Array, out?: Float32Array): Float32Array {
  checkTyped('inputs', inputs, Float32Array);
  const first = mlp.layers[0].inSize;
  if (inputs.length % first !== 0) {
    throw new RangeError(
      `inputs has length ${inputs.length}, which is not a multiple of the input size ${first}`,
    );
  }
  const batch = inputs.length / first;
  const last = mlp.layers[mlp.layers.length - 1].outSize;
  const result = out ?? new Float32Array(batch * last);
  checkLength('out', result, batch * last, 'batch * output size');
  const p = mlp.params;
  let x: Float32Array = inputs;
  let offset = 0;
  for (let li = 0; li < mlp.layers.length; li++) {
    const { inSize, outSize, activation } = mlp.layers[li];
    const w = offset;
    const bias = offset + inSize * outSize;
    offset = bias + outSize;
    const y = li === mlp.layers.length - 1 ? result : new Float32Array(batch * outSize);
    const acc = new Float64Array(outSize);
    for (let b = 0; b < batch; b++) {
      for (let o = 0; o < outSize; o++) acc[o] = p[bias + o];
      for (let i = 0; i < inSize; i++) {
        const xi = x[b * inSize + i];
        if (xi === 0) continue;
        const row = w + i * outSize;
        for (let o = 0; o < outSize; o++) acc[o] += xi * p[row + o];
      }
      const base = b * outSize;
      if (activation === 'tanh') for (let o = 0; o < outSize; o++) y[base + o] = Math.tanh(acc[o]);
      else if (activation === 'relu') for (let o = 0; o < outSize; o++) y[base + o] = Math.max(acc[o], 0);
      else for (let o = 0; o < outSize; o++) y[base + o] = acc[o];
    }
    x = y;
  }
  return result;
}
