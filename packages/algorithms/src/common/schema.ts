/**
 * Hyperparameter schemas: each algorithm declares its hyperparameters once (key, kind, default,
 * range or check, help text, whether it takes a schedule), and validation, defaults, the saved
 * config, config files and the CLI flags are all derived from that declaration.
 *
 * Source: Proximal. Keys are Stable-Baselines3's names in camelCase; the snake_case alias of each
 * key ({@link snakeCaseOf}) is SB3's own spelling.
 */
import { checkKnownKeys } from './options.js';
import { describeSchedule, parseSchedule, type Schedule, type ScheduleSpec } from './schedules.js';

/** Range of a real-valued hyperparameter: bounds inclusive unless `…Open`; always finite. */
export interface NumberRange {
  min?: number;
  max?: number;
  minOpen?: boolean;
  maxOpen?: boolean;
}

/**
 * How a hyperparameter's value is read and checked:
 * - `'number'`: a finite number (in `range`); with `schedule: true` also a schedule;
 * - `'integer'`: an integer (in `range`);
 * - `'boolean'`, `'string'`;
 * - `'choice'`: one of `choices`;
 * - `'integerList'`: an array of positive integers (on the command line: `64,64`);
 * - `'object'`: a nested object whose keys are `fields` (SB3's `policy_kwargs`); given objects
 *   are merged key by key over the default.
 */
export type HyperparameterKind =
  | 'number'
  | 'integer'
  | 'boolean'
  | 'string'
  | 'choice'
  | 'integerList'
  | 'object';

/** What a check sees besides the value: the other (merged, not yet checked) hyperparameters and the env count. */
export interface CheckContext {
  hyperparameters: Readonly<Record<string, unknown>>;
  numEnvs: number;
}

/** One hyperparameter of an algorithm. */
export interface HyperparameterSpec {
  /** SB3's name in camelCase (`learningRate`); the CLI flag is its kebab-case (`--learning-rate`). */
  key: string;
  kind: HyperparameterKind;
  /** The algorithm's default (SB3's, or the reference implementation's named in `help`). */
  default: unknown;
  /** One line for `--help` and the docs. */
  help: string;
  /** Accepted values of a `'number'`/`'integer'` (every value of a schedule: at progress 1, 0.5 and 0). */
  range?: NumberRange;
  /** `'number'`: `Infinity` is also accepted (e.g. `maxGradNorm`: no clipping). */
  allowInfinity?: boolean;
  /** `null` is also accepted (`help` says what it means). */
  nullable?: boolean;
  /** `'choice'`: the accepted strings. */
  choices?: readonly string[];
  /**
   * `'number'`: the value may also be a schedule of the remaining progress (a function, or the JSON /
   * CLI forms of `parseSchedule`: `"lin_3e-4"`, `"cos_0.1_0.01"`, `{ type: 'linear', ... }`).
   */
  schedule?: boolean;
  /** `'object'`: its keys (each checked as `<key>.<field>`). */
  fields?: readonly HyperparameterSpec[];
  /** Replaces the check of `kind` (for values with several forms, e.g. `netArch`). */
  validate?: (value: unknown, name: string) => void;
  /** An extra check after the kind's (cross-key limits such as `batchSize ≤ nSteps × numEnvs`). */
  check?: (value: unknown, ctx: CheckContext) => void;
  /** The default when the user gives none, computed from the other values (e.g. VPG's whole-rollout batch). */
  resolveDefault?: (ctx: CheckContext) => unknown;
}

/** An algorithm's hyperparameters, in the order they are documented and checked. */
export type HyperparameterSchema = readonly HyperparameterSpec[];

