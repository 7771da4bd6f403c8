/**
 * GridWorld: a small deterministic maze with a goal (+10), a trap (−10) and walls, whose states
 * are observed as one-hot vectors. Its default is the 2×3 maze used to introduce MDPs (registered
 * as `Maze2x3-v0`): six positions observed as one-hot vectors, moves up/down/left/right that walls
 * and the border block, +10 for reaching the goal, −10 for reaching the trap, 0 otherwise.
 *
 * Source: Proximal (a textbook grid world: Sutton & Barto ch. 3-4 style, deterministic moves,
 * walls and borders block, terminal goal and trap). The maze's size, one-hot states, moves and
 * rewards follow the classic 2×3 maze example of introductions to RL for LLMs; its picture is not
 * given in words there, so the placement of start, trap, goal and wall is Proximal's: start at
 * (0, 0) with the trap right below it (moving down from the start is the bad move), the goal at
 * (1, 2) behind a wall that closes it off from (0, 2).
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
  /**
   * Thin walls between two side-by-side cells, each `[[row, col], [row, col]]`: a move across one
   * stays in place, as a move into a '#' cell does. Default: {@link GRID_WORLD_DEFAULT_WALLS} when
   * `layout` is not given, none when it is.
   */
  walls?: readonly GridWall[];
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

/** A thin wall between two side-by-side cells `[[row, col], [row, col]]`. */
export type GridWall = readonly [readonly [number, number], readonly [number, number]];

/**
 * The default layout, the 2×3 maze: start (0, 0), trap (1, 0) right below it, goal (1, 2); with
 * {@link GRID_WORLD_DEFAULT_WALLS}. Shortest path: right, down, right (return +10 in 3 steps).
 */
export const GRID_WORLD_DEFAULT_LAYOUT: readonly string[] = Object.freeze(['S..', 'T.G']);

/** The default maze's one wall, between (0, 2) and the goal (1, 2) below it. */
export const GRID_WORLD_DEFAULT_WALLS: readonly GridWall[] = Object.freeze([
  Object.freeze([Object.freeze([0, 2]), Object.freeze([1, 2])]) as GridWall,
]);

/**
 * A deterministic grid world (registered as `GridWorld-v0` and, with its default maze, as
 * `Maze2x3-v0`; both 100 steps).
 *
 * - States: the non-wall cells in row-major order (`cells[s]` = [row, col]); observation: the
 *   one-hot `Float32Array(numStates)` of the state (`Box(0, 1, (numStates,))`); the default maze
 *   has 6 states, its 2×3 cells.
 * - Action: `Discrete(4)`: 0 up, 1 right, 2 down, 3 left; moving into a wall ('#' cell or thin
 *   wall) or the border stays.
 * - Reward: `goalReward` on entering G, `trapReward` on entering T (both terminal), else `stepReward`.
 * - Reset: the 'S' cell; `reset({ options: { layout } })` is not supported — pass `layout` to `make`.
 *   `P`, `cells` and {@link stateOf} give the model for dynamic programming.
 * - Rendering (`renderMode`): `'ansi'`, the layout with the agent's cell shown as 'A' (with thin
 *   walls, the cells are spaced out: '|' marks a wall between side-by-side cells and '-', on a line
 *   between two rows, a wall under a cell); `'rgb_array'` / `'svg'`, the layout as flat-coloured
 *   64 px cells with the agent as a disc and thin walls as thick dark lines.
 */
export class GridWorld extends TabularEnv<Float32Array> {
  readonly layout: readonly string[];
  /** The thin walls. */
  readonly walls: readonly GridWall[];
  /** [row, col] of each state. */
  readonly cells: readonly (readonly [number, number])[];
  readonly observationSpace: Box;
  /** Render modes `'ansi'`, `'rgb_array'` and `'svg'`, 4 frames per second. */
  readonly metadata: EnvMetadata = { renderModes: [...GRID_RENDER_MODES], renderFps: 4 };
  private readonly index: Map<string, number>;

