/**
 * @proximal/native — C++ kernels for Proximal behind a Node-API addon.
 *
 * Applications normally use these kernels through `@proximal/core` (which picks a backend and falls
 * back to its TypeScript reference when the addon is missing); this package only builds and loads
 * the addon.
 *
 * @packageDocumentation
 */

/**
 * Arguments of {@link NativeAddon.gae}. Every [T, N] array is time-major and flattened: element
 * (t, n) is at `t * numEnvs + n`, T = `rewards.length / numEnvs`. Typed arrays are read and written
 * in place (zero-copy).
 */
export interface NativeGaeArgs {
  /** r_t, Float32Array [T, N]. Its length defines T * N. */
  rewards: Float32Array;
  /** V(s_t), Float32Array [T, N]. */
  values: Float32Array;
  /**
   * V(s_{t+1}) of the true successor state (the final observation when the episode ended at t),
   * Float32Array [T, N]. Exactly one of `nextValues` and `bootstrapValues` must be given.
   */
  nextValues?: Float32Array;
  /**
   * V(s_T), Float32Array [N]: without `nextValues` the successor value of step t < T−1 is
   * `values[t + 1]` and of step T−1 is `bootstrapValues` (CleanRL's form). Not allowed together
   * with `truncated`.
   */
  bootstrapValues?: Float32Array;
  /** 1 where the episode reached a terminal state at step t, else 0; Uint8Array (or Buffer) [T, N]. */
  terminated: Uint8Array;
  /** 1 where the episode was cut off (time limit) at step t, else 0; Uint8Array [T, N]. Needs `nextValues`. */
  truncated?: Uint8Array;
  /** N, the number of parallel environments: a positive integer dividing `rewards.length`. */
  numEnvs: number;
  /** Discount factor γ, a finite number in [0, 1]. */
  gamma: number;
  /** GAE smoothing λ, a finite number in [0, 1]. */
  lambda: number;
  /** Preallocated output for the advantages, Float32Array [T, N]; a new one is allocated when absent. */
  advantages?: Float32Array;
  /** Preallocated output for the returns, Float32Array [T, N]; a new one is allocated when absent. */
  returns?: Float32Array;
  /**
   * CPU threads to use, an integer in [1, 1024] (default: all hardware threads; 1 forces the
   * single-threaded path). Inputs with T·N < 2^18 always run on one thread; larger ones are split
   * into column ranges of at least 32 environments, each thread running the whole backward time
   * loop for its columns.
   */
  threads?: number;
  /**
   * Check that every float input is finite (default true): the first NaN/±Infinity element throws
   * RangeError `<argument>[<index>] must be finite, got NaN` (masked kernels: only where mask = 1).
   * `false` skips the scan. Unknown keys are refused (TypeError naming the key and the accepted ones).
   */
  checkFinite?: boolean;
}

/** Outputs of {@link NativeAddon.gae}: the given or newly allocated Float32Arrays [T, N]. */
export interface NativeGaeResult {
  advantages: Float32Array;
  returns: Float32Array;
}

/**
 * Arguments of {@link NativeAddon.gaeTokens}: a padded batch of B token sequences [B, L], row-major
 * (element (b, l) at `b * seqLen + l`), read zero-copy. Same semantics and checks as `gaeTokens` in
 * @proximal/core.
 */
export interface NativeGaeTokensArgs {
  /** Token-level rewards, Float32Array [B, L]. */
  rewards: Float32Array;
  /** Values V per token, Float32Array [B, L]. */
  values: Float32Array;
  /** 1 for the tokens the recursion runs over (response tokens), 0 for prompt/padding; Uint8Array [B, L]. */
  mask: Uint8Array;
  /** B, an integer ≥ 1. */
  batchSize: number;
  /** L, an integer ≥ 1. */
  seqLen: number;
  /** Discount factor γ, a finite number in [0, 1]. */
  gamma: number;
  /** GAE smoothing λ, a finite number in [0, 1]. */
  lambda: number;
  /** The value after the last valid token of each row, Float32Array [B] (default zeros). */
  bootstrapValues?: Float32Array;
  /** Preallocated outputs, Float32Array [B, L] each, overlapping no input nor each other. */
  advantages?: Float32Array;
  returns?: Float32Array;
  /**
   * CPU threads, an integer in [1, 1024] (default all hardware threads). Batches of at least 2^16
   * elements are split by rows; rows are independent, so results do not depend on the thread count.
   */
  threads?: number;
  /**
   * Check that every float input is finite (default true): the first NaN/±Infinity element throws
   * RangeError `<argument>[<index>] must be finite, got NaN` (masked kernels: only where mask = 1).
   * `false` skips the scan. Unknown keys are refused (TypeError naming the key and the accepted ones).
   */
  checkFinite?: boolean;
}

