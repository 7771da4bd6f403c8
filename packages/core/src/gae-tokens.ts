import { type KernelOptions, resolveBackend } from './backend/dispatch.js';
import type { NativeGaeTokensArgs } from './backend/native.js';
import { checkGaeOut, type GaeOut } from './gae.js';
import {
  addonArgs,
  checkFinite,
  checkFlags,
  checkInteger,
  checkKernelOptions,
  checkLength,
  checkNumberInRange,
  checkObject,
  checkTyped,
} from './internal/checks.js';

/**
 * Inputs of {@link gaeTokens}. Every [B, L] array is row-major: row b is one sequence, element
 * (b, l) is at `b * seqLen + l`.
 */
export interface GaeTokensArgs {
  /** Token-level rewards r, float32 [B, L]. */
  rewards: Float32Array;
  /** Value estimates V(s_l) per token, float32 [B, L]. */
  values: Float32Array;
  /** uint8 [B, L]: 1 for the tokens the recursion runs over (response tokens), 0 for prompt/padding. */
  mask: Uint8Array;
  /** B, the number of sequences (rows), an integer ≥ 1. */
  batchSize: number;
  /** L, the (padded) length of every row, an integer ≥ 1. */
  seqLen: number;
  /** Discount factor γ in [0, 1]. */
  gamma: number;
  /** GAE smoothing λ in [0, 1]. */
  lambda: number;
  /** float32 [B]: the value after the last valid token of each row (default zeros: the sequence ended). */
  bootstrapValues?: Float32Array;
  /**
   * Preallocated outputs (Float32Array [B, L] each, sharing no memory with an input or each other),
   * written everywhere (0 where mask = 0) and returned instead of new arrays, on every backend.
   */
  out?: GaeOut;
}

const GAE_TOKENS_KEYS = [
  'rewards',
  'values',
  'mask',
  'batchSize',
  'seqLen',
  'gamma',
  'lambda',
  'bootstrapValues',
  'out',
];

function gaeTokensOut(raw: unknown) {
  const a = checkObject('gaeTokens arguments', raw);
  const size =
    Number.isInteger(a.batchSize) && Number.isInteger(a.seqLen)
      ? (a.batchSize as number) * (a.seqLen as number)
      : undefined;
  return checkGaeOut('gaeTokens arguments', raw, GAE_TOKENS_KEYS, size, 'batchSize * seqLen', {
    rewards: a.rewards,
    values: a.values,
    mask: a.mask,
    bootstrapValues: a.bootstrapValues,
  });
}

/** Outputs of {@link gaeTokens}, float32 [B, L] (0 where mask = 0). */
export interface GaeTokensResult {
  advantages: Float32Array;
  returns: Float32Array;
}

function checkGaeTokensArgs(raw: unknown): GaeTokensArgs {
  const args = checkObject('gaeTokens arguments', raw) as unknown as GaeTokensArgs;
  const rewards = checkTyped<Float32Array>('rewards', args.rewards, Float32Array);
  const batchSize = checkInteger('batchSize', args.batchSize, 1);
  const seqLen = checkInteger('seqLen', args.seqLen, 1);
  const size = batchSize * seqLen;
  checkLength('rewards', rewards, size, 'batchSize * seqLen');
  checkLength('values', checkTyped('values', args.values, Float32Array), size, 'batchSize * seqLen');
  checkLength('mask', checkTyped('mask', args.mask, Uint8Array), size, 'batchSize * seqLen');
  if (args.bootstrapValues !== undefined) {
    checkLength(
      'bootstrapValues',
      checkTyped('bootstrapValues', args.bootstrapValues, Float32Array),
      batchSize,
      'batchSize',
    );
  }
  checkNumberInRange('gamma', args.gamma, 0, 1);
  checkNumberInRange('lambda', args.lambda, 0, 1);
  // Last, as the native binding (a full pass over the mask).
  checkFlags('mask', args.mask);
  return args;
}

/**
 * Pure-TypeScript reference of {@link gaeTokens}; float64 accumulation, float32 outputs. Checks and
 * options as {@link gaeTokens}.
 */