  /**
   * @throws TypeError for an unknown option or a non-numeric reward; RangeError for a layout that is
   *   not a rectangle of S . # G T with exactly one 'S', or a wall that is not a pair of
   *   side-by-side cells inside the grid; TypeError / RangeError naming `renderMode` when it is not
   *   one of `metadata.renderModes`.
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
    checkOptionKeys(
      options,
      ['layout', 'walls', 'goalReward', 'trapReward', 'stepReward', 'renderMode'],
      'GridWorld',
    );
    const walls = options.walls ?? (options.layout === undefined ? GRID_WORLD_DEFAULT_WALLS : []);
    const blockedEdges = checkWalls(walls, layout.length, layout[0].length);
    this.initRenderMode(options.renderMode);
    const goal = numberOption(options.goalReward, 10, 'GridWorld: goalReward');
    const trap = numberOption(options.trapReward, -10, 'GridWorld: trapReward');
    const step = numberOption(options.stepReward, 0, 'GridWorld: stepReward');
    this.layout = Object.freeze([...layout]);
    this.walls = Object.freeze(
      walls.map(
        ([a, b]) => Object.freeze([Object.freeze([a[0], a[1]]), Object.freeze([b[0], b[1]])]) as GridWall,
      ),
    );
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
          rr < 0 ||
          rr >= layout.length ||
          cc < 0 ||
          cc >= layout[0].length ||
          layout[rr][cc] === '#' ||
          blockedEdges.has(edgeKey(r, c, rr, cc));
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

  /** The layout with the agent's cell shown as 'A' (spaced out, with '|' and '-', when there are thin walls). */
  protected override sceneText(): string {
    const [ar, ac] = this.cells[this.s];
    const rows = this.layout.map((row) => [...row]);
    rows[ar][ac] = 'A';
    if (this.walls.length === 0) return `${rows.map((r) => r.join('')).join('\n')}\n`;
    const blocked = new Set(this.walls.map(([a, b]) => edgeKey(a[0], a[1], b[0], b[1])));
    const cols = this.layout[0].length;
    const lines: string[] = [];
    rows.forEach((row, r) => {
      if (r > 0) {
        const under = Array.from({ length: cols }, (_, c) =>
          blocked.has(edgeKey(r - 1, c, r, c)) ? '-' : ' ',
        );
        lines.push(under.join(' ').trimEnd());
      }
      lines.push(
        row
          .map((ch, c) => (c === 0 ? ch : `${blocked.has(edgeKey(r, c - 1, r, c)) ? '|' : ' '}${ch}`))
          .join(''),
      );
    });
    return `${lines.join('\n')}\n`;
  }

  /** The layout as flat-coloured 64 px cells with the agent and the thin walls (see {@link gridSvg}). */
  protected override sceneSvg(): string {
    return gridSvg(this.layout, 64, this.cells[this.s], this.walls);
  }
}

/** An order-independent key of the edge between cells (r1, c1) and (r2, c2). */
function edgeKey(r1: number, c1: number, r2: number, c2: number): string {
  return r1 < r2 || (r1 === r2 && c1 < c2) ? `${r1},${c1}|${r2},${c2}` : `${r2},${c2}|${r1},${c1}`;
}

/**
 * Checks thin walls against a rows × cols grid and returns their edge keys.
 * @throws RangeError naming `walls[i]` when an entry is not a pair of side-by-side cells inside the grid.
 */
function checkWalls(walls: readonly GridWall[], rows: number, cols: number): Set<string> {
  if (!Array.isArray(walls))
    throw new RangeError(`GridWorld: walls must be an array, got ${formatValue(walls)}`);
  const keys = new Set<string>();
  walls.forEach((w, i) => {
    const inside = (p: unknown): p is readonly [number, number] =>
      Array.isArray(p) &&
      p.length === 2 &&
      Number.isInteger(p[0]) &&
      Number.isInteger(p[1]) &&
      p[0] >= 0 &&
      p[0] < rows &&
      p[1] >= 0 &&
      p[1] < cols;
    const ok =
      Array.isArray(w) &&
      w.length === 2 &&
      inside(w[0]) &&
      inside(w[1]) &&
      Math.abs(w[0][0] - w[1][0]) + Math.abs(w[0][1] - w[1][1]) === 1;
    if (!ok) {
      throw new RangeError(
        `GridWorld: walls[${i}] must be [[row, col], [row, col]] of two side-by-side cells of the ${rows}x${cols} grid, got ${formatValue(w)}`,
      );
    }
    keys.add(edgeKey(w[0][0], w[0][1], w[1][0], w[1][1]));
  });
  return keys;
}
