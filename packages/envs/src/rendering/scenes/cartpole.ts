/**
 * The CartPole picture: a black cart on a horizontal track with a brown pole and a blue axle.
 *
 * Source: Gymnasium 1.x, `gymnasium/envs/classic_control/cartpole.py` (`CartPoleEnv.render`): a
 * 600x400 screen spanning x ∈ [−2·xThreshold, 2·xThreshold] (scale = 600 / 4.8 = 125 px per m),
 * track line at y = 100 px, cart 50x30 px centred on (x·scale + 300, 100), pole 10 px wide and
 * 2·length·scale long pivoting on the axle 7.5 px above the track line (radius 5 px), colours cart
 * (0, 0, 0), pole (202, 152, 101), axle (129, 132, 203). Coordinates are y-up, origin bottom-left.
 */
import { box, flipY, pixelCircle, polygon, polyline, svgDocument } from '../svg.js';

/** CartPole's screen size, pixels. */
export const CARTPOLE_SCREEN = { width: 600, height: 400 } as const;

/** What the CartPole picture depends on. */
export interface CartPoleSceneParams {
  /** Cart position at which the episode ends, m (the screen spans twice that each way). */
  readonly xThreshold: number;
  /** Half the pole's length, m. */
  readonly length: number;
}

/**
 * The CartPole picture of a state as an SVG document (600x400).
 * @param x cart position, m (0 = screen centre).
 * @param theta pole angle, rad (0 = upright, positive = leaning right).
 * @param params the env's `xThreshold` and `length`.
 */
export function cartPoleSvg(x: number, theta: number, params: CartPoleSceneParams): string {
  const { width, height } = CARTPOLE_SCREEN;
  const scale = width / (params.xThreshold * 2);
  const poleWidth = 10.0;
  const poleLen = scale * (2 * params.length);
  const cartWidth = 50.0;
  const cartHeight = 30.0;
  const axleOffset = cartHeight / 4.0;
  const cartX = x * scale + width / 2.0;
  const cartY = 100;
  const cart = box(-cartWidth / 2, cartWidth / 2, cartHeight / 2, -cartHeight / 2, 0, cartX, cartY);
  const pole = box(
    -poleWidth / 2,
    poleWidth / 2,
    poleLen - poleWidth / 2,
    -poleWidth / 2,
    -theta,
    cartX,
    cartY + axleOffset,
  );
  return svgDocument(width, height, [
    flipY(height, [
      polygon(cart, [0, 0, 0]),
      polygon(pole, [202, 152, 101]),
      pixelCircle(
        Math.trunc(cartX),
        Math.trunc(cartY + axleOffset),
        Math.trunc(poleWidth / 2),
        [129, 132, 203],
      ),
      // pygame gfxdraw.hline on pixel row 100
      polyline(
        [
          [0, cartY + 0.5],
          [width, cartY + 0.5],
        ],
        [0, 0, 0],
      ),
    ]),
  ]);
}
