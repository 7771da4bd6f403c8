/**
 * The SVG picture of a MuJoCo scene: an orthographic projection of the model's geoms (capsules,
 * cylinders, spheres, planes) at their current world poses (`data.geom_xpos`, `data.geom_xmat`),
 * seen from the side (x right, z up) or from above (x right, y up), centred on a tracked body.
 *
 * Source: Proximal (Gymnasium renders the same scenes in 3-D with OpenGL through its `track`
 * cameras; this is a dependency-free stand-in that works without a GPU or display).
 */
import { type MjData, type MjModel, objectId } from './mujoco.js';

/** `'side'`: the x–z plane (planar walkers, pendulums); `'top'`: the x–y plane (Swimmer, Reacher, Ant). */
export type SceneView = 'side' | 'top';

/** How to frame the picture. */
export interface SceneOptions {
  /** Picture size in pixels. */
  width: number;
  height: number;
  view: SceneView;
  /** Name of the body whose horizontal position is the picture's centre; null: the world origin. */
  trackBody: string | null;
  /** World width shown, metres. */
  viewWidth: number;
  /** World vertical coordinate (z side view, y top view) at the picture's centre; default 0. */
  verticalCentre?: number;
}

// mjtGeom values (MuJoCo `mjtGeom`): plane 0, sphere 2, capsule 3, ellipsoid 4, cylinder 5, box 6.
const PLANE = 0;
const SPHERE = 2;
const CAPSULE = 3;
const ELLIPSOID = 4;
const CYLINDER = 5;
const BOX = 6;

function num(v: number): string {
  return Number.isFinite(v) ? String(Math.round(v * 100) / 100) : '0';
}

function colour(rgba: Float32Array, i: number): string {
  const c = (k: number): number => Math.round(Math.min(1, Math.max(0, rgba[4 * i + k])) * 255);
  return `rgb(${c(0)},${c(1)},${c(2)})`;
}

/**
 * Draws the current state.
 * @returns an SVG document of `width` × `height` pixels.
 */
export function sceneSvg(model: MjModel, data: MjData, options: SceneOptions): string {
  const { width, height, view } = options;
  const xpos = data.xpos as Float64Array;
  const gpos = data.geom_xpos as Float64Array;
  const gmat = data.geom_xmat as Float64Array;
  const types = model.geom_type as Int32Array;
  const sizes = model.geom_size as Float64Array;
  const rgba = model.geom_rgba as Float32Array;
  const vAxis = view === 'side' ? 2 : 1;
  let cx = 0;
  let cv = options.verticalCentre ?? 0;
  if (options.trackBody !== null) {
    const body = objectId(model, 'body', options.trackBody);
    cx = xpos[3 * body];
    if (view === 'top') cv = xpos[3 * body + 1];
  }
  const scale = width / options.viewWidth;
  const px = (x: number): number => width / 2 + (x - cx) * scale;
  const py = (v: number): number => height / 2 - (v - cv) * scale;
  const parts: string[] = [];
  parts.push(`<rect x="0" y="0" width="${width}" height="${height}" fill="rgb(235,240,245)"/>`);
  for (let g = 0; g < model.ngeom; g++) {
    const type = types[g];
    const x = gpos[3 * g];
    const v = gpos[3 * g + vAxis];
    const fill = colour(rgba, g);
    if (rgba[4 * g + 3] === 0) continue;
    if (type === PLANE) {
      if (view === 'side') {
        const top = py(v);
        parts.push(
          `<rect x="0" y="${num(top)}" width="${width}" height="${num(Math.max(0, height - top))}" fill="${fill}"/>`,
        );
        // Tick marks every metre show motion when the camera tracks a body.
        const first = Math.ceil(cx - options.viewWidth / 2);
        for (let m = first; m <= cx + options.viewWidth / 2; m++) {
          parts.push(
            `<line x1="${num(px(m))}" y1="${num(top)}" x2="${num(px(m))}" y2="${num(top + 8)}" stroke="rgb(90,90,90)" stroke-width="1"/>`,
          );
        }
      } else {
        const hx = sizes[3 * g] * scale;
        const hy = sizes[3 * g + 1] * scale;
        parts.push(
          `<rect x="${num(px(x) - hx)}" y="${num(py(v) - hy)}" width="${num(2 * hx)}" height="${num(2 * hy)}" fill="${fill}"/>`,
        );
      }
      continue;
    }
    const r = sizes[3 * g] * scale;
    if (type === SPHERE || type === ELLIPSOID || type === BOX) {
      parts.push(`<circle cx="${num(px(x))}" cy="${num(py(v))}" r="${num(Math.max(r, 1))}" fill="${fill}"/>`);
      continue;
    }
    if (type === CAPSULE || type === CYLINDER) {
      // The geom's local z axis is the third column of its row-major rotation matrix.
      const half = sizes[3 * g + 1];
      const ax = gmat[9 * g + 2];
      const av = gmat[9 * g + 3 * vAxis + 2];
      const x1 = px(x - half * ax);
      const y1 = py(v - half * av);
      const x2 = px(x + half * ax);
      const y2 = py(v + half * av);
      const cap = type === CAPSULE ? 'round' : 'butt';
      parts.push(
        `<line x1="${num(x1)}" y1="${num(y1)}" x2="${num(x2)}" y2="${num(y2)}" stroke="${fill}" stroke-width="${num(Math.max(2 * r, 1))}" stroke-linecap="${cap}"/>`,
      );
    }
  }
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">${parts.join('')}</svg>`;
}
