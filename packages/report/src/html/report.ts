import { mkdir, writeFile } from 'node:fs/promises';
import { basename, dirname, extname, join, resolve, sep } from 'node:path';
import { CHART_CONFIG, PALETTE, renderSvg, type VegaLiteSpec, writePng } from '../charts/render.js';
import { aggregateRuns, groupRuns, type RunGroup } from '../data/aggregate.js';
import { expandRunDirs, readRun } from '../data/read.js';
import type { RunData } from '../data/types.js';
import {
  chartFigure,
  escapeHtml,
  fmt,
  htmlDocument,
  num,
  type RenderedChart,
  table,
  warningsBlock,
} from './page.js';

/** Options of {@link writeReport}. */
export interface ReportOptions {
  /**
   * Output HTML path. Default: `<run>/report.html` for a single run, else `report.html` in the
   * deepest directory containing all runs.
   */
  out?: string;
  /** Page title. Default `Training report — <group labels>`. */
  title?: string;
  /** Also write each chart as `<report stem>-<chart>.png` next to the report. Default false. */
  png?: boolean;
  /** Grid points per aggregated curve. Default 100. */
  points?: number;
}

/** What {@link writeReport} wrote. */
export interface ReportResult {
  /** Absolute path of the HTML file. */
  path: string;
  /** Every warning also shown in the page (unreadable lines, missing files, empty charts, ...). */
  warnings: string[];
  /** Absolute paths of the PNG files (empty unless `png: true`). */
  pngPaths: string[];
  /** Names of the charts in the page (`return`, `policy_loss`, ...). */
  charts: string[];
}

/** A learning-curve chart of the report: one metric key against environment steps. */
export interface CurveChartDef {
  /** Chart name (PNG file stem). */
  name: string;
  /** Metric key in `metrics.jsonl`. */
  key: string;
  title: string;
  yTitle: string;
  /** Log-scale y axis. */
  logY?: boolean;
  wide?: boolean;
}

/** The curves drawn, in page order; a key no run logged is left out (and listed in the page). */
export const CURVE_CHARTS: CurveChartDef[] = [
  {
    name: 'return',
    key: 'rollout/ep_rew_mean',
    title: 'Episode return',
    yTitle: 'mean episode return',
    wide: true,
  },
  {
    name: 'episode_length',
    key: 'rollout/ep_len_mean',
    title: 'Episode length',
    yTitle: 'mean episode length',
  },
  {
    name: 'policy_loss',
    key: 'train/policy_gradient_loss',
    title: 'Policy loss',
    yTitle: 'policy gradient loss',
  },
  { name: 'value_loss', key: 'train/value_loss', title: 'Value loss', yTitle: 'value loss' },
  {
    name: 'entropy_loss',
    key: 'train/entropy_loss',
    title: 'Entropy loss',
    yTitle: 'entropy loss',
  },
  { name: 'approx_kl', key: 'train/approx_kl', title: 'Approximate KL', yTitle: 'approx KL' },
  {
    name: 'clip_fraction',
    key: 'train/clip_fraction',
    title: 'Clip fraction',
    yTitle: 'clip fraction',
  },
  {
    name: 'explained_variance',
    key: 'train/explained_variance',
    title: 'Explained variance',
    yTitle: 'explained variance',
  },
  { name: 'learning_rate', key: 'train/learning_rate', title: 'Learning rate', yTitle: 'learning rate' },
  { name: 'fps', key: 'time/fps', title: 'Throughput', yTitle: 'steps per second' },
];

const X_KEY = 'time/total_timesteps';

interface BandRow {
  group: string;
  step: number;
  mean: number;
  stdLo: number;
  stdHi: number;
  min: number;
  max: number;
}

function colorScale(groups: RunGroup[]) {
  return { domain: groups.map((g) => g.label), range: groups.map((_, i) => PALETTE[i % PALETTE.length]) };
}

