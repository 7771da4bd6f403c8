/**
 * A hyperparameter that may change during training: a constant, or a function of the remaining
 * progress (1 at the start of `learn`, 0 at the end), as SB3's `Schedule`.
 */
export type Schedule = number | ((progressRemaining: number) => number);

/** SB3's `linear_schedule`: `initial * progressRemaining`, from `initial` down to 0. */
export function linearSchedule(initial: number): (progressRemaining: number) => number {
  return (p) => initial * p;
}

/** Evaluates a {@link Schedule} at the given remaining progress. */
export function scheduleValue(s: Schedule, progressRemaining: number): number {
  return typeof s === 'function' ? s(progressRemaining) : s;
}

/** A JSON description of a schedule, for config files: `0.001` or `"lin_0.001"` (the RL Zoo's notation). */
export function parseSchedule(value: number | string): Schedule {
  if (typeof value === 'number') return value;
  const m = /^lin_([0-9.eE+-]+)$/.exec(value);
  const n = Number(m ? m[1] : value);
  if (!Number.isFinite(n))
    throw new RangeError(`schedule must be a number or "lin_<number>", got ${JSON.stringify(value)}`);
  return m ? linearSchedule(n) : n;
}

/** Inverse of {@link parseSchedule} for schedules made by it (functions made elsewhere serialize as their initial value). */
export function describeSchedule(s: Schedule): number | string {
  return typeof s === 'number' ? s : `lin_${s(1)}`;
}
