/**
 * GridWorld: a small deterministic maze with a goal (+10), a trap (−10) and walls, whose states
 * are observed as one-hot vectors — the 2×3 example maze used to introduce value functions.
 *
 * Source: Proximal (a textbook grid world: Sutton & Barto ch. 3-4 style, deterministic moves,
 * walls and borders block, terminal goal and trap).
 */
import { checkOptionKeys, numberOption } from '../classic-control/classic-env.js';
import type { EnvMetadata } from '../env.js';
import { GRID_RENDER_MODES, type RenderMode } from '../rendering/render-mode.js';
import { gridSvg } from '../rendering/scenes/grid.js';
import { Box } from '../spaces/box.js';
import { formatValue } from '../utils/format.js';
import { GRID_MOVES, TabularEnv } from './tabular-env.js';

/** Options of {@link GridWorld}. */
export interface GridWorldOptions {
  /**
   * Rows of 'S' (start), '.' (free), '#' (wall), 'G' (goal, +goalReward, terminal), 'T' (trap,
   * +trapReward, terminal). Default {@link GRID_WORLD_DEFAULT_LAYOUT}.
   */
  layout?: readonly string[];
  /** Default 10. */
  goalReward?: number;
  /** Default −10. */
  trapReward?: number;
  /** Reward of every other step (default 0). */
  stepReward?: number;
  /**
   * What `render()` returns: `'ansi'` the layout as text, `'rgb_array'` an `RgbaFrame`, `'svg'` an
   * SVG string; default undefined (no rendering; `render()` warns and returns undefined).
   */
  renderMode?: RenderMode;
}

/** The default 2×3 maze: start top-left, goal top-right, a wall and a trap in the bottom row. */
export const GRID_WORLD_DEFAULT_LAYOUT: readonly string[] = Object.freeze(['S.G', '.#T']);

/**
 * A deterministic grid world (registered as `GridWorld-v0`, 100 steps).
 *
 * - States: the non-wall cells in row-major order (`cells[s]` = [row, col]); observation: the
 *   one-hot `Float32Array(numStates)` of the state (`Box(0, 1, (numStates,))`).
 * - Action: `Discrete(4)`: 0 up, 1 right, 2 down, 3 left; moving into a wall or the border stays.
 * - Reward: `goalReward` on entering G, `trapReward` on entering T (both terminal), else `stepReward`.
 * - Reset: the 'S' cell; `reset({ options: { layout } })` is not supported — pass `layout` to `make`.
 *   `P`, `cells` and {@link stateOf} give the model for dynamic programming.
 * - Rendering (`renderMode`): `'ansi'`, the layout with the agent's cell shown as 'A';
 *   `'rgb_array'` / `'svg'`, the layout as flat-coloured 64 px cells with the agent as a disc.
 */
export class GridWorld extends TabularEnv<Float32Array> {
  readonly layout: readonly string[];
  /** [row, col] of each state. */
  readonly cells: readonly (readonly [number, number])[];
  readonly observationSpace: Box;
  /** Render modes `'ansi'`, `'rgb_array'` and `'svg'`, 4 frames per second. */
  readonly metadata: EnvMetadata = { renderModes: [...GRID_RENDER_MODES], renderFps: 4 };
  private readonly index: Map<string, number>;

  /**
   * @throws TypeError for an unknown option or a non-numeric reward; RangeError for a layout that is
   *   not a rectangle of S . # G T with exactly one 'S'; TypeError / RangeError naming `renderMode`
   *   when it is not one of `metadata.renderModes`.
   */
  constructor(options: GridWorldOptions = {}) {
    const layout = options.layout ?? GRID_WORLD_DEFAULT_LAYOUT;
    if (
      !Array.isArray(layout) ||
      layout.length === 0 ||
      !layout.every((r) => typeof r === 'string' && /^[S.#GT]+$/.test(r) && r.length === layout[0].length)
    ) {
      throw new RangeError(
        `GridWorld: layout must be equal-length rows of S . # G T, got ${formatValue(layout)}`,
      );
    }
    const cells: [number, number][] = [];
    layout.forEach((row, r) => {
      [...row].forEach((ch, c) => {
        if (ch !== '#') cells.push([r, c]);
      });
    });
    super(cells.length, 4, 'GridWorld');
    checkOptionKeys(options, ['layout', 'goalReward', 'trapReward', 'stepReward', 'renderMode'], 'GridWorld');
    this.initRenderMode(options.renderMode);
    const goal = numberOption(options.goalReward, 10, 'GridWorld: goalReward');
    const trap = numberOption(options.trapReward, -10, 'GridWorld: trapReward');
    const step = numberOption(options.stepReward, 0, 'GridWorld: stepReward');
    this.layout = Object.freeze([...layout]);
    this.cells = Object.freeze(cells.map((c) => Object.freeze(c)));
    this.index = new Map(cells.map(([r, c], s) => [`${r},${c}`, s]));
    this.observationSpace = new Box(0, 1, [cells.length]);
    const starts = cells.filter(([r, c]) => layout[r][c] === 'S');
    if (starts.length !== 1)
      throw new RangeError(`GridWorld: layout must have exactly one 'S', got ${starts.length}`);
    this.initialStateDistribution[this.stateOf(starts[0][0], starts[0][1])] = 1;
    cells.forEach(([r, c], s) => {
      const here = layout[r][c];
      for (let a = 0; a < 4; a++) {
        if (here === 'G' || here === 'T') {
          this.P[s][a].push({ probability: 1, nextState: s, reward: 0, terminated: true });
          continue;
        }
        const rr = r + GRID_MOVES[a][0];
        const cc = c + GRID_MOVES[a][1];
        const blocked =
          rr < 0 || rr >= layout.length || cc < 0 || cc >= layout[0].length || layout[rr][cc] === '#';
        const next = blocked ? s : this.stateOf(rr, cc);
        const ch = layout[this.cells[next][0]][this.cells[next][1]];
        const terminal = ch === 'G' || ch === 'T';
        this.P[s][a].push({
          probability: 1,
          nextState: next,
          reward: ch === 'G' ? goal : ch === 'T' ? trap : step,
          terminated: terminal,
        });
      }
    });
  }

  /**
   * The state of cell (row, col).
   * @throws RangeError when the cell is a wall or outside the grid.
   */
  stateOf(row: number, col: number): number {
    const s = this.index.get(`${row},${col}`);
    if (s === undefined) throw new RangeError(`GridWorld: (${row}, ${col}) is not a free cell`);
    return s;
  }

  protected override observe(s: number): Float32Array {
    const obs = new Float32Array(this.numStates);
    obs[s] = 1;
    return obs;
  }

  /** The layout with the agent's cell shown as 'A'. */
  protected override sceneText(): string {
    const [ar, ac] = this.cells[this.s];
    const rows = this.layout.map((row, r) =>
      [...row].map((ch, c) => (r === ar && c === ac ? 'A' : ch)).join(''),
    );
    return `${rows.join('\n')}\n`;
  }

  /** The layout as flat-coloured 64 px cells with the agent (see {@link gridSvg}). */
  protected override sceneSvg(): string {
    return gridSvg(this.layout, 64, this.cells[this.s]);
  }
}