/** Vega-Lite spec: per group, a min–max band, a ±std band and the mean line. */
function bandSpec(def: CurveChartDef, rows: BandRow[], groups: RunGroup[]): VegaLiteSpec {
  const x = {
    field: 'step',
    type: 'quantitative',
    title: 'environment steps',
    axis: { labelExpr: "datum.value >= 1000 ? format(datum.value, '~s') : format(datum.value, '~g')" },
  } as const;
  const scale = def.logY ? { type: 'log' as const } : { zero: false };
  const color = {
    field: 'group',
    type: 'nominal',
    title: null,
    scale: colorScale(groups),
    legend: {
      orient: 'bottom',
      direction: 'vertical',
      symbolType: 'stroke',
      symbolStrokeWidth: 3,
      symbolOpacity: 1,
    },
  } as const;
  return {
    width: def.wide ? 1100 : 480,
    height: def.wide ? 300 : 220,
    title: def.title,
    config: CHART_CONFIG,
    data: { values: rows },
    encoding: { x },
    layer: [
      {
        mark: { type: 'area', opacity: 0.12, interpolate: 'linear' },
        encoding: {
          y: { field: 'min', type: 'quantitative', title: def.yTitle, scale },
          y2: { field: 'max' },
          color,
        },
      },
      {
        mark: { type: 'area', opacity: 0.28, interpolate: 'linear' },
        encoding: {
          y: { field: 'stdLo', type: 'quantitative', scale },
          y2: { field: 'stdHi' },
          color,
        },
      },
      {
        mark: { type: 'line', strokeWidth: 2 },
        encoding: {
          y: { field: 'mean', type: 'quantitative', scale },
          color,
        },
      },
    ],
  } as VegaLiteSpec;
}

/** Vega-Lite spec: each seed's evaluation mean as a dot; the mean across seeds as a tick with a ±std rule. */
function evalSpec(groups: RunGroup[]): VegaLiteSpec | null {
  const points: { group: string; run: string; meanReward: number }[] = [];
  const summary: { group: string; mean: number; lo: number; hi: number }[] = [];
  for (const g of groups) {
    const done = g.runs.filter((r) => r.eval && Number.isFinite(r.eval.meanReward));
    if (done.length === 0) continue;
    const means = done.map((r) => r.eval!.meanReward);
    for (const r of done) points.push({ group: g.label, run: r.name, meanReward: r.eval!.meanReward });
    const m = means.reduce((a, b) => a + b, 0) / means.length;
    const s = Math.sqrt(means.reduce((a, b) => a + (b - m) ** 2, 0) / means.length);
    summary.push({ group: g.label, mean: m, lo: m - s, hi: m + s });
  }
  if (points.length === 0) return null;
  const color = {
    field: 'group',
    type: 'nominal',
    title: null,
    scale: colorScale(groups),
    legend: null,
  } as const;
  const y = {
    field: 'group',
    type: 'nominal',
    title: null,
    sort: groups.map((g) => g.label),
    axis: { labelLimit: 320 },
  } as const;
  const x = (field: string) =>
    ({
      field,
      type: 'quantitative',
      title: 'mean evaluation return',
      scale: { zero: false, padding: 12 },
    }) as const;
  return {
    width: 480,
    height: { step: 44 },
    title: 'Final evaluation',
    config: CHART_CONFIG,
    layer: [
      {
        data: { values: summary },
        mark: { type: 'rule', strokeWidth: 2 },
        encoding: { y, x: x('lo'), x2: { field: 'hi' }, color },
      },
      {
        data: { values: summary },
        mark: { type: 'tick', thickness: 3, size: 26 },
        encoding: { y, x: x('mean'), color },
      },
      {
        data: { values: points },
        mark: { type: 'point', filled: true, size: 70, opacity: 0.75 },
        encoding: { y, x: x('meanReward'), color },
      },
    ],
  } as VegaLiteSpec;
}

function commonDir(paths: string[]): string {
  const parts = paths.map((p) => resolve(p).split(sep));
  const first = parts[0];
  let n = 0;
  while (n < first.length && parts.every((p) => p[n] === first[n])) n++;
  return first.slice(0, n).join(sep) || sep;
}

function describeValue(v: unknown): string {
  if (typeof v === 'number') return String(v);
  if (typeof v === 'string') return v;
  return JSON.stringify(v);
}

