import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import {
  A2C_DEFAULTS,
  type A2cHyperparameters,
  PPO_DEFAULTS,
  type PpoHyperparameters,
  parseSchedule,
  TRPO_DEFAULTS,
  type TrpoHyperparameters,
} from '@proximal/algorithms';

/** Hyperparameters of any algorithm the CLI trains (each checks its own). */
export type AnyHyperparameters = Partial<Omit<PpoHyperparameters, 'targetKl'>> &
  Partial<Omit<TrpoHyperparameters, 'targetKl'>> &
  Partial<A2cHyperparameters> & { targetKl?: number | null };

import { type Command, InvalidArgumentError, Option } from 'commander';
import { parse as parseYaml } from 'yaml';

type Kind =
  | 'schedule'
  | 'schedule-or-null'
  | 'int'
  | 'number'
  | 'number-or-null'
  | 'boolean'
  | 'choice'
  | 'int-list'
  | 'string';

/** Every PPO hyperparameter as a CLI flag: name in SB3's camelCase, kind for parsing, help text. */
export type Algo = 'ppo' | 'trpo' | 'a2c';
const ALL: Algo[] = ['ppo', 'trpo', 'a2c'];
const PPO_ONLY: Algo[] = ['ppo'];
const TRPO_ONLY: Algo[] = ['trpo'];
const A2C_ONLY: Algo[] = ['a2c'];
const PPO_TRPO: Algo[] = ['ppo', 'trpo'];
const PPO_A2C: Algo[] = ['ppo', 'a2c'];

/**
 * The values a numeric flag accepts (a schedule's initial value for schedules): `min`/`max`
 * inclusive, `gt`/`lt` exclusive. Integers must also be safe integers.
 */
interface Range {
  min?: number;
  max?: number;
  gt?: number;
  lt?: number;
}

