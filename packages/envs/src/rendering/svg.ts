/**
 * A few SVG primitives for the classic-control and toy-text scenes.
 *
 * Source: Proximal. The scenes use Gymnasium's pygame coordinates: origin at the bottom-left, y up,
 * in pixels (pygame draws with y down and flips the surface vertically at the end; {@link flipY}
 * does the same flip).
 */

/** An RGB colour, each channel 0…255. */
export type Rgb = readonly [number, number, number];

/** A 2-D point. */
export type Point = readonly [number, number];

/** A number with at most 3 decimals, as written in the SVG. */
export function num(v: number): string {
  const r = Math.round(v * 1000) / 1000;
  return Object.is(r, -0) ? '0' : String(r);
}

/** `rgb(r,g,b)`. */
export function rgb(c: Rgb): string {
  return `rgb(${c[0]},${c[1]},${c[2]})`;
}

/** `x,y x,y …` for `points` attributes. */
function pointList(points: readonly Point[]): string {
  return points.map(([x, y]) => `${num(x)},${num(y)}`).join(' ');
}

/** A filled polygon (pygame `gfxdraw.filled_polygon` + `aapolygon`). */
export function polygon(points: readonly Point[], fill: Rgb): string {
  return `<polygon points="${pointList(points)}" fill="${rgb(fill)}"/>`;
}

/**
 * A filled circle (pygame `gfxdraw.filled_circle` + `aacircle`, whose centre is a pixel: pass the
 * integer pixel coordinates; the circle is centred on that pixel's centre).
 */
export function pixelCircle(px: number, py: number, r: number, fill: Rgb): string {
  return circle(px + 0.5, py + 0.5, r, fill);
}

/** A filled circle centred on (cx, cy). */
export function circle(cx: number, cy: number, r: number, fill: Rgb): string {
  return `<circle cx="${num(cx)}" cy="${num(cy)}" r="${num(r)}" fill="${rgb(fill)}"/>`;
}

/** A filled axis-aligned rectangle with corner (x, y), outlined with `stroke` (1 px) when given. */
export function rect(x: number, y: number, width: number, height: number, fill: Rgb, stroke?: Rgb): string {
  const outline = stroke === undefined ? '' : ` stroke="${rgb(stroke)}" stroke-width="1"`;
  return `<rect x="${num(x)}" y="${num(y)}" width="${num(width)}" height="${num(height)}" fill="${rgb(fill)}"${outline}/>`;
}

/** An open polyline of the given stroke width (pygame `draw.aalines` / `draw.line`). */
export function polyline(points: readonly Point[], stroke: Rgb, width = 1): string {
  return `<polyline points="${pointList(points)}" fill="none" stroke="${rgb(stroke)}" stroke-width="${num(width)}"/>`;
}

/** `<g transform="…">…</g>`. */
export function group(transform: string, children: readonly string[]): string {
  return `<g transform="${transform}">${children.join('')}</g>`;
}

/** Children drawn in y-up pixel coordinates on a canvas of height `height` (pygame's final flip). */
export function flipY(height: number, children: readonly string[]): string {
  return group(`matrix(1 0 0 -1 0 ${num(height)})`, children);
}

/** A complete SVG document with a white background. */
export function svgDocument(width: number, height: number, children: readonly string[]): string {
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">` +
    `<rect width="${width}" height="${height}" fill="rgb(255,255,255)"/>${children.join('')}</svg>`
  );
}

/** `(x, y)` rotated counter-clockwise by `angle` radians (pygame `Vector2.rotate_rad`). */
export function rotate(x: number, y: number, angle: number): Point {
  const c = Math.cos(angle);
  const s = Math.sin(angle);
  return [x * c - y * s, x * s + y * c];
}

/** The corners `[(l, b), (l, t), (r, t), (r, b)]`, rotated by `angle` and moved by (dx, dy). */
export function box(
  l: number,
  r: number,
  t: number,
  b: number,
  angle: number,
  dx: number,
  dy: number,
): Point[] {
  const corners: Point[] = [
    [l, b],
    [l, t],
    [r, t],
    [r, b],
  ];
  return corners.map(([x, y]) => {
    const [rx, ry] = rotate(x, y, angle);
    return [rx + dx, ry + dy];
  });
}