/**
 * Arguments of {@link NativeAddon.groupRelativeAdvantages}. Same semantics and checks as
 * `groupRelativeAdvantages` in @proximal/core (which also refuses unknown options).
 */
export interface NativeGroupRelativeAdvantagesArgs {
  /** One reward per completion, Float32Array [B]; groups are consecutive blocks of `numGenerations`. */
  rewards: Float32Array;
  /** G, an integer ≥ 2 dividing B. */
  numGenerations: number;
  /** `'group'` (default), `'batch'` or `'none'`. */
  scaleRewards?: 'group' | 'batch' | 'none';
}

/** Outputs of {@link NativeAddon.groupRelativeAdvantages}. */
export interface NativeGroupRelativeAdvantagesResult {
  /** Float32Array [B]. */
  advantages: Float32Array;
  /** Float32Array [B / G]. */
  groupMean: Float32Array;
  /** Sample std of each group, Float32Array [B / G]. */
  groupStd: Float32Array;
  /** Sample std of all rewards. */
  batchStd: number;
  /** Fraction of groups whose std is ≤ 1e-8. */
  fracRewardZeroStd: number;
}

/**
 * Arguments of {@link NativeAddon.grpoLoss}: a padded batch [B, L] row-major (element (b, t) at
 * `b * seqLen + t`), read zero-copy. Same semantics and checks as `grpoLoss` in @proximal/core.
 */
export interface NativeGrpoLossArgs {
  /** Policy log-probs, Float32Array [B, L]. */
  logProbs: Float32Array;
  /** Behaviour-policy log-probs, Float32Array [B, L] (default: `logProbs`, ratio 1). */
  oldLogProbs?: Float32Array;
  /** Reference log-probs, Float32Array [B, L]; required when `beta` ≠ 0. */
  refLogProbs?: Float32Array;
  /** One advantage per sequence, Float32Array [B]. */
  advantages: Float32Array;
  /** Completion mask, Uint8Array [B, L] of 0/1. */
  mask: Uint8Array;
  numSequences: number;
  seqLen: number;
  lossType: 'grpo' | 'bnpo' | 'dr_grpo' | 'dapo';
  /** Default 0.2. */
  epsilon?: number;
  /** Default `epsilon`. */
  epsilonHigh?: number;
  delta?: number;
  /** Default 0. */
  beta?: number;
  /** Default `'token'`. */
  importanceSamplingLevel?: 'token' | 'sequence';
  /** Required with `'dr_grpo'`. */
  maxCompletionLength?: number;
  /**
   * CPU threads, an integer in [1, 1024] (default all hardware threads). Batches of at least 2^16
   * elements are split by rows; row sums are combined in row order, so results do not depend on it.
   */
  threads?: number;
}

/** Outputs of {@link NativeAddon.grpoLoss}. */
export interface NativeGrpoLossResult {
  loss: number;
  /** ∂loss/∂logProbs, a new Float32Array [B, L] (0 where mask = 0). */
  gradLogProbs: Float32Array;
  /** Masked mean k3 to the reference; null without `refLogProbs`. */
  meanKl: number | null;
  clipRatioLow: number;
  clipRatioHigh: number;
  clipRatioRegion: number;
}

/** One dense layer y = act(x W + b) of an MLP policy; W is [inSize, outSize] row-major. */
export interface NativeMlpLayer {
  /** Input width, an integer in [1, 2^24]; must equal the previous layer's `outSize`. */
  inSize: number;
  /** Output width, an integer in [1, 2^24]. */
  outSize: number;
  /** Activation applied to this layer's output. */
  activation: 'tanh' | 'relu' | 'linear';
}

/**
 * An MLP policy and a batch of states: the common arguments of the Fisher kernels.
 * Flat `params` (float32): for each layer W [inSize, outSize] row-major then b [outSize]; for
 * `'diag-gaussian'` the state-independent log-std [actionDim = last outSize] comes last.
 */