function swatch(i: number): string {
  return `<span class="swatch" style="background:${PALETTE[i % PALETTE.length]}"></span>`;
}

function hyperparameterTable(groups: RunGroup[]): string {
  const keys = new Set<string>();
  for (const g of groups)
    for (const r of g.runs) for (const k of Object.keys(r.config?.hyperparameters ?? {})) keys.add(k);
  const cellFor = (g: RunGroup, get: (r: RunData) => unknown): { html: string; cls?: string } => {
    const values = [...new Set(g.runs.filter((r) => r.config).map((r) => describeValue(get(r))))];
    if (values.length === 0) return { html: '–' };
    return { html: escapeHtml(values.join(' / ')), cls: values.length > 1 ? 'differs' : undefined };
  };
  const rows: Array<Array<string | { html: string; cls?: string }>> = [
    [
      'seeds',
      ...groups.map((g) => ({
        html: escapeHtml(
          g.runs
            .map((r) => r.config?.seed)
            .filter((s) => s !== undefined)
            .join(', ') || '–',
        ),
      })),
    ],
    ['numEnvs', ...groups.map((g) => cellFor(g, (r) => r.config!.numEnvs))],
    ['totalTimesteps', ...groups.map((g) => cellFor(g, (r) => r.config!.totalTimesteps))],
    ...[...keys]
      .sort()
      .map((k) => [k, ...groups.map((g) => cellFor(g, (r) => r.config!.hyperparameters[k] ?? '–'))]),
  ];
  const header = ['hyperparameter', ...groups.map((g) => g.label)];
  return table(header, rows, 'hyperparameters-table');
}

function evalTables(groups: RunGroup[]): string {
  if (!groups.some((g) => g.runs.some((r) => r.eval))) return '';
  const summaryRows: Array<Array<string | { html: string; cls?: string }>> = [];
  const runRows: Array<Array<string | { html: string; cls?: string }>> = [];
  groups.forEach((g, gi) => {
    const evals = g.runs.filter((r) => r.eval);
    const means = evals.map((r) => r.eval!.meanReward).filter(Number.isFinite);
    const pooled = evals.flatMap((r) => r.eval!.episodeRewards).filter(Number.isFinite);
    const m = means.length ? means.reduce((a, b) => a + b, 0) / means.length : Number.NaN;
    const s = means.length
      ? Math.sqrt(means.reduce((a, b) => a + (b - m) ** 2, 0) / means.length)
      : Number.NaN;
    const pm = pooled.length ? pooled.reduce((a, b) => a + b, 0) / pooled.length : Number.NaN;
    const ps = pooled.length
      ? Math.sqrt(pooled.reduce((a, b) => a + (b - pm) ** 2, 0) / pooled.length)
      : Number.NaN;
    summaryRows.push([
      { html: swatch(gi) + escapeHtml(g.label) },
      num(evals.length, 0),
      { html: means.length ? `${escapeHtml(fmt(m))} ± ${escapeHtml(fmt(s))}` : '–', cls: 'num' },
      { html: pooled.length ? `${escapeHtml(fmt(pm))} ± ${escapeHtml(fmt(ps))}` : '–', cls: 'num' },
      num(pooled.length, 0),
    ]);
    for (const r of g.runs) {
      const e = r.eval;
      runRows.push([
        r.name,
        { html: swatch(gi) + escapeHtml(g.label) },
        num(r.config?.seed ?? Number.NaN, 0),
        {
          html: e ? `${escapeHtml(fmt(e.meanReward))} ± ${escapeHtml(fmt(e.stdReward))}` : 'not evaluated',
          cls: 'num',
        },
        num(e ? e.nEvalEpisodes : Number.NaN, 0),
        e ? (e.deterministic ? 'deterministic' : 'stochastic') : '–',
        num(e?.trainWallTime, 4),
        num(e?.wallTime, 4),
      ]);
    }
  });
  return (
    table(
      ['group', 'evaluated seeds', 'mean ± std across seeds', 'mean ± std over all episodes', 'episodes'],
      summaryRows,
      'eval-summary-table',
    ) +
    table(
      ['run', 'group', 'seed', 'return mean ± std', 'episodes', 'policy', 'train time (s)', 'eval time (s)'],
      runRows,
      'eval-runs-table',
    )
  );
}

