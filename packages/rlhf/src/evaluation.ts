import { checkInt, checkNum, checkOptions } from './checks.js';
import type { SequencePolicy } from './policy.js';
import type { Problem } from './tasks.js';
import type { CharTokenizer } from './tokenizer.js';

/**
 * The unbiased pass@k estimator of Chen et al. 2021 ("Evaluating Large Language Models Trained on
 * Code", eq. 1 and its numerically stable form): with n samples of which c are correct,
 * `pass@k = 1 − C(n − c, k) / C(n, k) = 1 − Π_{i = n−c+1}^{n} (1 − k / i)`; 1 when n − c < k.
 * @throws RangeError unless n ≥ 1, 0 ≤ c ≤ n and 1 ≤ k ≤ n are integers.
 */
export function passAtK(n: number, c: number, k: number): number {
  checkInt('n', n, 1);
  checkInt('c', c, 0, n);
  checkInt('k', k, 1, n);
  if (n - c < k) return 1;
  let prod = 1;
  for (let i = n - c + 1; i <= n; i++) prod *= 1 - k / i;
  return 1 - prod;
}

/** Options of {@link evaluatePassAtK}. */
export interface PassAtKOptions {
  /** Samples per problem, n ≥ max(k). Default: max(k). */
  numSamples?: number;
  /** The k values to report. Default [1]. */
  k?: number[];
  /** Sampling temperature; 0 = greedy (then numSamples must be 1). Default 1. */
  temperature?: number;
  /** Default 8. */
  maxNewTokens?: number;
  /** Problems per generate call. Default 64. */
  batchSize?: number;
  /** Sampler seed. Default 0. */
  seed?: number;
}

/**
 * Generates `numSamples` completions per problem (prompt = BOS + prompt text, stopping at EOS) and
 * averages the unbiased pass@k ({@link passAtK}) over the problems; a sample is correct when its
 * text (without special tokens) equals the answer and it ended with EOS.
 * @returns `passAtK[k]` for each k, and `accuracy`, the fraction of correct samples.
 * @throws TypeError for an unknown option; RangeError for an empty problem list or values out of range.
 */
export function evaluatePassAtK(
  policy: SequencePolicy,
  tokenizer: CharTokenizer,
  problems: readonly Problem[],
  options: PassAtKOptions = {},
): { passAtK: Record<number, number>; accuracy: number } {
  checkOptions('evaluatePassAtK options', options, [
    'numSamples',
    'k',
    'temperature',
    'maxNewTokens',
    'batchSize',
    'seed',
  ]);
  if (problems.length === 0) throw new RangeError('problems must not be empty');
  const ks = options.k ?? [1];
  const n = checkInt('numSamples', options.numSamples ?? Math.max(...ks), 1);
  for (const [i, k] of ks.entries()) checkInt(`k[${i}]`, k, 1, n);
  const temperature = checkNum('temperature', options.temperature ?? 1, 0, Number.MAX_VALUE);
  if (temperature === 0 && n !== 1)
    throw new RangeError(`temperature 0 (greedy) needs numSamples = 1, got ${n}`);
  const maxNewTokens = checkInt('maxNewTokens', options.maxNewTokens ?? 8, 1);
  const batchSize = checkInt('batchSize', options.batchSize ?? 64, 1);
  const seed = checkInt('seed', options.seed ?? 0, 0);
  const sums: Record<number, number> = {};
  for (const k of ks) sums[k] = 0;
  let correctTotal = 0;
  for (let start = 0; start < problems.length; start += batchSize) {
    const batch = problems.slice(start, start + batchSize);
    const out = policy.generate({
      prompts: batch.map((p) => tokenizer.encode(p.prompt, { addBos: true })),
      numReturnSequences: n,
      maxNewTokens,
      temperature,
      stopToken: tokenizer.eosTokenId,
      padToken: tokenizer.padTokenId,
      seed: seed + start,
    });
    batch.forEach((p, i) => {
      let c = 0;
      for (let r = 0; r < n; r++) {
        const b = i * n + r;
        if (out.truncated[b]) continue;
        const row = out.completions.subarray(b * out.seqLen, (b + 1) * out.seqLen);
        if (tokenizer.decode(row) === p.answer) c++;
      }
      correctTotal += c;
      for (const k of ks) sums[k] += passAtK(n, c, k);
    });
  }
  const result: Record<number, number> = {};
  for (const k of ks) result[k] = sums[k] / problems.length;
  return { passAtK: result, accuracy: correctTotal / (problems.length * n) };
}
