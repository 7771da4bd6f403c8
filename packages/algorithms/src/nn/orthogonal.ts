import type { Random } from '@proximal/core';

/**
 * Orthogonal initialization (Saxe et al. 2014) of a [rows, cols] matrix, row-major float32, with
 * orthonormal rows or columns (whichever are fewer) scaled by `gain`: QR of a Gaussian matrix with
 * the sign of R's diagonal folded into Q, as `torch.nn.init.orthogonal_`. Drawn from `rng` so a seed
 * fixes the weights.
 */
export function orthogonal(rows: number, cols: number, gain: number, rng: Random): Float32Array {
  const tall = rows >= cols;
  const m = tall ? rows : cols; // long side
  const k = tall ? cols : rows; // short side
  // k vectors of length m, Gram–Schmidt (twice, for numerical orthogonality)
  const q = new Float64Array(k * m);
  for (let i = 0; i < k * m; i++) q[i] = rng.normal();
  for (let j = 0; j < k; j++) {
    const vj = j * m;
    for (let pass = 0; pass < 2; pass++) {
      for (let p = 0; p < j; p++) {
        const vp = p * m;
        let dot = 0;
        for (let i = 0; i < m; i++) dot += q[vj + i] * q[vp + i];
        for (let i = 0; i < m; i++) q[vj + i] -= dot * q[vp + i];
      }
    }
    let norm = 0;
    for (let i = 0; i < m; i++) norm += q[vj + i] * q[vj + i];
    norm = Math.sqrt(norm) || 1;
    for (let i = 0; i < m; i++) q[vj + i] /= norm;
  }
  const out = new Float32Array(rows * cols);
  for (let j = 0; j < k; j++) {
    for (let i = 0; i < m; i++) {
      const v = gain * q[j * m + i];
      if (tall) out[i * cols + j] = v;
      else out[j * cols + i] = v;
    }
  }
  return out;
}
