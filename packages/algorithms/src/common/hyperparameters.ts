/**
 * The hyperparameter schema entries shared by the on-policy algorithms (PPO, TRPO, A2C, VPG):
 * one declaration (kind, range, check, help) per hyperparameter, with each algorithm's default
 * passed in; and the size limits every algorithm checks before it allocates envs, buffers or networks.
 *
 * Source: Proximal. Names and defaults follow Stable-Baselines3 / sb3-contrib in camelCase.
 */
import { checkKnownKeys } from './options.js';
import type { Schedule } from './schedules.js';
import { checkHyperparameter, type HyperparameterSpec, isPosInt, need } from './schema.js';

export type { NumberRange } from './schema.js';
export {
  isPosInt,
  need,
  needBoolean,
  needNumber,
  needPosInt,
  needSchedule,
} from './schema.js';

/** Hyperparameters every on-policy algorithm has (SB3's names, camelCase). */
export interface OnPolicyHyperparameters {
  /** Optimizer step size (Adam; RMSprop for A2C; of the critic only for TRPO), constant or a schedule. */
  learningRate: Schedule;
  nSteps: number;
  /** Minibatch size (PPO; TRPO's critic). A2C has none: one gradient step on the whole rollout. */
  batchSize?: number;
  gamma: number;
  gaeLambda: number;
  /** Normalize advantages (per minibatch for PPO, per rollout for TRPO). */
  normalizeAdvantage: boolean;
  /** Generalized State-Dependent Exploration for Box action spaces (see ActorCriticPolicy). */
  useSde: boolean;
  /** With gSDE: draw a new noise matrix every this many steps; ≤ 0: only at the start of each rollout. */
  sdeSampleFreq: number;
  policyKwargs: import('../policies/actor-critic.js').PolicyKwargs;
}

/** Largest number of envs an algorithm creates or accepts (each env is a JS object; 1e7 exhausts the heap). */
export const MAX_NUM_ENVS = 65_536;
/** Largest rollout buffer, in bytes (observations, actions and seven float32 + two uint8 arrays per step): 2 GiB. */
export const MAX_ROLLOUT_BUFFER_BYTES = 2 ** 31;
/**
 * Largest replay buffer, in bytes (observations and next observations, actions, rewards and one
 * uint8 flag per transition): 4 GiB. SB3's default `bufferSize` of 1e6 with 4-value observations
 * needs 41 MB.
 */
export const MAX_REPLAY_BUFFER_BYTES = 2 ** 32;
/** Largest width of one hidden layer (`policyKwargs.netArch` entries). */
export const MAX_LAYER_WIDTH = 65_536;
/** Largest number of policy + value parameters (float32): 2^26 ≈ 67 M, 256 MiB per copy. */
export const MAX_POLICY_PARAMETERS = 2 ** 26;

/** Keys of `policyKwargs` (SB3's `policy_kwargs`, camelCase). */
export const POLICY_KWARGS_KEYS = [
  'netArch',
  'activationFn',
  'logStdInit',
  'orthoInit',
  'fullStd',
  'useExpln',
] as const;
/**
 * Checks the sizes that do not depend on the env's spaces before anything is allocated:
 * `nSteps × numEnvs` rollout rows must fit {@link MAX_ROLLOUT_BUFFER_BYTES} even with 1-value
 * observations and actions.
 * @throws RangeError naming nSteps and numEnvs, their values and the limit.
 */
export function checkRolloutSize(nSteps: number, numEnvs: number, obsDim = 1, actionSize = 1): void {
  const bytes = nSteps * numEnvs * (4 * (obsDim + actionSize + 7) + 2);
  if (bytes > MAX_ROLLOUT_BUFFER_BYTES) {
    throw new RangeError(
      `nSteps × numEnvs is too large: nSteps = ${nSteps} with numEnvs = ${numEnvs}, observation size ${obsDim} and action size ${actionSize} needs a ${(bytes / 2 ** 30).toFixed(1)} GiB rollout buffer; the limit is ${MAX_ROLLOUT_BUFFER_BYTES / 2 ** 30} GiB (MAX_ROLLOUT_BUFFER_BYTES): lower nSteps or numEnvs`,
    );
  }
}

