// Clipped-surrogate kernel benchmark (fused forward + backward + stats): TypeScript reference vs
// native (1 thread, all threads) at 64k and 4M elements, as ratios against the TypeScript reference
// measured in the same run, plus the memory-bandwidth floor (bytes moved / measured copy
// bandwidth). Peer on this machine class (issue 3): PyTorch forward + backward of the same loss,
// 99 ms at 4M elements.
//
// The case is PPO's: advantages normalized inside the kernel (CleanRL / SB3 normalize per
// minibatch). Bytes counted for the floor: each input read once and the output written once
// (logProbs, oldLogProbs, advantages: 3 x 4 B; gradLogProbs: 4 B), plus one more read of the
// advantages (4 B), which normalization needs: their mean and standard deviation must be known
// before the first gradient element can be written. 20 B per element; 16 B for the row without
// normalization ('native-mt-nonorm').
// Outputs: the 'native-*' rows pass a preallocated gradLogProbs to the addon (its API takes one), so
// they do not pay for first-touch page faults on a fresh 16 MiB output; 'native-mt-alloc' calls
// @proximal/core's clippedSurrogate without `out: { gradLogProbs }`, so it (like the TypeScript
// reference, as run here) allocates the gradient on every call, page faults included.
// The 'tfjs-wasm' row (@tensorflow/tfjs on the wasm backend, single-threaded in Node; lib/tfjs.mjs)
// is the same case as a tfjs PPO writes it: advantages normalized with tf ops, tf.valueAndGrad of
// −mean(min(r·Â, clip(r, 1 − ε, 1 + ε)·Â)) w.r.t. the new log-probs, and the kernel's statistics
// (clip fraction, k3 and k1 KL, mean ratio) as tf reductions; from the Float32Array inputs to the
// gradient and statistics read back (uploads and dataSync included, a new output per call). Its
// loss, gradient and statistics are checked against the native kernel (the TypeScript reference
// without it) before timing.
import { clippedSurrogate } from '@proximal/core';
import { loadNative } from '@proximal/native';
import { fmtRatio, machine, writeResult } from './lib/result.mjs';
import { assertClose, loadTfjsWasm, maxRelError } from './lib/tfjs.mjs';
import { copyBandwidth, time } from './lib/timing.mjs';

const sizes = [1 << 16, 1 << 22];
const native = loadNative();
const torchMs4M = 99;
const { tf, info: tfjsInfo } = await loadTfjsWasm();

function inputs(n) {
  const logProbs = new Float32Array(n).map(() => -1 - Math.random());
  const oldLogProbs = logProbs.map((x) => x + (Math.random() - 0.5) * 0.4);
  const advantages = new Float32Array(n).map(() => Math.random() * 4 - 2);
  return { logProbs, oldLogProbs, advantages, clipRange: 0.2, normalizeAdvantages: true };
}

/** The clipped surrogate's loss, gradient w.r.t. logProbs and statistics in tfjs (token-mean, normalized advantages). */
function tfjsSurrogate({ logProbs, oldLogProbs, advantages, clipRange }) {
  const n = logProbs.length;
  const low = 1 - clipRange;
  const high = 1 + clipRange;
  const [grad, stats] = tf.tidy(() => {
    const lp = tf.tensor1d(logProbs);
    const old = tf.tensor1d(oldLogProbs);
    const a = tf.tensor1d(advantages);
    // (A − mean) / (std + 1e-8), unbiased std as the kernel (and torch.std)
    const centered = tf.sub(a, tf.mean(a));
    const adv = tf.div(centered, tf.add(tf.sqrt(tf.div(tf.sum(tf.square(centered)), n - 1)), 1e-8));
    const loss = (x) => {
      const ratio = tf.exp(tf.sub(x, old));
      return tf.neg(tf.mean(tf.minimum(tf.mul(ratio, adv), tf.mul(tf.clipByValue(ratio, low, high), adv))));
    };
    const { value, grad } = tf.valueAndGrad(loss)(lp);
    const logRatio = tf.sub(lp, old);
    const ratio = tf.exp(logRatio);
    const clipped = tf.logicalOr(tf.less(ratio, low), tf.greater(ratio, high));
    const stats = tf.stack([
      value,
      tf.mean(tf.cast(clipped, 'float32')),
      tf.mean(tf.sub(tf.sub(ratio, 1), logRatio)),
      tf.mean(tf.neg(logRatio)),
      tf.mean(ratio),
    ]);
    return [grad, stats];
  });
  const [loss, clipFraction, approxKl, approxKlK1, ratioMean] = stats.dataSync();
  const out = { loss, gradLogProbs: grad.dataSync(), clipFraction, approxKl, approxKlK1, ratioMean };
  tf.dispose([grad, stats]);
  return out;
}

