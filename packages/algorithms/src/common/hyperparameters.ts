/**
 * Merging and validation shared by the on-policy algorithms' hyperparameters (PPO, TRPO, A2C), and the
 * size limits every algorithm checks before it allocates envs, buffers or networks.
 *
 * Source: Proximal. Names and defaults follow Stable-Baselines3 / sb3-contrib in camelCase.
 */
import { checkKnownKeys } from './options.js';
import type { Schedule } from './schedules.js';

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
const ACTIVATIONS = ['tanh', 'relu', 'linear'];

/** True for a finite integer > 0. */
export function isPosInt(x: unknown): boolean {
  return typeof x === 'number' && Number.isInteger(x) && x > 0;
}

/**
 * Throws unless `cond` holds.
 * @throws RangeError `"<name> must be <expected>, got <value as JSON>"`.
 */
export function need(cond: boolean, name: string, expected: string, value: unknown): void {
  if (!cond) {
    const shown =
      typeof value === 'function'
        ? 'a function'
        : typeof value === 'number' && !Number.isFinite(value)
          ? String(value)
          : JSON.stringify(value);
    throw new RangeError(`${name} must be ${expected}, got ${shown}`);
  }
}

/** Range of a real-valued hyperparameter: bounds inclusive unless `…Open`; always finite. */
export interface NumberRange {
  min?: number;
  max?: number;
  minOpen?: boolean;
  maxOpen?: boolean;
}

function inRange(x: unknown, r: NumberRange): x is number {
  if (typeof x !== 'number' || !Number.isFinite(x)) return false;
  if (r.min !== undefined && (r.minOpen ? x <= r.min : x < r.min)) return false;
  if (r.max !== undefined && (r.maxOpen ? x >= r.max : x > r.max)) return false;
  return true;
}

function describeRange(r: NumberRange): string {
  const lo = r.min === undefined ? null : `${r.minOpen ? '>' : '≥'} ${r.min}`;
  const hi = r.max === undefined ? null : `${r.maxOpen ? '<' : '≤'} ${r.max}`;
  return `a finite number${lo ? ` ${lo}` : ''}${lo && hi ? ' and' : ''}${hi ? ` ${hi}` : ''}`;
}

/**
 * Throws unless `value` is a finite number in `range`.
 * @throws RangeError naming `name`, the range and the value.
 */
export function needNumber(name: string, value: unknown, range: NumberRange = {}): void {
  need(inRange(value, range), name, describeRange(range), value);
}

/** Throws unless `value` is a positive integer (a RangeError naming `name` and the value). */
export function needPosInt(name: string, value: unknown): void {
  need(isPosInt(value), name, 'a positive integer', value);
}

/** Throws unless `value` is a boolean (a TypeError naming `name` and the value). */
export function needBoolean(name: string, value: unknown): void {
  if (typeof value !== 'boolean')
    throw new TypeError(`${name} must be a boolean, got ${JSON.stringify(value)}`);
}

/**
 * Throws unless `value` is a {@link Schedule} whose values lie in `range`: a number in it, or a
 * function returning one at the remaining progress 1, 0.5 and 0 (the start, middle and end of
 * training). For functions the lower bound is inclusive, so that a schedule may decay to it (SB3's
 * `linear_schedule` reaches 0 at the end).
 * @throws RangeError naming `name`, the range and the value (for a function, its bad value and where).
 */
export function needSchedule(name: string, value: unknown, range: NumberRange): void {
  const expected = `${describeRange(range)} or a schedule (progressRemaining) => number`;
  if (typeof value === 'function') {
    range = { ...range, minOpen: false };
    for (const p of [1, 0.5, 0]) {
      let v: unknown;
      try {
        v = (value as (p: number) => unknown)(p);
      } catch (err) {
        throw new RangeError(
          `${name}: the schedule threw at progressRemaining = ${p}: ${(err as Error).message}`,
        );
      }
      if (!inRange(v, range)) {
        throw new RangeError(
          `${name}: the schedule must return ${describeRange(range)}, got ${String(v)} at progressRemaining = ${p}`,
        );
      }
    }
    return;
  }
  need(inRange(value, range), name, expected, value);
}