/** Every hyperparameter as a CLI flag: name in SB3's camelCase, kind for parsing, help text, algorithms, range. */
const FLAGS: {
  key: string;
  kind: Kind;
  help: string;
  choices?: string[];
  algos?: Algo[];
  range?: Range;
}[] = [
  {
    key: 'learningRate',
    kind: 'schedule',
    help: 'optimizer step size (RMSprop for a2c, else Adam); a number or lin_<x> (linear decay to 0)',
    range: { gt: 0 },
  },
  { key: 'nSteps', kind: 'int', help: 'steps per env per rollout', range: { min: 1 } },
  { key: 'batchSize', kind: 'int', help: 'minibatch size', algos: PPO_TRPO, range: { min: 1 } },
  { key: 'nEpochs', kind: 'int', help: 'passes over each rollout', algos: PPO_ONLY, range: { min: 1 } },
  { key: 'gamma', kind: 'number', help: 'discount factor', range: { min: 0, max: 1 } },
  { key: 'gaeLambda', kind: 'number', help: 'GAE lambda', range: { min: 0, max: 1 } },
  {
    key: 'clipRange',
    kind: 'schedule',
    help: 'PPO clip range; a number or lin_<x>',
    algos: PPO_ONLY,
    range: { gt: 0 },
  },
  {
    key: 'clipRangeVf',
    kind: 'schedule-or-null',
    help: "value clip range, or 'null' for none",
    algos: PPO_ONLY,
    range: { gt: 0 },
  },
  { key: 'normalizeAdvantage', kind: 'boolean', help: 'normalize advantages per minibatch (true|false)' },
  { key: 'entCoef', kind: 'number', help: 'entropy bonus coefficient', algos: PPO_A2C },
  { key: 'vfCoef', kind: 'number', help: 'value loss coefficient', algos: PPO_A2C, range: { min: 0 } },
  {
    key: 'maxGradNorm',
    kind: 'number',
    help: 'global gradient-norm clip',
    algos: PPO_A2C,
    range: { gt: 0 },
  },
  {
    key: 'targetKl',
    kind: 'number-or-null',
    help: "early-stop an update when approx KL > 1.5 x this ('null': never)",
    algos: PPO_TRPO,
    range: { gt: 0 },
  },
  { key: 'rmsPropEps', kind: 'number', help: 'RMSprop epsilon (A2C)', algos: A2C_ONLY, range: { gt: 0 } },
  {
    key: 'useRmsProp',
    kind: 'boolean',
    help: 'RMSprop (true) or Adam (false) (A2C)',
    algos: A2C_ONLY,
  },
  {
    key: 'dualClip',
    kind: 'number-or-null',
    help: "dual-clip constant c > 1 ('null': off)",
    algos: PPO_ONLY,
    range: { gt: 1 },
  },
  {
    key: 'objective',
    kind: 'choice',
    choices: ['clip', 'kl-penalty'],
    help: 'policy objective',
    algos: PPO_ONLY,
  },
  {
    key: 'klCoef',
    kind: 'number',
    help: 'initial KL penalty coefficient (kl-penalty)',
    algos: PPO_ONLY,
    range: { min: 0 },
  },
  {
    key: 'klTarget',
    kind: 'number',
    help: 'KL target of the penalty adaptation (kl-penalty)',
    algos: PPO_ONLY,
    range: { gt: 0 },
  },
  {
    key: 'cgMaxSteps',
    kind: 'int',
    help: 'conjugate-gradient iterations (TRPO)',
    algos: TRPO_ONLY,
    range: { min: 1 },
  },
  { key: 'cgDamping', kind: 'number', help: 'Fisher damping (TRPO)', algos: TRPO_ONLY, range: { min: 0 } },
  {
    key: 'lineSearchShrinkingFactor',
    kind: 'number',
    help: 'line-search step shrink factor (TRPO)',
    algos: TRPO_ONLY,
    range: { gt: 0, lt: 1 },
  },
  {
    key: 'lineSearchMaxIter',
    kind: 'int',
    help: 'line-search tries (TRPO)',
    algos: TRPO_ONLY,
    range: { min: 1 },
  },
  {
    key: 'nCriticUpdates',
    kind: 'int',
    help: 'critic epochs per rollout (TRPO)',
    algos: TRPO_ONLY,
    range: { min: 1 },
  },
  {
    key: 'subSamplingFactor',
    kind: 'int',
    help: 'use every k-th sample for Fisher-vector products (TRPO)',
    algos: TRPO_ONLY,
    range: { min: 1 },
  },
  {
    key: 'useSde',
    kind: 'boolean',
    help: 'generalized State-Dependent Exploration for Box actions (true|false)',
  },
  {
    key: 'sdeSampleFreq',
    kind: 'int',
    help: 'with gSDE, new noise matrix every n steps (<= 0: once per rollout)',
  },
  { key: 'netArch', kind: 'int-list', help: 'hidden layer sizes, e.g. 64,64' },
  { key: 'activationFn', kind: 'choice', choices: ['tanh', 'relu'], help: 'hidden activation' },
  { key: 'logStdInit', kind: 'number', help: 'initial log-std of Gaussian policies' },
  { key: 'orthoInit', kind: 'boolean', help: 'orthogonal initialization (false: PyTorch default)' },
  { key: 'fullStd', kind: 'boolean', help: 'gSDE: one log-std per (feature, action) pair (true|false)' },
  { key: 'useExpln', kind: 'boolean', help: 'gSDE: expln instead of exp for the std (true|false)' },
];

/** Flags that go into `policyKwargs` (SB3's `policy_kwargs`) rather than the top level. */
const POLICY_KWARGS = ['netArch', 'activationFn', 'logStdInit', 'orthoInit', 'fullStd', 'useExpln'];

const kebab = (k: string) => k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/** The command-line flag of a hyperparameter or setting key, e.g. `nSteps` → `--n-steps`. */
export function flagOf(key: string): string {
  return `--${kebab(key)}`;
}

/** The hyperparameter keys that have flags (SB3 names in camelCase). */
export const HYPERPARAMETER_KEYS: readonly string[] = FLAGS.map((f) => f.key);

function describeRange(r: Range): string {
  const parts: string[] = [];
  if (r.min !== undefined) parts.push(`≥ ${r.min}`);
  if (r.gt !== undefined) parts.push(`> ${r.gt}`);
  if (r.max !== undefined) parts.push(`≤ ${r.max}`);
  if (r.lt !== undefined) parts.push(`< ${r.lt}`);
  return parts.join(' and ');
}

function inRange(x: number, r: Range): boolean {
  return (
    (r.min === undefined || x >= r.min) &&
    (r.max === undefined || x <= r.max) &&
    (r.gt === undefined || x > r.gt) &&
    (r.lt === undefined || x < r.lt)
  );
}

