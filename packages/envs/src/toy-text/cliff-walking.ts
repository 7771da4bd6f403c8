/**
 * CliffWalking: walk from the bottom-left corner to the bottom-right one of a 4×12 grid without
 * stepping off the cliff between them (Sutton & Barto, Example 6.6).
 *
 * Source: Gymnasium 1.x, `gymnasium/envs/toy_text/cliffwalking.py` (`CliffWalkingEnv`,
 * `_calculate_transition_prob`, `is_slippery`).
 */
import { booleanOption, checkOptionKeys } from '../classic-control/classic-env.js';
import type { EnvMetadata } from '../env.js';
import { GRID_RENDER_MODES, type RenderMode } from '../rendering/render-mode.js';
import { gridSvg } from '../rendering/scenes/grid.js';
import { Discrete } from '../spaces/discrete.js';
import { GRID_MOVES, TabularEnv } from './tabular-env.js';

/** Options of {@link CliffWalking}. */
export interface CliffWalkingOptions {
  /** Default false: when true, the move goes in the intended direction or either perpendicular one, 1/3 each. */
  isSlippery?: boolean;
  /**
   * What `render()` returns (Gymnasium's `render_mode`): `'ansi'` the grid as text, `'rgb_array'`
   * an `RgbaFrame`, `'svg'` an SVG string; default undefined (no rendering; `render()` warns and
   * returns undefined).
   */
  renderMode?: RenderMode;
}

/** The grid's cells: S start, C cliff, G goal, o the others. */
const CLIFF_MAP: readonly string[] = Object.freeze([
  'oooooooooooo',
  'oooooooooooo',
  'oooooooooooo',
  'SCCCCCCCCCCG',
]);

/**
 * The CliffWalking environment (Gymnasium `CliffWalkingEnv`, registered as `CliffWalking-v0`).
 *
 * - Observation: `Discrete(48)`, the state `row · 12 + col`; start 36 (row 3, col 0), goal 47.
 * - Action: `Discrete(4)`: 0 up, 1 right, 2 down, 3 left; moves into the border stay in place.
 * - Reward: −1 per step; −100 for stepping into the cliff (row 3, cols 1–10), which sends the agent
 *   back to the start without ending the episode. Terminated on reaching the goal.
 * - Rendering (`renderMode`): `'ansi'`, Gymnasium's text (`x` the agent, `C` the cliff, `T` the
 *   goal, `o` other cells); `'rgb_array'` / `'svg'`, a 720x240 picture of 60 px cells (Gymnasium's
 *   size) in flat colours with the agent as a disc (Gymnasium draws sprites).
 */
export class CliffWalking extends TabularEnv<number> {
  readonly shape = [4, 12] as const;
  /** The start state, 36. */
  readonly startState = 36;
  /** The goal state, 47. */
  readonly goalState = 47;
  readonly isSlippery: boolean;
  readonly observationSpace = new Discrete(48);
  /** Render modes `'ansi'`, `'rgb_array'` and `'svg'`; `renderFps` is Gymnasium's 4. */
  readonly metadata: EnvMetadata = { renderModes: [...GRID_RENDER_MODES], renderFps: 4 };

  /**
   * @throws TypeError for an unknown option or a non-boolean `isSlippery`; TypeError / RangeError
   *   naming `renderMode` when it is not one of `metadata.renderModes`.
   */
  constructor(options: CliffWalkingOptions = {}) {
    super(48, 4, 'CliffWalking');
    checkOptionKeys(options, ['isSlippery', 'renderMode'], 'CliffWalking');
    this.initRenderMode(options.renderMode);
    this.isSlippery = booleanOption(options.isSlippery, false, 'CliffWalking: isSlippery');
    this.initialStateDistribution[this.startState] = 1;
    for (let s = 0; s < 48; s++) {
      const row = Math.floor(s / 12);
      const col = s % 12;
      for (let a = 0; a < 4; a++) {
        const moves = this.isSlippery ? [(a + 3) % 4, a, (a + 1) % 4] : [a];
        for (const b of moves) {
          const r = Math.min(Math.max(row + GRID_MOVES[b][0], 0), 3);
          const c = Math.min(Math.max(col + GRID_MOVES[b][1], 0), 11);
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
  protected override sceneText(): string {
    const text = (ch: string) => (ch === 'C' ? ' C ' : ch === 'G' ? ' T ' : ' o ');
    const lines = CLIFF_MAP.map((row, r) =>
      [...row].map((ch, c) => (r * 12 + c === this.s ? ' x ' : text(ch))).join(''),
    );
    return `${lines.join('\n')}\n`;
  }

  /** The grid as flat-coloured 60 px cells with the agent (see {@link gridSvg}). */
  protected override sceneSvg(): string {
    return gridSvg(CLIFF_MAP, 60, [Math.floor(this.s / 12), this.s % 12]);
  }
}
