import {
  checkChoice,
  checkFlags,
  checkInteger,
  checkKeys,
  checkLength,
  checkNumberInRange,
  checkObject,
  checkTyped,
} from '../internal/checks.js';

/** Inputs of {@link tokenRewards}. [B, L] arrays are row-major: element (b, t) at `b * seqLen + t`. */
export interface TokenRewardsArgs {
  /** log π_θ (the rollout policy) of each token, float32 [B, L]. */
  logProbs: Float32Array;
  /** log π_ref of each token, float32 [B, L]. */
  refLogProbs: Float32Array;
  /** Completion mask, uint8 [B, L]: 1 for completion tokens; every row needs at least one. */
  mask: Uint8Array;
  /** Reward-model score of each completion, float32 [B]. */
  scores: Float32Array;
  /** B, an integer ≥ 1. */
  numSequences: number;
  /** L, an integer ≥ 1. */
  seqLen: number;
  /** KL coefficient β ≥ 0 (from a {@link FixedKlController} or {@link AdaptiveKlController}). */
  klCoef: number;
  /** Per-token KL estimator: `'k1'` = logp − ref, `'k3'` = (exp(ref − logp) − 1) − (ref − logp). Default `'k1'` (TRL). */
  kl?: 'k1' | 'k3';
  /** Subtracted from the score of each sequence without EOS (TRL's `missing_eos_penalty`, ≥ 0); needs `hasEos`. */
  missingEosPenalty?: number;
  /** uint8 [B]: 1 when the completion contains the EOS token; required with `missingEosPenalty`. */
  hasEos?: Uint8Array;
}

/** Outputs of {@link tokenRewards}. */
export interface TokenRewardsResult {
  /** −klCoef·kl_t on every completion token, plus the (penalized) score at the row's last one; float32 [B, L], 0 at padding. */
  rewards: Float32Array;
  /** The per-token KL estimate kl_t, float32 [B, L], 0 at padding. */
  kl: Float32Array;
  /** The scores after the missing-EOS penalty, float32 [B]. */
  scores: Float32Array;
}

const TR_KEYS = [
  'logProbs',
  'refLogProbs',
  'mask',
  'scores',
  'numSequences',
  'seqLen',
  'klCoef',
  'kl',
  'missingEosPenalty',
  'hasEos',
] as const;

/**
 * Per-token rewards of PPO-RLHF as TRL's `PPOTrainer` builds them (Ziegler et al. 2019, §2;
 * Ouyang et al. 2022, eq. 2): a KL penalty on every completion token and the reward-model score
 * on the last one (the last position with mask = 1 in the row):
 * ```
 * kl_t   = logp_t − ref_t                                  ('k1')
 *        = (exp(ref_t − logp_t) − 1) − (ref_t − logp_t)     ('k3')
 * score' = score − missingEosPenalty  where the completion has no EOS
 * r_t    = −klCoef · kl_t  (+ score' at the last completion token)
 * ```
 * Feed `rewards` to `gaeTokens` with the same mask.
 *
 * @throws TypeError for a wrong dtype, an unknown option, or hasEos and missingEosPenalty not given
 *   together; RangeError for sizes, a length mismatch, klCoef/missingEosPenalty not finite and ≥ 0,
 *   an unknown kl, flag values other than 0/1, or a row without a completion token.
 */
