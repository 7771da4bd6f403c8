/**
 * Loads `@proximal/native` if it is installed and built. Never throws: the reason for a failed
 * load is kept and shown by `backendInfo()`.
 */
import { createRequire } from 'node:module';

/** Options accepted by the native GAE kernel (see `gae` in ../gae.ts for semantics). */
export interface NativeGaeArgs {
  rewards: Float32Array;
  values: Float32Array;
  nextValues?: Float32Array;
  bootstrapValues?: Float32Array;
  terminated: Uint8Array;
  truncated?: Uint8Array;
  numEnvs: number;
  gamma: number;
  lambda: number;
  advantages?: Float32Array;
  returns?: Float32Array;
  threads?: number;
  checkFinite?: boolean;
}

/** Options of the native clipped surrogate (see `clippedSurrogate` in ../surrogate.ts). */
export interface NativeSurrogateArgs {
  logProbs: Float32Array;
  oldLogProbs: Float32Array;
  advantages: Float32Array;
  clipRange: number;
  clipRangeHigh?: number;
  dualClip?: number;
  mask?: Uint8Array;
  normalizeAdvantages?: boolean;
  aggregation?: 'token-mean' | 'seq-mean-token-sum' | 'seq-mean-token-mean';
  seqLen?: number;
  /** Preallocated output [B]. */
  gradLogProbs?: Float32Array;
  threads?: number;
  checkFinite?: boolean;
}

export interface NativeSurrogateResult {
  loss: number;
  gradLogProbs: Float32Array;
  clipFraction: number;
  approxKl: number;
  approxKlK1: number;
  ratioMean: number;
}

/** Options of the native value loss (see `valueLoss` in ../value-loss.ts). */
export interface NativeValueLossArgs {
  values: Float32Array;
  oldValues?: Float32Array;
  returns: Float32Array;
  clipRange?: number;
  gradValues?: Float32Array;
  threads?: number;
  checkFinite?: boolean;
}

export interface NativeValueLossResult {
  loss: number;
  gradValues: Float32Array;
  clipFraction: number;
}

/** Options of the native KL estimator (see `klEstimate` in ../kl.ts). */
export interface NativeKlArgs {
  logProbs: Float32Array;
  refLogProbs: Float32Array;
  kind: 'k1' | 'k2' | 'k3';
  values?: Float32Array;
  gradLogProbs?: Float32Array;
  threads?: number;
  checkFinite?: boolean;
}

export interface NativeKlResult {
  values: Float32Array;
  gradLogProbs: Float32Array;
  mean: number;
}

/** Options of the native token-level GAE (see `gaeTokens` in ../gae-tokens.ts). */
export interface NativeGaeTokensArgs {
  rewards: Float32Array;
  values: Float32Array;
  mask: Uint8Array;
  batchSize: number;
  seqLen: number;
  gamma: number;
  lambda: number;
  bootstrapValues?: Float32Array;
  advantages?: Float32Array;
  returns?: Float32Array;
  threads?: number;
  checkFinite?: boolean;
}

/** Options of the native group-relative advantages (see `groupRelativeAdvantages` in ../rlhf/grpo.ts). */
export interface NativeGroupRelativeAdvantagesArgs {
  rewards: Float32Array;
  numGenerations: number;
  scaleRewards?: 'group' | 'batch' | 'none';
}

export interface NativeGroupRelativeAdvantagesResult {
  advantages: Float32Array;
  groupMean: Float32Array;
  groupStd: Float32Array;
  batchStd: number;
  fracRewardZeroStd: number;
}

/** Options of the native GRPO loss (see `grpoLoss` in ../rlhf/grpo.ts). */
export interface NativeGrpoLossArgs {
  logProbs: Float32Array;
  oldLogProbs?: Float32Array;
  refLogProbs?: Float32Array;
  advantages: Float32Array;
  mask: Uint8Array;
  numSequences: number;
  seqLen: number;
  lossType: 'grpo' | 'bnpo' | 'dr_grpo' | 'dapo';
  epsilon?: number;
  epsilonHigh?: number;
  delta?: number;
  beta?: number;
  importanceSamplingLevel?: 'token' | 'sequence';
  maxCompletionLength?: number;
  threads?: number;
}

export interface NativeGrpoLossResult {
  loss: number;
  gradLogProbs: Float32Array;
  meanKl: number | null;
  clipRatioLow: number;
  clipRatioHigh: number;
  clipRatioRegion: number;
}

/** The subset of the addon's API that core uses. */
export interface NativeAddon {
  gae(args: NativeGaeArgs): { advantages: Float32Array; returns: Float32Array };
  gaeAsync(args: NativeGaeArgs): Promise<{ advantages: Float32Array; returns: Float32Array }>;
  version(): { version: string; napiVersion: number; compiler?: string; threads: number; cuda: boolean };
  /** Fused clipped surrogate (absent in builds older than @proximal/native 0.2). */
  clippedSurrogate?(args: NativeSurrogateArgs): NativeSurrogateResult;
  clippedSurrogateAsync?(args: NativeSurrogateArgs): Promise<NativeSurrogateResult>;
  valueLoss?(args: NativeValueLossArgs): NativeValueLossResult;
  valueLossAsync?(args: NativeValueLossArgs): Promise<NativeValueLossResult>;
  klEstimate?(args: NativeKlArgs): NativeKlResult;
  klEstimateAsync?(args: NativeKlArgs): Promise<NativeKlResult>;
  /** Token-level GAE over [B, L] (absent in older builds of @proximal/native). */
  gaeTokens?(args: NativeGaeTokensArgs): { advantages: Float32Array; returns: Float32Array };
  gaeTokensAsync?(args: NativeGaeTokensArgs): Promise<{ advantages: Float32Array; returns: Float32Array }>;
  /** GRPO kernels (absent in older builds of @proximal/native). */
  groupRelativeAdvantages?(args: NativeGroupRelativeAdvantagesArgs): NativeGroupRelativeAdvantagesResult;
  groupRelativeAdvantagesAsync?(
    args: NativeGroupRelativeAdvantagesArgs,
  ): Promise<NativeGroupRelativeAdvantagesResult>;
  grpoLoss?(args: NativeGrpoLossArgs): NativeGrpoLossResult;
  grpoLossAsync?(args: NativeGrpoLossArgs): Promise<NativeGrpoLossResult>;
  [kernel: string]: unknown;
}

export interface NativeLoad {
  addon: NativeAddon | null;
  error: string | null;
  path: string | null;
}

let cached: NativeLoad | undefined;

/** Loads the addon once (synchronously) and caches the outcome. */
export function loadNativeBackend(): NativeLoad {
  if (cached) return cached;
  try {
    const require = createRequire(import.meta.url);
    const mod = require('@proximal/native') as { loadNative(): NativeLoad };
    const res = mod.loadNative();
    cached = { addon: res.addon, error: res.error, path: res.path };
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err);
    cached = {
      addon: null,
      error: `@proximal/native is not installed or failed to load (${msg.split('\n')[0]}); install it with \`npm i @proximal/native\` for the C++ kernels`,
      path: null,
    };
  }
  return cached;
}
