import {
  checkOnPolicyHyperparameters,
  mergeHyperparameters,
  need,
  needNumber,
  needPosInt,
  needSchedule,
} from '../common/hyperparameters.js';
import { describeSchedule, parseSchedule, type Schedule } from '../common/schedules.js';
import type { PolicyKwargs } from '../policies/actor-critic.js';

/** PPO hyperparameters, named as Stable-Baselines3's `PPO` in camelCase. */
export interface PpoHyperparameters {
  /** Adam step size, constant or a schedule of the remaining progress. Default 3e-4. */
  learningRate: Schedule;
  /** Steps per env per rollout (T). Default 2048. */
  nSteps: number;
  /** Minibatch size. Default 64. */
  batchSize: number;
  /** Passes over each rollout. Default 10. */
  nEpochs: number;
  /** Discount γ. Default 0.99. */
  gamma: number;
  /** GAE λ. Default 0.95. */
  gaeLambda: number;
  /** Clip range ε of the ratio, constant or a schedule. Default 0.2. */
  clipRange: Schedule;
  /** Clip range of the value-function update (null: no value clipping). Default null. */
  clipRangeVf: Schedule | null;
  /** Normalize advantages per minibatch. Default true. */
  normalizeAdvantage: boolean;
  /** Entropy bonus coefficient. Default 0. */
  entCoef: number;
  /** Value loss coefficient. Default 0.5. */
  vfCoef: number;
  /** Global gradient-norm clip. Default 0.5. */
  maxGradNorm: number;
  /** Stop the epochs of an update early when approx KL > 1.5 × targetKl (null: never). Default null. */
  targetKl: number | null;
  /** Dual-clip constant c > 1 for negative advantages (Ye et al. 2020; null: off). Default null. */
  dualClip: number | null;
  /**
   * Policy objective: 'clip' (PPO-clip, eq. 7 of the PPO paper) or 'kl-penalty' (eq. 8: the
   * unclipped surrogate minus β·KL, with β adapted after each update as in the paper: halved when
   * KL < klTarget / 1.5, doubled when KL > 1.5 · klTarget). Default 'clip'.
   */
  objective: 'clip' | 'kl-penalty';
  /** Initial β of the 'kl-penalty' objective. Default 1. */
  klCoef: number;
  /** d_targ of the 'kl-penalty' objective's β adaptation. Default 0.01. */
  klTarget: number;
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

/** SB3's defaults. */
export const PPO_DEFAULTS: PpoHyperparameters = {
  learningRate: 3e-4,
  nSteps: 2048,
  batchSize: 64,
  nEpochs: 10,
  gamma: 0.99,
  gaeLambda: 0.95,
  clipRange: 0.2,
  clipRangeVf: null,
  normalizeAdvantage: true,
  entCoef: 0,
  vfCoef: 0.5,
  maxGradNorm: 0.5,
  targetKl: null,
  dualClip: null,
  objective: 'clip',
  klCoef: 1,
  klTarget: 0.01,
  useSde: false,
  sdeSampleFreq: -1,
  policyKwargs: { netArch: [64, 64], activationFn: 'tanh' },
};

/**
 * Merges user hyperparameters over {@link PPO_DEFAULTS} and validates every one of them before
 * anything is allocated: the shared on-policy checks (`checkOnPolicyHyperparameters`), then
 * `nEpochs` (positive integer), `clipRange` (a schedule > 0), `clipRangeVf` (null or a schedule
 * > 0), `entCoef` (finite), `vfCoef` (finite ≥ 0), `maxGradNorm` (> 0; Infinity: no clipping),
 * `targetKl` (null or finite > 0), `dualClip` (null or finite > 1), `objective`, `klCoef`
 * (finite ≥ 0) and `klTarget` (finite > 0).
 * @param numEnvs the number of envs (bounds batchSize and the rollout size).
 * @throws RangeError/TypeError naming the first invalid hyperparameter with its expected range and value.
 */
export function resolvePpoHyperparameters(
  user: Partial<PpoHyperparameters>,
  numEnvs: number,
): PpoHyperparameters {
  const h = mergeHyperparameters(PPO_DEFAULTS, user);
  checkOnPolicyHyperparameters(h, numEnvs);
  needPosInt('nEpochs', h.nEpochs);
  needSchedule('clipRange', h.clipRange, { min: 0, minOpen: true });
  if (h.clipRangeVf !== null) needSchedule('clipRangeVf', h.clipRangeVf, { min: 0, minOpen: true });
  needNumber('entCoef', h.entCoef);
  needNumber('vfCoef', h.vfCoef, { min: 0 });
  need(
    typeof h.maxGradNorm === 'number' && h.maxGradNorm > 0,
    'maxGradNorm',
    '> 0 (Infinity: no clipping)',
    h.maxGradNorm,
  );
  if (h.targetKl !== null) needNumber('targetKl', h.targetKl, { min: 0, minOpen: true });
  if (h.dualClip !== null) needNumber('dualClip', h.dualClip, { min: 1, minOpen: true });
  need(
    h.objective === 'clip' || h.objective === 'kl-penalty',
    'objective',
    "'clip' or 'kl-penalty'",
    h.objective,
  );
  needNumber('klCoef', h.klCoef, { min: 0 });
  needNumber('klTarget', h.klTarget, { min: 0, minOpen: true });
  return h;
}

/** JSON form of the hyperparameters (schedules as numbers or "lin_x"). */
export function serializePpoHyperparameters(h: PpoHyperparameters): Record<string, unknown> {
  return {
    ...h,
    learningRate: describeSchedule(h.learningRate),
    clipRange: describeSchedule(h.clipRange),
    clipRangeVf: h.clipRangeVf === null ? null : describeSchedule(h.clipRangeVf),
  };
}

/** Inverse of {@link serializePpoHyperparameters}. */
export function deserializePpoHyperparameters(json: Record<string, unknown>): Partial<PpoHyperparameters> {
  const h = { ...json } as Record<string, unknown>;
  for (const k of ['learningRate', 'clipRange', 'clipRangeVf']) {
    if (h[k] !== null && h[k] !== undefined) h[k] = parseSchedule(h[k] as number | string);
  }
  return h as Partial<PpoHyperparameters>;
}
