import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { CHART_CONFIG, PALETTE, renderSvg, type VegaLiteSpec, writePng } from '../charts/render.js';
import {
  chartFigure,
  escapeHtml,
  fmt,
  htmlDocument,
  type RenderedChart,
  table,
  warningsBlock,
} from '../html/page.js';
import type { BenchmarkFile, BenchmarkResult } from './types.js';

/** Options of {@link renderBenchmarkReport}. */
export interface BenchmarkReportOptions {
  /**
   * Output HTML path. Default: the input JSON path with extension `.html`, or `benchmark-report.html`
   * in the current directory when results were passed in memory.
   */
  out?: string;
  /** Page title. Default `Benchmark report`. */
  title?: string;
  /** Also write each chart as `<report stem>-<chart>.png` next to the report. Default false. */
  png?: boolean;
}

/** What {@link renderBenchmarkReport} wrote. */
export interface BenchmarkReportResult {
  path: string;
  warnings: string[];
  pngPaths: string[];
  charts: string[];
}

/** A result with its speed-up resolved. */
export interface ResolvedBenchmarkResult extends BenchmarkResult {
  /** The baseline backend compared against, or undefined when none applies. */
  baseline: string | undefined;
  /** `baseline medianMs / medianMs`; NaN when the baseline row is missing; undefined without baseline. */
  ratio: number | undefined;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Validates rows and fills in each speed-up. A row's baseline is its own `baseline`, else the baseline
 * another row of the same kernel and size names. When `ratio` is absent it is computed as
 * `baseline medianMs / medianMs` (1 for the baseline itself). Invalid rows are dropped with a warning.
 */
export function resolveBenchmarkResults(rows: unknown[]): {
  results: ResolvedBenchmarkResult[];
  warnings: string[];
} {
  const warnings: string[] = [];
  const valid: BenchmarkResult[] = [];
  rows.forEach((r, i) => {
    if (
      !isObject(r) ||
      typeof r.kernel !== 'string' ||
      typeof r.size !== 'string' ||
      typeof r.backend !== 'string' ||
      typeof r.medianMs !== 'number'
    ) {
      warnings.push(`results[${i}]: needs string kernel, size, backend and numeric medianMs; skipped`);
      return;
    }
    valid.push(r as unknown as BenchmarkResult);
  });
  const cell = (r: BenchmarkResult) => `${r.kernel}\u0000${r.size}`;
  const named = new Map<string, string>();
  for (const r of valid) if (r.baseline && !named.has(cell(r))) named.set(cell(r), r.baseline);
  const results = valid.map((r): ResolvedBenchmarkResult => {
    const baseline = r.baseline ?? named.get(cell(r));
    let ratio = r.ratio;
    if (ratio === undefined && baseline !== undefined) {
      if (baseline === r.backend) ratio = 1;
      else {
        const base = valid.find((b) => b.kernel === r.kernel && b.size === r.size && b.backend === baseline);
        if (base) ratio = base.medianMs / r.medianMs;
        else {
          ratio = Number.NaN;
          warnings.push(
            `${r.kernel} ${r.size} ${r.backend}: baseline '${baseline}' has no result; ratio unknown`,
          );
        }
      }
    }
    return { ...r, baseline, ratio };
  });
  return { results, warnings };
}

function unique<T>(xs: T[]): T[] {
  return [...new Set(xs)];
}

function ratioSpec(
  kernel: string,
  rows: ResolvedBenchmarkResult[],
  backends: string[],
  sizes: string[],
): VegaLiteSpec {
  const data = rows
    .filter((r) => r.ratio !== undefined && Number.isFinite(r.ratio) && r.ratio > 0)
    .map((r) => ({ size: r.size, backend: r.backend, ratio: r.ratio, label: `${fmt(r.ratio!, 3)}×` }));
  const ratios = data.map((d) => d.ratio as number);
  const log = ratios.length > 0 && Math.max(...ratios) / Math.min(...ratios) > 30;
  const baseline = unique(rows.map((r) => r.baseline).filter((b): b is string => !!b)).join(', ');
  const color = {
    field: 'backend',
    type: 'nominal',
    title: 'backend',
    scale: { domain: backends, range: backends.map((_, i) => PALETTE[i % PALETTE.length]) },
  } as const;
  return {
    title: `${kernel}: speed-up vs ${baseline || 'baseline'}`,
    config: CHART_CONFIG,
    width: Math.max(280, sizes.length * (backends.length * 30 + 24)),
    height: 240,
    data: { values: data },
    layer: [
      {
        mark: { type: 'bar' },
        encoding: {
          x: { field: 'size', type: 'nominal', sort: sizes, title: 'size', axis: { labelAngle: 0 } },
          xOffset: { field: 'backend', sort: backends },
          y: {
            field: 'ratio',
            type: 'quantitative',
            title: log ? 'speed-up (×, log scale)' : 'speed-up (×)',
            // Bars grow from the bottom of the axis: on a log scale it must lie below the smallest
            // ratio (or that bar has no height), and bars must not stack (a stack starts at 0,
            // which a log scale cannot show: the whole chart came out empty).
            scale: log ? { type: 'log', domainMin: Math.min(...ratios) / 2 } : { zero: true },
            stack: null,
          },
          color,
        },
      },
      {
        mark: { type: 'rule', color: '#333', strokeDash: [4, 3] },
        data: { values: [{ one: 1 }] },
        encoding: { y: { field: 'one', type: 'quantitative' } },
      },
    ],
  } as VegaLiteSpec;
}

/**
 * Writes an HTML benchmark report: per kernel, a table of median times and speed-ups (sizes × backends)
 * and a grouped bar chart of speed-ups against the baseline; plus the machine description.
 *
 * @param input results in memory, a {@link BenchmarkFile}, or the path of such a JSON file.
 * @throws Error when the JSON file cannot be read or parsed, or has no `results` array.
 */
export async function renderBenchmarkReport(
  input: BenchmarkResult[] | BenchmarkFile | string,
  options: BenchmarkReportOptions = {},
): Promise<BenchmarkReportResult> {
  let file: BenchmarkFile;
  let defaultOut = resolve('benchmark-report.html');
  if (typeof input === 'string') {
    const raw: unknown = JSON.parse(await readFile(input, 'utf8'));
    if (Array.isArray(raw)) file = { results: raw };
    else if (isObject(raw) && Array.isArray(raw.results)) file = raw as unknown as BenchmarkFile;
    else throw new Error(`renderBenchmarkReport: '${input}' has no 'results' array`);
    defaultOut = resolve(dirname(input), `${basename(input, extname(input))}.html`);
  } else if (Array.isArray(input)) file = { results: input };
  else if (isObject(input) && Array.isArray(input.results)) file = input;
  else throw new Error("renderBenchmarkReport: input has no 'results' array");

  const { results, warnings } = resolveBenchmarkResults(file.results);
  const title = options.title ?? 'Benchmark report';
  const kernels = unique(results.map((r) => r.kernel));
  const charts: RenderedChart[] = [];
  const sections: string[] = [];
  for (const kernel of kernels) {
    const rows = results.filter((r) => r.kernel === kernel);
    const sizes = unique(rows.map((r) => r.size));
    const backends = unique(rows.map((r) => r.backend));
    const tableRows = sizes.map((size) => [
      size,
      ...backends.map((backend) => {
        const r = rows.find((x) => x.size === size && x.backend === backend);
        if (!r) return { html: '–', cls: 'num' };
        const ratio =
          r.ratio === undefined
            ? ''
            : ` <span class="ratio">(${Number.isFinite(r.ratio) ? `${escapeHtml(fmt(r.ratio, 3))}×` : 'n/a'})</span>`;
        return { html: `${escapeHtml(fmt(r.medianMs, 4))} ms${ratio}`, cls: 'num' };
      }),
    ]);
    let chartHtml = '';
    if (rows.some((r) => r.ratio !== undefined && Number.isFinite(r.ratio) && r.ratio > 0)) {
      const name = `ratio-${kernel.replace(/[^A-Za-z0-9_-]+/g, '_')}`;
      const chart: RenderedChart = {
        name,
        title: kernel,
        svg: await renderSvg(ratioSpec(kernel, rows, backends, sizes), `c-${name}-`),
        caption:
          'Bars: baseline median time / backend median time; dashed line: 1× (as fast as the baseline).',
      };
      charts.push(chart);
      chartHtml = `<div class="charts">${chartFigure(chart)}</div>`;
    }
    sections.push(`<section class="kernel" data-kernel="${escapeHtml(kernel)}"><h2>${escapeHtml(kernel)}</h2>
${table(['size', ...backends.map((b) => `${b} median (speed-up)`)], tableRows)}
${chartHtml}
</section>`);
  }
  const machineRows = Object.entries(file.machine ?? {}).map(([k, v]) => [
    k,
    typeof v === 'string' ? v : JSON.stringify(v),
  ]);
  const body = `<header><h1>${escapeHtml(title)}</h1>
<p class="meta">${results.length} measurements of ${kernels.length} kernel${kernels.length === 1 ? '' : 's'}${file.timestamp ? `, ${escapeHtml(file.timestamp)}` : ''}. Speed-up = baseline median time / median time.</p></header>
<section id="warnings"><h2>Warnings</h2>${warningsBlock(warnings)}</section>
${sections.join('\n')}
<section id="machine"><h2>Machine</h2>${machineRows.length ? table(['property', 'value'], machineRows, 'machine-table') : '<p class="meta">Not recorded.</p>'}</section>`;

  const out = resolve(options.out ?? defaultOut);
  await mkdir(dirname(out), { recursive: true });
  await writeFile(out, htmlDocument(title, body));
  const pngPaths: string[] = [];
  if (options.png) {
    const stem = basename(out, extname(out));
    for (const c of charts) {
      const p = join(dirname(out), `${stem}-${c.name}.png`);
      await writePng(c.svg, p);
      pngPaths.push(p);
    }
  }
  return { path: out, warnings, pngPaths, charts: charts.map((c) => c.name) };
}