export interface NativePolicyArgs {
  /** The layers, at least one (at most 4096), sizes chained. */
  layers: NativeMlpLayer[];
  /** `'categorical'`: the last layer's outputs are logits; `'diag-gaussian'`: they are the means. */
  head: 'categorical' | 'diag-gaussian';
  /** Flat parameters, Float32Array [P]. */
  params: Float32Array;
  /** States, Float32Array [batch, obsDim = layers[0].inSize], batch ≥ 1. */
  states: Float32Array;
  /** Tikhonov damping λ added as λ·v, a finite number ≥ 0 (default 0). */
  damping?: number;
  /** CPU threads, an integer in [1, 1024] (default all hardware threads; at most one per 128 states). */
  threads?: number;
  /**
   * Check that every float input is finite (default true): the first NaN/±Infinity element throws
   * RangeError `<argument>[<index>] must be finite, got NaN` (masked kernels: only where mask = 1).
   * `false` skips the scan. Unknown keys are refused (TypeError naming the key and the accepted ones).
   */
  checkFinite?: boolean;
}

/** Arguments of {@link NativeAddon.fisherVectorProduct}. */
export interface NativeFvpArgs extends NativePolicyArgs {
  /** The direction v, Float32Array [P]. */
  vector: Float32Array;
}

/** Arguments of {@link NativeAddon.conjugateGradientFisher}. */
export interface NativeCgFisherArgs extends NativePolicyArgs {
  /** Right-hand side b, Float32Array [P] (TRPO: the policy gradient). */
  b: Float32Array;
  /** Maximum CG steps, an integer ≥ 0 (default 10). */
  maxIterations?: number;
  /** Stop once rᵀr falls below this finite number ≥ 0 (default 1e-10). */
  residualTolerance?: number;
}

/** An MLP policy's layers and head (no parameters). */
export interface NativePolicyShape {
  /** The layers, at least one (at most 4096), sizes chained. */
  layers: NativeMlpLayer[];
  /** `'categorical'`: the last layer's outputs are logits; `'diag-gaussian'`: they are the means. */
  head: 'categorical' | 'diag-gaussian';
}

/** An MLP policy with its flat float32 parameters (layout of {@link NativePolicyArgs}). */
export interface NativePolicy extends NativePolicyShape {
  /** Flat parameters, Float32Array [P]. */
  params: Float32Array;
}

/** Arguments of {@link NativeAddon.surrogateAndKl} (those of @proximal/core's `surrogateAndKl`, plus `threads`). */
export interface NativeSurrogateKlArgs {
  /** Layers and head shared by both parameter vectors (a `params` field is ignored). */
  policy: NativePolicyShape;
  /** θ_old, Float32Array [P]: the policy that collected the data (the KL reference). */
  oldParams: Float32Array;
  /** θ_new, Float32Array [P]: the line search's candidate. */
  newParams: Float32Array;
  /** States, Float32Array [batch, obsDim = layers[0].inSize], batch ≥ 1. */
  states: Float32Array;
  /** Int32Array [batch] of action indices in [0, outSize) (categorical) or Float32Array [batch, actionDim] (Gaussian). */
  actions: Int32Array | Float32Array;
  /** Â_s, Float32Array [batch]. */
  advantages: Float32Array;
  /** log π_old(a_s | s) recorded at rollout, Float32Array [batch]. */
  oldLogProbs: Float32Array;
  /** CPU threads, an integer in [1, 1024] (default all hardware threads; at most one per 128 states). */
  threads?: number;
  /**
   * Check that every float input is finite (default true): the first NaN/±Infinity element throws
   * RangeError `<argument>[<index>] must be finite, got NaN` (masked kernels: only where mask = 1).
   * `false` skips the scan. Unknown keys are refused (TypeError naming the key and the accepted ones).
   */
  checkFinite?: boolean;
}

/** Arguments of {@link NativeAddon.meanKl}. */
export interface NativeMeanKlArgs {
  /** π_old: the KL reference. */
  policyOld: NativePolicy;
  /** π_new: same head, input and output sizes as `policyOld` (hidden layers may differ). */
  policyNew: NativePolicy;
  /** States, Float32Array [batch, obsDim], batch ≥ 1. */
  states: Float32Array;
  /** CPU threads, an integer in [1, 1024] (default all hardware threads; at most one per 128 states). */
  threads?: number;
  /**
   * Check that every float input is finite (default true): the first NaN/±Infinity element throws
   * RangeError `<argument>[<index>] must be finite, got NaN` (masked kernels: only where mask = 1).
   * `false` skips the scan. Unknown keys are refused (TypeError naming the key and the accepted ones).
   */
  checkFinite?: boolean;
}

