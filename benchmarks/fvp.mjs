// Fisher-vector product benchmark (TRPO's inner loop): TypeScript reference vs native (1 thread,
// all threads) for tanh MLP policies, as ratios against the TypeScript reference measured in the
// same run and against the issue's peer (PyTorch double backprop on this machine class: 96 ms for
// 64x64 at batch 2048, 4.4 s for 256x256 at batch 16384; targets ≥ 20x and ≥ 10x faster), plus a
// FLOP floor: the multiply-adds of one forward, one tangent and one cotangent pass at the CPU's
// nominal double-precision peak (AVX2 FMA: 16 flop/cycle/core at the reported clock).
// Also times 10 conjugate-gradient steps with the product inside the addon (TRPO's step direction).
import { readFileSync } from 'node:fs';
import { conjugateGradientFisher, fisherVectorProduct } from '@proximal/core';
import { loadNative } from '@proximal/native';
import { machine, writeResult } from './lib/result.mjs';
import { time } from './lib/timing.mjs';

const native = loadNative();
const quick = process.argv.includes('--quick');

/** [name, obsDim, hidden, head, actionDim, batch, peer ms]. */
const cases = [
  ['gaussian-64x64', 17, 64, 'diag-gaussian', 6, 2048, 96],
  ['categorical-64x64', 8, 64, 'categorical', 4, 2048, null],
  ['gaussian-256x256', 17, 256, 'diag-gaussian', 6, 16384, 4400],
  ['categorical-256x256', 8, 256, 'categorical', 4, 16384, null],
];

function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function setup(obs, hidden, head, act, batch) {
  const layers = [
    { inSize: obs, outSize: hidden, activation: 'tanh' },
    { inSize: hidden, outSize: hidden, activation: 'tanh' },
    { inSize: hidden, outSize: act, activation: 'linear' },
  ];
  const r = rng(1);
  const mlp = layers.reduce((s, l) => s + l.inSize * l.outSize + l.outSize, 0);
  const n = mlp + (head === 'diag-gaussian' ? act : 0);
  const params = Float32Array.from({ length: n }, (_, i) => (r() - 0.5) * (i < mlp ? 0.3 : 1));
  const states = Float32Array.from({ length: batch * obs }, () => (r() - 0.5) * 4);
  const vector = Float32Array.from({ length: n }, () => r() - 0.5);
  // One forward (Σ in·out), tangent (Σ in·out + Σ_{l>0} in·out) and cotangent pass (same), 2 flop per MAC.
  let macs = 0;
  layers.forEach((l, i) => {
    macs += (i === 0 ? 3 : 5) * l.inSize * l.outSize;
  });
  return { policy: { layers, head, params }, states, vector, flops: 2 * macs * batch };
}

function cpuMHz() {
  try {
    const m = /cpu MHz\s*:\s*([\d.]+)/.exec(readFileSync('/proc/cpuinfo', 'utf8'));
    if (m) return Number(m[1]);
  } catch {}
  return 2500;
}

const mhz = cpuMHz();
const threads = native.addon ? native.addon.version().threads : 1;
const peakGflops1t = (16 * mhz) / 1000;
console.log(
  `nominal double peak: ${peakGflops1t.toFixed(1)} GFLOP/s per core (${mhz} MHz x 16 flop/cycle), ${threads} threads`,
);

const results = [];
for (const [name, obs, hidden, head, act, batch, peerMs] of cases) {
  if (quick && hidden > 64) continue;
  const { policy, states, vector, flops } = setup(obs, hidden, head, act, batch);
  const big = hidden >= 256;
  const jsMs = time(
    () => fisherVectorProduct(policy, states, vector, { damping: 0.1, backend: 'js' }),
    big ? 0 : 400,
    big ? 1 : 5,
  );
  const row = (kernel, backend, ms, usedThreads) => {
    const floorMs = flops / (peakGflops1t * usedThreads * 1e6);
    return {
      kernel,
      size: name,
      batch,
      backend,
      medianMs: ms,
      baseline: 'js',
      ratio: jsMs / ms,
      gflops: flops / ms / 1e6,
      floorMs,
      timesFloor: ms / floorMs,
      peerMs,
      speedupVsPeer: peerMs ? peerMs / ms : null,
    };
  };
  const rows = [row('fvp', 'js', jsMs, 1)];
  if (native.addon) {
    const args = { ...policy, states, vector, damping: 0.1 };
    rows.push(
      row(
        'fvp',
        'native-1t',
        time(() => native.addon.fisherVectorProduct({ ...args, threads: 1 })),
        1,
      ),
    );
    rows.push(
      row(
        'fvp',
        'native-mt',
        time(() => native.addon.fisherVectorProduct(args)),
        threads,
      ),
    );
    const cgMs = time(() =>
      conjugateGradientFisher(policy, states, vector, {
        damping: 0.1,
        maxIterations: 10,
        residualTolerance: 0,
        backend: 'native',
      }),
    );
    // 10 products: report per-product figures against the same peer, and the whole solve.
    const cg = row('cg10-fisher', 'native-mt', cgMs, threads);
    cg.perProductMs = cgMs / 10;
    cg.gflops = (10 * flops) / cgMs / 1e6;
    cg.floorMs *= 10;
    cg.timesFloor = cgMs / cg.floorMs;
    cg.ratio = (10 * jsMs) / cgMs;
    cg.speedupVsPeer = peerMs ? (10 * peerMs) / cgMs : null;
    rows.push(cg);
  }
  for (const r of rows) {
    console.log(
      `${r.kernel.padEnd(12)} ${r.size.padEnd(20)} ${r.backend.padEnd(10)} ${r.medianMs.toFixed(2).padStart(10)} ms  ${r.ratio.toFixed(1).padStart(6)}x js  ${r.gflops.toFixed(1).padStart(6)} GFLOP/s  ${r.timesFloor.toFixed(2)}x floor${r.speedupVsPeer ? `  ${r.speedupVsPeer.toFixed(1)}x PyTorch (${r.peerMs} ms)` : ''}`,
    );
  }
  results.push(...rows);
}
await writeResult('fvp', {
  machine: machine(),
  cpuMHz: mhz,
  nominalPeakGflopsPerCore: peakGflops1t,
  results,
});
