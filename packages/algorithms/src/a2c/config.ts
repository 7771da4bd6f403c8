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

/** A2C hyperparameters, named as Stable-Baselines3's `A2C` in camelCase. */
export interface A2cHyperparameters {
  /** Step size of the optimizer (RMSprop or Adam), constant or a schedule of the remaining progress. Default 7e-4. */
  learningRate: Schedule;
  /** Steps per env per rollout (T); one gradient step per rollout on all T × numEnvs transitions. Default 5. */
  nSteps: number;
  /** Discount γ. Default 0.99. */
  gamma: number;
  /** GAE λ (1: the n-step returns of Mnih et al. 2016). Default 1. */
  gaeLambda: number;
  /** Entropy bonus coefficient. Default 0. */
  entCoef: number;
  /** Value loss coefficient. Default 0.5. */
  vfCoef: number;
  /** Global gradient-norm clip. Default 0.5. */
  maxGradNorm: number;
  /** ε of RMSprop (SB3's `rms_prop_eps`; PyTorch's default is 1e-8). Default 1e-5. */
  rmsPropEps: number;
  /**
   * RMSprop (α = 0.99, ε = rmsPropEps, as SB3) instead of Adam (ε = 1e-5, SB3's Adam default for
   * its policies). Default true.
   */
  useRmsProp: boolean;
  /** Normalize the advantages over the rollout. Default false. */
  normalizeAdvantage: boolean;
  /**
   * Generalized State-Dependent Exploration (Raffin et al. 2021; Box action spaces only): the noise
   * is a linear function of the actor's last hidden layer, held fixed for `sdeSampleFreq` steps.
   * Default false.
   */
  useSde: boolean;
  /** With gSDE, a new noise matrix every this many steps (≤ 0: once per rollout). Default −1. */
  sdeSampleFreq: number;
  /** Network shape. Default { netArch: [64, 64], activationFn: 'tanh' }. */
  policyKwargs: PolicyKwargs;
}

/**
 * A2C's hyperparameter schema (`stable_baselines3.A2C.__init__` defaults): validation, defaults,
 * saved configs and CLI flags come from it.
 */
export const A2C_SCHEMA: HyperparameterSchema = [
  onPolicySpecs.learningRate(7e-4, 'optimizer step size (RMSprop, or Adam with useRmsProp false)'),
  onPolicySpecs.nSteps(5, 'steps per env per rollout; one gradient step per rollout'),
  onPolicySpecs.gamma(0.99),
  onPolicySpecs.gaeLambda(1, 'GAE λ (1: the n-step returns of Mnih et al. 2016)'),
  onPolicySpecs.entCoef(0),
  onPolicySpecs.vfCoef(0.5),
  onPolicySpecs.maxGradNorm(0.5),
  {
    key: 'rmsPropEps',
    kind: 'number',
    range: { min: 0, minOpen: true },
    default: 1e-5,
    help: "ε of RMSprop (SB3's rms_prop_eps)",
  },
  {
    key: 'useRmsProp',
    kind: 'boolean',
    default: true,
    help: 'RMSprop (α = 0.99) instead of Adam (ε = 1e-5)',
  },
  onPolicySpecs.normalizeAdvantage(false, 'normalize the advantages over the rollout'),
  onPolicySpecs.useSde(false),
  onPolicySpecs.sdeSampleFreq(-1),
  onPolicySpecs.policyKwargs({ netArch: [64, 64], activationFn: 'tanh' }),
];

/** SB3's defaults (from {@link A2C_SCHEMA}). */
export const A2C_DEFAULTS: A2cHyperparameters = defaultsOf<A2cHyperparameters>(A2C_SCHEMA);

/** RMSprop's smoothing constant α in SB3's A2C (`optimizer_kwargs = dict(alpha=0.99, ...)`). */
export const A2C_RMSPROP_ALPHA = 0.99;

/**
 * Merges user hyperparameters over {@link A2C_DEFAULTS} and validates every one of them against
 * {@link A2C_SCHEMA} before anything is allocated: the on-policy entries (learningRate, nSteps,
 * gamma, gaeLambda, normalizeAdvantage, useSde, sdeSampleFreq, policyKwargs), `entCoef` (finite),
 * `vfCoef` (finite ≥ 0), `maxGradNorm` (> 0; Infinity: no clipping), `rmsPropEps` (finite > 0)
 * and `useRmsProp` (boolean).
 * @param numEnvs the number of envs (bounds the rollout size).
 * @throws RangeError/TypeError naming the first invalid hyperparameter with its expected range and value.
 */
export function resolveA2cHyperparameters(
  user: Partial<A2cHyperparameters>,
  numEnvs: number,
): A2cHyperparameters {
  return resolveHyperparameters<A2cHyperparameters>(A2C_SCHEMA, user, { numEnvs });
}

/** JSON form of the hyperparameters (schedules as numbers or "lin_x"). */
export function serializeA2cHyperparameters(h: A2cHyperparameters): Record<string, unknown> {
  return serializeHyperparameters(A2C_SCHEMA, h);
}

/** Inverse of {@link serializeA2cHyperparameters}. */
export function deserializeA2cHyperparameters(json: Record<string, unknown>): Partial<A2cHyperparameters> {
  return deserializeHyperparameters(A2C_SCHEMA, json) as Partial<A2cHyperparameters>;
}