/** Outcome of conjugate gradient. */
export interface NativeCgResult {
  /** The approximate solution of (F + λI) x = b, Float32Array [P]. */
  x: Float32Array;
  /** CG steps taken. */
  iterations: number;
  /** rᵀr = ‖b − (F + λI) x‖² at exit (double precision). */
  residual: number;
}

/**
 * Arguments of {@link NativeAddon.clippedSurrogate}; every array is [B] (flattened batch), read
 * zero-copy. Same semantics and checks as `clippedSurrogate` in @proximal/core.
 */
export interface NativeSurrogateArgs {
  /** log π_θ(a|s), Float32Array [B], B ≥ 1. */
  logProbs: Float32Array;
  /** log π_old(a|s), Float32Array [B]. */
  oldLogProbs: Float32Array;
  /** Advantages Â, Float32Array [B]. */
  advantages: Float32Array;
  /** ε, a finite number ≥ 0: the ratio is clipped to [1 − ε, 1 + ε_high]. */
  clipRange: number;
  /** ε_high, a finite number ≥ 0 (default `clipRange`). */
  clipRangeHigh?: number;
  /** Dual-clip constant c, a finite number > 1 (default: no dual clip). */
  dualClip?: number;
  /** 0/1 per element, Uint8Array [B] (default all 1); the means are over the elements with 1. */
  mask?: Uint8Array;
  /** Normalize the advantages over the masked batch first (mean, unbiased std, ε = 1e-8); truthiness. */
  normalizeAdvantages?: boolean;
  /**
   * How the objectives become the loss (default 'token-mean': mean over the masked elements).
   * 'seq-mean-token-sum' / 'seq-mean-token-mean': per sequence of `seqLen` elements the sum / mean
   * over its masked elements, then the mean over the sequences with at least one. The gradient
   * follows; the diagnostics stay means over the masked elements.
   */
  aggregation?: 'token-mean' | 'seq-mean-token-sum' | 'seq-mean-token-mean';
  /** Sequence length L, an integer ≥ 1 dividing B; required by the 'seq-mean-*' aggregations. */
  seqLen?: number;
  /** Preallocated output for the gradient, Float32Array [B] not overlapping an input. */
  gradLogProbs?: Float32Array;
  /**
   * CPU threads, an integer in [1, 1024] (default all hardware threads). Batches of at least 2^18
   * elements are split in fixed chunks of 2^14 whose partial sums are added in chunk order, so the
   * results do not depend on the thread count.
   */
  threads?: number;
  /**
   * Check that every float input is finite (default true): the first NaN/±Infinity element throws
   * RangeError `<argument>[<index>] must be finite, got NaN` (masked kernels: only where mask = 1).
   * `false` skips the scan. Unknown keys are refused (TypeError naming the key and the accepted ones).
   */
  checkFinite?: boolean;
}

/** Outputs of {@link NativeAddon.clippedSurrogate}. */
export interface NativeSurrogateResult {
  /** −mean(objective) over the masked elements (0 when none is). */
  loss: number;
  /** ∂loss/∂logProbs, Float32Array [B]: +0 where masked out or on a clipped branch. */
  gradLogProbs: Float32Array;
  /** Fraction of the masked elements whose ratio lies outside [1 − ε, 1 + ε_high]. */
  clipFraction: number;
  /** k3 estimate mean((r − 1) − log r). */
  approxKl: number;
  /** k1 estimate mean(−log r). */
  approxKlK1: number;
  /** mean(r). */
  ratioMean: number;
}

/** Arguments of {@link NativeAddon.valueLoss} (same semantics and checks as core's `valueLoss`). */
export interface NativeValueLossArgs {
  /** V_θ(s), Float32Array [B], B ≥ 1. */
  values: Float32Array;
  /** V_old(s), Float32Array [B]; required with `clipRange`. */
  oldValues?: Float32Array;
  /** Targets R, Float32Array [B]. */
  returns: Float32Array;
  /** ε_v, a finite number ≥ 0: clip V − V_old to [−ε_v, ε_v] (default: no clipping). */
  clipRange?: number;
  /** Preallocated output for the gradient, Float32Array [B]. */
  gradValues?: Float32Array;
  /** CPU threads, as {@link NativeSurrogateArgs.threads}. */
  threads?: number;
  /**
   * Check that every float input is finite (default true): the first NaN/±Infinity element throws
   * RangeError `<argument>[<index>] must be finite, got NaN` (masked kernels: only where mask = 1).
   * `false` skips the scan. Unknown keys are refused (TypeError naming the key and the accepted ones).
   */
  checkFinite?: boolean;
}

