import {
  explorationSpecs,
  type OffPolicyHyperparameters,
  offPolicySpecs,
  onPolicySpecs,
} from '../common/hyperparameters.js';
import {
  defaultsOf,
  deserializeHyperparameters,
  type HyperparameterSchema,
  resolveHyperparameters,
  serializeHyperparameters,
} from '../common/schema.js';

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

/**
 * DQN's hyperparameter schema (`stable_baselines3.DQN.__init__` defaults; `DQNPolicy`'s net_arch
 * [64, 64] with ReLU; `doubleQ: false`): validation, defaults, saved configs and CLI flags come from it.
 */
export const DQN_SCHEMA: HyperparameterSchema = [
  offPolicySpecs.learningRate(1e-4),
  offPolicySpecs.bufferSize(1_000_000),
  offPolicySpecs.learningStarts(100),
  offPolicySpecs.batchSize(32),
  offPolicySpecs.tau(1),
  offPolicySpecs.gamma(0.99),
  offPolicySpecs.trainFreq(4),
  offPolicySpecs.gradientSteps(1),
  offPolicySpecs.optimizeMemoryUsage(false),
  {
    key: 'targetUpdateInterval',
    kind: 'integer',
    range: { min: 1 },
    default: 10_000,
    help: 'env steps (all envs together) between target-network updates',
  },
  explorationSpecs.fraction(),
  explorationSpecs.initialEps(),
  explorationSpecs.finalEps(),
  onPolicySpecs.maxGradNorm(10),
  {
    key: 'doubleQ',
    kind: 'boolean',
    default: false,
    help: 'Double DQN (van Hasselt et al. 2016): the online network picks the next action',
  },
  offPolicySpecs.policyKwargs({ netArch: [64, 64], activationFn: 'relu' }),
];

/** SB3's defaults (from {@link DQN_SCHEMA}). */
export const DQN_DEFAULTS: DqnHyperparameters = defaultsOf<DqnHyperparameters>(DQN_SCHEMA);

/**
 * ε of the Adam optimizer in DQN: PyTorch's default 1e-8 (SB3's DQNPolicy passes no
 * `optimizer_kwargs`; the 1e-5 of SB3's actor-critic policies does not apply).
 */
export const DQN_ADAM_EPSILON = 1e-8;

/**
 * Merges user hyperparameters over {@link DQN_DEFAULTS} and validates every one of them before
 * anything is allocated, against {@link DQN_SCHEMA}: the shared off-policy entries (`offPolicySpecs`:
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
  return resolveHyperparameters<DqnHyperparameters>(DQN_SCHEMA, user, { numEnvs });
}

/** JSON form of the hyperparameters (the learning rate as a number or "lin_x"). */
export function serializeDqnHyperparameters(h: DqnHyperparameters): Record<string, unknown> {
  return serializeHyperparameters(DQN_SCHEMA, h);
}

/** Inverse of {@link serializeDqnHyperparameters}. */
export function deserializeDqnHyperparameters(json: Record<string, unknown>): Partial<DqnHyperparameters> {
  return deserializeHyperparameters(DQN_SCHEMA, json) as Partial<DqnHyperparameters>;
}
