import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { type Backend, backendInfo, gae } from '@proximal/core';
import { renderBenchmarkReport } from '@proximal/report';
import { machineInfo } from '../machine.js';

/** Median wall time of `fn` in ms over at least `minMs` of repeats (after one warm-up call). */
function medianMs(fn: () => void, minMs: number): number {
  fn();
  const samples: number[] = [];
  const start = performance.now();
  while (performance.now() - start < minMs || samples.length < 5) {
    const t = performance.now();
    fn();
    samples.push(performance.now() - t);
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)];
}

/**
 * `proximal bench`: times the GAE kernel on every backend that loaded, at a few rollout shapes
 * [T, N], and reports each as a ratio against the TypeScript reference measured in the same run.
 * Writes the JSON result and an HTML benchmark report. The full suite lives in the repository's
 * benchmarks/ folder (`pnpm bench`).
 */
export async function bench(o: { out: string; sizes: string; minMs: number }): Promise<void> {
  const sizes = o.sizes.split(',').map((s) => {
    const m = /^(\d+)x(\d+)$/.exec(s.trim());
    if (!m)
      throw new Error(`--sizes must be a comma-separated list of TxN (e.g. 2048x8,1024x8192), got '${s}'`);
    return [Number(m[1]), Number(m[2])] as const;
  });
  const info = backendInfo();
  const backends: Backend[] = info.native.available ? ['js', 'native'] : ['js'];
  if (!info.native.available) console.log(`native backend unavailable: ${info.native.reason}`);
  const results = [];
  for (const [T, N] of sizes) {
    const n = T * N;
    const rand = (scale: number) => Float32Array.from({ length: n }, () => Math.random() * scale);
    const args = {
      rewards: rand(1),
      values: rand(10),
      nextValues: rand(10),
      terminated: Uint8Array.from({ length: n }, () => (Math.random() < 0.01 ? 1 : 0)),
      truncated: Uint8Array.from({ length: n }, () => (Math.random() < 0.005 ? 1 : 0)),
      numEnvs: N,
      gamma: 0.99,
      lambda: 0.95,
    };
    let jsMs = 0;
    for (const backend of backends) {
      const ms = medianMs(() => gae(args, { backend }), o.minMs);
      if (backend === 'js') jsMs = ms;
      const row = {
        kernel: 'gae',
        size: `${T}x${N}`,
        backend,
        medianMs: ms,
        baseline: 'js',
        ratio: jsMs / ms,
      };
      results.push(row);
      console.log(
        `gae ${row.size.padEnd(11)} ${backend.padEnd(7)} ${ms.toFixed(3).padStart(10)} ms  ${row.ratio.toFixed(1)}x js`,
      );
    }
  }
  const file = { machine: machineInfo(), timestamp: new Date().toISOString(), results };
  const out = resolve(o.out);
  await mkdir(dirname(out), { recursive: true });
  await writeFile(out, `${JSON.stringify(file, null, 2)}\n`);
  const rep = await renderBenchmarkReport(out);
  console.log(`results: ${out}\nbenchmark report: ${rep.path}`);
}
