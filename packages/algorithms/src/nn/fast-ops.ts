import { tf } from '../tf.js';

/**
 * Dense layer y = act(x W + b) as one custom-gradient op.
 *
 * Why: on the tfjs WebAssembly backend, `matMul` with a transposed operand (which tfjs's own
 * gradient of matMul uses for dx and dW) is ~8x slower than an explicit `transpose` followed by a
 * plain `matMul`, and `tanh` is ~3x slower than `2·sigmoid(2x) − 1` (measured with tfjs 4.22 on
 * x86-64; see benchmarks/). The backward pass here uses only plain matMuls:
 * dz = dy ⊙ act'(y), dx = dz Wᵀ, dW = xᵀ dz, db = Σ_rows dz.
 */
export function dense(
  x: tf.Tensor2D,
  kernel: tf.Tensor2D,
  bias: tf.Tensor1D,
  activation: 'tanh' | 'relu' | 'linear',
): tf.Tensor2D {
  return denseOps[activation](x, kernel, bias) as tf.Tensor2D;
}

function makeDense(activation: 'tanh' | 'relu' | 'linear') {
  return tf.customGrad(((x: tf.Tensor2D, kernel: tf.Tensor2D, bias: tf.Tensor1D, save: tf.GradSaveFunc) => {
    const z = tf.add(tf.matMul(x, kernel), bias) as tf.Tensor2D;
    let y: tf.Tensor2D;
    if (activation === 'tanh') y = tf.sub(tf.mul(tf.sigmoid(tf.mul(z, 2)), 2), 1) as tf.Tensor2D;
    else if (activation === 'relu') y = tf.relu(z);
    else y = z;
    save([x, kernel, y]);
    return {
      value: y,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [xs, k, ys] = saved as [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D];
        let dz = dy as tf.Tensor2D;
        if (activation === 'tanh') dz = tf.mul(dy, tf.sub(1, tf.square(ys))) as tf.Tensor2D;
        else if (activation === 'relu') dz = tf.mul(dy, tf.step(ys)) as tf.Tensor2D;
        return [tf.matMul(dz, tf.transpose(k)), tf.matMul(tf.transpose(xs), dz), tf.sum(dz, 0)];
      },
    };
  }) as unknown as Parameters<typeof tf.customGrad>[0]);
}

const denseOps = {
  tanh: makeDense('tanh'),
  relu: makeDense('relu'),
  linear: makeDense('linear'),
};
