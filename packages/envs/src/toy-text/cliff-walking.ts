/**
 * CliffWalking: walk from the bottom-left corner to the bottom-right one of a 4×12 grid without
 * stepping off the cliff between them (Sutton & Barto, Example 6.6).
 *
 * Source: Gymnasium 1.x, `gymnasium/envs/toy_text/cliffwalking.py` (`CliffWalkingEnv`,
 * `_calculate_transition_prob`, `is_slippery`).
 */
import { checkOptionKeys } from '../classic-control/classic-env.js';
import type { EnvMetadata } from '../env.js';
import { Discrete } from '../spaces/discrete.js';
import { formatValue } from '../utils/format.js';
import { TabularEnv } from './tabular-env.js';

/** Options of {@link CliffWalking}. */
export interface CliffWalkingOptions {
  /** Default false: when true, the move goes in the intended direction or either perpendicular one, 1/3 each. */
  isSlippery?: boolean;
}

const DELTAS: readonly [number, number][] = [
  [-1, 0], // 0 up
  [0, 1], // 1 right
  [1, 0], // 2 down
  [0, -1], // 3 left
];

/**
 * The CliffWalking environment (Gymnasium `CliffWalkingEnv`, registered as `CliffWalking-v0`).
 *
 * - Observation: `Discrete(48)`, the state `row · 12 + col`; start 36 (row 3, col 0), goal 47.
 * - Action: `Discrete(4)`: 0 up, 1 right, 2 down, 3 left; moves into the border stay in place.
 * - Reward: −1 per step; −100 for stepping into the cliff (row 3, cols 1–10), which sends the agent
 *   back to the start without ending the episode. Terminated on reaching the goal.
 */
export class CliffWalking extends TabularEnv<number> {
  readonly shape = [4, 12] as const;
  /** The start state, 36. */
  readonly startState = 36;
  /** The goal state, 47. */
  readonly goalState = 47;
  readonly isSlippery: boolean;
  readonly observationSpace = new Discrete(48);
  readonly metadata: EnvMetadata = { renderModes: ['ansi'], renderFps: 4 };

  /** @throws TypeError for an unknown option or a non-boolean `isSlippery`. */
  constructor(options: CliffWalkingOptions = {}) {
    super(48, 4);
    checkOptionKeys(options, ['isSlippery'], 'CliffWalking');
    this.isSlippery = options.isSlippery ?? false;
    if (typeof this.isSlippery !== 'boolean') {
      throw new TypeError(`CliffWalking: isSlippery must be a boolean, got ${formatValue(this.isSlippery)}`);
    }
    this.initialStateDistribution[this.startState] = 1;
    for (let s = 0; s < 48; s++) {
      const row = Math.floor(s / 12);
      const col = s % 12;
      for (let a = 0; a < 4; a++) {
        const moves = this.isSlippery ? [(a + 3) % 4, a, (a + 1) % 4] : [a];
        for (const b of moves) {
          const r = Math.min(Math.max(row + DELTAS[b][0], 0), 3);
          const c = Math.min(Math.max(col + DELTAS[b][1], 0), 11);
          const p = 1 / moves.length;
          if (this.isCliff(r, c)) {
            this.P[s][a].push({
              probability: p,
              nextState: this.startState,
              reward: -100,
              terminated: false,
            });
          } else {
            const next = r * 12 + c;
            this.P[s][a].push({
              probability: p,
              nextState: next,
              reward: -1,
              terminated: next === this.goalState,
            });
          }
        }
      }
    }
  }

  /** Whether (row, col) is a cliff cell (row 3, cols 1–10). */
  isCliff(row: number, col: number): boolean {
    return row === 3 && col >= 1 && col <= 10;
  }

  /** The grid as text: `x` the agent, `C` the cliff, `T` the goal, `o` other cells. */
  render(): string {
    const lines: string[] = [];
    for (let r = 0; r < 4; r++) {
      let line = '';
      for (let c = 0; c < 12; c++) {
        const s = r * 12 + c;
        line += s === this.s ? ' x ' : this.isCliff(r, c) ? ' C ' : s === this.goalState ? ' T ' : ' o ';
      }
      lines.push(line);
    }
    return `${lines.join('\n')}\n`;
  }
}
