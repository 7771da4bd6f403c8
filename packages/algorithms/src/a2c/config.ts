import {
  checkOnPolicyHyperparameters,
  mergeHyperparameters,
  need,
  needBoolean,
  needNumber,
} from '../common/hyperparameters.js';
import { describeSchedule, parseSchedule, type Schedule } from '../common/schedules.js';
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

/** SB3's defaults (`stable_baselines3.A2C.__init__`). */
export const A2C_DEFAULTS: A2cHyperparameters = {
  learningRate: 7e-4,
  nSteps: 5,
  gamma: 0.99,
  gaeLambda: 1,
  entCoef: 0,
  vfCoef: 0.5,
  maxGradNorm: 0.5,
  rmsPropEps: 1e-5,
  useRmsProp: true,
  normalizeAdvantage: false,
  useSde: false,
  sdeSampleFreq: -1,
  policyKwargs: { netArch: [64, 64], activationFn: 'tanh' },
};

/** RMSprop's smoothing constant α in SB3's A2C (`optimizer_kwargs = dict(alpha=0.99, ...)`). */
export const A2C_RMSPROP_ALPHA = 0.99;

/**
 * Merges user hyperparameters over {@link A2C_DEFAULTS} and validates every one of them before
 * anything is allocated: the shared on-policy checks (`checkOnPolicyHyperparameters`: learningRate,
 * nSteps, gamma, gaeLambda, normalizeAdvantage, useSde, sdeSampleFreq, policyKwargs), then
 * `entCoef` (finite), `vfCoef` (finite ≥ 0), `maxGradNorm` (> 0; Infinity: no clipping),
 * `rmsPropEps` (finite > 0) and `useRmsProp` (boolean).
 * @param numEnvs the number of envs (bounds the rollout size).
 * @throws RangeError/TypeError naming the first invalid hyperparameter with its expected range and value.
 */
export function resolveA2cHyperparameters(
  user: Partial<A2cHyperparameters>,
  numEnvs: number,
): A2cHyperparameters {
  const h = mergeHyperparameters(A2C_DEFAULTS, user);
  checkOnPolicyHyperparameters(h, numEnvs);
  needNumber('entCoef', h.entCoef);
  needNumber('vfCoef', h.vfCoef, { min: 0 });
  need(
    typeof h.maxGradNorm === 'number' && h.maxGradNorm > 0,
    'maxGradNorm',
    '> 0 (Infinity: no clipping)',
    h.maxGradNorm,
  );
  needNumber('rmsPropEps', h.rmsPropEps, { min: 0, minOpen: true });
  needBoolean('useRmsProp', h.useRmsProp);
  return h;
}

/** JSON form of the hyperparameters (the learning rate as a number or "lin_x"). */
export function serializeA2cHyperparameters(h: A2cHyperparameters): Record<string, unknown> {
  return { ...h, learningRate: describeSchedule(h.learningRate) };
}

/** Inverse of {@link serializeA2cHyperparameters}. */
export function deserializeA2cHyperparameters(json: Record<string, unknown>): Partial<A2cHyperparameters> {
  const h = { ...json } as Record<string, unknown>;
  if (h.learningRate !== undefined) h.learningRate = parseSchedule(h.learningRate as number | string);
  return h as Partial<A2cHyperparameters>;
}
