/**
 * Hyperparameters of the tabular algorithms (Q-learning, SARSA): names of Stable-Baselines3's DQN
 * in camelCase (`learningRate`, `gamma`, `explorationFraction`, `explorationInitialEps`,
 * `explorationFinalEps`).
 *
 * Source: Proximal; the ε-greedy decay is SB3's `get_linear_fn(start, end, end_fraction)`.
 */

import { explorationSpecs } from '../common/hyperparameters.js';
import type { Schedule } from '../common/schedules.js';
import {
  defaultsOf,
  type HyperparameterSchema,
  resolveHyperparameters,
  serializeHyperparameters,
} from '../common/schema.js';

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

/**
 * The tabular algorithms' hyperparameter schema (SB3 DQN's exploration defaults; α = 0.1 and
 * γ = 0.99): validation, defaults, saved configs and CLI flags come from it.
 */
export const TABULAR_SCHEMA: HyperparameterSchema = [
  {
    key: 'learningRate',
    kind: 'number',
    schedule: true,
    range: { min: 0, max: 1, minOpen: true },
    default: 0.1,
    help: 'step size α of the TD update; a number or a schedule lin_<x> / cos_<x>',
  },
  {
    key: 'gamma',
    kind: 'number',
    range: { min: 0, max: 1 },
    default: 0.99,
    help: 'discount factor γ',
  },
  explorationSpecs.initialEps(),
  explorationSpecs.finalEps(),
  explorationSpecs.fraction(),
];

/** Defaults (from {@link TABULAR_SCHEMA}). */
export const TABULAR_DEFAULTS: Readonly<TabularHyperparameters> = Object.freeze(
  defaultsOf<TabularHyperparameters>(TABULAR_SCHEMA),
);

/** The hyperparameter names, in the order of {@link TabularHyperparameters}. */
export const TABULAR_HYPERPARAMETER_KEYS: readonly (keyof TabularHyperparameters)[] = Object.freeze(
  TABULAR_SCHEMA.map((s) => s.key as keyof TabularHyperparameters),
);

/**
 * The defaults with the user's defined values over them, validated against {@link TABULAR_SCHEMA}.
 * `learningRate` may also be given in a JSON form of `parseSchedule` (`"lin_0.5"`,
 * `{ type: 'cosine', ... }`).
 * @throws RangeError naming the first invalid hyperparameter with its expected range and value.
 */
export function resolveTabularHyperparameters(
  user: Partial<Record<keyof TabularHyperparameters, unknown>>,
): TabularHyperparameters {
  return resolveHyperparameters<TabularHyperparameters>(TABULAR_SCHEMA, user);
}

/** JSON form of the hyperparameters (the learning rate as a number or "lin_x" / "cos_x"). */
export function serializeTabularHyperparameters(h: TabularHyperparameters): Record<string, unknown> {
  return serializeHyperparameters(TABULAR_SCHEMA, h);
}
/**
 * SB3's `get_linear_fn(initial, final, fraction)` at the given progress (0 at the start, 1 at the
 * end): linear from `initial` to `final` over the first `fraction` of training, then `final`.
 */
export function linearDecay(initial: number, final: number, fraction: number, progress: number): number {
  if (progress >= fraction) return final;
  return initial + (progress * (final - initial)) / fraction;
}