export function tokenRewards(args: TokenRewardsArgs): TokenRewardsResult {
  const a = checkObject('tokenRewards arguments', args) as unknown as TokenRewardsArgs;
  checkKeys('tokenRewards', a, TR_KEYS);
  const B = checkInteger('numSequences', a.numSequences, 1);
  const L = checkInteger('seqLen', a.seqLen, 1);
  const what = 'numSequences * seqLen';
  checkLength('logProbs', checkTyped('logProbs', a.logProbs, Float32Array), B * L, what);
  checkLength('refLogProbs', checkTyped('refLogProbs', a.refLogProbs, Float32Array), B * L, what);
  checkLength('mask', checkTyped('mask', a.mask, Uint8Array), B * L, what);
  checkLength('scores', checkTyped('scores', a.scores, Float32Array), B, 'numSequences');
  const klCoef = checkNumberInRange('klCoef', a.klCoef, 0, Number.MAX_VALUE);
  const kind = checkChoice('kl', a.kl ?? 'k1', ['k1', 'k3'] as const);
  let penalty = 0;
  if ((a.missingEosPenalty === undefined) !== (a.hasEos === undefined)) {
    throw new TypeError('missingEosPenalty and hasEos must be given together');
  }
  if (a.hasEos !== undefined) {
    penalty = checkNumberInRange('missingEosPenalty', a.missingEosPenalty, 0, Number.MAX_VALUE);
    checkLength('hasEos', checkTyped('hasEos', a.hasEos, Uint8Array), B, 'numSequences');
    checkFlags('hasEos', a.hasEos);
  }
  checkFlags('mask', a.mask);
  const rewards = new Float32Array(B * L);
  const kl = new Float32Array(B * L);
  const scores = new Float32Array(B);
  for (let b = 0; b < B; b++) {
    let last = -1;
    for (let t = b * L; t < (b + 1) * L; t++) {
      if (!a.mask[t]) continue;
      const logr = a.refLogProbs[t] - a.logProbs[t];
      const k = kind === 'k1' ? -logr : Math.exp(logr) - 1 - logr;
      kl[t] = k;
      rewards[t] = -klCoef * k;
      last = t;
    }
    if (last < 0) throw new RangeError(`mask row ${b} has no completion token (the score has nowhere to go)`);
    const score = a.hasEos && !a.hasEos[b] ? a.scores[b] - penalty : a.scores[b];
    scores[b] = score;
    rewards[last] = -klCoef * kl[last] + score;
  }
  return { rewards, kl, scores };
}

/** The fixed KL coefficient of PPO-RLHF (TRL's `FixedKLController`): `update` leaves it unchanged. */
export class FixedKlController {
  /** The coefficient β. */
  readonly value: number;
  /** @throws RangeError unless klCoef is a finite number ≥ 0. */
  constructor(klCoef: number) {
    this.value = checkNumberInRange('klCoef', klCoef, 0, Number.MAX_VALUE);
  }
  /** No-op (same signature as {@link AdaptiveKlController.update}). */
  update(_currentKl: number, _nSteps: number): void {}
}

/** Options of {@link AdaptiveKlController}. */
export interface AdaptiveKlControllerOptions {
  /** Initial β, a finite number ≥ 0. */
  initKlCoef: number;
  /** Target KL per sequence (KL_target), a finite number > 0. */
  target: number;
  /** Horizon H in samples, a finite number > 0. */
  horizon: number;
}

/**
 * The adaptive KL coefficient of Ziegler et al. 2019 ("Fine-Tuning Language Models from Human
 * Preferences", §2.2; TRL's `AdaptiveKLController`):
 * ```
 * e = clip(KL / KL_target − 1, −0.2, 0.2);   β ← β · (1 + e · nSteps / H)
 * ```
 */
export class AdaptiveKlController {
  /** The current coefficient β. */
  value: number;
  readonly target: number;
  readonly horizon: number;
  /** @throws TypeError for an unknown option; RangeError for a value out of range. */
  constructor(options: AdaptiveKlControllerOptions) {
    const o = checkObject('AdaptiveKlController options', options) as unknown as AdaptiveKlControllerOptions;
    checkKeys('AdaptiveKlController', o, ['initKlCoef', 'target', 'horizon']);
    this.value = checkNumberInRange('initKlCoef', o.initKlCoef, 0, Number.MAX_VALUE);
    this.target = checkPositive('target', o.target);
    this.horizon = checkPositive('horizon', o.horizon);
  }
  /**
   * Moves β toward the target after a batch whose measured KL is `currentKl` over `nSteps` samples.
   * @throws RangeError unless currentKl is finite and nSteps a finite number ≥ 0.
   */
  update(currentKl: number, nSteps: number): void {
    if (typeof currentKl !== 'number' || !Number.isFinite(currentKl)) {
      throw new RangeError(`currentKl must be a finite number, got ${String(currentKl)}`);
    }
    checkNumberInRange('nSteps', nSteps, 0, Number.MAX_VALUE);
    const error = Math.min(0.2, Math.max(-0.2, currentKl / this.target - 1));
    this.value *= 1 + (error * nSteps) / this.horizon;
  }
}

function checkPositive(name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || !(value > 0)) {
    throw new RangeError(`${name} must be a finite number > 0, got ${String(value)}`);
  }
  return value;
}
