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

/**
 * PPO's hyperparameter schema (SB3's `PPO.__init__` defaults): validation, defaults, saved configs
 * and CLI flags come from it.
 */
export const PPO_SCHEMA: HyperparameterSchema = [
  onPolicySpecs.learningRate(3e-4),
  onPolicySpecs.nSteps(2048),
  onPolicySpecs.batchSize(64),
  { key: 'nEpochs', kind: 'integer', range: { min: 1 }, default: 10, help: 'passes over each rollout' },
  onPolicySpecs.gamma(0.99),
  onPolicySpecs.gaeLambda(0.95),
  {
    key: 'clipRange',
    kind: 'number',
    schedule: true,
    range: { min: 0, minOpen: true },
    default: 0.2,
    help: 'clip range ε of the probability ratio; a number or a schedule',
  },
  {
    key: 'clipRangeVf',
    kind: 'number',
    schedule: true,
    nullable: true,
    range: { min: 0, minOpen: true },
    default: null,
    help: 'clip range of the value update (null: no value clipping)',
  },
  onPolicySpecs.normalizeAdvantage(true, 'normalize the advantages per minibatch'),
  onPolicySpecs.entCoef(0),
  onPolicySpecs.vfCoef(0.5),
  onPolicySpecs.maxGradNorm(0.5),
  {
    key: 'targetKl',
    kind: 'number',
    nullable: true,
    range: { min: 0, minOpen: true },
    default: null,
    help: 'stop the epochs of an update when approx KL > 1.5 × targetKl (null: never)',
  },
  {
    key: 'dualClip',
    kind: 'number',
    nullable: true,
    range: { min: 1, minOpen: true },
    default: null,
    help: 'dual-clip constant c > 1 for negative advantages (null: off)',
  },
  {
    key: 'objective',
    kind: 'choice',
    choices: ['clip', 'kl-penalty'],
    default: 'clip',
    help: 'policy objective: clipped surrogate or adaptive KL penalty',
  },
  {
    key: 'klCoef',
    kind: 'number',
    range: { min: 0 },
    default: 1,
    help: "initial β of the 'kl-penalty' objective",
  },
  {
    key: 'klTarget',
    kind: 'number',
    range: { min: 0, minOpen: true },
    default: 0.01,
    help: "KL target d_targ of the 'kl-penalty' β adaptation",
  },
  onPolicySpecs.useSde(false),
  onPolicySpecs.sdeSampleFreq(-1),
  onPolicySpecs.policyKwargs({ netArch: [64, 64], activationFn: 'tanh' }),
];

/** SB3's defaults (from {@link PPO_SCHEMA}). */
export const PPO_DEFAULTS: PpoHyperparameters = defaultsOf<PpoHyperparameters>(PPO_SCHEMA);

/**
 * Merges user hyperparameters over {@link PPO_DEFAULTS} and validates every one of them against
 * {@link PPO_SCHEMA} before anything is allocated: `learningRate` and `clipRange` (schedules > 0),
 * `nSteps`, `batchSize` (≤ nSteps × numEnvs) and `nEpochs` (positive integers), `gamma` and
 * `gaeLambda` (in [0, 1]), `clipRangeVf` (null or a schedule > 0), `entCoef` (finite), `vfCoef`
 * (finite ≥ 0), `maxGradNorm` (> 0; Infinity: no clipping), `targetKl` (null or finite > 0),
 * `dualClip` (null or finite > 1), `objective`, `klCoef` (finite ≥ 0), `klTarget` (finite > 0),
 * `useSde`, `sdeSampleFreq` and `policyKwargs`.
 * @param numEnvs the number of envs (bounds batchSize and the rollout size).
 * @throws RangeError/TypeError naming the first invalid hyperparameter with its expected range and value.
 */
export function resolvePpoHyperparameters(
  user: Partial<PpoHyperparameters>,
  numEnvs: number,
): PpoHyperparameters {
  return resolveHyperparameters<PpoHyperparameters>(PPO_SCHEMA, user, { numEnvs });
}

/** JSON form of the hyperparameters (schedules as numbers or "lin_x"). */
export function serializePpoHyperparameters(h: PpoHyperparameters): Record<string, unknown> {
  return serializeHyperparameters(PPO_SCHEMA, h);
}

/** Inverse of {@link serializePpoHyperparameters}. */
export function deserializePpoHyperparameters(json: Record<string, unknown>): Partial<PpoHyperparameters> {
  return deserializeHyperparameters(PPO_SCHEMA, json) as Partial<PpoHyperparameters>;
}
