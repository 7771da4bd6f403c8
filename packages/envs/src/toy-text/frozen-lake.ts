/**
 * FrozenLake: cross a frozen lake from the start S to the goal G without falling into a hole H.
 *
 * Source: Gymnasium 1.x, `gymnasium/envs/toy_text/frozen_lake.py` (`FrozenLakeEnv`, `MAPS`,
 * `generate_random_map`, the transition table with `is_slippery`, `success_rate` and
 * `reward_schedule`).
 */
import { Random } from '@proximal/core';
import { booleanOption, checkOptionKeys } from '../classic-control/classic-env.js';
import type { EnvMetadata } from '../env.js';
import { GRID_RENDER_MODES, type RenderMode } from '../rendering/render-mode.js';
import { gridSvg } from '../rendering/scenes/grid.js';
import { Discrete } from '../spaces/discrete.js';
import { formatValue } from '../utils/format.js';
import { TabularEnv } from './tabular-env.js';

/** Gymnasium's fixed maps. */
export const FROZEN_LAKE_MAPS: Readonly<Record<'4x4' | '8x8', readonly string[]>> = Object.freeze({
  '4x4': Object.freeze(['SFFF', 'FHFH', 'FFFH', 'HFFG']),
  '8x8': Object.freeze([
    'SFFFFFFF',
    'FFFFFFFF',
    'FFFHFFFF',
    'FFFFFHFF',
    'FFFHFFFF',
    'FHHFFFHF',
    'FHFFHFHF',
    'FFFHFFFG',
  ]),
});

/** Options of {@link FrozenLake} (Gymnasium's keyword arguments, camelCase). */
export interface FrozenLakeOptions {
  /** Rows of 'S' (start), 'F' (frozen), 'H' (hole), 'G' (goal); overrides `mapName`. */
  desc?: readonly string[];
  /** `'4x4'` (default) or `'8x8'`; ignored when `desc` is given. */
  mapName?: '4x4' | '8x8';
  /** Default true: the move goes in the intended direction with `successRate`, else sideways. */
  isSlippery?: boolean;
  /** Default 1/3: probability of the intended direction when slippery; each perpendicular one gets (1 − p) / 2. */
  successRate?: number;
  /** Default [1, 0, 0]: rewards for reaching the goal, a hole, a frozen tile. */
  rewardSchedule?: readonly [number, number, number];
  /**
   * What `render()` returns (Gymnasium's `render_mode`): `'ansi'` the map as text, `'rgb_array'` an
   * `RgbaFrame`, `'svg'` an SVG string; default undefined (no rendering; `render()` warns and
   * returns undefined).
   */
  renderMode?: RenderMode;
}

const LEFT = 0;
const DOWN = 1;
const RIGHT = 2;
const UP = 3;

/**
 * Gymnasium's `generate_random_map`: a `size × size` map with frozen tiles of probability `p`,
 * start top-left and goal bottom-right, redrawn until a path from S to G exists.
 * @throws RangeError when `size` is not an integer ≥ 2 or `p` is not in (0, 1].
 */
export function generateRandomMap(size = 8, p = 0.8, seed?: number): string[] {
  if (!Number.isSafeInteger(size) || size < 2)
    throw new RangeError(`size must be an integer ≥ 2, got ${size}`);
  if (!(p > 0 && p <= 1)) throw new RangeError(`p must be in (0, 1], got ${p}`);
  const rng = new Random(seed);
  for (;;) {
    const board: string[][] = Array.from({ length: size }, () =>
      Array.from({ length: size }, () => (rng.uniform() < p ? 'F' : 'H')),
    );
    board[0][0] = 'S';
    board[size - 1][size - 1] = 'G';
    if (isValid(board)) return board.map((row) => row.join(''));
  }
}

function isValid(board: string[][]): boolean {
  const n = board.length;
  const seen = new Set<number>([0]);
  const stack = [0];
  while (stack.length > 0) {
    const cell = stack.pop() as number;
    const r = Math.floor(cell / n);
    const c = cell % n;
    for (const [dr, dc] of [
      [1, 0],
      [0, 1],
      [-1, 0],
      [0, -1],
    ]) {
      const rr = r + dr;
      const cc = c + dc;
      if (rr < 0 || rr >= n || cc < 0 || cc >= n) continue;
      const next = rr * n + cc;
      if (seen.has(next) || board[rr][cc] === 'H') continue;
      if (board[rr][cc] === 'G') return true;
      seen.add(next);
      stack.push(next);
    }
  }
  return false;
}

/**
 * The FrozenLake environment (Gymnasium `FrozenLakeEnv`; registered as `FrozenLake-v1` (4x4, 100
 * steps) and `FrozenLake8x8-v1` (8x8, 200 steps)).
 *
 * - Observation: `Discrete(rows · cols)`, the state `row · cols + col`.
 * - Action: `Discrete(4)`: 0 left, 1 down, 2 right, 3 up; moves into the border stay in place.
 * - Slippery (default): the intended direction with probability `successRate` (1/3), each of the
 *   two perpendicular directions with (1 − successRate) / 2.
 * - Reward: 1 for reaching G, 0 otherwise (`rewardSchedule`); terminated on G or H.
 * - Reset: uniformly among the 'S' tiles. `info.prob` is the probability of the sampled outcome.
 * - Rendering (`renderMode`): `'ansi'`, the map with the agent's tile in brackets under the last
 *   action (Gymnasium's text without colours); `'rgb_array'` / `'svg'`, the map as flat-coloured
 *   cells of 64 px (smaller for maps wider or taller than 8 cells, as Gymnasium's 512 px window)
 *   with the agent as a disc (Gymnasium draws sprites).
 */
