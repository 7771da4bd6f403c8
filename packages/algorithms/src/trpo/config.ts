import {
  checkOnPolicyHyperparameters,
  mergeHyperparameters,
  needNumber,
  needPosInt,
} from '../common/hyperparameters.js';
import { describeSchedule, parseSchedule, type Schedule } from '../common/schedules.js';
import type { PolicyKwargs } from '../policies/actor-critic.js';

/** TRPO hyperparameters, named as sb3-contrib's `TRPO` in camelCase. */
export interface TrpoHyperparameters {
  /** Adam step size of the critic (the policy moves by the natural-gradient step). Default 1e-3. */
  learningRate: Schedule;
  /** Steps per env per rollout. Default 2048. */
  nSteps: number;
  /** Minibatch size of the critic updates. Default 128. */
  batchSize: number;
  gamma: number;
  gaeLambda: number;
  /** Conjugate-gradient iterations for the search direction. Default 15. */
  cgMaxSteps: number;
  /** Damping λ of the Fisher matrix (F + λI). Default 0.1. */
  cgDamping: number;
  /** Step shrink factor of the backtracking line search. Default 0.8. */
  lineSearchShrinkingFactor: number;
  /** Line-search tries before the update is abandoned. Default 10. */
  lineSearchMaxIter: number;
  /** Critic epochs per rollout. Default 10. */
  nCriticUpdates: number;
  /** Normalize advantages over the rollout. Default true. */
  normalizeAdvantage: boolean;
  /** δ: the trust region, max mean KL(π_old ‖ π_new). Default 0.01. */
  targetKl: number;
  /** Use every k-th sample for the Fisher-vector products (1: all). Default 1. */
  subSamplingFactor: number;
  /**
   * Generalized State-Dependent Exploration (Raffin et al. 2021; Box action spaces only): the noise
   * is a linear function of the actor's last hidden layer, held fixed for `sdeSampleFreq` steps, so
   * exploration is smooth in time. Default false.
   */
  useSde: boolean;
  /** With gSDE, a new noise matrix every this many steps (≤ 0: once per rollout). Default −1. */
  sdeSampleFreq: number;
  /** Network shape. Default { netArch: [64, 64], activationFn: 'tanh' }. */
  policyKwargs: PolicyKwargs;
}

/** sb3-contrib's defaults. */
export const TRPO_DEFAULTS: TrpoHyperparameters = {
  learningRate: 1e-3,
  nSteps: 2048,
  batchSize: 128,
  gamma: 0.99,
  gaeLambda: 0.95,
  cgMaxSteps: 15,
  cgDamping: 0.1,
  lineSearchShrinkingFactor: 0.8,
  lineSearchMaxIter: 10,
  nCriticUpdates: 10,
  normalizeAdvantage: true,
  targetKl: 0.01,
  subSamplingFactor: 1,
  useSde: false,
  sdeSampleFreq: -1,
  policyKwargs: { netArch: [64, 64], activationFn: 'tanh' },
};

/**
 * Merges user hyperparameters over {@link TRPO_DEFAULTS} and validates every one of them before
 * anything is allocated: the shared on-policy checks (`checkOnPolicyHyperparameters`, which include
 * `learningRate` as a schedule > 0 as for PPO), then `cgMaxSteps`, `lineSearchMaxIter`,
 * `nCriticUpdates`, `subSamplingFactor` (positive integers), `cgDamping` (finite ≥ 0),
 * `lineSearchShrinkingFactor` (in (0, 1)) and `targetKl` (finite > 0).
 * @param numEnvs the number of envs (bounds batchSize and the rollout size).
 * @throws RangeError/TypeError naming the first invalid hyperparameter with its expected range and value.
 */
export function resolveTrpoHyperparameters(
  user: Partial<TrpoHyperparameters>,
  numEnvs: number,
): TrpoHyperparameters {
  const h = mergeHyperparameters(TRPO_DEFAULTS, user);
  checkOnPolicyHyperparameters(h, numEnvs);
  for (const k of ['cgMaxSteps', 'lineSearchMaxIter', 'nCriticUpdates', 'subSamplingFactor'] as const) {
    needPosInt(k, h[k]);
  }
  needNumber('cgDamping', h.cgDamping, { min: 0 });
  needNumber('lineSearchShrinkingFactor', h.lineSearchShrinkingFactor, {
    min: 0,
    max: 1,
    minOpen: true,
    maxOpen: true,
  });
  needNumber('targetKl', h.targetKl, { min: 0, minOpen: true });
  return h;
}

/** JSON form (schedules as numbers or "lin_x"). */
export function serializeTrpoHyperparameters(h: TrpoHyperparameters): Record<string, unknown> {
  return { ...h, learningRate: describeSchedule(h.learningRate) };
}

/** Inverse of {@link serializeTrpoHyperparameters}. */
export function deserializeTrpoHyperparameters(json: Record<string, unknown>): Partial<TrpoHyperparameters> {
  const h = { ...json } as Record<string, unknown>;
  if (h.learningRate !== undefined) h.learningRate = parseSchedule(h.learningRate as number | string);
  return h as Partial<TrpoHyperparameters>;
}