const bw = copyBandwidth();
console.log(`copy bandwidth: ${(bw / 1e6).toFixed(2)} GB/s`);
const results = [];
for (const n of sizes) {
  const args = inputs(n);
  // reads logProbs, oldLogProbs, advantages, writes gradLogProbs; normalization reads advantages once more
  const floorMs = (n * (3 * 4 + 4 + 4)) / bw;
  const floorNoNormMs = (n * (3 * 4 + 4)) / bw;
  const jsMs = time(() => clippedSurrogate(args, { backend: 'js' }));
  const size = n >= 1 << 20 ? `${n >> 20}M` : `${n >> 10}k`;
  const row = (backend, ms, floor = floorMs) => ({
    kernel: 'clippedSurrogate',
    size,
    backend,
    medianMs: ms,
    baseline: 'js',
    ratio: jsMs / ms,
    floorMs: floor,
    timesFloor: ms / floor,
  });
  results.push(row('js', jsMs));
  if (native.addon) {
    const gradLogProbs = new Float32Array(n);
    results.push(
      row(
        'native-1t',
        time(() => native.addon.clippedSurrogate({ ...args, gradLogProbs, threads: 1 })),
      ),
    );
    results.push(
      row(
        'native-mt',
        time(() => native.addon.clippedSurrogate({ ...args, gradLogProbs })),
      ),
    );
    results.push(
      row(
        'native-mt-alloc',
        time(() => clippedSurrogate(args, { backend: 'native' })),
      ),
    );
    results.push(
      row(
        'native-mt-nonorm',
        time(() => native.addon.clippedSurrogate({ ...args, normalizeAdvantages: false, gradLogProbs })),
        floorNoNormMs,
      ),
    );
  }
  if (tf) {
    const ref = clippedSurrogate(args);
    const got = tfjsSurrogate(args);
    const gradErr = maxRelError(got.gradLogProbs, ref.gradLogProbs);
    // The loss and statistics are means of O(1) terms (the loss of normalized advantages is near 0):
    // absolute errors. The wasm backend sums in float32, one element after another, so the errors
    // grow with n (at 4M, ~2e-3 on the mean ratio and ~1.5e-3 relative on the gradient, through
    // the normalization's mean and std): the tolerance is 1e-4 at 64k, scaled linearly with n.
    const tol = 1e-4 * Math.max(1, n / (1 << 16));
    const statErr = Math.max(
      ...['loss', 'clipFraction', 'approxKl', 'approxKlK1', 'ratioMean'].map((k) =>
        Math.abs(got[k] - ref[k]),
      ),
    );
    console.log(
      `tfjs-wasm check: gradient max rel error ${gradErr.toExponential(2)}, loss/stats max abs error ${statErr.toExponential(2)}`,
    );
    assertClose(`clippedSurrogate ${size} gradient`, gradErr, tol);
    assertClose(`clippedSurrogate ${size} loss and statistics`, statErr, tol);
    const r = row(
      'tfjs-wasm',
      time(() => tfjsSurrogate(args)),
    );
    r.method =
      'tf.valueAndGrad of the clipped-surrogate loss w.r.t. logProbs (normalized advantages) + statistics, dataSync';
    r.maxRelErrorGrad = gradErr;
    r.maxAbsErrorLossStats = statErr;
    r.tolerance = tol;
    results.push(r);
  }
  for (const r of results.filter((r) => r.size === size)) {
    const torch = n === 1 << 22 ? `  ${(torchMs4M / r.medianMs).toFixed(1)}x torch` : '';
    console.log(
      `clippedSurrogate ${r.size.padEnd(4)} ${r.backend.padEnd(16)} ${r.medianMs.toFixed(3).padStart(9)} ms  ${fmtRatio(r.ratio).padStart(6)}x js  ${r.timesFloor.toFixed(2)}x floor (${r.floorMs.toFixed(3)} ms)${torch}`,
    );
  }
}
await writeResult('surrogate', {
  machine: machine(),
  copyBandwidthGBs: bw / 1e6,
  floorBytesPerElement: { normalized: 20, withoutNormalization: 16 },
  outputs:
    'native-* rows: preallocated gradLogProbs; native-mt-alloc, js and tfjs-wasm: a new output per call',
  tfjs: tfjsInfo,
  peers: { pytorchForwardBackward4MMs: torchMs4M },
  results,
});