/** Outputs of {@link NativeAddon.valueLoss}. */
export interface NativeValueLossResult {
  loss: number;
  gradValues: Float32Array;
  clipFraction: number;
}

/** Arguments of {@link NativeAddon.klEstimate}. */
export interface NativeKlArgs {
  /** log π_θ(a|s), Float32Array [B] (B may be 0). */
  logProbs: Float32Array;
  /** log π_ref(a|s), Float32Array [B]. */
  refLogProbs: Float32Array;
  /** Estimator: 'k1' = −log r, 'k2' = (log r)²/2, 'k3' = (r − 1) − log r, with log r = ref − logProbs. */
  kind: 'k1' | 'k2' | 'k3';
  /** Preallocated outputs, Float32Array [B] each, overlapping nothing. */
  values?: Float32Array;
  gradLogProbs?: Float32Array;
  /** CPU threads, as {@link NativeSurrogateArgs.threads}. */
  threads?: number;
  /**
   * Check that every float input is finite (default true): the first NaN/±Infinity element throws
   * RangeError `<argument>[<index>] must be finite, got NaN` (masked kernels: only where mask = 1).
   * `false` skips the scan. Unknown keys are refused (TypeError naming the key and the accepted ones).
   */
  checkFinite?: boolean;
}

/** Outputs of {@link NativeAddon.klEstimate}. */
export interface NativeKlResult {
  /** Per-element estimates, Float32Array [B]. */
  values: Float32Array;
  /** ∂values_i/∂logProbs_i, Float32Array [B]. */
  gradLogProbs: Float32Array;
  /** Mean of the estimates (double; 0 for B = 0). */
  mean: number;
}

/** What {@link NativeAddon.version} reports about the build and the machine. */
export interface NativeVersionInfo {
  /** The package version the addon was built from (package.json). */
  version: string;
  /** The Node-API version the addon was compiled against (package.json `binary.napi_versions`). */
  napiVersion: number;
  /** The highest Node-API version the running Node.js supports. */
  runtimeNapiVersion: number;
  /** Compiler and version, e.g. "GCC 12.2.0". */
  compiler: string;
  /** CMake build type, e.g. "Release". */
  buildType: string;
  /** `std::thread::hardware_concurrency()`: the default thread count of the kernels. */
  threads: number;
  /** Whether CUDA kernels were compiled in (always false in this build). */
  cuda: boolean;
  /** Widest vector instruction set the kernels run with on this CPU: "avx512", "avx2", "sse2", "neon" or "scalar". */
  simd?: string;
  /** Names of the kernel functions this build exports. */
  kernels: string[];
}

/** The functions exported by proximal_native.node. */
export interface NativeAddon {
  /**
   * Generalized advantage estimation over a time-major rollout [T, N], on the calling thread.
   *
   * ```
   * delta_t = r_t + γ (1 − terminated_t) v'_t − v_t
   * A_t     = delta_t + γ λ (1 − (terminated_t ∨ truncated_t)) A_{t+1},   A_T = 0
   * returns = A + v
   * ```
   * where v'_t is `nextValues[t]`, or without it `values[t+1]` (and `bootstrapValues` at t = T−1).
   * Source: Schulman et al. 2016, "High-Dimensional Continuous Control Using Generalized Advantage
   * Estimation" (eq. 16); done handling as TorchRL's `generalized_advantage_estimate`
   * (done = terminated ∨ truncated: a truncated step bootstraps from its successor's value but
   * does not carry A_{t+1} across the episode boundary).
   *
   * Precision: float32 inputs, float64 arithmetic, float32 outputs — the same operations in the same
   * order as @proximal/core's TypeScript reference, so results are bit-identical to it. The
   * "(1 − flag) · x" factors are selects: a non-finite value masked by a flag does not propagate.
   *
   * @returns `{ advantages, returns }`, Float32Array [T, N] (the `advantages`/`returns` arrays
   *   passed in, when given).
   * @throws TypeError when the argument is not an object; when an array argument is missing or not
   *   of its typed-array type (e.g. `rewards must be a Float32Array, got Float64Array(8)`); when both
   *   or neither of `nextValues`/`bootstrapValues` are given; when `truncated` is given with
   *   `bootstrapValues`.
   * @throws RangeError when a length differs from T·N (or N for `bootstrapValues`), naming both
   *   lengths (`values has length 7, expected 8 (= rewards.length)`); when `numEnvs` is not a
   *   positive integer dividing `rewards.length`; when `gamma`/`lambda` is not a finite number in
   *   [0, 1]; when `threads` is not an integer in [1, 1024]; when a flag is not 0/1 (naming the
   *   first bad index: `terminated[5] must be 0 or 1, got 2`); when an output array shares memory
   *   with an input or with the other output.
   */
  gae(args: NativeGaeArgs): NativeGaeResult;

