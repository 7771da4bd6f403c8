/**
 * The MountainCar picture (discrete and continuous): the hill curve, a black car with two grey
 * wheels tilted with the slope, and the goal flag.
 *
 * Source: Gymnasium 1.x, `gymnasium/envs/classic_control/mountain_car.py` and
 * `continuous_mountain_car.py` (`render`, `_height`): a 600x400 screen spanning [minPosition,
 * maxPosition] (scale = 600 / 1.8 px per unit), hill height sin(3x)·0.45 + 0.55 drawn through 100
 * points, car 40x20 px raised 10 px above the hill and rotated by cos(3x), wheels of radius 8 px at
 * ±10 px, a 50 px flag pole at goalPosition with a 25x10 px yellow (204, 204, 0) flag.
 * Coordinates are y-up, origin bottom-left.
 */
import { flipY, type Point, pixelCircle, polygon, polyline, rotate, svgDocument } from '../svg.js';

/** MountainCar's screen size, pixels. */
export const MOUNTAIN_CAR_SCREEN = { width: 600, height: 400 } as const;

/** What the MountainCar picture depends on. */
export interface MountainCarSceneParams {
  /** Left end of the track. */
  readonly minPosition: number;
  /** Right end of the track. */
  readonly maxPosition: number;
  /** Position of the flag. */
  readonly goalPosition: number;
}

/** The hill's height at `x` (Gymnasium `_height`). */
export function mountainHeight(x: number): number {
  return Math.sin(3 * x) * 0.45 + 0.55;
}

/**
 * The MountainCar picture of a state as an SVG document (600x400).
 * @param position the car's position (velocity is not drawn).
 * @param params the env's track bounds and goal position.
 */
export function mountainCarSvg(position: number, params: MountainCarSceneParams): string {
  const { width, height } = MOUNTAIN_CAR_SCREEN;
  const { minPosition, maxPosition, goalPosition } = params;
  const scale = width / (maxPosition - minPosition);
  const carWidth = 40;
  const carHeight = 20;
  const clearance = 10;

  const curve: Point[] = [];
  for (let i = 0; i < 100; i++) {
    const x = minPosition + ((maxPosition - minPosition) * i) / 99;
    curve.push([(x - minPosition) * scale, mountainHeight(x) * scale]);
  }

  const tilt = Math.cos(3 * position);
  const baseX = (position - minPosition) * scale;
  const baseY = clearance + mountainHeight(position) * scale;
  const corner = (cx: number, cy: number): Point => {
    const [rx, ry] = rotate(cx, cy, tilt);
    return [rx + baseX, ry + baseY];
  };
  const l = -carWidth / 2;
  const r = carWidth / 2;
  const car = [corner(l, 0), corner(l, carHeight), corner(r, carHeight), corner(r, 0)];
  const wheels = [carWidth / 4, -carWidth / 4].map((cx) => {
    const [wx, wy] = corner(cx, 0);
    return pixelCircle(Math.trunc(wx), Math.trunc(wy), Math.trunc(carHeight / 2.5), [128, 128, 128]);
  });

  const flagX = Math.trunc((goalPosition - minPosition) * scale);
  const flagY1 = Math.trunc(mountainHeight(goalPosition) * scale);
  const flagY2 = flagY1 + 50;
  return svgDocument(width, height, [
    flipY(height, [
      polyline(curve, [0, 0, 0]),
      polygon(car, [0, 0, 0]),
      ...wheels,
      // pygame gfxdraw.vline on pixel column flagX, rows flagY1 … flagY2
      polyline(
        [
          [flagX + 0.5, flagY1],
          [flagX + 0.5, flagY2 + 1],
        ],
        [0, 0, 0],
      ),
      polygon(
        [
          [flagX, flagY2],
          [flagX, flagY2 - 10],
          [flagX + 25, flagY2 - 5],
        ],
        [204, 204, 0],
      ),
    ]),
  ]);
}
