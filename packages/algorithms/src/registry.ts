/**
 * The algorithm registry: name → definition (hyperparameter schema, `create`, `load`, the spaces
 * it supports, training presets). Config validation, saved configs, the CLI's flags and help,
 * `proximal train <algo>` and `proximal eval` all come from it; adding an algorithm is its own
 * folder plus one line in {@link BUILTIN_ALGORITHMS}.
 *
 * Source: Proximal.
 */
import type { Space } from '@proximal/envs';
import { A2C_ALGORITHM } from './a2c/definition.js';
import type { CallbackLike } from './common/callbacks.js';
import type { NormalizationOptions } from './common/normalization.js';
import { editDistance } from './common/options.js';
import {
  defaultsOf,
  type HyperparameterSchema,
  type HyperparameterSpec,
  resolveHyperparameters,
} from './common/schema.js';
import { DQN_ALGORITHM } from './dqn/definition.js';
import type { Predictor } from './evaluation.js';
import { PPO_ALGORITHM } from './ppo/definition.js';
import { Q_LEARNING_ALGORITHM, SARSA_ALGORITHM } from './tabular/definition.js';
import { TRPO_ALGORITHM } from './trpo/definition.js';
import { VPG_ALGORITHM } from './vpg/definition.js';

/** Settings of `proximal train <algo> <env>` for one env (or any env without an entry). */
export interface TrainingPreset {
  numEnvs: number;
  totalTimesteps: number;
  /** Hyperparameters over the algorithm's defaults (camelCase keys; `policyKwargs` nested). */
  hyperparameters: Record<string, unknown>;
  /** Observation/reward normalization (SB3's VecNormalize), when the preset uses it. */
  normalize?: NormalizationOptions;
}

/** An agent as the registry's users (the CLI) drive it: train, save, predict, describe. */
export interface RegisteredModel extends Predictor {
  /** The name saved in `proximal.json` (`'PPO'`, `'QLearning'`): the definition's `modelName`. */
  readonly algorithm: string;
  readonly envId: string | null;
  readonly seed: number;
  numTimesteps: number;
  /** The tfjs backend in use (algorithms without networks have none). */
  readonly tfBackend?: string;
  learn(options: {
    totalTimesteps: number;
    callback?: CallbackLike;
    resetNumTimesteps?: boolean;
  }): Promise<unknown>;
  save(dir: string): Promise<void>;
  /** The hyperparameters as JSON (schedules as `"lin_x"`), for saved configs. */
  describeHyperparameters(): Record<string, unknown>;
  /** Releases tensors and the env (when the algorithm holds any). */
  dispose?(): void;
}

/** Options of {@link AlgorithmDefinition.create}: an env id, run settings and hyperparameters (schema keys). */
export interface RegistryCreateOptions {
  env: string;
  /** Envs run in parallel (only for `vectorEnvs` algorithms; others take one env). */
  numEnvs?: number;
  seed?: number;
  /** Only for `vectorEnvs` algorithms. */
  normalize?: NormalizationOptions;
  [hyperparameter: string]: unknown;
}

/** Whether an algorithm can run on an env's spaces. */
export type SupportResult = { supported: true } | { supported: false; reason: string };

/**
 * What an algorithm declares to be registered. Everything the CLI and config files need comes
 * from here; nothing outside the algorithm's folder names it.
 */
export interface AlgorithmDefinition {
  /** The registry and CLI name: lowercase, words joined by '-' (`'ppo'`, `'q-learning'`). */
  name: string;
  /** The name its agents save as `algorithm` in `proximal.json` (`'PPO'`, `'QLearning'`). */
  modelName: string;
  /** One line for help texts (what it is and its reference). */
  summary: string;
  /** Its hyperparameters; validation, defaults, saved configs and CLI flags come from it. */
  schema: HyperparameterSchema;
  /** true: trains on a vector env of `numEnvs` copies (and takes `normalize`); false: on one env. */
  vectorEnvs: boolean;
  /** Settings of `proximal train`: `default` for any env, `perEnv` for tuned envs. */
  presets: { default: TrainingPreset; perEnv?: Readonly<Record<string, TrainingPreset>> };
  /** Whether the env's spaces are supported (the reason when not). */
  supports(spaces: { observationSpace: Space<unknown>; actionSpace: Space<unknown> }): SupportResult;
  /**
   * Creates an agent.
   * @throws TypeError/RangeError for an unknown option or an invalid hyperparameter, naming it.
   */
  create(options: RegistryCreateOptions): Promise<RegisteredModel>;
  /**
   * Loads an agent saved by its `save` (`proximal.json` + tensors).
   * @throws Error when `dir` holds no model of this algorithm.
   */
  load(dir: string, options?: { env?: string }): Promise<RegisteredModel>;
}

const registry = new Map<string, AlgorithmDefinition>();
const NAME = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
const KEY = /^[a-z][a-zA-Z0-9]*$/;
const KINDS = ['number', 'integer', 'boolean', 'string', 'choice', 'integerList', 'object'];

function checkSpecs(where: string, specs: readonly HyperparameterSpec[]): void {
  const seen = new Set<string>();
  for (const s of specs) {
    if (typeof s?.key !== 'string' || !KEY.test(s.key))
      throw new TypeError(
        `${where}: schema key must be camelCase (e.g. 'learningRate'), got ${JSON.stringify(s?.key)}`,
      );
    if (seen.has(s.key)) throw new RangeError(`${where}: schema key '${s.key}' appears twice`);
    seen.add(s.key);
    if (!KINDS.includes(s.kind))
      throw new RangeError(
        `${where}: ${s.key}.kind must be one of ${KINDS.join(', ')}, got ${JSON.stringify(s.kind)}`,
      );
    if (typeof s.help !== 'string' || s.help.trim() === '')
      throw new TypeError(`${where}: ${s.key} needs a help text`);
    if (s.kind === 'choice' && (!Array.isArray(s.choices) || s.choices.length === 0))
      throw new RangeError(`${where}: ${s.key} is a choice without choices`);
    if (s.kind === 'object') checkSpecs(`${where}: ${s.key}`, s.fields ?? []);
  }
}