  /**
   * As {@link NativeAddon.gae}, on the libuv thread pool; the JS thread only validates the
   * arguments (the flag check runs on the pool too). Invalid arguments reject the promise with the
   * same TypeError/RangeError as `gae` (it never throws synchronously). The input and output arrays
   * are kept alive until the promise settles; do not write to them, transfer or resize their
   * buffers meanwhile.
   */
  gaeAsync(args: NativeGaeArgs): Promise<NativeGaeResult>;

  /**
   * Token-level GAE over a padded batch [B, L] (LLM-style), rows in parallel. Within each row the
   * recursion runs backwards over the positions with mask = 1 only; masked positions are skipped
   * (the successor of a valid token is the next valid token of the row, the last valid token
   * bootstraps from `bootstrapValues[b]`, default 0):
   *
   * ```
   * delta_l = r_l + γ V_next − V_l,   A_l = delta_l + γ λ A_next,   returns = A + V
   * ```
   * with advantages = returns = 0 where mask = 0 (verl's `compute_gae_advantage_return` masking;
   * TRL/OpenRLHF agree for right padding). Double arithmetic in the TypeScript reference's order:
   * bit-identical to it.
   *
   * @returns `{ advantages, returns }`, Float32Array [B, L] (the arrays passed in, when given).
   * @throws TypeError for a non-object argument or a wrong dtype / missing array; RangeError for
   *   batchSize/seqLen not positive integers, a length other than batchSize·seqLen (batchSize for
   *   `bootstrapValues`), γ/λ outside [0, 1], bad `threads`, an overlapping output, or a mask value
   *   other than 0/1 (`mask[5] must be 0 or 1, got 2`).
   */
  gaeTokens(args: NativeGaeTokensArgs): NativeGaeResult;

  /** As {@link NativeAddon.gaeTokens} on the libuv thread pool; invalid arguments reject. */
  gaeTokensAsync(args: NativeGaeTokensArgs): Promise<NativeGaeResult>;

  /**
   * GRPO's group-relative advantages (TRL): reward minus its group's mean, divided by the group's
   * or the batch's sample std + 1e-4, or not divided. Double arithmetic, float32 outputs.
   *
   * @throws TypeError for a non-object argument or a wrong dtype; RangeError for numGenerations
   *   not an integer ≥ 2, a rewards length that is not a positive multiple of it, or an unknown
   *   scaleRewards.
   */
  groupRelativeAdvantages(args: NativeGroupRelativeAdvantagesArgs): NativeGroupRelativeAdvantagesResult;

  /** As {@link NativeAddon.groupRelativeAdvantages} on the libuv thread pool; invalid arguments reject. */
  groupRelativeAdvantagesAsync(
    args: NativeGroupRelativeAdvantagesArgs,
  ): Promise<NativeGroupRelativeAdvantagesResult>;

  /**
   * The fused GRPO loss of TRL's `GRPOTrainer._compute_loss` and its gradient w.r.t. `logProbs`
   * (token- or sequence-level importance ratios, asymmetric clipping, optional δ clamp, β·k3 KL,
   * 'grpo' / 'bnpo' / 'dr_grpo' / 'dapo' aggregation); see `grpoLoss` in @proximal/core. Rows in
   * parallel; double arithmetic in the TypeScript reference's order.
   *
   * @throws TypeError for a non-object argument, a wrong dtype, refLogProbs missing with beta ≠ 0 or
   *   maxCompletionLength missing with 'dr_grpo'; RangeError for sizes, lengths, unknown lossType /
   *   importanceSamplingLevel, out-of-range numbers, bad `threads`, or a mask value other than 0/1.
   */
  grpoLoss(args: NativeGrpoLossArgs): NativeGrpoLossResult;

  /** As {@link NativeAddon.grpoLoss} on the libuv thread pool; invalid arguments reject. */
  grpoLossAsync(args: NativeGrpoLossArgs): Promise<NativeGrpoLossResult>;

