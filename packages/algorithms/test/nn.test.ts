import { Random } from '@proximal/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { dense } from '../src/nn/fast-ops.js';
import { orthogonal } from '../src/nn/orthogonal.js';
import { initTf, tf } from '../src/tf.js';

beforeAll(async () => {
  await initTf('wasm');
});

describe('orthogonal initialization', () => {
  it('columns (tall) or rows (wide) are orthonormal times the gain', () => {
    for (const [rows, cols] of [
      [64, 4],
      [4, 64],
      [64, 64],
    ]) {
      const w = orthogonal(rows, cols, 2, new Random(1));
      const k = Math.min(rows, cols);
      for (let a = 0; a < k; a++) {
        for (let b = 0; b < k; b++) {
          let dot = 0;
          for (let i = 0; i < Math.max(rows, cols); i++) {
            dot += rows >= cols ? w[i * cols + a] * w[i * cols + b] : w[a * cols + i] * w[b * cols + i];
          }
          expect(dot).toBeCloseTo(a === b ? 4 : 0, 4);
        }
      }
    }
  });
});

describe('dense custom-gradient op', () => {
  for (const activation of ['tanh', 'relu', 'linear'] as const) {
    it(`value and gradients match tfjs's own ops (${activation})`, () => {
      const x = tf.randomNormal([7, 5], 0, 1, 'float32', 1) as tf.Tensor2D;
      const k = tf.randomNormal([5, 3], 0, 1, 'float32', 2) as tf.Tensor2D;
      const b = tf.randomNormal([3], 0, 1, 'float32', 3) as tf.Tensor1D;
      const reference = (xx: tf.Tensor2D, kk: tf.Tensor2D, bb: tf.Tensor1D) => {
        const z = tf.add(tf.matMul(xx, kk), bb);
        const y = activation === 'tanh' ? tf.tanh(z) : activation === 'relu' ? tf.relu(z) : z;
        return tf.sum(tf.mul(y, tf.range(1, 22).reshape([7, 3])));
      };
      const ours = (xx: tf.Tensor2D, kk: tf.Tensor2D, bb: tf.Tensor1D) =>
        tf.sum(tf.mul(dense(xx, kk, bb, activation), tf.range(1, 22).reshape([7, 3])));
      const g1 = tf.grads(reference as never)([x, k, b]);
      const g2 = tf.grads(ours as never)([x, k, b]);
      expect((ours(x, k, b).dataSync() as Float32Array)[0]).toBeCloseTo(reference(x, k, b).dataSync()[0], 3);
      for (let i = 0; i < 3; i++) {
        const a = g1[i].dataSync();
        const c = g2[i].dataSync();
        for (let j = 0; j < a.length; j++) expect(c[j]).toBeCloseTo(a[j], 3);
      }
    });
  }
});
