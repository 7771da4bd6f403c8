/**
 * The toy-text grid picture (FrozenLake, CliffWalking, GridWorld): one flat-coloured square per
 * cell, chosen by the cell's letter, and the agent as an orange disc.
 *
 * Source: Proximal. Gymnasium 1.x draws FrozenLake and CliffWalking with sprites
 * (`frozen_lake.py` and `cliffwalking.py`, `_render_gui`) on square cells of 64 px (FrozenLake, a
 * window of at most 512 px) and 60 px (CliffWalking); this picture keeps their layout and cell
 * sizes, with flat colours instead of the sprites. Coordinates are y-down, origin top-left.
 */
import { circle, polyline, type Rgb, rect, svgDocument } from '../svg.js';

/**
 * The colour of each cell letter: S start, F frozen / `.` free / `o` plain, H hole, C cliff,
 * G goal, T trap, `#` wall. Other letters are drawn as plain cells.
 */
export const GRID_COLOURS: Readonly<Record<string, Rgb>> = Object.freeze({
  S: [200, 200, 200],
  F: [214, 234, 248],
  '.': [245, 245, 245],
  o: [245, 245, 245],
  H: [35, 65, 115],
  C: [110, 80, 60],
  G: [245, 200, 50],
  T: [190, 50, 50],
  '#': [70, 70, 70],
});

const AGENT_COLOUR: Rgb = [235, 110, 20];
const LINE_COLOUR: Rgb = [150, 150, 150];
const WALL_COLOUR: Rgb = [40, 40, 40];

/**
 * The grid picture as an SVG document of `cols · cellSize` × `rows · cellSize` pixels.
 * @param rows the map, one string per row, one letter per cell (see {@link GRID_COLOURS}).
 * @param cellSize the side of a cell, pixels.
 * @param agent the agent's cell `[row, col]`, or undefined to draw none.
 * @param walls thin walls between side-by-side cells, each `[[row, col], [row, col]]`, drawn as
 *   dark lines of `cellSize / 10` px on the cells' shared edge (default none).
 */
export function gridSvg(
  rows: readonly string[],
  cellSize: number,
  agent?: readonly [number, number],
  walls: readonly (readonly [readonly [number, number], readonly [number, number]])[] = [],
): string {
  const cols = rows[0]?.length ?? 0;
  const parts: string[] = [];
  rows.forEach((line, r) => {
    for (let c = 0; c < line.length; c++) {
      const fill = GRID_COLOURS[line[c]] ?? GRID_COLOURS.o;
      parts.push(rect(c * cellSize, r * cellSize, cellSize, cellSize, fill, LINE_COLOUR));
    }
  });
  for (const [[r1, c1], [r2, c2]] of walls) {
    if (r1 === r2) {
      const x = Math.max(c1, c2) * cellSize;
      parts.push(
        polyline(
          [
            [x, r1 * cellSize],
            [x, (r1 + 1) * cellSize],
          ],
          WALL_COLOUR,
          cellSize / 10,
        ),
      );
    } else {
      const y = Math.max(r1, r2) * cellSize;
      parts.push(
        polyline(
          [
            [c1 * cellSize, y],
            [(c1 + 1) * cellSize, y],
          ],
          WALL_COLOUR,
          cellSize / 10,
        ),
      );
    }
  }
  if (agent !== undefined) {
    const [r, c] = agent;
    parts.push(circle((c + 0.5) * cellSize, (r + 0.5) * cellSize, cellSize * 0.3, AGENT_COLOUR));
  }
  return svgDocument(cols * cellSize, rows.length * cellSize, parts);
}