/** The `policyKwargs` fields (SB3's `policy_kwargs`) with the policy's own defaults. */
export const POLICY_KWARGS_FIELDS: readonly HyperparameterSpec[] = [
  {
    key: 'netArch',
    kind: 'integerList',
    default: [64, 64],
    help: 'hidden layer sizes of the actor and the critic, e.g. 64,64 (in code also { shared?, pi, vf })',
    validate: checkNetArch,
  },
  {
    key: 'activationFn',
    kind: 'choice',
    choices: ['tanh', 'relu', 'linear'],
    default: 'tanh',
    help: 'hidden activation',
  },
  { key: 'logStdInit', kind: 'number', default: 0, help: 'initial log-std of Gaussian policies' },
  {
    key: 'orthoInit',
    kind: 'boolean',
    default: true,
    help: "orthogonal initialization (false: PyTorch's default nn.Linear initialization)",
  },
  {
    key: 'fullStd',
    kind: 'boolean',
    default: true,
    help: 'gSDE: one log-std per (latent feature, action) pair',
  },
  { key: 'useExpln', kind: 'boolean', default: false, help: 'gSDE: expln instead of exp for the std' },
];

/**
 * Validates `policyKwargs.netArch`: positive integers ≤ {@link MAX_LAYER_WIDTH}, or
 * `{ shared?, pi, vf }` of such arrays.
 * @throws RangeError naming the entry (`policyKwargs.netArch.pi`, …), the expected form and the value.
 */
function checkNetArch(arch: unknown, name: string): void {
  const expected = `an array of integers in [1, ${MAX_LAYER_WIDTH}] or { shared?: number[], pi: number[], vf: number[] }`;
  const archOk = (a: unknown) => Array.isArray(a) && a.every((x) => isPosInt(x) && x <= MAX_LAYER_WIDTH);
  if (Array.isArray(arch)) {
    need(archOk(arch), name, expected, arch);
    return;
  }
  need(arch !== null && typeof arch === 'object', name, expected, arch);
  checkKnownKeys(arch, ['shared', 'pi', 'vf'], name);
  const a = arch as Record<string, unknown>;
  for (const part of ['pi', 'vf', 'shared']) {
    if (part === 'shared' && a.shared === undefined) continue;
    need(archOk(a[part]), `${name}.${part}`, `an array of integers in [1, ${MAX_LAYER_WIDTH}]`, a[part]);
  }
}

/**
 * The schema entries of the on-policy hyperparameters. Each takes the algorithm's default (and,
 * where the meaning differs, its help line); the ranges and checks are the same for every
 * algorithm.
 */
export const onPolicySpecs = {
  /** Optimizer step size, a schedule > 0. */
  learningRate: (d: Schedule, help = 'optimizer step size (Adam)'): HyperparameterSpec => ({
    key: 'learningRate',
    kind: 'number',
    schedule: true,
    range: { min: 0, minOpen: true },
    default: d,
    help: `${help}; a number or a schedule lin_<x> / cos_<x>`,
  }),
  /** Steps per env per rollout; nSteps × numEnvs must fit {@link MAX_ROLLOUT_BUFFER_BYTES}. */
  nSteps: (d: number, help = 'steps per env per rollout'): HyperparameterSpec => ({
    key: 'nSteps',
    kind: 'integer',
    range: { min: 1 },
    default: d,
    help,
    check: (v, ctx) => checkRolloutSize(v as number, ctx.numEnvs),
  }),
  /** Minibatch size, ≤ nSteps × numEnvs. */
  batchSize: (
    d: number,
    help = 'minibatch size',
    extra: Partial<HyperparameterSpec> = {},
  ): HyperparameterSpec => ({
    key: 'batchSize',
    kind: 'integer',
    range: { min: 1 },
    default: d,
    help,
    check: (v, ctx) => {
      const rows = (ctx.hyperparameters.nSteps as number) * ctx.numEnvs;
      need((v as number) <= rows, 'batchSize', `≤ nSteps * numEnvs = ${rows}`, v);
    },
    ...extra,
  }),
  gamma: (d: number): HyperparameterSpec => ({
    key: 'gamma',
    kind: 'number',
    range: { min: 0, max: 1 },
    default: d,
    help: 'discount factor γ',
  }),
  gaeLambda: (d: number, help = 'GAE λ'): HyperparameterSpec => ({
    key: 'gaeLambda',
    kind: 'number',
    range: { min: 0, max: 1 },
    default: d,
    help,
  }),
  normalizeAdvantage: (d: boolean, help = 'normalize the advantages'): HyperparameterSpec => ({
    key: 'normalizeAdvantage',
    kind: 'boolean',
    default: d,
    help,
  }),
  entCoef: (d: number): HyperparameterSpec => ({
    key: 'entCoef',
    kind: 'number',
    default: d,
    help: 'entropy bonus coefficient',
  }),
  vfCoef: (d: number): HyperparameterSpec => ({
    key: 'vfCoef',
    kind: 'number',
    range: { min: 0 },
    default: d,
    help: 'value loss coefficient',
  }),
  maxGradNorm: (d: number): HyperparameterSpec => ({
    key: 'maxGradNorm',
    kind: 'number',
    range: { min: 0, minOpen: true },
    allowInfinity: true,
    default: d,
    help: 'global gradient-norm clip (Infinity: no clipping)',
  }),
  useSde: (d: boolean): HyperparameterSpec => ({
    key: 'useSde',
    kind: 'boolean',
    default: d,
    help: 'generalized State-Dependent Exploration for Box action spaces',
  }),
  sdeSampleFreq: (d: number): HyperparameterSpec => ({
    key: 'sdeSampleFreq',
    kind: 'integer',
    default: d,
    help: 'with gSDE, a new noise matrix every n steps (≤ 0: once per rollout)',
  }),
  /** Network shape; fields {@link POLICY_KWARGS_FIELDS}. */
  policyKwargs: (d: object): HyperparameterSpec => ({
    key: 'policyKwargs',
    kind: 'object',
    fields: POLICY_KWARGS_FIELDS,
    default: d,
    help: "network shape and initialization (SB3's policy_kwargs)",
  }),
};

