/**
 * `@proximal/report`: metrics logging (JSON lines, CSV, TensorBoard, console), reading and
 * aggregating run directories, self-contained HTML reports with SVG charts (and optional PNGs),
 * and benchmark tables.
 *
 * Run directory (`runs/<run>/`): `config.json` ({@link RunConfig}), `metrics.jsonl` (one
 * {@link MetricsRow} per training iteration, NaN written as `null`), optional `eval.json`
 * ({@link EvalResult}).
 *
 * @packageDocumentation
 */

export type {
  BenchmarkReportOptions,
  BenchmarkReportResult,
  ResolvedBenchmarkResult,
} from './bench/report.js';
export { renderBenchmarkReport, resolveBenchmarkResults } from './bench/report.js';
export type { BenchmarkFile, BenchmarkResult } from './bench/types.js';
export type { VegaLiteSpec } from './charts/render.js';
export { PALETTE, prefixSvgIds, renderSvg, writePng } from './charts/render.js';
export type { AggregatedSeries, AggregateOptions, RunGroup } from './data/aggregate.js';
export { aggregateRuns, extractSeries, groupRuns, interpolate } from './data/aggregate.js';
export { expandRunDirs, isRunDir, parseMetricsJsonl, readRun } from './data/read.js';
export type { EvalResult, MetricsRow, RunConfig, RunData } from './data/types.js';
export type { CurveChartDef, ReportOptions, ReportResult } from './html/report.js';
export { buildReportHtml, CURVE_CHARTS, writeReport } from './html/report.js';
export { crc32c, maskedCrc32c } from './logger/crc32c.js';
export type { LogFormat, LoggerOptions } from './logger/logger.js';
export { formatScalarTable, LOG_FILES, Logger, STEP_KEY } from './logger/logger.js';
export type { TensorBoardEvent, TensorBoardScalar, TfRecord } from './logger/tfrecord.js';
export {
  decodeEvent,
  encodeEvent,
  frameRecord,
  readTensorBoardEvents,
  readTfRecords,
} from './logger/tfrecord.js';