/** `learningRate` → `learning_rate` (SB3's spelling). */
export function snakeCaseOf(key: string): string {
  return key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

/** `learningRate` → `learning-rate` (the CLI flag without its dashes). */
export function kebabCaseOf(key: string): string {
  return key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

/**
 * Throws unless `cond` holds.
 * @throws RangeError `"<name> must be <expected>, got <value as JSON>"`.
 */
export function need(cond: boolean, name: string, expected: string, value: unknown): void {
  if (!cond) throw new RangeError(`${name} must be ${expected}, got ${showValue(value)}`);
}

/** A value as error messages show it: JSON, except functions and non-finite numbers. */
export function showValue(value: unknown): string {
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  return JSON.stringify(value);
}

function inRange(x: unknown, r: NumberRange): x is number {
  if (typeof x !== 'number' || !Number.isFinite(x)) return false;
  if (r.min !== undefined && (r.minOpen ? x <= r.min : x < r.min)) return false;
  if (r.max !== undefined && (r.maxOpen ? x >= r.max : x > r.max)) return false;
  return true;
}

/**
 * The bounds alone: `> 0`, `≥ 0`, `≤ 1`, `in [0, 1]`, `in (0, 1]` (empty without bounds).
 */
export function describeBounds(r: NumberRange): string {
  if (r.min !== undefined && r.max !== undefined) {
    return `in ${r.minOpen ? '(' : '['}${r.min}, ${r.max}${r.maxOpen ? ')' : ']'}`;
  }
  if (r.min !== undefined) return `${r.minOpen ? '>' : '≥'} ${r.min}`;
  if (r.max !== undefined) return `${r.maxOpen ? '<' : '≤'} ${r.max}`;
  return '';
}

/** `a finite number > 0`, `in [0, 1]` (an interval is finite), `a finite number`. */
export function describeRange(r: NumberRange): string {
  if (r.min !== undefined && r.max !== undefined) return describeBounds(r);
  const b = describeBounds(r);
  return `a finite number${b ? ` ${b}` : ''}`;
}

/**
 * Throws unless `value` is a finite number in `range`.
 * @throws RangeError naming `name`, the range and the value.
 */
export function needNumber(name: string, value: unknown, range: NumberRange = {}): void {
  need(inRange(value, range), name, describeRange(range), value);
}

/** True for a finite integer > 0. */
export function isPosInt(x: unknown): boolean {
  return typeof x === 'number' && Number.isInteger(x) && x > 0;
}

/** Throws unless `value` is a positive integer (a RangeError naming `name` and the value). */
export function needPosInt(name: string, value: unknown): void {
  need(isPosInt(value), name, 'a positive integer', value);
}

/** Throws unless `value` is a boolean (a TypeError naming `name` and the value). */
export function needBoolean(name: string, value: unknown): void {
  if (typeof value !== 'boolean') throw new TypeError(`${name} must be a boolean, got ${showValue(value)}`);
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
    const r = { ...range, minOpen: false };
    for (const p of [1, 0.5, 0]) {
      let v: unknown;
      try {
        v = (value as (p: number) => unknown)(p);
      } catch (err) {
        throw new RangeError(
          `${name}: the schedule threw at progressRemaining = ${p}: ${(err as Error).message}`,
        );
      }
      if (!inRange(v, r)) {
        throw new RangeError(
          `${name}: the schedule must return ${describeRange(r)}, got ${String(v)} at progressRemaining = ${p}`,
        );
      }
    }
    return;
  }
  need(inRange(value, range), name, expected, value);
}

/** What a value of `spec` must be, for messages: `a positive integer`, `'clip' | 'kl-penalty'`, … */
export function describeExpected(spec: HyperparameterSpec): string {
  const r = spec.range ?? {};
  let s: string;
  switch (spec.kind) {
    case 'number':
      s = spec.allowInfinity ? `${describeBounds(r) || 'a number'} (Infinity allowed)` : describeRange(r);
      if (spec.schedule) s += ' or a schedule';
      break;
    case 'integer':
      s =
        r.min === 1 && !r.minOpen && r.max === undefined
          ? 'a positive integer'
          : `an integer${describeBounds(r) ? ` ${describeBounds(r)}` : ''}`;
      break;
    case 'boolean':
      s = 'a boolean';
      break;
    case 'string':
      s = 'a string';
      break;
    case 'choice':
      s = (spec.choices ?? []).map((c) => `'${c}'`).join(' | ');
      break;
    case 'integerList':
      s = 'an array of positive integers';
      break;
    default:
      s = 'an object';
  }
  return spec.nullable ? `${s} or null` : s;
}

/**
 * Checks one value against its spec (kind, range or choices, nullability, the spec's own
 * `validate`/`check`).
 * @param name the name in messages (default `spec.key`; nested fields use `parent.field`).
 * @param ctx the other hyperparameters and the env count, for `check`.
 * @throws RangeError (TypeError for booleans and objects) naming `name`, the expected and the actual value.
 */
export function checkHyperparameter(
  spec: HyperparameterSpec,
  value: unknown,
  ctx: CheckContext = { hyperparameters: {}, numEnvs: 1 },
  name = spec.key,
): void {
  if (value === null && spec.nullable) return;
  if (spec.validate) spec.validate(value, name);
  else {
    const r = spec.range ?? {};
    switch (spec.kind) {
      case 'number':
        if (spec.schedule && typeof value === 'function') needSchedule(name, value, r);
        else if (spec.allowInfinity && value === Number.POSITIVE_INFINITY && r.max === undefined) break;
        else if (!inRange(value, r)) need(false, name, describeExpected(spec), value);
        break;
      case 'integer':
        need(
          typeof value === 'number' && Number.isInteger(value) && inRange(value, r),
          name,
          describeExpected(spec),
          value,
        );
        break;
      case 'boolean':
        if (typeof value !== 'boolean')
          throw new TypeError(`${name} must be ${describeExpected(spec)}, got ${showValue(value)}`);
        break;
      case 'string':
        need(typeof value === 'string', name, describeExpected(spec), value);
        break;
      case 'choice':
        need((spec.choices ?? []).includes(value as string), name, describeExpected(spec), value);
        break;
      case 'integerList':
        need(Array.isArray(value) && value.every(isPosInt), name, describeExpected(spec), value);
        break;
      case 'object':
        checkObject(spec, value, ctx, name);
        break;
    }
  }
  spec.check?.(value, ctx);
}

function isPlainObject(x: unknown): x is Record<string, unknown> {
  return x !== null && typeof x === 'object' && !Array.isArray(x);
}

function checkObject(spec: HyperparameterSpec, value: unknown, ctx: CheckContext, name: string): void {
  if (!isPlainObject(value)) throw new TypeError(`${name} must be an object, got ${showValue(value)}`);
  const fields = spec.fields ?? [];
  checkKnownKeys(
    value,
    fields.map((f) => f.key),
    name,
  );
  for (const f of fields) {
    if (value[f.key] !== undefined) checkHyperparameter(f, value[f.key], ctx, `${name}.${f.key}`);
  }
}

/**
 * The defaults of a schema as an object (`{ [key]: default }`; object defaults as given, so that
 * fields whose default lives in the policy stay out).
 */
export function defaultsOf<H = Record<string, unknown>>(schema: HyperparameterSchema): H {
  return Object.fromEntries(schema.map((s) => [s.key, cloneValue(s.default)])) as H;
}

/** The default of an object field: the parent's default entry, else the field's own. */
export function fieldDefault(parent: HyperparameterSpec, field: HyperparameterSpec): unknown {
  const d = isPlainObject(parent.default) ? parent.default[field.key] : undefined;
  return d !== undefined ? d : field.default;
}

function cloneValue<T>(v: T): T {
  if (Array.isArray(v)) return v.map(cloneValue) as T;
  if (isPlainObject(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, cloneValue(x)])) as T;
  return v;
}

