/**
 * Merging and validation shared by the on-policy algorithms' hyperparameters (PPO, TRPO).
 *
 * Source: Proximal. Names and defaults follow Stable-Baselines3 / sb3-contrib in camelCase.
 */
import type { OnPolicyHyperparameters } from './on-policy.js';

/** True for a finite integer > 0. */
export function isPosInt(x: unknown): boolean {
  return typeof x === 'number' && Number.isInteger(x) && x > 0;
}

/**
 * Throws unless `cond` holds.
 * @throws RangeError `"<name> must be <expected>, got <value as JSON>"`.
 */
export function need(cond: boolean, name: string, expected: string, value: unknown): void {
  if (!cond) throw new RangeError(`${name} must be ${expected}, got ${JSON.stringify(value)}`);
}

/**
 * `defaults` with the user's defined values over them (`undefined` entries are ignored, so an unset
 * CLI flag keeps the default); `policyKwargs` is merged one level deeper.
 */
export function mergeHyperparameters<H extends OnPolicyHyperparameters>(defaults: H, user: Partial<H>): H {
  const clean = Object.fromEntries(Object.entries(user).filter(([, v]) => v !== undefined)) as Partial<H>;
  const h: H = { ...defaults, ...clean };
  h.policyKwargs = { ...defaults.policyKwargs, ...(user.policyKwargs ?? {}) };
  return h;
}

/**
 * Validates the hyperparameters every on-policy algorithm has: `nSteps` (positive integer),
 * `gamma` and `gaeLambda` (in [0, 1]), `useSde` (boolean), `sdeSampleFreq` (integer; ≤ 0 means
 * once per rollout) and `policyKwargs.netArch` (positive integers, or `{ shared?, pi, vf }`).
 * @throws RangeError naming the first invalid one with its expected range and value.
 */
export function checkOnPolicyHyperparameters(h: OnPolicyHyperparameters): void {
  need(isPosInt(h.nSteps), 'nSteps', 'a positive integer', h.nSteps);
  need(h.gamma >= 0 && h.gamma <= 1, 'gamma', 'in [0, 1]', h.gamma);
  need(h.gaeLambda >= 0 && h.gaeLambda <= 1, 'gaeLambda', 'in [0, 1]', h.gaeLambda);
  need(typeof h.useSde === 'boolean', 'useSde', 'a boolean', h.useSde);
  need(
    Number.isInteger(h.sdeSampleFreq),
    'sdeSampleFreq',
    'an integer (≤ 0: once per rollout)',
    h.sdeSampleFreq,
  );
  const arch = h.policyKwargs.netArch ?? [];
  const archOk = (a: unknown) => Array.isArray(a) && a.every(isPosInt);
  need(
    Array.isArray(arch)
      ? archOk(arch)
      : archOk(arch.pi) && archOk(arch.vf) && (arch.shared === undefined || archOk(arch.shared)),
    'policyKwargs.netArch',
    'an array of positive integers or { shared?: number[], pi: number[], vf: number[] }',
    arch,
  );
}
