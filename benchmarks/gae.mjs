// GAE kernel benchmark: TypeScript reference vs native (1 thread, all threads) over sizes, as
// ratios against the TypeScript reference measured in the same run, plus the memory-bandwidth
// floor (bytes moved / measured copy bandwidth). Peers on this machine class (issue 3):
// SB3's numpy loop 27.5 ms at [1024, 8192] and 10.0 ms at [2048, 8]; CleanRL's torch loop 86 / 36 ms.
// The 'tfjs-wasm' row (@tensorflow/tfjs on the wasm backend, single-threaded in Node; lib/tfjs.mjs)
// is the recursion as a tfjs user writes it: T steps of elementwise tf ops over [N] rows (each
// row's inputs uploaded from the arrays, see tfjsGae), tf.stack, dataSync, inside one tf.tidy;
// checked against the TypeScript reference (float64) within 1e-4 of max |A|.
import { gae } from '@proximal/core';
import { loadNative } from '@proximal/native';
import { fmtRatio, machine, writeResult } from './lib/result.mjs';
import { assertClose, loadTfjsWasm, maxRelError } from './lib/tfjs.mjs';
import { copyBandwidth, time } from './lib/timing.mjs';

const sizes = [
  [2048, 8],
  [128, 64],
  [1024, 8192],
];
const native = loadNative();
const { tf, info: tfjsInfo } = await loadTfjsWasm();

function inputs(T, N) {
  const n = T * N;
  const rewards = new Float32Array(n).map(() => Math.random());
  const values = new Float32Array(n).map(() => Math.random());
  const nextValues = new Float32Array(n).map(() => Math.random());
  const terminated = new Uint8Array(n).map(() => (Math.random() < 0.01 ? 1 : 0));
  const truncated = new Uint8Array(n).map(() => (Math.random() < 0.005 ? 1 : 0));
  return { rewards, values, nextValues, terminated, truncated, numEnvs: N, gamma: 0.99, lambda: 0.95 };
}

/**
 * GAE in tfjs, from the input arrays to advantages and returns read back as Float32Arrays: one
 * step per row t = T−1 … 0, each row's inputs uploaded from a subarray view (slicing a [T, N]
 * tensor instead is quadratic on the wasm backend: its Slice kernel copies the whole input out of
 * the heap for every slice, so tf.unstack / tf.split / tf.slice cost O(T·N) per row).
 */
function tfjsGae({ rewards, values, nextValues, terminated, truncated, numEnvs: n, gamma, lambda }) {
  const steps = rewards.length / n;
  const [adv, ret] = tf.tidy(() => {
    const advantages = new Array(steps);
    const returns = new Array(steps);
    let last = null;
    for (let t = steps - 1; t >= 0; t--) {
      const row = (a, dtype) => tf.tensor1d(a.subarray(t * n, (t + 1) * n), dtype);
      const v = row(values);
      const term = row(terminated, 'float32');
      // delta_t = r_t + γ (1 − terminated_t) v'_t − v_t;   A_t = delta_t + γλ (1 − done_t) A_{t+1}
      const delta = tf.sub(tf.add(row(rewards), tf.mul(row(nextValues), tf.mul(tf.sub(1, term), gamma))), v);
      if (last === null) last = delta;
      else {
        const notDone = tf.sub(1, tf.maximum(term, row(truncated, 'float32')));
        last = tf.add(delta, tf.mul(tf.mul(notDone, gamma * lambda), last));
      }
      advantages[t] = last;
      returns[t] = tf.add(last, v);
    }
    return [tf.stack(advantages), tf.stack(returns)];
  });
  const out = { advantages: adv.dataSync(), returns: ret.dataSync() };
  tf.dispose([adv, ret]);
  return out;
}

const bw = copyBandwidth();
console.log(`copy bandwidth: ${(bw / 1e6).toFixed(2)} GB/s`);
const results = [];
for (const [T, N] of sizes) {
  const args = inputs(T, N);
  const bytes = T * N * (3 * 4 + 2 + 2 * 4); // 3 float32 + 2 uint8 reads, 2 float32 writes
  const floorMs = bytes / bw;
  const jsMs = time(() => gae(args, { backend: 'js' }));
  const row = (backend, ms) => ({
    kernel: 'gae',
    size: `${T}x${N}`,
    backend,
    medianMs: ms,
    baseline: 'js',
    ratio: jsMs / ms,
    floorMs,
    timesFloor: ms / floorMs,
  });
  results.push(row('js', jsMs));
  if (native.addon) {
    const out = { advantages: new Float32Array(T * N), returns: new Float32Array(T * N) };
    results.push(
      row(
        'native-1t',
        time(() => native.addon.gae({ ...args, ...out, threads: 1 })),
      ),
    );
    results.push(
      row(
        'native-mt',
        time(() => native.addon.gae({ ...args, ...out })),
      ),
    );
  }
  if (tf) {
    const ref = gae(args, { backend: 'js' });
    const got = tfjsGae(args);
    const err = Math.max(maxRelError(got.advantages, ref.advantages), maxRelError(got.returns, ref.returns));
    assertClose(`gae ${T}x${N}`, err, 1e-4);
    const r = row(
      'tfjs-wasm',
      time(() => tfjsGae(args)),
    );
    r.method =
      'T steps of elementwise tf ops over [N] rows (rows uploaded from subarrays: tf slicing copies the whole input per slice on wasm), tf.stack, dataSync';
    r.maxRelError = err;
    results.push(r);
  }
  for (const r of results.filter((r) => r.size === `${T}x${N}`)) {
    console.log(
      `gae ${r.size.padEnd(10)} ${r.backend.padEnd(10)} ${r.medianMs.toFixed(3).padStart(9)} ms  ${fmtRatio(r.ratio).padStart(6)}x js  ${r.timesFloor.toFixed(2)}x floor (${floorMs.toFixed(3)} ms)`,
    );
  }
}
await writeResult('gae', { machine: machine(), copyBandwidthGBs: bw / 1e6, tfjs: tfjsInfo, results });
