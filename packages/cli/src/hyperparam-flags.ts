/**
 * The hyperparameter flags of `proximal train`, the config-file reader and the checks that a
 * hyperparameter applies to the chosen algorithm, all generated from the algorithm registry of
 * @proximal/algorithms: one `--kebab-case <value>` flag per schema key (the fields of object keys
 * such as `policyKwargs` get flags of their own), with the schema's help line and each
 * algorithm's default. Nothing here names an algorithm.
 */
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import {
  type AlgorithmDefinition,
  fieldDefault,
  type HyperparameterSpec,
  kebabCaseOf,
  listAlgorithms,
  parseSchedule,
  snakeToCamel,
  suggestKey,
} from '@proximal/algorithms';
import { type Command, InvalidArgumentError, Option } from 'commander';
import { parse as parseYaml } from 'yaml';

/** Hyperparameters as the CLI collects them: schema keys, with object fields nested (`policyKwargs`). */
export type AnyHyperparameters = Record<string, unknown> & { policyKwargs?: Record<string, unknown> };

/** One algorithm's use of a flag: its spec and default. */
interface FlagUse {
  algorithm: string;
  spec: HyperparameterSpec;
  default: unknown;
}

/** A flag of `proximal train`: a schema key (or a field of an object key) of one or more algorithms. */
export interface HyperparameterFlag {
  /** The camelCase key (`nSteps`); the flag is its kebab-case (`--n-steps`). */
  key: string;
  /** The object key it is a field of (`policyKwargs` for `netArch`), else undefined. */
  parent?: string;
  /** Every registered algorithm that has it, in registration order. */
  uses: FlagUse[];
}

/** The command-line flag of a hyperparameter or setting key, e.g. `nSteps` → `--n-steps`. */
export function flagOf(key: string): string {
  return `--${kebabCaseOf(key)}`;
}

/**
 * The hyperparameter flags of the registered algorithms (read from the registry at each call, so
 * an algorithm registered later gets its flags).
 */
export function hyperparameterFlags(
  algorithms: readonly AlgorithmDefinition[] = listAlgorithms(),
): HyperparameterFlag[] {
  const flags = new Map<string, HyperparameterFlag>();
  const add = (key: string, parent: string | undefined, use: FlagUse) => {
    const f = flags.get(key) ?? { key, parent, uses: [] };
    if (f.parent !== parent) {
      throw new Error(
        `hyperparameter ${key} is ${parent ? `a field of ${parent}` : 'top-level'} in ${use.algorithm} but ${f.parent ? `a field of ${f.parent}` : 'top-level'} in ${f.uses[0].algorithm}; one flag cannot be both`,
      );
    }
    f.uses.push(use);
    flags.set(key, f);
  };
  for (const d of algorithms) {
    for (const s of d.schema) {
      if (s.kind === 'object') {
        for (const field of s.fields ?? [])
          add(field.key, s.key, { algorithm: d.name, spec: field, default: fieldDefault(s, field) });
      } else add(s.key, undefined, { algorithm: d.name, spec: s, default: s.default });
    }
  }
  return [...flags.values()];
}

/** A value as help texts show it: schedules as `lin_x`, others as JSON. */
function shown(v: unknown): string {
  if (typeof v === 'function') return `lin_${(v as (p: number) => number)(1)}`;
  if (v === Number.POSITIVE_INFINITY) return 'Infinity';
  return JSON.stringify(v);
}

/** The help line of a flag: the first algorithm's help text, then each algorithm's default. */
export function flagHelp(f: HyperparameterFlag, all: readonly string[]): string {
  const defaults = f.uses.map((u) => shown(u.default));
  const same = new Set(defaults).size === 1;
  const forAll = f.uses.length === all.length;
  const d = same
    ? `${defaults[0]}${forAll ? '' : ` (${f.uses.map((u) => u.algorithm).join(', ')} only)`}`
    : f.uses.map((u, i) => `${u.algorithm} ${defaults[i]}`).join(', ');
  return `${f.uses[0].spec.help} (default: tuned per env, else ${d})`;
}

/**
 * Reads one value of a flag or config-file entry by the flag's kind (numbers, integers, booleans,
 * choices, comma-separated integer lists, schedules `lin_<x>`, and `null` where any algorithm
 * allows it). Ranges are not checked here: the chosen algorithm's schema checks them when the
 * agent is created (so that each algorithm's own range applies).
 * @throws InvalidArgumentError naming the key, what was expected and the raw value.
 */
