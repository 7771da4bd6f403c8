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
// @proximal/core's clippedSurrogate, which (like the TypeScript reference) allocates the gradient on
// every call, page faults included.
import { clippedSurrogate } from '@proximal/core';
import { loadNative } from '@proximal/native';
import { machine, writeResult } from './lib/result.mjs';
import { copyBandwidth, time } from './lib/timing.mjs';

const sizes = [1 << 16, 1 << 22];
const native = loadNative();
const torchMs4M = 99;

function inputs(n) {
  const logProbs = new Float32Array(n).map(() => -1 - Math.random());
  const oldLogProbs = logProbs.map((x) => x + (Math.random() - 0.5) * 0.4);
  const advantages = new Float32Array(n).map(() => Math.random() * 4 - 2);
  return { logProbs, oldLogProbs, advantages, clipRange: 0.2, normalizeAdvantages: true };
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
  for (const r of results.filter((r) => r.size === size)) {
    const torch = n === 1 << 22 ? `  ${(torchMs4M / r.medianMs).toFixed(1)}x torch` : '';
    console.log(
      `clippedSurrogate ${r.size.padEnd(4)} ${r.backend.padEnd(16)} ${r.medianMs.toFixed(3).padStart(9)} ms  ${r.ratio.toFixed(1).padStart(6)}x js  ${r.timesFloor.toFixed(2)}x floor (${r.floorMs.toFixed(3)} ms)${torch}`,
    );
  }
}
await writeResult('surrogate', {
  machine: machine(),
  copyBandwidthGBs: bw / 1e6,
  floorBytesPerElement: { normalized: 20, withoutNormalization: 16 },
  outputs: 'native-* rows: preallocated gradLogProbs; native-mt-alloc and js: a new output per call',
  peers: { pytorchForwardBackward4MMs: torchMs4M },
  results,
});
