/** Median wall time in ms of `fn` over at least `minMs` and `minSamples` runs, after one warm-up call. */
export function time(fn, minMs = 300, minSamples = 5) {
  fn();
  const samples = [];
  const t0 = performance.now();
  while (performance.now() - t0 < minMs || samples.length < minSamples) {
    const s = performance.now();
    fn();
    samples.push(performance.now() - s);
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)];
}

/** Copy bandwidth in bytes/ms (read + write counted), measured on 64 MiB buffers. */
export function copyBandwidth() {
  const a = new Float32Array(16 << 20).fill(1);
  const b = new Float32Array(16 << 20);
  const ms = time(() => b.set(a));
  return (2 * a.byteLength) / ms;
}
