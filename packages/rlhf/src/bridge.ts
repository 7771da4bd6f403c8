import { tf } from './tf.js';

/** A loss computed outside tfjs (a @proximal/core kernel) and its gradient w.r.t. its input. */
export interface KernelLossValue {
  loss: number;
  /** ∂loss/∂input, float32, the input's size (row-major). */
  grad: Float32Array;
}

/**
 * Makes a scalar tfjs loss out of a fused core kernel: the forward reads `input` (any shape) into a
 * Float32Array and calls `kernel`; the backward multiplies the kernel's gradient by the upstream
 * gradient (`tf.customGrad`, the pattern of `@proximal/algorithms`' PPO loss). The kernel runs once
 * per call; its whole result is returned through `onResult` for logging.
 * @throws RangeError when the kernel's gradient does not have the input's size.
 */
export function kernelLoss<R extends KernelLossValue>(
  input: tf.Tensor,
  kernel: (values: Float32Array) => R,
  onResult?: (result: R) => void,
): tf.Scalar {
  const f = tf.customGrad(((x: tf.Tensor) => {
    const r = kernel(x.dataSync() as Float32Array);
    if (r.grad.length !== x.size) {
      throw new RangeError(`kernel gradient has length ${r.grad.length}, expected the input size ${x.size}`);
    }
    onResult?.(r);
    const shape = x.shape;
    return {
      value: tf.scalar(r.loss),
      gradFunc: (dy: tf.Tensor) => tf.mul(dy, tf.tensor(r.grad, shape)),
    };
  }) as Parameters<typeof tf.customGrad>[0]);
  return f(input) as tf.Scalar;
}
