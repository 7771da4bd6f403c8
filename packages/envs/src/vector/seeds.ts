import { formatValue } from '../utils/format.js';
import type { VectorResetOptions } from './vector-env.js';

/** @throws RangeError unless `seed` is a non-negative safe integer, naming it as `name`. */
export function checkSeed(seed: unknown, name: string): void {
  if (typeof seed !== 'number' || !Number.isSafeInteger(seed) || seed < 0) {
    throw new RangeError(`${name} must be a non-negative safe integer, got ${formatValue(seed)}`);
  }
}

/**
 * Validates the `seed` of a vector env's `reset` (Gymnasium 1.x: a number s seeds sub-env i with
 * s + i; an array gives one seed, or undefined, per sub-env) and returns the seed of sub-env i.
 * @throws RangeError for a negative or fractional seed, s + numEnvs − 1 beyond 2^53 − 1, or an
 *   array whose length is not numEnvs.
 */
export function resetSeedOf(seed: unknown, numEnvs: number): (i: number) => number | undefined {
  if (typeof seed === 'number') {
    checkSeed(seed, 'seed');
    checkSeed(seed + numEnvs - 1, 'seed + numEnvs - 1');
    return (i) => seed + i;
  }
  if (seed === undefined) return () => undefined;
  if (!Array.isArray(seed) || seed.length !== numEnvs) {
    const length = Array.isArray(seed) ? seed.length : formatValue(seed);
    throw new RangeError(
      `seed must be a number or an array of numEnvs = ${numEnvs} seeds, got length ${length}`,
    );
  }
  seed.forEach((s, i) => {
    if (s !== undefined) checkSeed(s, `seed[${i}]`);
  });
  return (i) => seed[i] as number | undefined;
}

/** What a vector env's `reset(options)` asks for, see {@link planReset}. */
export interface ResetPlan {
  /** The seed of sub-env i (undefined: none). */
  seedOf: (i: number) => number | undefined;
  /** The options passed on to the sub-envs (`options.options` without `resetMask`), if any. */
  subOptions: Record<string, unknown> | undefined;
  /** Which sub-envs to reset (all when undefined). */
  mask: ArrayLike<unknown> | undefined;
}

/**
 * Splits a vector env's reset options: the seed (`options.seed`, else `pendingSeed`, the
 * constructor's seed not used yet) via {@link resetSeedOf}, and `options.options` into the
 * `resetMask` (checked by `checkMask`) and the options given to the sub-envs.
 * @throws what {@link resetSeedOf} and `checkMask` throw.
 */
export function planReset(
  options: VectorResetOptions,
  pendingSeed: number | undefined,
  numEnvs: number,
  checkMask: (mask: unknown) => ArrayLike<unknown>,
): ResetPlan {
  let seed = options.seed;
  if (seed === undefined && pendingSeed !== undefined) seed = pendingSeed;
  const seedOf = resetSeedOf(seed, numEnvs);
  let subOptions = options.options;
  let mask: ArrayLike<unknown> | undefined;
  if (subOptions !== undefined && 'resetMask' in subOptions) {
    const { resetMask, ...rest } = subOptions;
    mask = checkMask(resetMask);
    subOptions = Object.keys(rest).length > 0 ? rest : undefined;
  }
  return { seedOf, subOptions, mask };
}
