import { gae } from '@proximal/core';

/** The choices of Ψ_t in the policy gradient (see {@link vpgAdvantages}). */
export const ADVANTAGE_ESTIMATORS = ['totalReturn', 'rewardToGo', 'rewardToGoBaseline', 'gae'] as const;

/** One of {@link ADVANTAGE_ESTIMATORS}. */
export type AdvantageEstimator = (typeof ADVANTAGE_ESTIMATORS)[number];

/**
 * Per-env state of the episodes that continue across rollouts, for `'totalReturn'`: the
 * discounted sum of the rewards the episode collected in earlier rollouts and γ^(its length so
 * far). Both float64 [N]; a fresh episode has 0 and 1 ({@link newEpisodeCarry}).
 */
export interface EpisodeCarry {
  /** Σ_{k < t₀} γ^k r_k of the episode's steps before this rollout (t₀ = its steps so far). */
  returnSoFar: Float64Array;
  /** γ^t₀. */
  discount: Float64Array;
}

/** The carry of N envs at the start of fresh episodes (returnSoFar 0, discount 1). */
export function newEpisodeCarry(numEnvs: number): EpisodeCarry {
  return { returnSoFar: new Float64Array(numEnvs), discount: new Float64Array(numEnvs).fill(1) };
}

/** Inputs of {@link vpgAdvantages}; every [T, N] array is time-major: (t, n) at `t * numEnvs + n`. */
export interface VpgAdvantagesArgs {
  estimator: AdvantageEstimator;
  /** r_t, float32 [T, N]. */
  rewards: Float32Array;
  /** V(s_t), float32 [T, N]. */
  values: Float32Array;
  /**
   * V of the true successor of step t, float32 [T, N]: V(s_{t+1}) inside the rollout, V(final
   * observation) at a truncation, V(s_T) at the last step (the rollout cut); unused at a termination.
   */
  nextValues: Float32Array;
  /** uint8 [T, N]: 1 where the episode reached a terminal state at step t. */
  terminated: Uint8Array;
  /** uint8 [T, N]: 1 where the episode was cut off (time limit) at step t. */
  truncated: Uint8Array;
  numEnvs: number;
  /** Discount γ in [0, 1]. */
  gamma: number;
  /** GAE λ in [0, 1] (used by 'gae' only). */
  gaeLambda: number;
  /**
   * 'totalReturn' only: the episodes in progress at the start of the rollout (read, then updated
   * in place to those in progress at its end). Default: every episode starts with the rollout.
   */
  carry?: EpisodeCarry;
}

/**
 * Ψ_t of the vanilla policy gradient ĝ = (1/|D|) Σ_t ∇θ log π_θ(a_t | s_t) Ψ_t, and the value
 * targets, over a time-major rollout [T, N]. With G_t the bootstrapped discounted reward-to-go
 *
 * ```
 * G_t = r_t + γ·V(s_{t+1})   at a truncation or the rollout's last step (V = nextValues)
 * G_t = r_t                   at a termination
 * G_t = r_t + γ·G_{t+1}       otherwise
 * ```
 * the estimators are (Schulman et al. 2016, "High-Dimensional Continuous Control Using
 * Generalized Advantage Estimation", eq. 1, items 1–3, and eq. 16; Spinning Up's VPG):
 *
 * - `'totalReturn'`: Ψ_t = R(τ) = Σ_{k=0}^{L} γ^k r_{t₀+k}, the discounted return of the whole
 *   episode from its first step t₀ (Williams 1992), the same for every step of the episode. Steps
 *   before this rollout come from `carry`; the rest is returnSoFar + γ^(steps so far)·G at the
 *   episode's first step in this rollout.
 * - `'rewardToGo'`: Ψ_t = G_t (Sutton et al. 2000's Q-estimate by the sampled return).
 * - `'rewardToGoBaseline'`: Ψ_t = G_t − V(s_t) (a learned state-value baseline).
 * - `'gae'`: Ψ_t = GAE(γ, λ) advantage (core's `gae`, with the same terminated/truncated handling).
 *
 * An episode cut by a time limit (truncated) or by the end of the rollout is completed by
 * γ·V(s) of the state where it was cut, for every estimator — also those without a baseline,
 * since the unseen rewards are otherwise taken as 0 (as Spinning Up's `finish_path(last_val)`,
 * which bootstraps the rewards-to-go with V(s) for every cut episode). A terminated episode
 * bootstraps with 0. The value targets `returns` are G_t for every estimator (Spinning Up fits V
 * to the rewards-to-go, not to GAE's λ-returns). G_t is core's `gae` with λ = 1: its returns are
 * exactly this recursion (with float64 accumulation), its advantages G_t − V(s_t).
 *
 * @returns `advantages` (Ψ_t) and `returns` (G_t), float32 [T, N], new arrays.
 * @throws RangeError for an unknown estimator, or a carry whose arrays are not [numEnvs]; the
 *   errors of core's `gae` for the arrays, numEnvs, gamma or gaeLambda (dtypes, lengths, ranges,
 *   0/1 flags, non-finite values), naming the argument.
 */