/** Every hyperparameter spec of the registered algorithms for `key` (flattening object fields). */
function specsByKey(): Map<string, { spec: HyperparameterSpec; algorithm: string }[]> {
  const out = new Map<string, { spec: HyperparameterSpec; algorithm: string }[]>();
  const add = (spec: HyperparameterSpec, algorithm: string) => {
    const list = out.get(spec.key) ?? [];
    list.push({ spec, algorithm });
    out.set(spec.key, list);
  };
  for (const d of registry.values()) {
    for (const s of d.schema) {
      if (s.kind === 'object') for (const f of s.fields ?? []) add(f, d.name);
      else add(s, d.name);
    }
  }
  return out;
}

/**
 * Registers an algorithm. The definition is checked first: a lowercase kebab-case `name` not yet
 * registered (nor its `modelName`), camelCase schema keys each with a kind and a help text, defaults
 * that pass the schema's own checks, and keys shared with registered algorithms of the same kind
 * (one CLI flag parses them all).
 * @throws TypeError/RangeError naming the problem.
 */
export function registerAlgorithm(def: AlgorithmDefinition): void {
  if (def === null || typeof def !== 'object')
    throw new TypeError('registerAlgorithm: expected a definition object');
  if (typeof def.name !== 'string' || !NAME.test(def.name))
    throw new RangeError(
      `registerAlgorithm: name must be lowercase words joined by '-' (e.g. 'q-learning'), got ${JSON.stringify(def.name)}`,
    );
  const where = `registerAlgorithm('${def.name}')`;
  if (registry.has(def.name))
    throw new RangeError(`${where}: an algorithm '${def.name}' is already registered`);
  if (typeof def.modelName !== 'string' || def.modelName === '')
    throw new TypeError(`${where}: modelName must be a non-empty string`);
  for (const d of registry.values()) {
    if (d.modelName === def.modelName)
      throw new RangeError(`${where}: modelName '${def.modelName}' is already used by '${d.name}'`);
  }
  for (const f of ['create', 'load', 'supports'] as const) {
    if (typeof def[f] !== 'function') throw new TypeError(`${where}: ${f} must be a function`);
  }
  if (!Array.isArray(def.schema))
    throw new TypeError(`${where}: schema must be an array of hyperparameter specs`);
  checkSpecs(where, def.schema);
  if (!def.presets?.default) throw new TypeError(`${where}: presets.default is required`);
  try {
    resolveHyperparameters(def.schema, {});
  } catch (e) {
    throw new RangeError(`${where}: its defaults fail its own schema: ${(e as Error).message}`);
  }
  const existing = specsByKey();
  const own = [
    ...def.schema.filter((s) => s.kind !== 'object'),
    ...def.schema.flatMap((s) => s.fields ?? []),
  ];
  for (const s of own) {
    const other = existing.get(s.key)?.[0];
    if (other && other.spec.kind !== s.kind) {
      throw new RangeError(
        `${where}: ${s.key} is a${s.kind === 'integer' ? 'n' : ''} ${s.kind} here but a${other.spec.kind === 'integer' ? 'n' : ''} ${other.spec.kind} in '${other.algorithm}'; a key shared by algorithms must have one kind (one CLI flag parses it)`,
      );
    }
  }
  registry.set(def.name, def);
}

/** Removes a registered algorithm (for tests and plugins that replace one); true when it was there. */
export function unregisterAlgorithm(name: string): boolean {
  return registry.delete(name);
}

/**
 * The definition registered as `name` (case-insensitive), or whose `modelName` is `name` (the
 * `algorithm` field of a saved `proximal.json`).
 * @throws RangeError naming the unknown name, the closest registered one and the registered names.
 */
export function getAlgorithm(name: string): AlgorithmDefinition {
  const lower = String(name).toLowerCase();
  const d = registry.get(lower) ?? [...registry.values()].find((x) => x.modelName === name);
  if (d) return d;
  const names = [...registry.keys()];
  const max = lower.length <= 4 ? 1 : 2; // a distance of 2 relates any two short names
  const hint = names.find((n) => editDistance(lower, n, max) <= max);
  throw new RangeError(
    `unknown algorithm '${name}'; available: ${names.join(', ')}${hint ? ` (did you mean '${hint}'?)` : ''}`,
  );
}

/** The registered definitions, in registration order. */
export function listAlgorithms(): AlgorithmDefinition[] {
  return [...registry.values()];
}

/** The defaults of a definition's schema (`{ [key]: default }`). */
export function algorithmDefaults(def: AlgorithmDefinition): Record<string, unknown> {
  return defaultsOf(def.schema);
}

/**
 * The built-in algorithms, one line each, registered when this module loads. A new algorithm
 * exports its {@link AlgorithmDefinition} from its folder (`src/<algo>/definition.ts`) and adds
 * one line here (or calls {@link registerAlgorithm} from outside the package).
 */
export const BUILTIN_ALGORITHMS: readonly AlgorithmDefinition[] = [
  PPO_ALGORITHM,
  TRPO_ALGORITHM,
  A2C_ALGORITHM,
  VPG_ALGORITHM,
  DQN_ALGORITHM,
  Q_LEARNING_ALGORITHM,
  SARSA_ALGORITHM,
];
for (const def of BUILTIN_ALGORITHMS) registerAlgorithm(def);
