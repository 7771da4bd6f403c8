import { writeFile } from 'node:fs/promises';
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';

/** A Vega-Lite specification (v6). */
export type VegaLiteSpec = TopLevelSpec;

/** Tableau 10: one color per group, in group order. */
export const PALETTE = [
  '#4e79a7',
  '#f28e2b',
  '#e15759',
  '#76b7b2',
  '#59a14f',
  '#edc948',
  '#b07aa1',
  '#ff9da7',
  '#9c755f',
  '#bab0ac',
];

/** Shared look of every chart. */
export const CHART_CONFIG = {
  font: 'Liberation Sans, Helvetica, Arial, sans-serif',
  view: { stroke: '#d0d4da' },
  axis: {
    gridColor: '#eceff3',
    labelColor: '#333',
    titleColor: '#333',
    titleFontWeight: 'normal',
    labelFontSize: 11,
    titleFontSize: 12,
  },
  legend: { labelLimit: 360, titleFontWeight: 'normal', labelFontSize: 12, titleFontSize: 12 },
  title: { anchor: 'start', fontSize: 14, fontWeight: 'bold' },
} as const;

/**
 * Prefixes every `id` in an SVG document (and the `url(#…)` / `href="#…"` references to it), so that
 * several SVGs inlined in one HTML page do not share clip-path or gradient ids.
 */
export function prefixSvgIds(svg: string, prefix: string): string {
  return svg
    .replace(/\bid="([^"]+)"/g, (_m, id: string) => `id="${prefix}${id}"`)
    .replace(/url\(#([^)]+)\)/g, (_m, id: string) => `url(#${prefix}${id})`)
    .replace(/href="#([^"]+)"/g, (_m, id: string) => `href="#${prefix}${id}"`);
}

/**
 * Renders a Vega-Lite spec to an SVG string in Node (headless Vega view, no browser or canvas).
 * @param idPrefix prefix for the SVG's element ids (see {@link prefixSvgIds}); default none.
 * @throws the Vega-Lite compile error or Vega runtime error for an invalid spec.
 */
export async function renderSvg(spec: VegaLiteSpec, idPrefix = ''): Promise<string> {
  const compiled = compile(spec).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none', logLevel: vega.Warn });
  try {
    const svg = await view.toSVG();
    return idPrefix ? prefixSvgIds(svg, idPrefix) : svg;
  } finally {
    view.finalize();
  }
}

/**
 * Rasterizes an SVG string to a PNG file with resvg (prebuilt native binary from npm), at `scale`
 * times the SVG's size on a white background, using the system fonts.
 * @throws Error when `@resvg/resvg-js` cannot load on this platform.
 */
export async function writePng(svg: string, path: string, scale = 2): Promise<void> {
  const mod = (await import('@resvg/resvg-js')) as unknown as {
    Resvg?: typeof import('@resvg/resvg-js').Resvg;
    default?: { Resvg: typeof import('@resvg/resvg-js').Resvg };
  };
  const Resvg = mod.Resvg ?? mod.default?.Resvg;
  if (!Resvg) throw new Error('@resvg/resvg-js did not export Resvg');
  const png = new Resvg(svg, {
    background: 'white',
    fitTo: { mode: 'zoom', value: scale },
    font: { loadSystemFonts: true, defaultFontFamily: 'Liberation Sans' },
  })
    .render()
    .asPng();
  await writeFile(path, png);
}