export function vpgAdvantages(args: VpgAdvantagesArgs): { advantages: Float32Array; returns: Float32Array } {
  const { estimator, rewards, values, nextValues, terminated, truncated, numEnvs, gamma, gaeLambda } = args;
  if (!(ADVANTAGE_ESTIMATORS as readonly unknown[]).includes(estimator)) {
    throw new RangeError(
      `estimator must be ${ADVANTAGE_ESTIMATORS.map((e) => `'${e}'`).join(' | ')}, got ${JSON.stringify(estimator)}`,
    );
  }
  if (estimator === 'totalReturn' && args.carry) checkCarry(args.carry, numEnvs);
  const common = { rewards, values, nextValues, terminated, truncated, numEnvs, gamma };
  const g = gae({ ...common, lambda: 1 });
  const returns = g.returns;
  switch (estimator) {
    case 'gae':
      return { advantages: gae({ ...common, lambda: gaeLambda }).advantages, returns };
    case 'rewardToGoBaseline':
      return { advantages: g.advantages, returns };
    case 'rewardToGo':
      return { advantages: returns.slice(), returns };
    case 'totalReturn':
      return { advantages: totalReturns(args, returns), returns };
  }
}

/** Ψ_t = R(τ) for every step (see {@link vpgAdvantages}); updates `args.carry` in place. */
function totalReturns(args: VpgAdvantagesArgs, rewardToGo: Float32Array): Float32Array {
  const { rewards, terminated, truncated, numEnvs: n, gamma, carry } = args;
  const steps = rewards.length / n;
  const out = new Float32Array(rewards.length);
  for (let i = 0; i < n; i++) {
    // the running discounted return of the episode in progress and γ^(its length so far)
    let soFar = carry ? carry.returnSoFar[i] : 0;
    let discount = carry ? carry.discount[i] : 1;
    let start = 0; // first step of the current episode inside this rollout
    for (let t = 0; t < steps; t++) {
      const k = t * n + i;
      if (t === start) {
        // R(τ) = (rewards before this rollout) + γ^(steps so far) · G at the first step seen here
        const total = soFar + discount * rewardToGo[k];
        for (let u = t; u < steps; u++) {
          const ku = u * n + i;
          out[ku] = total;
          if (terminated[ku] || truncated[ku]) break;
        }
      }
      soFar += discount * rewards[k];
      discount *= gamma;
      if (terminated[k] || truncated[k]) {
        soFar = 0;
        discount = 1;
        start = t + 1;
      }
    }
    if (carry) {
      carry.returnSoFar[i] = soFar;
      carry.discount[i] = discount;
    }
  }
  return out;
}

/** @throws RangeError unless both arrays of `carry` are Float64Array [n]. */
function checkCarry(carry: EpisodeCarry, n: number): void {
  for (const k of ['returnSoFar', 'discount'] as const) {
    const a = carry[k];
    if (!(a instanceof Float64Array) || a.length !== n) {
      throw new RangeError(
        `carry.${k} must be a Float64Array of length numEnvs = ${n}, got ${a instanceof Float64Array ? `length ${a.length}` : Object.prototype.toString.call(a)}`,
      );
    }
  }
}