/**
 * The checks of the on-policy hyperparameters every algorithm has, for code that builds a
 * hyperparameter object by hand: `learningRate` (a schedule > 0), `nSteps` (positive integer, with
 * `numEnvs` within {@link MAX_ROLLOUT_BUFFER_BYTES}), `batchSize` when present (≤ nSteps × numEnvs),
 * `gamma` and `gaeLambda` (in [0, 1]), `normalizeAdvantage` and `useSde` (booleans),
 * `sdeSampleFreq` (integer) and `policyKwargs`. Algorithms check theirs through their schema.
 * @throws RangeError/TypeError naming the first invalid one with its expected range and value.
 */
export function checkOnPolicyHyperparameters(h: OnPolicyHyperparameters, numEnvs: number): void {
  const specs = [
    onPolicySpecs.learningRate(0),
    onPolicySpecs.nSteps(1),
    ...(h.batchSize !== undefined ? [onPolicySpecs.batchSize(1)] : []),
    onPolicySpecs.gamma(0),
    onPolicySpecs.gaeLambda(0),
    onPolicySpecs.normalizeAdvantage(true),
    onPolicySpecs.useSde(false),
    onPolicySpecs.sdeSampleFreq(-1),
    onPolicySpecs.policyKwargs({}),
  ];
  const ctx = { hyperparameters: h as unknown as Record<string, unknown>, numEnvs };
  for (const s of specs) checkHyperparameter(s, (h as unknown as Record<string, unknown>)[s.key], ctx);
}

/** Validates `policyKwargs` (known keys; each field as {@link POLICY_KWARGS_FIELDS} declares). */
export function checkPolicyKwargs(kw: unknown): void {
  checkHyperparameter(onPolicySpecs.policyKwargs({}), kw);
}

/** Hyperparameters every off-policy algorithm has (SB3's `OffPolicyAlgorithm` names, camelCase). */
export interface OffPolicyHyperparameters {
  /** Adam step size, constant or a schedule of the remaining progress. */
  learningRate: Schedule;
  /** Replay buffer size in transitions (all envs together). */
  bufferSize: number;
  /** Steps (all envs together) of uniformly random actions and no training at the start. */
  learningStarts: number;
  /** Transitions per gradient step. */
  batchSize: number;
  /** Polyak coefficient of the target update θ' ← τ θ + (1 − τ) θ' (1: hard copy). */
  tau: number;
  gamma: number;
  /** Vector-env steps between two training phases (each step is numEnvs transitions). */
  trainFreq: number;
  /** Gradient steps per training phase; −1: as many as transitions collected in the phase. */
  gradientSteps: number;
  /** Store each observation once in the replay buffer (SB3's `optimize_memory_usage`; exact here). */
  optimizeMemoryUsage: boolean;
  policyKwargs: import('../policies/actor-critic.js').PolicyKwargs;
}

/**
 * ε-greedy exploration with Stable-Baselines3 DQN's linear decay (`get_linear_fn`): ε falls from
 * `explorationInitialEps` to `explorationFinalEps` over the first `explorationFraction` of the
 * training, then stays. Shared by DQN and the tabular agents (SB3's defaults 1, 0.05, 0.1).
 */