export function gaeTokensReference(args: GaeTokensArgs, options: KernelOptions = {}): GaeTokensResult {
  const { checkFinite: check } = checkKernelOptions(options);
  const out = gaeTokensOut(args);
  const { rewards, values, mask, batchSize, seqLen, gamma, lambda, bootstrapValues } =
    checkGaeTokensArgs(args);
  if (check) {
    checkFinite('rewards', rewards, mask);
    checkFinite('values', values, mask);
    checkFinite('bootstrapValues', bootstrapValues);
  }
  const size = batchSize * seqLen;
  const advantages = out.advantages ? out.advantages.fill(0) : new Float32Array(size);
  const returns = out.returns ? out.returns.fill(0) : new Float32Array(size);
  const gammaLambda = gamma * lambda;
  for (let b = 0; b < batchSize; b++) {
    const row = b * seqLen;
    let nextValue = bootstrapValues ? bootstrapValues[b] : 0;
    let last = 0;
    for (let l = seqLen - 1; l >= 0; l--) {
      const k = row + l;
      if (!mask[k]) continue; // skipped: outputs stay 0, the recursion passes over it
      const v = values[k];
      const delta = rewards[k] + gamma * nextValue - v;
      const a = delta + gammaLambda * last;
      last = a;
      nextValue = v;
      advantages[k] = a;
      returns[k] = a + v;
    }
  }
  return { advantages, returns };
}

/**
 * Token-level GAE over a padded batch of sequences [B, L] (LLM-style RLHF/PPO), each row on its own.
 *
 * Within row b the recursion runs backwards over the positions with mask = 1 only; masked positions
 * (prompt, padding, tool/observation tokens) are skipped: the successor of a valid token is the next
 * *valid* token of the same row, and the last valid token bootstraps from `bootstrapValues[b]`
 * (default 0, a finished sequence). With l' the next valid position after l:
 * ```
 * delta_l = r_l + γ V_{l'} − V_l            (V_{l'} = bootstrapValues[b] after the last valid token)
 * A_l     = delta_l + γ λ A_{l'}            (A = 0 after the last valid token)
 * returns = A + V at valid positions;  advantages = returns = 0 where mask = 0
 * ```
 * This is the masked recursion of verl's `compute_gae_advantage_return` ("skip values and TD-error
 * on observation tokens"; there masked positions carry the running values instead of 0 and the
 * advantages are whitened afterwards) and, for right-padded responses, the same as TRL's and
 * OpenRLHF's `get_advantages_and_returns` (which run over every position with padding values and
 * rewards zeroed). GAE itself: Schulman et al. 2016, eq. 16.
 *
 * @param options `backend`, `threads` (native CPU threads; checked, no effect on 'js'),
 *   `checkFinite` (default true; see {@link KernelOptions}).
 * @returns float32 arrays `advantages` and `returns` [B, L] (`out.advantages` / `out.returns` when given).
 * @throws TypeError for a wrong dtype, a missing array or an unknown key in `args`, `out` or
 *   `options`; RangeError for batchSize/seqLen not positive integers, a length other than
 *   batchSize·seqLen (batchSize for bootstrapValues; outputs included), an output sharing memory
 *   with an input, gamma/lambda outside [0, 1], a mask value other than 0/1, threads outside
 *   [1, 1024], or (with checkFinite) a NaN/infinite element of rewards or values where mask = 1 or of
 *   bootstrapValues (naming it and its index); Error when the requested backend did not load.
 */
export function gaeTokens(args: GaeTokensArgs, options: KernelOptions = {}): GaeTokensResult {
  checkKernelOptions(options);
  const choice = resolveBackend(options.backend, 'gaeTokens');
  if (choice.backend === 'native') return choice.addon.gaeTokens!(nativeGaeTokensArgs(args, options));
  return gaeTokensReference(args, options);
}

/** The addon's arguments: `args` without `out`, its outputs and options as top-level keys. */
function nativeGaeTokensArgs(args: GaeTokensArgs, options: KernelOptions): NativeGaeTokensArgs {
  const out = gaeTokensOut(args);
  return addonArgs(
    args,
    { advantages: out.advantages, returns: out.returns },
    options,
  ) as unknown as NativeGaeTokensArgs;
}

/** As {@link gaeTokens}, off the main thread when the native backend runs it (the TypeScript reference runs inline). */
export async function gaeTokensAsync(
  args: GaeTokensArgs,
  options: KernelOptions = {},
): Promise<GaeTokensResult> {
  checkKernelOptions(options);
  const choice = resolveBackend(options.backend, 'gaeTokensAsync');
  if (choice.backend === 'native') return choice.addon.gaeTokensAsync!(nativeGaeTokensArgs(args, options));
  return gaeTokensReference(args, options);
}