  /**
   * Fisher-vector product of an MLP policy, on the calling thread:
   *
   * ```
   * F v = (1/B) Σ_s J_sᵀ M_s J_s v + λ v
   * ```
   * J_s: Jacobian of the last layer's outputs w.r.t. the MLP params at state s, applied forward
   * (tangent propagation, Pearlmutter 1994) then transposed (reverse mode); M_s: the head's Fisher
   * metric (Martens 2014; Schulman et al. 2015, appendix C) — categorical: M u = p ⊙ u − p (pᵀu),
   * p = softmax(logits); diagonal Gaussian: diag(1/σ²) on the means, and 2·I on the log-std block
   * (no cross terms). Float32 storage, double arithmetic; batch split over threads with partial
   * sums added in a fixed order (reproducible for a given thread count).
   *
   * @returns F v + λ v, a new Float32Array [P].
   * @throws TypeError when the argument is not an object, `layers` is not a non-empty array (or an
   *   element is not an object), or `params`/`states`/`vector` is not a Float32Array.
   * @throws RangeError naming the argument: a layer size not an integer in [1, 2^24], an unknown
   *   activation or head, layer sizes that do not chain, `params` of the wrong length, `states`
   *   empty or not a multiple of obsDim, `vector` not of length P, `damping` negative or not
   *   finite, `threads` not in [1, 1024], or out of memory.
   */
  fisherVectorProduct(args: NativeFvpArgs): Float32Array;

  /** As {@link NativeAddon.fisherVectorProduct} on the libuv thread pool; invalid arguments reject. */
  fisherVectorProductAsync(args: NativeFvpArgs): Promise<Float32Array>;

  /**
   * Solves (F + λI) x = b by conjugate gradient with the Fisher-vector product inside the addon
   * (no JavaScript call per step): x₀ = 0, r₀ = p₀ = b; per step z = (F + λI) p, α = rᵀr / pᵀz,
   * x += αp, r −= αz, p = r' + (r'ᵀr' / rᵀr) p; stops after `maxIterations` steps or when rᵀr <
   * `residualTolerance` (Shewchuk 1994; Schulman et al. 2015, appendix C), or before a step whose
   * pᵀz is not a positive finite number. Double precision throughout.
   *
   * @throws the errors of {@link NativeAddon.fisherVectorProduct} (with `b` in place of `vector`),
   *   and RangeError for `maxIterations` not an integer ≥ 0 or `residualTolerance` negative or not finite.
   */
  conjugateGradientFisher(args: NativeCgFisherArgs): NativeCgResult;

  /** As {@link NativeAddon.conjugateGradientFisher} on the libuv thread pool; invalid arguments reject. */
  conjugateGradientFisherAsync(args: NativeCgFisherArgs): Promise<NativeCgResult>;

  /**
   * TRPO's line-search evaluation of a candidate θ_new, on the calling thread (Schulman et al. 2015,
   * sec. 6 and appendix C): one forward pass of each parameter vector per block of states, then
   *
   * ```
   * surrogate = mean_s exp(log π_new(a_s|s) − oldLogProbs_s) · advantages_s
   * kl        = mean_s KL(π_old(·|s) ‖ π_new(·|s))
   * ```
   * categorical: log π = log softmax(logits)[a], KL = Σ_a p_old (log p_old − log p_new);
   * diagonal Gaussian (state-independent log-std ℓ, σ = e^ℓ): log π = Σ_j −z_j²/2 − ℓ_j − log(2π)/2
   * with z = (a − μ)/σ, KL = Σ_j ℓ_new − ℓ_old + (σ_old² + (μ_old − μ_new)²)/(2σ_new²) − 1/2.
   * Float32 inputs, double arithmetic (the formulas and order of @proximal/core's reference); rows
   * in blocks whose partial sums are added in block order, so the result does not depend on `threads`.
   *
   * @returns `{ surrogate, kl }`.
   * @throws TypeError when the argument or `policy` is not an object, `layers` is not a non-empty
   *   array of objects, or an array has the wrong type (`actions`: Int32Array for a categorical
   *   head, Float32Array for a Gaussian one).
   * @throws RangeError naming the argument: bad layer sizes or activation, unknown head, sizes that
   *   do not chain, `oldParams`/`newParams` of the wrong length, `states` empty or not a multiple of
   *   obsDim, `actions`/`advantages`/`oldLogProbs` of the wrong length, a categorical action outside
   *   [0, outSize) (`actions[3] must be in [0, 1], got 2`, checked last), `threads` not in [1, 1024],
   *   or out of memory.
   */
  surrogateAndKl(args: NativeSurrogateKlArgs): { surrogate: number; kl: number };