export const explorationSpecs = {
  fraction: (): HyperparameterSpec => ({
    key: 'explorationFraction',
    kind: 'number',
    range: { min: 0, max: 1 },
    default: 0.1,
    help: 'fraction of the training steps over which ε decays linearly',
  }),
  initialEps: (): HyperparameterSpec => ({
    key: 'explorationInitialEps',
    kind: 'number',
    range: { min: 0, max: 1 },
    default: 1,
    help: 'ε of ε-greedy exploration at the start of training',
  }),
  finalEps: (): HyperparameterSpec => ({
    key: 'explorationFinalEps',
    kind: 'number',
    range: { min: 0, max: 1 },
    default: 0.05,
    help: 'ε of ε-greedy exploration after the decay',
  }),
};

/**
 * Schema entries of the hyperparameters every off-policy algorithm has (SB3's `OffPolicyAlgorithm`
 * names), with the algorithm's default and help text: `learningRate` (a schedule > 0),
 * `bufferSize` (positive integer whose buffer fits {@link MAX_REPLAY_BUFFER_BYTES} with `numEnvs`
 * and 1-value observations), `learningStarts` (integer ≥ 0), `batchSize` (positive integer), `tau`
 * (in (0, 1]), `gamma` (in [0, 1]), `trainFreq` (positive integer), `gradientSteps` (positive
 * integer or −1), `optimizeMemoryUsage` (boolean) and `policyKwargs` (`netArch` a list of layer
 * widths and `activationFn` only: a Q-network has no separate heads).
 */
export const offPolicySpecs = {
  learningRate: (d: Schedule): HyperparameterSpec => onPolicySpecs.learningRate(d),
  bufferSize: (d: number): HyperparameterSpec => ({
    key: 'bufferSize',
    kind: 'integer',
    range: { min: 1 },
    default: d,
    help: 'replay buffer size in transitions (all envs together)',
    check: (v, ctx) => {
      const n = ctx.numEnvs;
      const bytes = Math.max(Math.floor((v as number) / n), 1) * n * (4 * 4 + 1);
      if (bytes > MAX_REPLAY_BUFFER_BYTES) {
        throw new RangeError(
          `bufferSize is too large: bufferSize = ${v} needs at least a ${(bytes / 2 ** 30).toFixed(1)} GiB replay buffer; the limit is ${MAX_REPLAY_BUFFER_BYTES / 2 ** 30} GiB (MAX_REPLAY_BUFFER_BYTES): lower bufferSize`,
        );
      }
    },
  }),
  learningStarts: (d: number): HyperparameterSpec => ({
    key: 'learningStarts',
    kind: 'integer',
    range: { min: 0 },
    default: d,
    help: 'steps (all envs together) of random actions and no training at the start',
  }),
  batchSize: (d: number): HyperparameterSpec => ({
    key: 'batchSize',
    kind: 'integer',
    range: { min: 1 },
    default: d,
    help: 'minibatch size (transitions per gradient step)',
  }),
  tau: (d: number): HyperparameterSpec => ({
    key: 'tau',
    kind: 'number',
    range: { min: 0, minOpen: true, max: 1 },
    default: d,
    help: 'Polyak coefficient of the target update (1: hard copy)',
  }),
  gamma: (d: number): HyperparameterSpec => onPolicySpecs.gamma(d),
  trainFreq: (d: number): HyperparameterSpec => ({
    key: 'trainFreq',
    kind: 'integer',
    range: { min: 1 },
    default: d,
    help: 'vector-env steps between two training phases',
  }),
  gradientSteps: (d: number): HyperparameterSpec => ({
    key: 'gradientSteps',
    kind: 'integer',
    default: d,
    help: 'gradient steps per training phase (-1: as many as transitions collected)',
    check: (v) =>
      need(
        v === -1 || isPosInt(v),
        'gradientSteps',
        'a positive integer or -1 (as many as transitions collected)',
        v,
      ),
  }),
  optimizeMemoryUsage: (d: boolean): HyperparameterSpec => ({
    key: 'optimizeMemoryUsage',
    kind: 'boolean',
    default: d,
    help: "store each observation once in the replay buffer (SB3's optimize_memory_usage)",
  }),
  /** A Q-network's shape: `netArch` (a list of widths) and `activationFn` only. */
  policyKwargs: (d: object): HyperparameterSpec => ({
    key: 'policyKwargs',
    kind: 'object',
    fields: POLICY_KWARGS_FIELDS.filter((f) => f.key === 'netArch' || f.key === 'activationFn'),
    default: d,
    help: "network shape (SB3's policy_kwargs: netArch, activationFn)",
    check: (v) => {
      const arch = (v as { netArch?: unknown }).netArch;
      need(
        Array.isArray(arch),
        'policyKwargs.netArch',
        `an array of integers in [1, ${MAX_LAYER_WIDTH}] (the Q-network's hidden layers)`,
        arch,
      );
    },
  }),
};
