import {
  checkOffPolicyHyperparameters,
  mergeHyperparameters,
  need,
  needBoolean,
  needNumber,
  type OffPolicyHyperparameters,
} from '../common/hyperparameters.js';
import { describeSchedule, parseSchedule } from '../common/schedules.js';

/** DQN hyperparameters, named as Stable-Baselines3's `DQN` in camelCase. */
export interface DqnHyperparameters extends OffPolicyHyperparameters {
  /** Adam step size, constant or a schedule of the remaining progress. Default 1e-4. */
  learningRate: OffPolicyHyperparameters['learningRate'];
  /** Replay buffer size in transitions (all envs together). Default 1_000_000. */
  bufferSize: number;
  /** Steps of uniformly random actions and no training at the start. Default 100. */
  learningStarts: number;
  /** Transitions per gradient step. Default 32. */
  batchSize: number;
  /** Polyak coefficient of the target update (1: hard copy). Default 1. */
  tau: number;
  /** Discount γ. Default 0.99. */
  gamma: number;
  /** Vector-env steps between training phases. Default 4. */
  trainFreq: number;
  /** Gradient steps per training phase (−1: as many as transitions collected). Default 1. */
  gradientSteps: number;
  /**
   * Store each observation once in the replay buffer, the next observation being read from the
   * next row (SB3's `optimize_memory_usage`; here exact with truncation too, the final
   * observations of ended episodes kept aside). Default false.
   */
  optimizeMemoryUsage: boolean;
  /**
   * Env steps (all envs together) between target-network updates; counted in vector-env steps as
   * `max(⌊targetUpdateInterval / numEnvs⌋, 1)` (SB3). Default 10_000.
   */
  targetUpdateInterval: number;
  /** Fraction of `totalTimesteps` over which ε falls linearly from initial to final. Default 0.1. */
  explorationFraction: number;
  /** ε at the start. Default 1. */
  explorationInitialEps: number;
  /** ε after the decay. Default 0.05. */
  explorationFinalEps: number;
  /** Global gradient-norm clip. Default 10. */
  maxGradNorm: number;
  /**
   * Double DQN (van Hasselt, Guez & Silver 2016): the online network picks the next action, the
   * target network evaluates it. Default false (SB3's DQN has no Double DQN).
   */
  doubleQ: boolean;
  /** Q-network: hidden layer widths and activation. Default { netArch: [64, 64], activationFn: 'relu' }. */
  policyKwargs: OffPolicyHyperparameters['policyKwargs'];
}

/** SB3's defaults (`stable_baselines3.DQN.__init__`; `DQNPolicy`'s net_arch [64, 64] with ReLU), and `doubleQ: false`. */
export const DQN_DEFAULTS: DqnHyperparameters = {
  learningRate: 1e-4,
  bufferSize: 1_000_000,
  learningStarts: 100,
  batchSize: 32,
  tau: 1,
  gamma: 0.99,
  trainFreq: 4,
  gradientSteps: 1,
  optimizeMemoryUsage: false,
  targetUpdateInterval: 10_000,
  explorationFraction: 0.1,
  explorationInitialEps: 1,
  explorationFinalEps: 0.05,
  maxGradNorm: 10,
  doubleQ: false,
  policyKwargs: { netArch: [64, 64], activationFn: 'relu' },
};

/**
 * ε of the Adam optimizer in DQN: PyTorch's default 1e-8 (SB3's DQNPolicy passes no
 * `optimizer_kwargs`; the 1e-5 of SB3's actor-critic policies does not apply).
 */
export const DQN_ADAM_EPSILON = 1e-8;

/**
 * Merges user hyperparameters over {@link DQN_DEFAULTS} and validates every one of them before
 * anything is allocated: the shared off-policy checks (`checkOffPolicyHyperparameters`:
 * learningRate, bufferSize, learningStarts, batchSize, tau, gamma, trainFreq, gradientSteps,
 * optimizeMemoryUsage, policyKwargs), then `targetUpdateInterval` (positive integer), `explorationFraction`,
 * `explorationInitialEps` and `explorationFinalEps` (in [0, 1]), `maxGradNorm` (> 0; Infinity:
 * no clipping) and `doubleQ` (boolean).
 * @param numEnvs the number of envs (bounds the replay buffer's size).
 * @throws RangeError/TypeError naming the first invalid hyperparameter with its expected range and value.
 */
export function resolveDqnHyperparameters(
  user: Partial<DqnHyperparameters>,
  numEnvs: number,
): DqnHyperparameters {
  const h = mergeHyperparameters(DQN_DEFAULTS, user);
  checkOffPolicyHyperparameters(h, numEnvs);
  need(
    Number.isSafeInteger(h.targetUpdateInterval) && h.targetUpdateInterval > 0,
    'targetUpdateInterval',
    'a positive integer',
    h.targetUpdateInterval,
  );
  needNumber('explorationFraction', h.explorationFraction, { min: 0, max: 1 });
  needNumber('explorationInitialEps', h.explorationInitialEps, { min: 0, max: 1 });
  needNumber('explorationFinalEps', h.explorationFinalEps, { min: 0, max: 1 });
  need(
    typeof h.maxGradNorm === 'number' && h.maxGradNorm > 0,
    'maxGradNorm',
    '> 0 (Infinity: no clipping)',
    h.maxGradNorm,
  );
  needBoolean('doubleQ', h.doubleQ);
  return h;
}

/** JSON form of the hyperparameters (the learning rate as a number or "lin_x"). */
export function serializeDqnHyperparameters(h: DqnHyperparameters): Record<string, unknown> {
  return { ...h, learningRate: describeSchedule(h.learningRate) };
}

/** Inverse of {@link serializeDqnHyperparameters}. */
export function deserializeDqnHyperparameters(json: Record<string, unknown>): Partial<DqnHyperparameters> {
  const h = { ...json } as Record<string, unknown>;
  if (h.learningRate !== undefined) h.learningRate = parseSchedule(h.learningRate as number | string);
  return h as Partial<DqnHyperparameters>;
}
