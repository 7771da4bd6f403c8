/**
 * The Acrobot picture: two cyan links hanging from a fixed pivot, yellow joints, and the black
 * line the free end must rise above.
 *
 * Source: Gymnasium 1.x, `gymnasium/envs/classic_control/acrobot.py` (`AcrobotEnv.render`): a
 * 500x500 screen spanning ±(linkLength1 + linkLength2 + 0.2) m around the pivot at the centre
 * (scale = 500 / 4.4 px per m), links 0.2 m wide, joints of radius 0.1 m, the target line at
 * height linkLength1 (1 m) above the pivot from −2.2 m to 2.2 m; colours links (0, 204, 204),
 * joints (204, 204, 0), line (0, 0, 0). Coordinates are y-up, origin bottom-left.
 */
import { box, flipY, pixelCircle, polygon, polyline, svgDocument } from '../svg.js';

/** Acrobot's screen size, pixels. */
export const ACROBOT_SCREEN = { width: 500, height: 500 } as const;

/** What the Acrobot picture depends on. */
export interface AcrobotSceneParams {
  /** Length of link 1, m. */
  readonly linkLength1: number;
  /** Length of link 2, m. */
  readonly linkLength2: number;
}

/**
 * The Acrobot picture of a state as an SVG document (500x500).
 * @param theta1 angle of link 1, rad (0 = hanging straight down).
 * @param theta2 angle of link 2 relative to link 1, rad.
 * @param params the env's link lengths.
 */
export function acrobotSvg(theta1: number, theta2: number, params: AcrobotSceneParams): string {
  const dim = ACROBOT_SCREEN.width;
  const l1 = params.linkLength1;
  const bound = l1 + params.linkLength2 + 0.2;
  const scale = dim / (bound * 2);
  const offset = dim / 2;
  // Gymnasium: p1 = (−l1·cos θ1, l1·sin θ1)·scale, then the columns swapped.
  const joints: [number, number][] = [
    [0, 0],
    [l1 * Math.sin(theta1) * scale, -l1 * Math.cos(theta1) * scale],
  ];
  const angles = [theta1 - Math.PI / 2, theta1 + theta2 - Math.PI / 2];
  const lengths = [l1 * scale, params.linkLength2 * scale];
  const shapes: string[] = [
    polyline(
      [
        [-2.2 * scale + offset, 1 * scale + offset],
        [2.2 * scale + offset, 1 * scale + offset],
      ],
      [0, 0, 0],
    ),
  ];
  for (let i = 0; i < 2; i++) {
    const x = joints[i][0] + offset;
    const y = joints[i][1] + offset;
    shapes.push(polygon(box(0, lengths[i], 0.1 * scale, -0.1 * scale, angles[i], x, y), [0, 204, 204]));
    shapes.push(pixelCircle(Math.trunc(x), Math.trunc(y), Math.trunc(0.1 * scale), [204, 204, 0]));
  }
  return svgDocument(dim, dim, [flipY(dim, shapes)]);
}