function parseValue(key: string, kind: Kind, raw: unknown, choices?: string[], range?: Range): unknown {
  const value = parseKind(key, kind, raw, choices);
  if (range && value !== null && (typeof value === 'number' || typeof value === 'function')) {
    const x = typeof value === 'function' ? (value as (p: number) => number)(1) : value;
    if (!inRange(x, range)) {
      const what =
        kind === 'int' ? 'an integer' : kind.startsWith('schedule') ? 'a number or lin_<number>' : 'a number';
      const initial = typeof value === 'function' ? ', its initial value' : '';
      throw new InvalidArgumentError(
        `${key} must be ${describeRange(range)} (${what}${initial})${kind.endsWith('-or-null') ? " or 'null'" : ''}, got '${String(raw)}'`,
      );
    }
  }
  return value;
}

function parseKind(key: string, kind: Kind, raw: unknown, choices?: string[]): unknown {
  const bad = (what: string) => new InvalidArgumentError(`${key} must be ${what}, got '${String(raw)}'`);
  const num = (x: unknown) => {
    const n = typeof x === 'number' ? x : Number(String(x).replace(/_/g, ''));
    if (!Number.isFinite(n) || String(x).trim() === '') throw bad('a number');
    return n;
  };
  const isNull = raw === null || raw === 'null' || raw === 'none';
  switch (kind) {
    case 'schedule':
    case 'schedule-or-null':
      if (isNull && kind === 'schedule-or-null') return null;
      try {
        return typeof raw === 'number' ? raw : parseSchedule(String(raw));
      } catch {
        throw bad('a number or lin_<number>');
      }
    case 'int': {
      const n = num(raw);
      if (!Number.isSafeInteger(n)) throw bad('an integer');
      return n;
    }
    case 'number':
      return num(raw);
    case 'number-or-null':
      return isNull ? null : num(raw);
    case 'boolean':
      if (raw === true || raw === 'true') return true;
      if (raw === false || raw === 'false') return false;
      throw bad('true or false');
    case 'choice':
      if (!choices?.includes(String(raw))) throw bad(`one of ${choices?.join(', ')}`);
      return String(raw);
    case 'int-list': {
      const parts = Array.isArray(raw) ? raw : String(raw).split(',');
      const xs = parts.map((p) => Number(p));
      if (xs.length === 0 || !xs.every((x) => Number.isInteger(x) && x > 0))
        throw bad('a comma-separated list of positive integers');
      return xs;
    }
    default:
      return raw;
  }
}

/** Adds one `--kebab-case <value>` option per hyperparameter to a command. */
export function addHyperparameterFlags(cmd: Command): Command {
  for (const f of FLAGS) {
    const opt = new Option(
      `--${kebab(f.key)} <value>`,
      `${f.help} (default: tuned per env, else ${defaultOf(f.key)})`,
    );
    opt.argParser((v: string) => parseValue(f.key, f.kind, v, f.choices, f.range));
    cmd.addOption(opt);
  }
  return cmd;
}

function defaultOf(key: string): string {
  if (key === 'netArch') return JSON.stringify(PPO_DEFAULTS.policyKwargs.netArch);
  if (key === 'activationFn') return JSON.stringify(PPO_DEFAULTS.policyKwargs.activationFn);
  if (key === 'logStdInit') return '0';
  if (key === 'orthoInit' || key === 'fullStd') return 'true';
  if (key === 'useExpln') return 'false';
  const all = (
    [
      ['PPO', PPO_DEFAULTS],
      ['TRPO', TRPO_DEFAULTS],
      ['A2C', A2C_DEFAULTS],
    ] as const
  )
    .map(([name, d]) => [name, (d as unknown as Record<string, unknown>)[key]] as const)
    .filter(([, v]) => v !== undefined);
  if (new Set(all.map(([, v]) => JSON.stringify(v))).size > 1)
    return all.map(([name, v]) => `${name} ${JSON.stringify(v)}`).join(', ');
  return JSON.stringify(all[0]?.[1]);
}

/**
 * Throws when a hyperparameter does not apply to the algorithm (e.g. --clip-range for trpo).
 * @throws Error naming the flag and the algorithms it applies to.
 */
