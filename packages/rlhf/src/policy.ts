import type { tf } from './tf.js';

/** Token ids of one prompt (BOS included if the model expects it), at least one token. */
export type PromptIds = ArrayLike<number>;

/** Options of {@link SequencePolicy.evaluate}. */
export interface EvaluateOptions {
  /** Logits are divided by this before the softmax (TRL divides by the sampling temperature). Default 1; > 0. */
  temperature?: number;
  /** Also return the per-token entropy of the (temperature-scaled) distribution. Default false. */
  entropy?: boolean;
  /** Also return the value head's output (models built with `valueHead: true`). Default false. */
  values?: boolean;
}

/** Outputs of {@link SequencePolicy.evaluate}; every tensor is [B, L] float32, 0 where mask = 0. */
export interface SequenceEvaluation {
  /** log π(c_t | prompt, c_<t) of each completion token (differentiable). */
  logProbs: tf.Tensor2D;
  /** Entropy (nats) of the next-token distribution at each completion position, when asked. */
  entropy?: tf.Tensor2D;
  /** V(prompt, c_<t), the value head at each completion position, when asked. */
  values?: tf.Tensor2D;
}

/** Options of {@link SequencePolicy.generate}. */
export interface GenerateOptions {
  /** The prompts, each a non-empty list of token ids. */
  prompts: readonly PromptIds[];
  /** Completions per prompt (HF's `num_return_sequences`); rows are grouped by prompt. Default 1. */
  numReturnSequences?: number;
  /** Maximum completion tokens (HF's `max_new_tokens`); prompt length + this must be ≤ maxSeqLen. */
  maxNewTokens: number;
  /** Softmax temperature; 0 means greedy (argmax, as vLLM). Default 1. */
  temperature?: number;
  /** Keep only the k most likely tokens (ties at the k-th value kept, as HF); 0 = off (default). */
  topK?: number;
  /** Nucleus sampling: the smallest set of tokens whose probability reaches topP (HF); 1 = off (default). */
  topP?: number;
  /** A token id that ends a completion (included in it, mask 1); default none. */
  stopToken?: number;
  /** Id written after a completion ended (mask 0). Default 0. */
  padToken?: number;
  /** Seed of the sampler (core's `Random`); the same seed, weights and prompts give the same tokens. Required. */
  seed: number;
  /** Use the key/value cache (default true); false recomputes the whole sequence each step. */
  useCache?: boolean;
  /** Return the logits of every step (before temperature), [B, L, V]. Default false. */
  outputLogits?: boolean;
}

/** Outputs of {@link SequencePolicy.generate}. B = prompts × numReturnSequences, L = steps taken ≤ maxNewTokens. */
export interface GenerateOutput {
  /** Completion token ids, int32 [B, L] row-major; `padToken` after a completion's end. */
  completions: Int32Array;
  /** uint8 [B, L]: 1 for completion tokens (the stop token included), 0 after it. */
  mask: Uint8Array;
  /** Completion lengths (mask sums), int32 [B]. */
  lengths: Int32Array;
  /** uint8 [B]: 1 when the completion did not end with `stopToken` (always 1 without one). */
  truncated: Uint8Array;
  /** B. */
  batchSize: number;
  /** L. */
  seqLen: number;
  /** The prompt of each row (row b is prompt ⌊b / numReturnSequences⌋). */
  prompts: PromptIds[];
  /** float32 [B, L, V] logits of each step, only with `outputLogits`. */
  logits?: Float32Array;
}

/**
 * An autoregressive policy over token sequences: per-token log-probabilities of given completions
 * (differentiable, for the trainers' losses) and seeded sampling. The weights are tfjs variables;
 * the trainers update them through a flat float32 vector (core's `Adam` works on it).
 */
export interface SequencePolicy {
  readonly vocabSize: number;
  /** Longest prompt + completion the model can process. */
  readonly maxSeqLen: number;
  /** The variables the trainers update, in the order of {@link getFlatParams}. */
  readonly trainableVariables: tf.Variable[];
  /** Number of parameters (length of {@link getFlatParams}). */
  readonly numParams: number;
  /**
   * Per-token outputs for `completions` (int32 [B, L]) after `prompts` (B of them). The mask only
   * selects outputs (0 where mask = 0): it never changes the value at a mask = 1 position.
   */
  evaluate(
    prompts: readonly PromptIds[],
    completions: Int32Array,
    mask: Uint8Array,
    options?: EvaluateOptions,
  ): SequenceEvaluation;
  /** `evaluate(...).logProbs`: float32 [B, L], differentiable w.r.t. the variables. */
  logProbs(
    prompts: readonly PromptIds[],
    completions: Int32Array,
    mask: Uint8Array,
    options?: { temperature?: number },
  ): tf.Tensor2D;
  /** Samples completions (see {@link GenerateOptions}); no gradient. */
  generate(options: GenerateOptions): GenerateOutput;
  /** Copy of the weights, float32 [numParams]. */
  getFlatParams(): Float32Array;
  /** @throws RangeError when `params.length` ≠ numParams. */
  setFlatParams(params: Float32Array): void;
  /** An independent copy with the same weights (e.g. the frozen reference model). */
  clone(): SequencePolicy;
  /** Writes the configuration and weights to `dir`. */
  save(dir: string): Promise<void>;
  /** Frees the tfjs variables. */
  dispose(): void;
}