/**
 * The schema's defaults with the user's defined values over them, then every value checked in
 * schema order. `undefined` values are ignored (an unset CLI flag keeps the default); object values
 * (`policyKwargs`) are merged one level deep over the default; schedule keys also accept the JSON /
 * CLI forms of `parseSchedule` (`"lin_3e-4"`). Keys that are not in the schema are not taken (the
 * caller refuses unknown keys first, with `checkKnownKeys`).
 * @param options.numEnvs the env count, for size checks (default 1).
 * @throws RangeError/TypeError naming the first invalid hyperparameter, the expected and the actual value.
 */
export function resolveHyperparameters<H = Record<string, unknown>>(
  schema: HyperparameterSchema,
  user: object,
  { numEnvs = 1 }: { numEnvs?: number } = {},
): H {
  const given = (user ?? {}) as Record<string, unknown>;
  const h: Record<string, unknown> = {};
  const ctx: CheckContext = { hyperparameters: h, numEnvs };
  for (const s of schema) {
    let v = given[s.key];
    if (v === undefined) v = s.resolveDefault ? s.resolveDefault(ctx) : cloneValue(s.default);
    else if (s.kind === 'object' && isPlainObject(v) && isPlainObject(s.default)) v = { ...s.default, ...v };
    else if (s.schedule && (typeof v === 'string' || isPlainObject(v)))
      v = parseSchedule(v as string | ScheduleSpec, s.key);
    h[s.key] = v;
  }
  for (const s of schema) checkHyperparameter(s, h[s.key], ctx);
  return h as H;
}

/** JSON form of resolved hyperparameters: schedules as numbers or `"lin_x"` / `"cos_x"`. */
export function serializeHyperparameters(schema: HyperparameterSchema, h: object): Record<string, unknown> {
  const out: Record<string, unknown> = { ...h };
  for (const s of schema) {
    const v = out[s.key];
    if (s.schedule && v !== null && v !== undefined) out[s.key] = describeSchedule(v as Schedule);
  }
  return out;
}

/** Inverse of {@link serializeHyperparameters}: schedule keys parsed back into schedules. */
export function deserializeHyperparameters(
  schema: HyperparameterSchema,
  json: Record<string, unknown>,
): Record<string, unknown> {
  const out: Record<string, unknown> = { ...json };
  for (const s of schema) {
    const v = out[s.key];
    if (s.schedule && v !== null && v !== undefined) out[s.key] = parseSchedule(v as string, s.key);
  }
  return out;
}
