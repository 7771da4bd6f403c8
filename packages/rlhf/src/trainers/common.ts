import { type Adam, clipGradNorm } from '@proximal/core';
import type { SequencePolicy } from '../policy.js';
import { tf } from '../tf.js';

/**
 * One optimizer step on `policy`: ∂loss/∂params through tfjs (`tf.variableGrads`; a variable the
 * loss does not reach gets gradient 0), flattened in the policy's parameter order, clipped to a
 * global L2 norm of `maxGradNorm` (core's `clipGradNorm`, torch's `clip_grad_norm_`; null = no
 * clipping) and applied by core's `Adam`.
 * `lossFn` runs inside a tidy; it may keep extra tensors with `tf.keep` (the caller disposes them).
 * @returns the loss and the gradient norm before clipping.
 */
export function optimizerStep(
  policy: SequencePolicy,
  optimizer: Adam,
  maxGradNorm: number | null,
  lossFn: () => tf.Scalar,
): { loss: number; gradNorm: number } {
  const vars = policy.trainableVariables;
  const { loss, grads } = tf.tidy(() => {
    const { value, grads: g } = tf.variableGrads(lossFn, vars);
    const flat = tf.concat([
      tf.reshape(value, [1]),
      ...vars.map((v) => (g[v.name] ? tf.reshape(g[v.name], [-1]) : tf.zeros([v.size]))),
    ]);
    const data = flat.dataSync() as Float32Array;
    return { loss: data[0], grads: data.slice(1) };
  });
  let gradNorm: number;
  if (maxGradNorm === null) {
    let ss = 0;
    for (let i = 0; i < grads.length; i++) ss += grads[i] * grads[i];
    gradNorm = Math.sqrt(ss);
  } else {
    gradNorm = clipGradNorm(grads, maxGradNorm);
  }
  const params = policy.getFlatParams();
  optimizer.step(params, grads);
  policy.setFlatParams(params);
  return { loss, gradNorm };
}

/** Mean and sample std (Bessel) of `xs`; std 0 for fewer than 2 values. */
export function meanStd(xs: ArrayLike<number>): { mean: number; std: number } {
  const n = xs.length;
  if (n === 0) return { mean: Number.NaN, std: Number.NaN };
  let s = 0;
  for (let i = 0; i < n; i++) s += xs[i];
  const mean = s / n;
  if (n < 2) return { mean, std: 0 };
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (xs[i] - mean) ** 2;
  return { mean, std: Math.sqrt(ss / (n - 1)) };
}

/** Masked token mean of a [B, L] array. */
export function maskedMean(values: Float32Array, mask: Uint8Array): number {
  let s = 0;
  let n = 0;
  for (let i = 0; i < values.length; i++) {
    if (mask[i]) {
      s += values[i];
      n++;
    }
  }
  return n === 0 ? 0 : s / n;
}
