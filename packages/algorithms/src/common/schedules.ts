/**
 * Hyperparameter schedules (learning rates, clip ranges): constant, linear and cosine annealing as
 * functions of the remaining progress, with a JSON/CLI notation.
 *
 * Sources: Stable-Baselines3 `common/utils.py` (`get_schedule_fn`, `get_linear_fn`, the
 * progress-remaining convention) and the RL Baselines3 Zoo's `"lin_<x>"` notation; cosine
 * annealing from Loshchilov & Hutter, "SGDR: Stochastic Gradient Descent with Warm Restarts"
 * (ICLR 2017), eq. 5, without restarts.
 */

/**
 * A hyperparameter that may change during training: a constant, or a function of the remaining
 * progress (1 at the start of `learn`, 0 at the end), as SB3's `Schedule`.
 */
export type Schedule = number | ((progressRemaining: number) => number);

/**
 * A schedule as data (the object form accepted by {@link parseSchedule}):
 * - `{ type: 'constant', value }`;
 * - `{ type: 'linear', initial, final? }`: from `initial` to `final` (default 0) in a straight line;
 * - `{ type: 'cosine', initial, final? }`: from `initial` to `final` (default 0) along half a cosine.
 */
export type ScheduleSpec =
  | { type: 'constant'; value: number }
  | { type: 'linear'; initial: number; final?: number }
  | { type: 'cosine'; initial: number; final?: number };

/** A schedule function that remembers how it was made (so it can be written back as JSON). */
export type DescribedSchedule = ((progressRemaining: number) => number) & {
  readonly spec: Readonly<Required<ScheduleSpec>>;
};

function described(
  spec: Required<ScheduleSpec>,
  fn: (progressRemaining: number) => number,
): DescribedSchedule {
  Object.defineProperty(fn, 'spec', { value: Object.freeze({ ...spec }), enumerable: false });
  return fn as DescribedSchedule;
}

function finite(x: unknown, name: string): number {
  if (typeof x !== 'number' || !Number.isFinite(x)) {
    throw new RangeError(`${name} must be a finite number, got ${JSON.stringify(x)}`);
  }
  return x;
}

/** SB3's `constant_fn`: `value` at every progress. @throws RangeError when `value` is not finite. */
export function constantSchedule(value: number): DescribedSchedule {
  const v = finite(value, 'value');
  return described({ type: 'constant', value: v }, () => v);
}

/**
 * Linear annealing (SB3's `linear_schedule` / `get_linear_fn`):
 * `final + (initial − final) · progressRemaining`, i.e. `initial` at the start, `final` at the end.
 * @param initial value at progress 0 (progressRemaining 1).
 * @param final value at progress 1 (progressRemaining 0); default 0, the RL Zoo's `lin_<x>`.
 * @throws RangeError when `initial` or `final` is not finite.
 */
export function linearSchedule(initial: number, final = 0): DescribedSchedule {
  const a = finite(initial, 'initial');
  const b = finite(final, 'final');
  return described({ type: 'linear', initial: a, final: b }, (p) => b + (a - b) * p);
}

/**
 * Cosine annealing (Loshchilov & Hutter 2017, eq. 5, one period without restarts): with
 * progress = 1 − progressRemaining, `final + ½ (initial − final) (1 + cos(π · progress))`, i.e.
 * `initial` at the start, their mean half-way, `final` at the end.
 * @param initial value at progress 0.
 * @param final value at progress 1 (default 0).
 * @throws RangeError when `initial` or `final` is not finite.
 */
export function cosineSchedule(initial: number, final = 0): DescribedSchedule {
  const a = finite(initial, 'initial');
  const b = finite(final, 'final');
  return described(
    { type: 'cosine', initial: a, final: b },
    (p) => b + 0.5 * (a - b) * (1 + Math.cos(Math.PI * (1 - p))),
  );
}

/** Evaluates a {@link Schedule} at the given remaining progress. */
export function scheduleValue(s: Schedule, progressRemaining: number): number {
  return typeof s === 'function' ? s(progressRemaining) : s;
}

const NUMBER = '([-+]?(?:[0-9]+\\.?[0-9]*|\\.[0-9]+)(?:[eE][-+]?[0-9]+)?)';
const NOTATION = new RegExp(`^(lin|cos)_${NUMBER}(?:_${NUMBER})?$`);
const EXPECTED =
  "a number, \"lin_<initial>[_<final>]\", \"cos_<initial>[_<final>]\" or { type: 'constant' | 'linear' | 'cosine', ... }";

/**
 * A schedule from its JSON / command-line form:
 * - a number, or a string holding one: that constant;
 * - `"lin_<initial>"` / `"lin_<initial>_<final>"` (the RL Zoo's notation, final default 0):
 *   {@link linearSchedule};
 * - `"cos_<initial>"` / `"cos_<initial>_<final>"`: {@link cosineSchedule};
 * - a {@link ScheduleSpec} object.
 * @param name the hyperparameter's name, for messages (default `'schedule'`).
 * @throws RangeError naming `name`, with the expected forms and the value, for anything else
 *   (including unknown keys of the object form).
 */
export function parseSchedule(value: number | string | ScheduleSpec, name = 'schedule'): Schedule {
  const bad = (): never => {
    throw new RangeError(`${name} must be ${EXPECTED}, got ${JSON.stringify(value)}`);
  };
  if (typeof value === 'number') return Number.isFinite(value) ? value : bad();
  if (typeof value === 'string') {
    const m = NOTATION.exec(value.trim());
    if (m) {
      const final = m[3] === undefined ? 0 : Number(m[3]);
      return m[1] === 'lin' ? linearSchedule(Number(m[2]), final) : cosineSchedule(Number(m[2]), final);
    }
    const n = value.trim() === '' ? Number.NaN : Number(value);
    return Number.isFinite(n) ? n : bad();
  }
  if (value === null || typeof value !== 'object') return bad();
  const o = value as unknown as Record<string, unknown>;
  const keys = o.type === 'constant' ? ['type', 'value'] : ['type', 'initial', 'final'];
  for (const k of Object.keys(o)) {
    if (!keys.includes(k))
      throw new RangeError(
        `${name}: unknown key "${k}" in ${JSON.stringify(value)}; the keys are ${keys.join(', ')}`,
      );
  }
  const num = (x: unknown, optional: boolean): number =>
    (optional && x === undefined) || (typeof x === 'number' && Number.isFinite(x))
      ? ((x as number) ?? 0)
      : bad();
  if (o.type === 'constant') return constantSchedule(num(o.value, false));
  if (o.type === 'linear') return linearSchedule(num(o.initial, false), num(o.final, true));
  if (o.type === 'cosine') return cosineSchedule(num(o.initial, false), num(o.final, true));
  return bad();
}

/**
 * Inverse of {@link parseSchedule}: a number stays a number; schedules made by
 * {@link constantSchedule}, {@link linearSchedule} and {@link cosineSchedule} become their value,
 * `"lin_<initial>"` (final 0) / `"lin_<initial>_<final>"` or `"cos_<initial>"` /
 * `"cos_<initial>_<final>"`; other functions are written as `"lin_<value at the start>"`.
 */
export function describeSchedule(s: Schedule): number | string {
  if (typeof s === 'number') return s;
  const spec = (s as Partial<DescribedSchedule>).spec;
  if (spec === undefined) return `lin_${s(1)}`;
  if (spec.type === 'constant') return spec.value;
  const prefix = spec.type === 'linear' ? 'lin' : 'cos';
  return spec.final === 0 ? `${prefix}_${spec.initial}` : `${prefix}_${spec.initial}_${spec.final}`;
}