/**
 * `defaults` with the user's defined values over them (`undefined` entries are ignored, so an unset
 * CLI flag keeps the default); `policyKwargs` is merged one level deeper. Only keys of `defaults`
 * are taken from `user` (options that are not hyperparameters, such as `env`, stay out).
 */
export function mergeHyperparameters<H extends object & { policyKwargs: object }>(
  defaults: H,
  user: Partial<H>,
): H {
  const clean = Object.fromEntries(
    Object.entries(user).filter(([k, v]) => v !== undefined && k in defaults),
  ) as Partial<H>;
  const h: H = { ...defaults, ...clean };
  h.policyKwargs = { ...defaults.policyKwargs, ...(user.policyKwargs ?? {}) };
  return h;
}

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

/**
 * Validates `policyKwargs`: known keys only, `netArch` (positive integers ≤ {@link MAX_LAYER_WIDTH},
 * or `{ shared?, pi, vf }`), `activationFn` ('tanh' | 'relu' | 'linear'), `logStdInit` (finite),
 * `orthoInit` / `fullStd` / `useExpln` (booleans).
 * @throws RangeError/TypeError naming the first invalid entry (as `policyKwargs.<key>`).
 */
export function checkPolicyKwargs(kw: unknown): void {
  if (kw === null || typeof kw !== 'object' || Array.isArray(kw)) {
    throw new TypeError(`policyKwargs must be an object, got ${JSON.stringify(kw)}`);
  }
  checkKnownKeys(kw, POLICY_KWARGS_KEYS, 'policyKwargs');
  const k = kw as Record<string, unknown>;
  const arch = k.netArch ?? [];
  const expected = `an array of integers in [1, ${MAX_LAYER_WIDTH}] or { shared?: number[], pi: number[], vf: number[] }`;
  const archOk = (a: unknown) => Array.isArray(a) && a.every((x) => isPosInt(x) && x <= MAX_LAYER_WIDTH);
  if (Array.isArray(arch)) need(archOk(arch), 'policyKwargs.netArch', expected, arch);
  else {
    need(arch !== null && typeof arch === 'object', 'policyKwargs.netArch', expected, arch);
    checkKnownKeys(arch, ['shared', 'pi', 'vf'], 'policyKwargs.netArch');
    const a = arch as Record<string, unknown>;
    for (const part of ['pi', 'vf', 'shared']) {
      if (part === 'shared' && a.shared === undefined) continue;
      need(
        archOk(a[part]),
        `policyKwargs.netArch.${part}`,
        `an array of integers in [1, ${MAX_LAYER_WIDTH}]`,
        a[part],
      );
    }
  }
  if (k.activationFn !== undefined) {
    need(
      ACTIVATIONS.includes(k.activationFn as string),
      'policyKwargs.activationFn',
      ACTIVATIONS.map((a) => `'${a}'`).join(' | '),
      k.activationFn,
    );
  }
  if (k.logStdInit !== undefined) needNumber('policyKwargs.logStdInit', k.logStdInit);
  for (const b of ['orthoInit', 'fullStd', 'useExpln']) {
    if (k[b] !== undefined) needBoolean(`policyKwargs.${b}`, k[b]);
  }
}

/**
 * Validates the hyperparameters every on-policy algorithm has, before anything is allocated:
 * `learningRate` (a schedule > 0), `nSteps` (positive integer, with `numEnvs` within
 * {@link MAX_ROLLOUT_BUFFER_BYTES}), `batchSize` when the algorithm has one (positive integer ≤
 * nSteps × numEnvs), `gamma`
 * and `gaeLambda` (in [0, 1]), `normalizeAdvantage` and `useSde` (booleans), `sdeSampleFreq`
 * (integer; ≤ 0 means once per rollout) and `policyKwargs` ({@link checkPolicyKwargs}).
 * @throws RangeError/TypeError naming the first invalid one with its expected range and value.
 */