export function checkHyperparametersFor(algo: Algo, h: Record<string, unknown>, source: string): void {
  for (const f of FLAGS) {
    const given = POLICY_KWARGS.includes(f.key) ? undefined : h[f.key];
    if (given !== undefined && !(f.algos ?? ALL).includes(algo)) {
      throw new Error(
        `${source}: ${f.key} does not apply to ${algo} (only to ${(f.algos ?? ALL).join(', ')})`,
      );
    }
  }
}

/** Settings that a config file or the flags may give besides hyperparameters. */
export interface RunSettings {
  timesteps?: number;
  numEnvs?: number;
  seed?: number;
}

/**
 * Reads a YAML or JSON config file: `{ hyperparameters: {...}, timesteps?, numEnvs?, seed? }` or
 * a flat object of hyperparameters (SB3 names in camelCase or snake_case; schedules as numbers or
 * "lin_x"). Unknown keys are errors that list the known ones.
 * @throws Error naming the file, the key and the expectation.
 */
export async function readConfigFile(
  path: string,
): Promise<{ hyperparameters: AnyHyperparameters; settings: RunSettings }> {
  const text = await readFile(path, 'utf8').catch((e: Error) => {
    throw new Error(`cannot read config file ${path}: ${e.message}`);
  });
  let data: unknown;
  try {
    data = extname(path) === '.json' ? JSON.parse(text) : parseYaml(text);
  } catch (e) {
    throw new Error(
      `config file ${path} is not valid ${extname(path) === '.json' ? 'JSON' : 'YAML'}: ${(e as Error).message}`,
    );
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw new Error(`config file ${path} must hold an object`);
  }
  const obj = data as Record<string, unknown>;
  const settings: RunSettings = {};
  const aliases = {
    timesteps: ['timesteps', 'n_timesteps', 'nTimesteps', 'total_timesteps', 'totalTimesteps'],
    numEnvs: ['numEnvs', 'num_envs', 'n_envs', 'nEnvs'],
    seed: ['seed'],
  } as const;
  for (const [k, names] of Object.entries(aliases) as [keyof RunSettings, readonly string[]][]) {
    const v = names.map((n) => obj[n]).find((x) => x !== undefined);
    if (v !== undefined)
      settings[k] = parseValue(k, 'int', v, undefined, k === 'seed' ? { min: 0 } : { min: 1 }) as number;
  }
  const hpSource = (obj.hyperparameters ?? obj) as Record<string, unknown>;
  const known = new Map(FLAGS.map((f) => [f.key, f]));
  const hyper: Record<string, unknown> = {};
  for (const [rawKey, v] of Object.entries(hpSource)) {
    const key = rawKey.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
    if (
      ['hyperparameters', 'timesteps', 'numEnvs', 'nEnvs', 'seed', 'nTimesteps', 'totalTimesteps'].includes(
        key,
      )
    )
      continue;
    const f = known.get(key);
    if (!f)
      throw new Error(
        `config file ${path}: unknown hyperparameter '${rawKey}' (known: ${[...known.keys()].join(', ')})`,
      );
    try {
      hyper[key] = parseValue(key, f.kind, v, f.choices, f.range);
    } catch (e) {
      throw new Error(`config file ${path}: ${(e as Error).message}`);
    }
  }
  return { hyperparameters: toHyperparameters(hyper), settings };
}

/** Collects hyperparameters from parsed commander options (only those given). */
export function hyperparametersFromFlags(opts: Record<string, unknown>): AnyHyperparameters {
  const out: Record<string, unknown> = {};
  for (const f of FLAGS) if (opts[f.key] !== undefined) out[f.key] = opts[f.key];
  return toHyperparameters(out);
}

function toHyperparameters(flat: Record<string, unknown>): AnyHyperparameters {
  const h: Record<string, unknown> = {};
  const kwargs: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(flat)) {
    if (POLICY_KWARGS.includes(k)) kwargs[k] = v;
    else h[k] = v;
  }
  if (Object.keys(kwargs).length > 0) h.policyKwargs = kwargs;
  return h as AnyHyperparameters;
}

/** Merges hyperparameter layers (later wins; policyKwargs merged key by key). */
export function mergeHyperparameters(...layers: AnyHyperparameters[]): AnyHyperparameters {
  const out: AnyHyperparameters = {};
  for (const l of layers) {
    const { policyKwargs, ...rest } = l;
    Object.assign(out, rest);
    if (policyKwargs) out.policyKwargs = { ...(out.policyKwargs ?? {}), ...policyKwargs };
  }
  return out;
}
