/** HTML helpers shared by the training and benchmark reports. */

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(text: unknown): string {
  return String(text)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** Formats a number for tables: integers as is, others to 4 significant digits; NaN as `–`. */
export function fmt(v: number | null | undefined, digits = 4): string {
  if (v === null || v === undefined || Number.isNaN(v)) return '–';
  if (!Number.isFinite(v)) return v > 0 ? '∞' : '−∞';
  if (Number.isInteger(v)) return String(v);
  const a = Math.abs(v);
  if (a !== 0 && (a < 1e-3 || a >= 1e7)) return v.toExponential(digits - 1);
  return String(Number(v.toPrecision(digits)));
}

/** A chart rendered to SVG, with the file stem used for its PNG. */
export interface RenderedChart {
  /** Stem of the PNG file and `data-chart` attribute, e.g. `return`. */
  name: string;
  title: string;
  svg: string;
  caption?: string;
}

const CSS = `
:root { color-scheme: light; --fg: #1d2330; --muted: #5b6472; --line: #dfe3e8; --bg: #f6f7f9; --warn: #8a5a00; --warnbg: #fff6df; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", "Liberation Sans", Helvetica, Arial, sans-serif; color: var(--fg); background: var(--bg); }
main { max-width: 1320px; margin: 0 auto; padding: 24px 28px 64px; }
h1 { font-size: 24px; margin: 0 0 4px; }
h2 { font-size: 18px; margin: 32px 0 12px; padding-bottom: 4px; border-bottom: 1px solid var(--line); }
.meta { color: var(--muted); margin: 0 0 16px; }
.charts { display: grid; grid-template-columns: repeat(auto-fill, minmax(600px, 1fr)); gap: 16px; }
figure.chart { margin: 0; background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: 12px; overflow-x: auto; }
figure.chart.wide { grid-column: 1 / -1; }
figure.chart svg { display: block; max-width: 100%; height: auto; }
figcaption { color: var(--muted); font-size: 12px; margin-top: 6px; }
table { border-collapse: collapse; background: #fff; border: 1px solid var(--line); margin: 8px 0 16px; font-variant-numeric: tabular-nums; }
th, td { padding: 5px 10px; border-bottom: 1px solid var(--line); text-align: left; vertical-align: top; }
th { background: #eef1f5; font-weight: 600; }
td.num { text-align: right; }
#machine-table td { white-space: nowrap; }
td.differs { background: #fff3d6; }
.swatch { display: inline-block; width: 10px; height: 10px; border-radius: 2px; margin-right: 6px; vertical-align: baseline; }
.warnings { background: var(--warnbg); color: var(--warn); border: 1px solid #f0d9a0; border-radius: 6px; padding: 10px 14px 10px 32px; margin: 8px 0; }
.warnings li { margin: 2px 0; font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: 12px; white-space: pre-wrap; }
.ok { color: #2f7d32; }
.scroll { overflow-x: auto; }
code { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: 12px; }
`;

/** A full, self-contained HTML document (inline CSS, no scripts, no external resources). */
export function htmlDocument(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${CSS}</style>
</head>
<body>
<main>
${body}
</main>
</body>
</html>
`;
}

/** A `<figure>` holding one inline SVG chart. */
export function chartFigure(chart: RenderedChart, wide = false): string {
  return `<figure class="chart${wide ? ' wide' : ''}" data-chart="${escapeHtml(chart.name)}">
${chart.svg}
${chart.caption ? `<figcaption>${escapeHtml(chart.caption)}</figcaption>` : ''}
</figure>`;
}

/** The warnings box (or a line saying there were none). */
export function warningsBlock(warnings: string[]): string {
  if (warnings.length === 0) return '<p class="ok" id="no-warnings">No warnings.</p>';
  return `<ul class="warnings" id="warnings-list">${warnings.map((w) => `<li>${escapeHtml(w)}</li>`).join('')}</ul>`;
}

/** A table from a header row and body rows of pre-rendered cells (`{ html, cls }` or plain text). */
export function table(
  header: string[],
  rows: Array<Array<string | { html: string; cls?: string }>>,
  id?: string,
): string {
  const cell = (c: string | { html: string; cls?: string }) =>
    typeof c === 'string'
      ? `<td>${escapeHtml(c)}</td>`
      : `<td${c.cls ? ` class="${c.cls}"` : ''}>${c.html}</td>`;
  return `<div class="scroll"><table${id ? ` id="${escapeHtml(id)}"` : ''}>
<thead><tr>${header.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr></thead>
<tbody>${rows.map((r) => `<tr>${r.map(cell).join('')}</tr>`).join('\n')}</tbody>
</table></div>`;
}

/** A numeric cell. */
export function num(v: number | null | undefined, digits = 4): { html: string; cls: string } {
  return { html: escapeHtml(fmt(v, digits)), cls: 'num' };
}
