/**
 * The Pendulum picture: a red rod on a black axle, with an arrow showing the last torque.
 *
 * Source: Gymnasium 1.x, `gymnasium/envs/classic_control/pendulum.py` (`PendulumEnv.render`): a
 * 500x500 screen spanning ±2.2 m around the axle at the centre (scale = 500 / 4.4 px per m), a rod
 * 1 m long and 0.2 m wide in (204, 77, 77) with round ends of radius 0.1 m, a black axle of radius
 * 0.05 m, and — after a step — the torque arrow (`assets/clockwise.png` in Gymnasium, drawn here as
 * a vector arc with an arrowhead) scaled to scale·|u|/2 px, clockwise for u ≤ 0 and mirrored for
 * u > 0. Coordinates are y-up, origin bottom-left, except for the arrow (drawn in screen
 * coordinates, like Gymnasium's image).
 */
import { box, flipY, group, num, pixelCircle, polygon, rotate, svgDocument } from '../svg.js';

/** Pendulum's screen size, pixels. */
export const PENDULUM_SCREEN = { width: 500, height: 500 } as const;

const ROD_COLOUR = [204, 77, 77] as const;

/**
 * The clockwise arrow in a unit box centred on (0, 0), y down: a 270° arc from 12 o'clock round to
 * 9 o'clock with an arrowhead pointing up.
 */
const ARROW =
  '<path d="M 0 -0.45 A 0.45 0.45 0 1 1 -0.4496 -0.02" fill="none" stroke="rgb(0,0,0)" stroke-width="0.03"/>' +
  '<polygon points="-0.45,-0.17 -0.52,-0.01 -0.38,-0.01" fill="rgb(0,0,0)"/>';

/**
 * The Pendulum picture of a state as an SVG document (500x500).
 * @param theta the angle, rad (0 = upright, positive = counter-clockwise).
 * @param lastU the torque of the last step (clipped), or null after reset (no arrow drawn).
 */
export function pendulumSvg(theta: number, lastU: number | null): string {
  const dim = PENDULUM_SCREEN.width;
  const bound = 2.2;
  const scale = dim / (bound * 2);
  const offset = Math.floor(dim / 2);
  const rodLength = 1 * scale;
  const rodWidth = 0.2 * scale;
  const angle = theta + Math.PI / 2;
  const radius = Math.trunc(rodWidth / 2);
  const [endX, endY] = rotate(rodLength, 0, angle);
  const body = flipY(dim, [
    polygon(box(0, rodLength, rodWidth / 2, -rodWidth / 2, angle, offset, offset), ROD_COLOUR),
    pixelCircle(offset, offset, radius, ROD_COLOUR),
    pixelCircle(Math.trunc(endX + offset), Math.trunc(endY + offset), radius, ROD_COLOUR),
  ]);
  const parts = [body];
  if (lastU !== null && lastU !== 0) {
    const size = (scale * Math.abs(lastU)) / 2;
    parts.push(
      group(`translate(${offset} ${offset}) scale(${num(lastU > 0 ? -size : size)} ${num(size)})`, [ARROW]),
    );
  }
  parts.push(flipY(dim, [pixelCircle(offset, offset, Math.trunc(0.05 * scale), [0, 0, 0])]));
  return svgDocument(dim, dim, parts);
}