export function checkOnPolicyHyperparameters(h: OnPolicyHyperparameters, numEnvs: number): void {
  needSchedule('learningRate', h.learningRate, { min: 0, minOpen: true });
  needPosInt('nSteps', h.nSteps);
  checkRolloutSize(h.nSteps, numEnvs);
  if (h.batchSize !== undefined) {
    needPosInt('batchSize', h.batchSize);
    need(
      h.batchSize <= h.nSteps * numEnvs,
      'batchSize',
      `≤ nSteps * numEnvs = ${h.nSteps * numEnvs}`,
      h.batchSize,
    );
  }
  needNumber('gamma', h.gamma, { min: 0, max: 1 });
  needNumber('gaeLambda', h.gaeLambda, { min: 0, max: 1 });
  needBoolean('normalizeAdvantage', h.normalizeAdvantage);
  needBoolean('useSde', h.useSde);
  need(
    Number.isInteger(h.sdeSampleFreq),
    'sdeSampleFreq',
    'an integer (≤ 0: once per rollout)',
    h.sdeSampleFreq,
  );
  checkPolicyKwargs(h.policyKwargs);
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
 * Validates the hyperparameters every off-policy algorithm has, before anything is allocated:
 * `learningRate` (a schedule > 0), `bufferSize` (positive integer whose buffer fits
 * {@link MAX_REPLAY_BUFFER_BYTES} with `numEnvs` and 1-value observations), `learningStarts`
 * (integer ≥ 0), `batchSize` (positive integer), `tau` (in (0, 1]), `gamma` (in [0, 1]),
 * `trainFreq` (positive integer), `gradientSteps` (positive integer or −1), `optimizeMemoryUsage`
 * (boolean) and `policyKwargs`
 * (`netArch` a list of layer widths and `activationFn` only: a Q-network has no separate heads).
 * @throws RangeError/TypeError naming the first invalid one with its expected range and value.
 */
export function checkOffPolicyHyperparameters(h: OffPolicyHyperparameters, numEnvs: number): void {
  needSchedule('learningRate', h.learningRate, { min: 0, minOpen: true });
  needPosInt('bufferSize', h.bufferSize);
  const bytes = Math.max(Math.floor(h.bufferSize / numEnvs), 1) * numEnvs * (4 * 4 + 1);
  if (bytes > MAX_REPLAY_BUFFER_BYTES) {
    throw new RangeError(
      `bufferSize is too large: bufferSize = ${h.bufferSize} needs at least a ${(bytes / 2 ** 30).toFixed(1)} GiB replay buffer; the limit is ${MAX_REPLAY_BUFFER_BYTES / 2 ** 30} GiB (MAX_REPLAY_BUFFER_BYTES): lower bufferSize`,
    );
  }
  need(
    Number.isSafeInteger(h.learningStarts) && h.learningStarts >= 0,
    'learningStarts',
    'an integer ≥ 0',
    h.learningStarts,
  );
  needPosInt('batchSize', h.batchSize);
  needNumber('tau', h.tau, { min: 0, minOpen: true, max: 1 });
  needNumber('gamma', h.gamma, { min: 0, max: 1 });
  needPosInt('trainFreq', h.trainFreq);
  need(
    h.gradientSteps === -1 || isPosInt(h.gradientSteps),
    'gradientSteps',
    'a positive integer or -1 (as many as transitions collected)',
    h.gradientSteps,
  );
  needBoolean('optimizeMemoryUsage', h.optimizeMemoryUsage);
  const kw = h.policyKwargs as unknown;
  if (kw === null || typeof kw !== 'object' || Array.isArray(kw)) {
    throw new TypeError(`policyKwargs must be an object, got ${JSON.stringify(kw)}`);
  }
  checkKnownKeys(kw, ['netArch', 'activationFn'], 'policyKwargs');
  const arch = (kw as { netArch?: unknown }).netArch;
  need(
    Array.isArray(arch),
    'policyKwargs.netArch',
    `an array of integers in [1, ${MAX_LAYER_WIDTH}] (the Q-network's hidden layers)`,
    arch,
  );
  checkPolicyKwargs(kw);
}
