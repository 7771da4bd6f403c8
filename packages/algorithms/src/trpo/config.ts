import { onPolicySpecs } from '../common/hyperparameters.js';
import type { Schedule } from '../common/schedules.js';
import {
  defaultsOf,
  deserializeHyperparameters,
  type HyperparameterSchema,
  resolveHyperparameters,
  serializeHyperparameters,
} from '../common/schema.js';
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

/**
 * TRPO's hyperparameter schema (sb3-contrib's `TRPO.__init__` defaults): validation, defaults,
 * saved configs and CLI flags come from it.
 */
export const TRPO_SCHEMA: HyperparameterSchema = [
  onPolicySpecs.learningRate(
    1e-3,
    'Adam step size of the critic (the policy moves by the natural-gradient step)',
  ),
  onPolicySpecs.nSteps(2048),
  onPolicySpecs.batchSize(128, 'minibatch size of the critic updates'),
  onPolicySpecs.gamma(0.99),
  onPolicySpecs.gaeLambda(0.95),
  {
    key: 'cgMaxSteps',
    kind: 'integer',
    range: { min: 1 },
    default: 15,
    help: 'conjugate-gradient iterations for the search direction',
  },
  {
    key: 'cgDamping',
    kind: 'number',
    range: { min: 0 },
    default: 0.1,
    help: 'damping λ of the Fisher matrix (F + λI)',
  },
  {
    key: 'lineSearchShrinkingFactor',
    kind: 'number',
    range: { min: 0, max: 1, minOpen: true, maxOpen: true },
    default: 0.8,
    help: 'step shrink factor of the backtracking line search',
  },
  {
    key: 'lineSearchMaxIter',
    kind: 'integer',
    range: { min: 1 },
    default: 10,
    help: 'line-search tries before the update is abandoned',
  },
  {
    key: 'nCriticUpdates',
    kind: 'integer',
    range: { min: 1 },
    default: 10,
    help: 'critic epochs per rollout',
  },
  onPolicySpecs.normalizeAdvantage(true, 'normalize the advantages over the rollout'),
  {
    key: 'targetKl',
    kind: 'number',
    range: { min: 0, minOpen: true },
    default: 0.01,
    help: 'δ, the trust region: max mean KL(π_old ‖ π_new)',
  },
  {
    key: 'subSamplingFactor',
    kind: 'integer',
    range: { min: 1 },
    default: 1,
    help: 'use every k-th sample for the Fisher-vector products (1: all)',
  },
  onPolicySpecs.useSde(false),
  onPolicySpecs.sdeSampleFreq(-1),
  onPolicySpecs.policyKwargs({ netArch: [64, 64], activationFn: 'tanh' }),
];

/** sb3-contrib's defaults (from {@link TRPO_SCHEMA}). */
export const TRPO_DEFAULTS: TrpoHyperparameters = defaultsOf<TrpoHyperparameters>(TRPO_SCHEMA);

/**
 * Merges user hyperparameters over {@link TRPO_DEFAULTS} and validates every one of them against
 * {@link TRPO_SCHEMA} before anything is allocated (the on-policy entries are PPO's, so
 * `learningRate` is a schedule > 0 for both): `cgMaxSteps`, `lineSearchMaxIter`,
 * `nCriticUpdates`, `subSamplingFactor` (positive integers), `cgDamping` (finite ≥ 0),
 * `lineSearchShrinkingFactor` (in (0, 1)) and `targetKl` (finite > 0).
 * @param numEnvs the number of envs (bounds batchSize and the rollout size).
 * @throws RangeError/TypeError naming the first invalid hyperparameter with its expected range and value.
 */
export function resolveTrpoHyperparameters(
  user: Partial<TrpoHyperparameters>,
  numEnvs: number,
): TrpoHyperparameters {
  return resolveHyperparameters<TrpoHyperparameters>(TRPO_SCHEMA, user, { numEnvs });
}

/** JSON form of the hyperparameters (schedules as numbers or "lin_x"). */
export function serializeTrpoHyperparameters(h: TrpoHyperparameters): Record<string, unknown> {
  return serializeHyperparameters(TRPO_SCHEMA, h);
}

/** Inverse of {@link serializeTrpoHyperparameters}. */
export function deserializeTrpoHyperparameters(json: Record<string, unknown>): Partial<TrpoHyperparameters> {
  return deserializeHyperparameters(TRPO_SCHEMA, json) as Partial<TrpoHyperparameters>;
}