  /** As {@link NativeAddon.surrogateAndKl} on the libuv thread pool; invalid arguments reject. */
  surrogateAndKlAsync(args: NativeSurrogateKlArgs): Promise<{ surrogate: number; kl: number }>;

  /**
   * Mean KL(π_old ‖ π_new) over a batch of states, on the calling thread (the `kl` of
   * {@link NativeAddon.surrogateAndKl}, for two policies that may differ in their hidden layers).
   * @throws TypeError/RangeError as {@link NativeAddon.surrogateAndKl} for each policy (messages name
   *   `policyOld`/`policyNew`, `policyOld.params`, ...) and the states; RangeError when the heads,
   *   input or output sizes differ.
   */
  meanKl(args: NativeMeanKlArgs): number;

  /** As {@link NativeAddon.meanKl} on the libuv thread pool; invalid arguments reject. */
  meanKlAsync(args: NativeMeanKlArgs): Promise<number>;

  /**
   * PPO's clipped surrogate, fused forward and backward, on the calling thread (one pass after the
   * optional normalization pass; double accumulation):
   *
   * ```
   * r = exp(logProbs − oldLogProbs),  obj = min(r Â, clip(r, 1 − ε, 1 + ε_high) Â)  (dual clip: c Â where Â < 0 and obj < c Â)
   * loss = −mean(obj) over the masked elements   (or per sequence first: see `aggregation`)
   * ```
   * @throws TypeError for a non-object argument or a wrong dtype; RangeError for an empty batch, a
   *   length mismatch, a clip range negative or not finite, dualClip ≤ 1, a mask value other than
   *   0/1, an unknown `aggregation`, `seqLen` missing for a 'seq-mean-*' aggregation, not a positive
   *   integer or not dividing B, `threads` outside [1, 1024] or `gradLogProbs` overlapping an input. Messages are those of
   *   @proximal/core (e.g. "advantages has length 1, expected 2 (= logProbs.length)").
   */
  clippedSurrogate(args: NativeSurrogateArgs): NativeSurrogateResult;

  /** As {@link NativeAddon.clippedSurrogate} on the libuv thread pool; invalid arguments reject. */
  clippedSurrogateAsync(args: NativeSurrogateArgs): Promise<NativeSurrogateResult>;

  /**
   * Value loss mean((V − R)²), or clipped mean(max((V − R)², (V_old + clip(V − V_old, ±ε_v) − R)²)),
   * with its gradient w.r.t. `values`.
   * @throws TypeError for a wrong dtype or `clipRange` without `oldValues`; RangeError for an empty
   *   batch, a length mismatch, a bad clip range or `threads`, or an overlapping output.
   */
  valueLoss(args: NativeValueLossArgs): NativeValueLossResult;

  /** As {@link NativeAddon.valueLoss} on the libuv thread pool; invalid arguments reject. */
  valueLossAsync(args: NativeValueLossArgs): Promise<NativeValueLossResult>;

  /**
   * Per-element KL(π_θ ‖ π_ref) estimates (k1, k2 or k3) and their gradient w.r.t. `logProbs`.
   * @throws TypeError for a wrong dtype; RangeError for a length mismatch, an unknown `kind`, bad
   *   `threads` or an overlapping output.
   */
  klEstimate(args: NativeKlArgs): NativeKlResult;

  /** As {@link NativeAddon.klEstimate} on the libuv thread pool; invalid arguments reject. */
  klEstimateAsync(args: NativeKlArgs): Promise<NativeKlResult>;

  /** Build and machine information. */
  version(): NativeVersionInfo;
}

/** Outcome of {@link loadNative}. */
export interface NativeLoadResult {
  /** The loaded addon, or null when it is missing, disabled or failed to load. */
  addon: NativeAddon | null;
  /**
   * Why `addon` is null (null when it loaded): 'disabled by PROXIMAL_DISABLE_NATIVE=1', a missing
   * build (with the reason of the last failed build from build/BUILD_ERROR.txt and how to rebuild),
   * or the dlopen error.
   */
  error: string | null;
  /** The .node file that was (or would have been) loaded. */
  path: string;
}

/**
 * Loads build/Release/proximal_native.node (or `PROXIMAL_NATIVE_PATH`) once and caches the result;
 * never throws. `PROXIMAL_DISABLE_NATIVE=1` skips loading. ESM and CommonJS share the same cache.
 */
export function loadNative(): NativeLoadResult;

/** Absolute path of the package's build/Release/proximal_native.node. */
export const defaultAddonPath: string;
