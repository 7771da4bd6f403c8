import { formatValue } from '../utils/format.js';

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
