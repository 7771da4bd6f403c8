/**
 * Tabular SARSA (Rummery & Niranjan, "On-line Q-learning using connectionist systems", 1994;
 * named by Sutton 1996): on-policy TD control whose target bootstraps from the action the
 * ε-greedy policy actually takes next,
 * Q(s, a) ← Q(s, a) + α [r + γ (1 − terminated) Q(s', a') − Q(s, a)]
 * (Sutton & Barto 2018, §6.4, eq. 6.7).
 */
import { TabularAlgorithm, type TabularOptions } from './tabular-algorithm.js';

/**
 * Tabular SARSA on an env with a Discrete (or one-hot Box) observation space and a Discrete action
 * space. The next action a' is drawn (ε-greedy) before the update and then taken; when the episode
 * is truncated, a' is drawn in the final state for the target and not taken.
 *
 * @example
 * const agent = new SARSA({ env: 'CliffWalking-v0', seed: 0, explorationInitialEps: 0.1, explorationFinalEps: 0.1 });
 * await agent.learn({ totalTimesteps: 50_000 });
 */
export class SARSA extends TabularAlgorithm {
  protected readonly targetUsesNextAction = true;

  /** @throws as {@link TabularAlgorithm}'s constructor. */
  constructor(options: TabularOptions) {
    super('SARSA', options);
  }

  /** Same as `new SARSA(options)`, for symmetry with the other algorithms' `create`. */
  static async create(options: TabularOptions): Promise<SARSA> {
    return new SARSA(options);
  }

  /**
   * Q(s', a') of the next action.
   * @throws RangeError when the next action is missing (an update of a non-terminal transition).
   */
  protected nextValue(nextState: number, nextAction: number | undefined): number {
    if (nextAction === undefined) {
      throw new RangeError('SARSA: nextAction is required for a transition that did not terminate');
    }
    return this.qTable[nextState * this.numActions + nextAction];
  }

  /**
   * Loads an agent saved by `save` (the saved env id, seed and hyperparameters, overridden by
   * `options`), ready to predict or to continue training.
   * @throws Error when `dir` does not hold a SARSA model or its table does not fit the env.
   */
  static async load(dir: string, options: Partial<TabularOptions> = {}): Promise<SARSA> {
    return TabularAlgorithm.loadAgent(dir, 'SARSA', options, (o) => new SARSA(o));
  }
}
