// The 'tfjs-wasm' rows of the kernel benchmarks: @tensorflow/tfjs on its WebAssembly backend, in the
// same process as the TypeScript and native rows, so its ratios come from the same run.
//
// What each row times: from the same Float32Array inputs the other rows take to the same numbers
// read back (tensor uploads and dataSync included), written as a tfjs user would write the kernel
// (elementwise tf ops, tf.grad / tf.grads for derivatives), inside tf.tidy so nothing leaks.
// In Node the wasm backend runs single-threaded (WASM_HAS_MULTITHREAD_SUPPORT is false: its
// threaded build needs browser workers), with SIMD where the runtime supports it.
import { createRequire } from 'node:module';

/**
 * Loads @tensorflow/tfjs with the wasm backend: tf.setBackend('wasm'), then tf.ready().
 * @returns `{ tf, info }` with `info` the versions, SIMD and multithread flags for the result JSON,
 *   or `{ tf: null, info: { available: false, reason } }` when the packages or the backend do not load
 *   (the benchmark then records the rows as skipped instead of failing).
 */
export async function loadTfjsWasm() {
  try {
    const tf = await import('@tensorflow/tfjs');
    await import('@tensorflow/tfjs-backend-wasm');
    if (!(await tf.setBackend('wasm'))) throw new Error("tf.setBackend('wasm') returned false");
    await tf.ready();
    const require = createRequire(import.meta.url);
    const wasmVersion = require('@tensorflow/tfjs-backend-wasm/package.json').version;
    return {
      tf,
      info: {
        available: true,
        tfjs: tf.version.tfjs,
        backendWasm: wasmVersion,
        backend: tf.getBackend(),
        simd: await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT'),
        multithread: await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT'),
        threads: 1,
        dtype: 'float32',
      },
    };
  } catch (err) {
    const reason = err instanceof Error ? err.message.split('\n')[0] : String(err);
    console.warn(`tfjs-wasm rows skipped: ${reason}`);
    return { tf: null, info: { available: false, reason } };
  }
}

/**
 * Tensors of an MLP policy's flat float32 parameters (ARCHITECTURE.md's layout: per layer W
 * [inSize, outSize] row-major, then b [outSize]; a Gaussian head's log-std [actionDim] last), in
 * the order [W0, b0, W1, b1, ..., (logStd)].
 */
export function policyTensors(tf, layers, head, params) {
  const out = [];
  let off = 0;
  for (const { inSize, outSize } of layers) {
    out.push(tf.tensor2d(params.subarray(off, off + inSize * outSize), [inSize, outSize]));
    off += inSize * outSize;
    out.push(tf.tensor1d(params.subarray(off, off + outSize)));
    off += outSize;
  }
  if (head === 'diag-gaussian') out.push(tf.tensor1d(params.subarray(off, off + layers.at(-1).outSize)));
  return out;
}

/**
 * MLP forward pass as tf.layers.dense computes it (fused matMul + bias, then the activation) for the
 * tensors of {@link policyTensors}: outputs [batch, outSize] (logits or Gaussian means).
 */
export function mlpForward(tf, layers, tensors, x) {
  let h = x;
  layers.forEach((l, i) => {
    const z = tf.fused.matMul({ a: h, b: tensors[2 * i], bias: tensors[2 * i + 1] });
    h = l.activation === 'tanh' ? tf.tanh(z) : l.activation === 'relu' ? tf.relu(z) : z;
  });
  return h;
}

/** max |a − b| / max |b| over two equal-length arrays (0 when b is all zeros and a equals it). */
export function maxRelError(a, b) {
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < b.length; i++) {
    diff = Math.max(diff, Math.abs(a[i] - b[i]));
    scale = Math.max(scale, Math.abs(b[i]));
  }
  return scale === 0 ? diff : diff / scale;
}

/** Throws unless `err <= tol`: the sanity check that a tfjs row computes what the other rows do. */
export function assertClose(what, err, tol) {
  if (!(err <= tol)) throw new Error(`tfjs-wasm ${what}: error ${err} exceeds the tolerance ${tol}`);
}
