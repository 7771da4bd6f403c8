/**
 * Hyperparameters of the tabular algorithms (Q-learning, SARSA): names of Stable-Baselines3's DQN
 * in camelCase (`learningRate`, `gamma`, `explorationFraction`, `explorationInitialEps`,
 * `explorationFinalEps`).
 *
 * Source: Proximal; the ε-greedy decay is SB3's `get_linear_fn(start, end, end_fraction)`.
 */
import { need } from '../common/hyperparameters.js';
import { describeSchedule, parseSchedule, type Schedule, type ScheduleSpec } from '../common/schedules.js';

/** Hyperparameters of {@link TabularAlgorithm} (Q-learning and SARSA). */
export interface TabularHyperparameters {
  /** Step size α of the update, in (0, 1]; constant or a schedule of the remaining progress. Default 0.1. */
  learningRate: Schedule;
  /** Discount factor γ in [0, 1]. Default 0.99. */
  gamma: number;
  /** ε at the start of training, in [0, 1]. Default 1. */
  explorationInitialEps: number;
  /** ε after the decay, in [0, 1]. Default 0.05. */
  explorationFinalEps: number;
  /** Fraction of `totalTimesteps` over which ε falls linearly from initial to final, in [0, 1]. Default 0.1. */
  explorationFraction: number;
}

/** Defaults (SB3 DQN's exploration defaults; α = 0.1 and γ = 0.99). */
export const TABULAR_DEFAULTS: Readonly<TabularHyperparameters> = Object.freeze({
  learningRate: 0.1,
  gamma: 0.99,
  explorationInitialEps: 1,
  explorationFinalEps: 0.05,
  explorationFraction: 0.1,
});

/** The hyperparameter names, in the order of {@link TabularHyperparameters}. */
export const TABULAR_HYPERPARAMETER_KEYS: readonly (keyof TabularHyperparameters)[] = Object.freeze([
  'learningRate',
  'gamma',
  'explorationInitialEps',
  'explorationFinalEps',
  'explorationFraction',
]);

/**
 * The defaults with the user's defined values over them, validated. `learningRate` may also be
 * given in a JSON form of {@link parseSchedule} (`"lin_0.5"`, `{ type: 'cosine', ... }`).
 * @throws RangeError naming the first invalid hyperparameter with its expected range and value.
 */
export function resolveTabularHyperparameters(
  user: Partial<Record<keyof TabularHyperparameters, unknown>>,
): TabularHyperparameters {
  const h = { ...TABULAR_DEFAULTS } as TabularHyperparameters;
  for (const k of TABULAR_HYPERPARAMETER_KEYS)
    if (user[k] !== undefined) (h as unknown as Record<string, unknown>)[k] = user[k];
  if (typeof h.learningRate !== 'function') {
    h.learningRate = parseSchedule(h.learningRate as number | string | ScheduleSpec, 'learningRate');
  }
  const lr = h.learningRate;
  need(
    typeof lr === 'function' || (lr > 0 && lr <= 1),
    'learningRate',
    'in (0, 1] or a schedule',
    describeSchedule(lr),
  );
  const unit = (x: unknown) => typeof x === 'number' && x >= 0 && x <= 1;
  need(unit(h.gamma), 'gamma', 'in [0, 1]', h.gamma);
  need(unit(h.explorationInitialEps), 'explorationInitialEps', 'in [0, 1]', h.explorationInitialEps);
  need(unit(h.explorationFinalEps), 'explorationFinalEps', 'in [0, 1]', h.explorationFinalEps);
  need(unit(h.explorationFraction), 'explorationFraction', 'in [0, 1]', h.explorationFraction);
  return h;
}

/** JSON form of the hyperparameters (the learning rate as a number or "lin_x" / "cos_x"). */
export function serializeTabularHyperparameters(h: TabularHyperparameters): Record<string, unknown> {
  return { ...h, learningRate: describeSchedule(h.learningRate) };
}

/**
 * SB3's `get_linear_fn(initial, final, fraction)` at the given progress (0 at the start, 1 at the
 * end): linear from `initial` to `final` over the first `fraction` of training, then `final`.
 */
export function linearDecay(initial: number, final: number, fraction: number, progress: number): number {
  if (progress >= fraction) return final;
  return initial + (progress * (final - initial)) / fraction;
}