function machineTable(groups: RunGroup[]): string {
  const rows: Array<Array<string | { html: string; cls?: string }>> = [];
  groups.forEach((g, gi) => {
    for (const r of g.runs) {
      const c = r.config;
      rows.push([
        r.name,
        { html: swatch(gi) + escapeHtml(g.label) },
        c ? c.backends.core + (c.backends.coreReason ? ` (${c.backends.coreReason})` : '') : '–',
        c?.backends.tf ?? '–',
        c?.machine.cpus ?? '–',
        num(c?.machine.cpuCount, 0),
        num(c?.machine.memoryGiB, 3),
        c?.machine.node ?? '–',
        c?.machine.platform ?? '–',
        c?.startedAt || '–',
      ]);
    }
  });
  return table(
    [
      'run',
      'group',
      'core backend',
      'tfjs backend',
      'CPU',
      'cores',
      'memory (GiB)',
      'Node.js',
      'platform',
      'started',
    ],
    rows,
    'machine-table',
  );
}

/**
 * Builds the report HTML of already-read runs (see {@link writeReport}) without touching the disk.
 * @returns the HTML, the charts rendered (SVG), and the warnings shown in the page.
 */
export async function buildReportHtml(
  runs: RunData[],
  options: { title?: string; points?: number } = {},
): Promise<{ html: string; charts: RenderedChart[]; warnings: string[] }> {
  const warnings: string[] = [];
  for (const r of runs) for (const w of r.warnings) warnings.push(`${r.name}: ${w}`);
  const groups = groupRuns(runs);
  const title = options.title ?? `Training report — ${groups.map((g) => g.label).join(', ')}`;

  const charts: RenderedChart[] = [];
  const wide = new Set<string>();
  const notLogged: string[] = [];
  for (const def of CURVE_CHARTS) {
    const rows: BandRow[] = [];
    const notes: string[] = [];
    for (const g of groups) {
      const agg = aggregateRuns(g.runs, def.key, { x: X_KEY, points: options.points ?? 100 });
      if (agg.steps.length === 0) {
        if (agg.runs > 0) warnings.push(`${def.name} chart, group ${g.label}: ${agg.reason}`);
        continue;
      }
      if (agg.skipped.length > 0 && agg.skipped.length < g.runs.length && def.key === 'rollout/ep_rew_mean') {
        warnings.push(
          `${def.name} chart, group ${g.label}: no finite '${def.key}' in run(s) ${agg.skipped.join(', ')}`,
        );
      }
      notes.push(`${g.label}: ${agg.runs} run${agg.runs === 1 ? '' : 's'}`);
      for (let i = 0; i < agg.steps.length; i++) {
        const lo = agg.mean[i] - agg.std[i];
        rows.push({
          group: g.label,
          step: agg.steps[i],
          mean: agg.mean[i],
          stdLo: def.logY ? Math.max(lo, agg.min[i]) : lo,
          stdHi: agg.mean[i] + agg.std[i],
          min: agg.min[i],
          max: agg.max[i],
        });
      }
    }
    if (rows.length === 0) {
      notLogged.push(def.key);
      continue;
    }
    const svg = await renderSvg(bandSpec(def, rows, groups), `c-${def.name}-`);
    const caption = `${def.key} — line: mean across seeds; dark band: ±1 std; light band: min–max (${notes.join('; ')}).`;
    charts.push({ name: def.name, title: def.title, svg, caption });
    if (def.wide) wide.add(def.name);
  }
  const evSpec = evalSpec(groups);
  if (evSpec) {
    charts.push({
      name: 'eval',
      title: 'Final evaluation',
      svg: await renderSvg(evSpec, 'c-eval-'),
      caption:
        'dots: each seed’s mean evaluation return; tick: mean across seeds; line: ±1 std across seeds.',
    });
  }

  const totalSteps = runs
    .map((r) => r.metrics.at(-1)?.[X_KEY])
    .filter((v): v is number => typeof v === 'number');
  const groupSummary = table(
    ['group', 'runs', 'seeds', 'last logged step (max)', 'final return (mean of last values)'],
    groups.map((g, gi) => {
      const last = g.runs
        .map(
          (r) =>
            [...r.metrics].reverse().find((m) => Number.isFinite(m['rollout/ep_rew_mean']))?.[
              'rollout/ep_rew_mean'
            ],
        )
        .filter((v): v is number => typeof v === 'number');
      return [
        { html: swatch(gi) + escapeHtml(g.label) },
        num(g.runs.length, 0),
        g.runs.map((r) => r.config?.seed ?? '?').join(', '),
        num(Math.max(...g.runs.map((r) => r.metrics.at(-1)?.[X_KEY] ?? Number.NaN)), 0),
        num(last.length ? last.reduce((a, b) => a + b, 0) / last.length : Number.NaN),
      ];
    }),
    'groups-table',
  );

  const curveCharts = charts.filter((c) => c.name !== 'eval');
  const evalChart = charts.find((c) => c.name === 'eval');
  const body = `<header>
<h1>${escapeHtml(title)}</h1>
<p class="meta">${runs.length} run${runs.length === 1 ? '' : 's'} in ${groups.length} group${groups.length === 1 ? '' : 's'} (algorithm · environment · core backend); up to ${escapeHtml(fmt(Math.max(0, ...totalSteps), 6))} environment steps. Generated ${escapeHtml(new Date().toISOString())}.</p>
</header>
<section id="warnings"><h2>Warnings</h2>${warningsBlock(warnings)}</section>
<section id="groups"><h2>Runs</h2>${groupSummary}</section>
<section id="curves"><h2>Training curves</h2>
<p class="meta">Each curve is interpolated linearly onto a common grid of environment steps over the range every run of its group covers, then averaged across seeds.</p>
<div class="charts">
${curveCharts.map((c) => chartFigure(c, wide.has(c.name))).join('\n')}
</div>
${notLogged.length ? `<p class="meta" id="not-logged">Not logged by any run: ${notLogged.map((k) => `<code>${escapeHtml(k)}</code>`).join(', ')}.</p>` : ''}
</section>
<section id="evaluation"><h2>Final evaluation</h2>
${evalChart ? `<div class="charts">${chartFigure(evalChart)}</div>` : '<p class="meta">No run has an eval.json.</p>'}
${evalTables(groups)}
</section>
<section id="hyperparameters"><h2>Hyperparameters</h2>${hyperparameterTable(groups)}</section>
<section id="machine"><h2>Machine and backends</h2>${machineTable(groups)}</section>`;
  return { html: htmlDocument(title, body), charts, warnings };
}

/**
 * Reads run directories and writes one self-contained HTML report (inline SVG charts and CSS, no
 * scripts or external requests): return vs environment steps (mean across seeds with ±std and
 * min–max bands, one color per (algorithm, env, backend) group), loss, KL, clip-fraction,
 * explained-variance, learning-rate and throughput panels, final evaluation, hyperparameters,
 * machine/backend info, and every warning.
 *
 * A directory that is not itself a run (no `config.json`/`metrics.jsonl`) stands for the runs in it.
 * @throws Error when `runDirs` is empty, a directory does not exist, or PNG export was asked for and
 *   `@resvg/resvg-js` cannot load.
 */
export async function writeReport(runDirs: string[], options: ReportOptions = {}): Promise<ReportResult> {
  if (runDirs.length === 0) throw new Error('writeReport: no run directories given');
  const dirs = expandRunDirs(runDirs);
  const runs = await Promise.all(dirs.map((d) => readRun(d)));
  const { html, charts, warnings } = await buildReportHtml(runs, options);
  const out = resolve(
    options.out ?? (dirs.length === 1 ? join(dirs[0], 'report.html') : join(commonDir(dirs), 'report.html')),
  );
  await mkdir(dirname(out), { recursive: true });
  await writeFile(out, html);
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
