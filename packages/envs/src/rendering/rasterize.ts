/**
 * Rasterizes an SVG document to an {@link RgbaFrame} with resvg.
 *
 * Source: `@resvg/resvg-js` (Node bindings of the resvg SVG renderer: prebuilt native binaries
 * from npm, synchronous, no network or system fonts needed). Loaded on first use, so envs that
 * never render in `'rgb_array'` mode never load the native module.
 */
import { createRequire } from 'node:module';
import type { RgbaFrame } from './frame.js';

interface RenderedImage {
  readonly width: number;
  readonly height: number;
  readonly pixels: Uint8Array;
}

interface ResvgClass {
  new (
    svg: string,
    options?: { background?: string; font?: { loadSystemFonts?: boolean }; fitTo?: { mode: 'original' } },
  ): { render(): RenderedImage };
}

let resvg: ResvgClass | undefined;

function loadResvg(): ResvgClass {
  if (resvg !== undefined) return resvg;
  let mod: { Resvg?: ResvgClass };
  try {
    mod = createRequire(import.meta.url)('@resvg/resvg-js') as { Resvg?: ResvgClass };
  } catch (e) {
    const reason = String((e as Error)?.message ?? e).split('\n')[0];
    throw new Error(
      `rgb_array rendering needs the native binary of @resvg/resvg-js for ${process.platform}-${process.arch}, ` +
        `which could not be loaded (${reason}); install without --omit=optional (the binary is an optional ` +
        "dependency of @resvg/resvg-js), or use renderMode 'svg'",
      { cause: e },
    );
  }
  if (typeof mod.Resvg !== 'function') throw new Error('@resvg/resvg-js did not export Resvg');
  resvg = mod.Resvg;
  return resvg;
}

/**
 * Draws an SVG document into a new RGBA pixel buffer at its own size (1 SVG unit = 1 pixel),
 * anti-aliased, over a white background.
 * @param svg a complete SVG document with `width` and `height` attributes.
 * @returns a new {@link RgbaFrame} owned by the caller.
 * @throws Error when `@resvg/resvg-js` cannot be loaded on this platform, or when resvg cannot
 *   parse `svg`.
 */
export function rasterizeSvg(svg: string): RgbaFrame {
  const Resvg = loadResvg();
  const image = new Resvg(svg, {
    background: 'white',
    font: { loadSystemFonts: false },
    fitTo: { mode: 'original' },
  }).render();
  const data = new Uint8ClampedArray(image.pixels.length);
  data.set(image.pixels);
  return { width: image.width, height: image.height, data };
}