export class FrozenLake extends TabularEnv<number> {
  /** The map, one string per row. */
  readonly desc: readonly string[];
  readonly nrow: number;
  readonly ncol: number;
  readonly isSlippery: boolean;
  readonly observationSpace: Discrete;
  /** Render modes `'ansi'`, `'rgb_array'` and `'svg'`; `renderFps` is Gymnasium's 4. */
  readonly metadata: EnvMetadata = { renderModes: [...GRID_RENDER_MODES], renderFps: 4 };

  /**
   * @throws TypeError for an unknown option or bad types; RangeError for a map that is not a
   *   rectangle of S/F/H/G without an 'S', an unknown `mapName` or a `successRate` outside [0, 1];
   *   TypeError / RangeError naming `renderMode` when it is not one of `metadata.renderModes`.
   */
  constructor(options: FrozenLakeOptions = {}) {
    const desc = options.desc ?? FROZEN_LAKE_MAPS[options.mapName ?? '4x4'];
    if (desc === undefined) {
      throw new RangeError(`FrozenLake: mapName must be '4x4' or '8x8', got ${formatValue(options.mapName)}`);
    }
    if (
      !Array.isArray(desc) ||
      desc.length === 0 ||
      !desc.every((r) => typeof r === 'string' && /^[SFHG]+$/.test(r))
    ) {
      throw new RangeError(`FrozenLake: desc must be rows of S, F, H and G, got ${formatValue(desc)}`);
    }
    const ncol = desc[0].length;
    if (!desc.every((r) => r.length === ncol))
      throw new RangeError('FrozenLake: desc rows must have equal lengths');
    super(desc.length * ncol, 4, 'FrozenLake');
    checkOptionKeys(
      options,
      ['desc', 'mapName', 'isSlippery', 'successRate', 'rewardSchedule', 'renderMode'],
      'FrozenLake',
    );
    this.initRenderMode(options.renderMode);
    this.desc = Object.freeze([...desc]);
    this.nrow = desc.length;
    this.ncol = ncol;
    this.isSlippery = booleanOption(options.isSlippery, true, 'FrozenLake: isSlippery');
    const successRate = options.successRate ?? 1 / 3;
    if (typeof successRate !== 'number' || !(successRate >= 0 && successRate <= 1)) {
      throw new RangeError(`FrozenLake: successRate must be in [0, 1], got ${formatValue(successRate)}`);
    }
    const schedule = options.rewardSchedule ?? [1, 0, 0];
    this.observationSpace = new Discrete(this.numStates);

    const starts = [...desc.join('')].map((ch) => (ch === 'S' ? 1 : 0));
    const total = starts.reduce<number>((a, b) => a + b, 0);
    if (total === 0) throw new RangeError("FrozenLake: desc has no start tile 'S'");
    starts.forEach((v, i) => {
      this.initialStateDistribution[i] = v / total;
    });

    const move = (row: number, col: number, a: number): [number, number] => {
      if (a === LEFT) col = Math.max(col - 1, 0);
      else if (a === DOWN) row = Math.min(row + 1, this.nrow - 1);
      else if (a === RIGHT) col = Math.min(col + 1, this.ncol - 1);
      else if (a === UP) row = Math.max(row - 1, 0);
      return [row, col];
    };
    const outcome = (row: number, col: number, a: number, probability: number) => {
      const [r, c] = move(row, col, a);
      const letter = desc[r][c];
      const reward = letter === 'G' ? schedule[0] : letter === 'H' ? schedule[1] : schedule[2];
      return { probability, nextState: r * ncol + c, reward, terminated: letter === 'G' || letter === 'H' };
    };
    for (let row = 0; row < this.nrow; row++) {
      for (let col = 0; col < ncol; col++) {
        const s = row * ncol + col;
        for (let a = 0; a < 4; a++) {
          const list = this.P[s][a];
          const letter = desc[row][col];
          if (letter === 'G' || letter === 'H') {
            list.push({ probability: 1, nextState: s, reward: 0, terminated: true });
          } else if (this.isSlippery) {
            for (const b of [(a + 3) % 4, a, (a + 1) % 4]) {
              list.push(outcome(row, col, b, b === a ? successRate : (1 - successRate) / 2));
            }
          } else {
            list.push(outcome(row, col, a, 1));
          }
        }
      }
    }
  }

  /** The map as text with the current tile in brackets (Gymnasium's `'ansi'` render, without colours). */
  protected override sceneText(): string {
    const [row, col] = this.agentCell();
    const lines = this.desc.map((r, i) =>
      [...r].map((ch, j) => (i === row && j === col ? `[${ch}]` : ` ${ch} `)).join(''),
    );
    const names = ['Left', 'Down', 'Right', 'Up'];
    const header = this.lastAction >= 0 ? `  (${names[this.lastAction]})\n` : '';
    return `${header}${lines.join('\n')}\n`;
  }

  /** The map as flat-coloured cells with the agent (see {@link gridSvg}). */
  protected override sceneSvg(): string {
    const cell = Math.min(
      Math.floor(Math.min(64 * this.ncol, 512) / this.ncol),
      Math.floor(Math.min(64 * this.nrow, 512) / this.nrow),
    );
    return gridSvg(this.desc, cell, this.agentCell());
  }

  private agentCell(): [number, number] {
    return [Math.floor(this.s / this.ncol), this.s % this.ncol];
  }
}
