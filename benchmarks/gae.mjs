// GAE kernel benchmark: TypeScript reference vs native (1 thread, all threads) over sizes, as
// ratios against the TypeScript reference measured in the same run, plus the memory-bandwidth
// floor (bytes moved / measured copy bandwidth). Peers on this machine class (issue 3):
// SB3's numpy loop 27.5 ms at [1024, 8192] and 10.0 ms at [2048, 8]; CleanRL's torch loop 86 / 36 ms.
import { gae } from '@proximal/core';
import { loadNative } from '@proximal/native';
import { machine, writeResult } from './lib/result.mjs';
import { copyBandwidth, time } from './lib/timing.mjs';

const sizes = [
  [2048, 8],
  [128, 64],
  [1024, 8192],
];
const native = loadNative();

function inputs(T, N) {
  const n = T * N;
  const rewards = new Float32Array(n).map(() => Math.random());
  const values = new Float32Array(n).map(() => Math.random());
  const nextValues = new Float32Array(n).map(() => Math.random());
  const terminated = new Uint8Array(n).map(() => (Math.random() < 0.01 ? 1 : 0));
  const truncated = new Uint8Array(n).map(() => (Math.random() < 0.005 ? 1 : 0));
  return { rewards, values, nextValues, terminated, truncated, numEnvs: N, gamma: 0.99, lambda: 0.95 };
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
  for (const r of results.filter((r) => r.size === `${T}x${N}`)) {
    console.log(
      `gae ${r.size.padEnd(10)} ${r.backend.padEnd(10)} ${r.medianMs.toFixed(3).padStart(9)} ms  ${r.ratio.toFixed(1).padStart(6)}x js  ${r.timesFloor.toFixed(2)}x floor (${floorMs.toFixed(3)} ms)`,
    );
  }
}
await writeResult('gae', { machine: machine(), copyBandwidthGBs: bw / 1e6, results });
