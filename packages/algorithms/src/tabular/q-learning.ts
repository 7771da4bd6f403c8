/**
 * Tabular Q-learning (Watkins 1989; Watkins & Dayan, "Q-learning", Machine Learning 8, 1992):
 * off-policy TD control whose target bootstraps from the best next action,
 * Q(s, a) ← Q(s, a) + α [r + γ (1 − terminated) max_a' Q(s', a') − Q(s, a)]
 * (Sutton & Barto 2018, §6.5, eq. 6.8).
 */
import { TabularAlgorithm, type TabularOptions } from './tabular-algorithm.js';

/**
 * Tabular Q-learning on an env with a Discrete (or one-hot Box) observation space and a Discrete
 * action space; exploration is ε-greedy with SB3 DQN's linear ε decay (see {@link TabularAlgorithm}).
 *
 * @example
 * const agent = new QLearning({ env: make('FrozenLake-v1', { isSlippery: false }), seed: 0 });
 * await agent.learn({ totalTimesteps: 20_000 });
 * agent.predict(0); // greedy action in state 0
 */
export class QLearning extends TabularAlgorithm {
  protected readonly targetUsesNextAction = false;

  /** @throws as {@link TabularAlgorithm}'s constructor. */
  constructor(options: TabularOptions) {
    super('QLearning', options);
  }

  /** Same as `new QLearning(options)`, for symmetry with the other algorithms' `create`. */
  static async create(options: TabularOptions): Promise<QLearning> {
    return new QLearning(options);
  }

  /** max_a' Q(s', a'). */
  protected nextValue(nextState: number): number {
    return this.maxValue(nextState);
  }

  /**
   * Loads an agent saved by `save` (the saved env id, seed and hyperparameters, overridden by
   * `options`), ready to predict or to continue training.
   * @throws Error when `dir` does not hold a QLearning model or its table does not fit the env.
   */
  static async load(dir: string, options: Partial<TabularOptions> = {}): Promise<QLearning> {
    return TabularAlgorithm.loadAgent(dir, 'QLearning', options, (o) => new QLearning(o));
  }
}