export function parseFlagValue(f: HyperparameterFlag, raw: unknown): unknown {
  const specs = f.uses.map((u) => u.spec);
  const s = specs[0];
  const bad = (what: string, note = '') =>
    new InvalidArgumentError(`${f.key} must be ${what}, got '${String(raw)}'${note}`);
  const nullable = specs.some((x) => x.nullable);
  if (nullable && (raw === null || raw === 'null' || raw === 'none')) return null;
  const num = (x: unknown, integer: boolean) => {
    const t = String(x).trim().replace(/_/g, '');
    const n = typeof x === 'number' ? x : t === '' ? Number.NaN : Number(t);
    const inf = n === Number.POSITIVE_INFINITY && specs.some((x) => x.allowInfinity);
    if (!inf && !Number.isFinite(n)) throw bad(`a number${nullable ? " or 'null'" : ''}`);
    if (integer && !Number.isSafeInteger(n)) throw bad('an integer');
    return n;
  };
  switch (s.kind) {
    case 'number':
      if (specs.some((x) => x.schedule)) {
        try {
          return typeof raw === 'number' ? raw : parseSchedule(raw as string);
        } catch {
          throw bad(
            'a number or lin_<number>',
            ' (schedules: lin_<initial>[_<final>], cos_<initial>[_<final>])',
          );
        }
      }
      return num(raw, false);
    case 'integer':
      return num(raw, true);
    case 'boolean':
      if (raw === true || raw === 'true') return true;
      if (raw === false || raw === 'false') return false;
      throw bad('true or false');
    case 'choice': {
      const choices = [...new Set(specs.flatMap((x) => x.choices ?? []))];
      if (!choices.includes(String(raw))) throw bad(`one of ${choices.join(', ')}`);
      return String(raw);
    }
    case 'integerList': {
      if (raw !== null && typeof raw === 'object' && !Array.isArray(raw)) return raw; // e.g. { pi, vf } in a file
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

/** Stands for a `null` flag value inside commander (which replaces a parsed null by ''). */
const NULL_VALUE = Symbol('null');

/**
 * Adds one `--kebab-case <value>` option per hyperparameter of the registered algorithms to a
 * command, with the schema's help line and each algorithm's default.
 */
export function addHyperparameterFlags(cmd: Command): Command {
  const all = listAlgorithms().map((d) => d.name);
  for (const f of hyperparameterFlags()) {
    const opt = new Option(`${flagOf(f.key)} <value>`, flagHelp(f, all));
    // commander turns a parsed null into '': 'null' travels as NULL_VALUE until hyperparametersFromFlags
    opt.argParser((v: string) => parseFlagValue(f, v) ?? NULL_VALUE);
    cmd.addOption(opt);
  }
  return cmd;
}

/**
 * Throws when a hyperparameter does not apply to the algorithm (e.g. --clip-range for trpo).
 * @throws Error naming the key, the algorithm and the algorithms it applies to.
 */
export function checkHyperparametersFor(
  def: AlgorithmDefinition,
  h: AnyHyperparameters,
  source: string,
): void {
  const flags = new Map(hyperparameterFlags().map((f) => [f.key, f]));
  const parents = new Set([...flags.values()].flatMap((f) => (f.parent ? [f.parent] : [])));
  const given: [string, string | undefined][] = [];
  for (const [k, v] of Object.entries(h)) {
    if (v === undefined) continue;
    if (parents.has(k) && v !== null && typeof v === 'object' && !Array.isArray(v)) {
      for (const [field, fv] of Object.entries(v)) if (fv !== undefined) given.push([field, k]);
    } else given.push([k, undefined]);
  }
  for (const [key, parent] of given) {
    const own = parent
      ? def.schema.find((s) => s.key === parent)?.fields?.some((x) => x.key === key)
      : def.schema.some((s) => s.key === key && s.kind !== 'object');
    const objectField = !parent && def.schema.some((s) => s.fields?.some((x) => x.key === key));
    if (own || objectField) continue;
    const users = flags.get(key)?.uses.map((u) => u.algorithm) ?? [];
    throw new Error(
      `${source}: ${key} does not apply to ${def.name}${users.length ? ` (only to ${users.join(', ')})` : ''}`,
    );
  }
}

/** Settings that a config file or the flags may give besides hyperparameters. */
export interface RunSettings {
  timesteps?: number;
  numEnvs?: number;
  seed?: number;
}

const SETTING_ALIASES = {
  timesteps: ['timesteps', 'n_timesteps', 'nTimesteps', 'total_timesteps', 'totalTimesteps'],
  numEnvs: ['numEnvs', 'num_envs', 'n_envs', 'nEnvs'],
  seed: ['seed'],
} as const;

/**
 * Reads a YAML or JSON config file: `{ hyperparameters: {...}, timesteps?, numEnvs?, seed? }` or
 * a flat object of hyperparameters (SB3 names in camelCase or snake_case; schedules as numbers or
 * "lin_x"; the fields of `policyKwargs` at the top level or under `policyKwargs` /
 * `policy_kwargs`). Values are read by the registry schema's kind; unknown keys are errors that
 * list the known ones.
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
  for (const [k, names] of Object.entries(SETTING_ALIASES) as [keyof RunSettings, readonly string[]][]) {
    const v = names.map((n) => obj[n]).find((x) => x !== undefined);
    if (v === undefined) continue;
    const n = typeof v === 'number' ? v : Number(String(v).replace(/_/g, ''));
    if (!Number.isSafeInteger(n) || n < (k === 'seed' ? 0 : 1)) {
      throw new Error(
        `config file ${path}: ${k} must be a ${k === 'seed' ? 'non-negative' : 'positive'} integer, got ${JSON.stringify(v)}`,
      );
    }
    settings[k] = n;
  }
  const settingKeys = new Set<string>(Object.values(SETTING_ALIASES).flat());
  const hpSource = (obj.hyperparameters ?? obj) as Record<string, unknown>;
  const flags = hyperparameterFlags();
  const known = new Map(flags.map((f) => [f.key, f]));
  const parents = new Set(flags.flatMap((f) => (f.parent ? [f.parent] : [])));
  const flat: Record<string, unknown> = {};
  const read = (rawKey: string, v: unknown) => {
    const key = snakeToCamel(rawKey);
    const f = known.get(key);
    if (!f) {
      const hint = suggestKey(rawKey, [...known.keys()]);
      throw new Error(
        `config file ${path}: unknown hyperparameter '${rawKey}'${hint ? ` (did you mean '${hint}'?)` : ''} (known: ${[...known.keys()].join(', ')})`,
      );
    }
    try {
      flat[key] = parseFlagValue(f, v);
    } catch (e) {
      throw new Error(`config file ${path}: ${(e as Error).message}`);
    }
  };
  for (const [rawKey, v] of Object.entries(hpSource)) {
    if (rawKey === 'hyperparameters' || settingKeys.has(rawKey)) continue;
    if (parents.has(snakeToCamel(rawKey)) && v !== null && typeof v === 'object' && !Array.isArray(v)) {
      for (const [field, fv] of Object.entries(v)) read(field, fv);
    } else read(rawKey, v);
  }
  return { hyperparameters: toHyperparameters(flat, flags), settings };
}

/** Collects hyperparameters from parsed commander options (only those given). */
export function hyperparametersFromFlags(opts: Record<string, unknown>): AnyHyperparameters {
  const flags = hyperparameterFlags();
  const out: Record<string, unknown> = {};
  for (const f of flags) {
    const v = opts[f.key];
    if (v !== undefined) out[f.key] = v === NULL_VALUE ? null : v;
  }
  return toHyperparameters(out, flags);
}

function toHyperparameters(flat: Record<string, unknown>, flags: HyperparameterFlag[]): AnyHyperparameters {
  const parentOf = new Map(flags.map((f) => [f.key, f.parent]));
  const h: Record<string, Record<string, unknown> | unknown> = {};
  for (const [k, v] of Object.entries(flat)) {
    const parent = parentOf.get(k);
    if (parent) h[parent] = { ...((h[parent] as Record<string, unknown>) ?? {}), [k]: v };
    else h[k] = v;
  }
  return h as AnyHyperparameters;
}

/** Merges hyperparameter layers (later wins; object values such as policyKwargs merged key by key). */
export function mergeHyperparameters(...layers: AnyHyperparameters[]): AnyHyperparameters {
  const out: Record<string, unknown> = {};
  for (const l of layers) {
    for (const [k, v] of Object.entries(l)) {
      const prev = out[k];
      const isObj = (x: unknown): x is Record<string, unknown> =>
        x !== null && typeof x === 'object' && !Array.isArray(x) && typeof x !== 'function';
      out[k] = isObj(prev) && isObj(v) ? { ...prev, ...v } : v;
    }
  }
  return out as AnyHyperparameters;
}

/** The keys given in a hyperparameter object, object fields included (for labelling errors). */
export function givenKeys(h: AnyHyperparameters): string[] {
  return Object.entries(h).flatMap(([k, v]) =>
    v !== null && typeof v === 'object' && !Array.isArray(v) ? Object.keys(v) : [k],
  );
}
