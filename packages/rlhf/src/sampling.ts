import type { Random } from '@proximal/core';

/**
 * Draws one token from `logits` (float32, length V) in float64 arithmetic: greedy (argmax, lowest id
 * on a tie) when temperature = 0; otherwise softmax(logits / temperature) restricted by top-k (tokens
 * whose logit is below the k-th largest are removed, as HF's `TopKLogitsWarper`) and then top-p (the
 * tokens sorted by probability are kept until their cumulative probability reaches topP, the first
 * always kept; HF's `TopPLogitsWarper`), sampled by inversion with one `rng.uniform()` draw.
 */
export function sampleToken(
  logits: Float32Array,
  temperature: number,
  topK: number,
  topP: number,
  rng: Random,
): number {
  const V = logits.length;
  if (temperature === 0) {
    let best = 0;
    for (let i = 1; i < V; i++) if (logits[i] > logits[best]) best = i;
    return best;
  }
  const scaled = new Float64Array(V);
  for (let i = 0; i < V; i++) scaled[i] = logits[i] / temperature;
  const keep = new Uint8Array(V).fill(1);
  if (topK > 0 && topK < V) {
    const kth = Array.from(scaled).sort((a, b) => b - a)[topK - 1];
    for (let i = 0; i < V; i++) if (scaled[i] < kth) keep[i] = 0;
  }
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < V; i++) if (keep[i] && scaled[i] > max) max = scaled[i];
  const p = new Float64Array(V);
  let z = 0;
  for (let i = 0; i < V; i++) {
    if (!keep[i]) continue;
    p[i] = Math.exp(scaled[i] - max);
    z += p[i];
  }
  for (let i = 0; i < V; i++) p[i] /= z;
  if (topP < 1) {
    // stable sort by probability, descending (ties: lower id first)
    const order = Array.from({ length: V }, (_, i) => i).sort((a, b) => p[b] - p[a] || a - b);
    let cum = 0;
    let kept = 0;
    for (const i of order) {
      if (p[i] === 0) continue;
      if (kept > 0 && cum >= topP) {
        p[i] = 0;
        continue;
      }
      cum += p[i];
      kept++;
    }
    z = 0;
    for (let i = 0; i < V; i++) z += p[i];
    for (let i = 0; i < V; i++) p[i] /= z;
  }
  const u = rng.uniform();
  let acc = 0;
  let last = 0;
  for (let i = 0; i < V; i++) {
    if (p[i] === 0) continue;
    acc += p[i];
    last = i;
    if (u < acc) return i;
  }
  return last;
}
