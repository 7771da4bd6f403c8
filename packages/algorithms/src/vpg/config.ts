import {
  checkOnPolicyHyperparameters,
  mergeHyperparameters,
  need,
  needPosInt,
  needSchedule,
} from '../common/hyperparameters.js';
import { describeSchedule, parseSchedule, type Schedule } from '../common/schedules.js';
import type { PolicyKwargs } from '../policies/actor-critic.js';
import { ADVANTAGE_ESTIMATORS, type AdvantageEstimator } from './advantages.js';

/**
 * VPG hyperparameters: Stable-Baselines3's names (camelCase) where SB3 has the concept, OpenAI
 * Spinning Up's `vpg` argument names (camelCase) otherwise. Sources of the defaults are given per
 * entry; "Spinning Up" is `spinup.algos.pytorch.vpg.vpg` and its `core.MLPActorCritic`.
 */
export interface VpgHyperparameters {
  /**
   * Adam step size of the policy (Spinning Up's `pi_lr`), constant or a schedule of the remaining
   * progress. Default 3e-4 (Spinning Up).
   */
  learningRate: Schedule;
  /**
   * Adam step size of the value function (Spinning Up's `vf_lr`), constant or a schedule.
   * Default 1e-3 (Spinning Up).
   */
  vfLearningRate: Schedule;
  /**
   * Steps per env per rollout; nSteps × numEnvs is Spinning Up's `steps_per_epoch`. Default 4000
   * (Spinning Up, with one env).
   */
  nSteps: number;
  /**
   * Rows per value-function gradient step. Default: nSteps × numEnvs, the whole rollout (Spinning
   * Up's full-batch value regression); {@link VPG_DEFAULTS} lists 4000, its value for the default
   * nSteps and one env. The policy step always uses the whole rollout.
   */
  batchSize: number;
  /** Adam steps of the value-function regression per rollout (Spinning Up's `train_v_iters`). Default 80. */
  trainVIters: number;
  /** Discount γ. Default 0.99 (Spinning Up, SB3). */
  gamma: number;
  /** λ of GAE, used by `advantageEstimator: 'gae'` (Spinning Up's `lam`). Default 0.97 (Spinning Up). */
  gaeLambda: number;
  /**
   * Ψ_t, the weight of ∇ log π(a_t | s_t) in the policy gradient (Schulman et al. 2016, eq. 1;
   * see {@link vpgAdvantages} for the exact formulas): 'totalReturn' (R(τ), the discounted return
   * of the whole episode, at every step), 'rewardToGo' (Σ_{t'≥t} γ^{t'−t} r_{t'}),
   * 'rewardToGoBaseline' (reward-to-go − V(s_t)) or 'gae' (GAE(γ, λ)). Default 'gae' (Spinning Up).
   */
  advantageEstimator: AdvantageEstimator;
  /**
   * Normalize Ψ over the whole rollout to mean 0 and standard deviation 1 before the policy step.
   * Default true (Spinning Up's `VPGBuffer.get` always does; set false for textbook REINFORCE,
   * since the mean subtraction acts as a constant baseline).
   */
  normalizeAdvantage: boolean;
  /** Generalized State-Dependent Exploration for Box action spaces (as PPO; Raffin et al. 2021). Default false. */
  useSde: boolean;
  /** With gSDE, a new noise matrix every this many steps (≤ 0: once per rollout). Default −1 (SB3). */
  sdeSampleFreq: number;
  /**
   * Network shape and initialization. Default Spinning Up's `MLPActorCritic`: separate policy and
   * value MLPs with hidden sizes [64, 64] and tanh, PyTorch's default `nn.Linear` initialization
   * (`orthoInit: false`) and, for Gaussian policies, initial log-std −0.5.
   */
  policyKwargs: PolicyKwargs;
}

/** Spinning Up's `vpg` defaults (see {@link VpgHyperparameters} for the source of each). */
export const VPG_DEFAULTS: VpgHyperparameters = {
  learningRate: 3e-4,
  vfLearningRate: 1e-3,
  nSteps: 4000,
  batchSize: 4000,
  trainVIters: 80,
  gamma: 0.99,
  gaeLambda: 0.97,
  advantageEstimator: 'gae',
  normalizeAdvantage: true,
  useSde: false,
  sdeSampleFreq: -1,
  policyKwargs: { netArch: [64, 64], activationFn: 'tanh', orthoInit: false, logStdInit: -0.5 },
};

/**
 * Merges user hyperparameters over {@link VPG_DEFAULTS} and validates every one of them before
 * anything is allocated: `batchSize` defaults to nSteps × numEnvs when not given; then the shared
 * on-policy checks (`checkOnPolicyHyperparameters`: learningRate, nSteps, batchSize ≤ nSteps ×
 * numEnvs, gamma, gaeLambda, normalizeAdvantage, useSde, sdeSampleFreq, policyKwargs), then
 * `vfLearningRate` (a schedule > 0), `trainVIters` (positive integer) and `advantageEstimator`.
 * @param numEnvs the number of envs (bounds batchSize and the rollout size).
 * @throws RangeError/TypeError naming the first invalid hyperparameter with its expected range and value.
 */
export function resolveVpgHyperparameters(
  user: Partial<VpgHyperparameters>,
  numEnvs: number,
): VpgHyperparameters {
  const h = mergeHyperparameters(VPG_DEFAULTS, user);
  if (user.batchSize === undefined) h.batchSize = h.nSteps * numEnvs;
  checkOnPolicyHyperparameters(h, numEnvs);
  needSchedule('vfLearningRate', h.vfLearningRate, { min: 0, minOpen: true });
  needPosInt('trainVIters', h.trainVIters);
  need(
    (ADVANTAGE_ESTIMATORS as readonly unknown[]).includes(h.advantageEstimator),
    'advantageEstimator',
    ADVANTAGE_ESTIMATORS.map((e) => `'${e}'`).join(' | '),
    h.advantageEstimator,
  );
  return h;
}

/** JSON form of the hyperparameters (schedules as numbers or "lin_x"). */
export function serializeVpgHyperparameters(h: VpgHyperparameters): Record<string, unknown> {
  return {
    ...h,
    learningRate: describeSchedule(h.learningRate),
    vfLearningRate: describeSchedule(h.vfLearningRate),
  };
}

/** Inverse of {@link serializeVpgHyperparameters}. */
export function deserializeVpgHyperparameters(json: Record<string, unknown>): Partial<VpgHyperparameters> {
  const h = { ...json } as Record<string, unknown>;
  for (const k of ['learningRate', 'vfLearningRate']) {
    if (h[k] !== null && h[k] !== undefined) h[k] = parseSchedule(h[k] as number | string);
  }
  return h as Partial<VpgHyperparameters>;
}
