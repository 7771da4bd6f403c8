import { appendFileSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { encodeEvent, frameRecord } from './tfrecord.js';

/** Output formats of {@link Logger}. */
export type LogFormat = 'jsonl' | 'csv' | 'tensorboard' | 'stdout';

/** Options of {@link Logger}. */
export interface LoggerOptions {
  /** Outputs to write. Default `['jsonl', 'csv']`. */
  formats?: LogFormat[];
  /** Where the `stdout` format prints its tables. Default `process.stdout`. */
  stdout?: { write(text: string): unknown };
}

/** The x-axis key every metrics row carries (environment steps so far). */
export const STEP_KEY = 'time/total_timesteps';

/** File names written inside the log directory. */
export const LOG_FILES = {
  jsonl: 'metrics.jsonl',
  csv: 'progress.csv',
  /** Prefix of the TensorBoard event file; the full name is `events.out.tfevents.<unix seconds>.<host>`. */
  tensorboardPrefix: 'events.out.tfevents.',
} as const;

function csvCell(v: number | undefined): string {
  if (v === undefined) return '';
  if (Number.isNaN(v)) return 'nan';
  if (v === Number.POSITIVE_INFINITY) return 'inf';
  if (v === Number.NEGATIVE_INFINITY) return '-inf';
  return String(v);
}

function formatNumber(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  if (Number.isInteger(v) && Math.abs(v) < 1e15) return String(v);
  const a = Math.abs(v);
  return a !== 0 && (a < 1e-3 || a >= 1e6) ? v.toExponential(3) : String(Number(v.toPrecision(5)));
}

/**
 * Formats scalars as the table Stable-Baselines3 prints: keys grouped by their `prefix/`, sorted.
 */
export function formatScalarTable(scalars: Record<string, number>): string {
  const rows: [string, string][] = [];
  let lastGroup: string | null = null;
  for (const key of Object.keys(scalars).sort()) {
    const slash = key.indexOf('/');
    const group = slash >= 0 ? key.slice(0, slash) : '';
    const name = slash >= 0 ? key.slice(slash + 1) : key;
    if (group !== lastGroup && group !== '') rows.push([`${group}/`, '']);
    lastGroup = group;
    rows.push([group === '' ? name : `    ${name}`, formatNumber(scalars[key])]);
  }
  const kw = Math.max(8, ...rows.map((r) => r[0].length));
  const vw = Math.max(8, ...rows.map((r) => r[1].length));
  const rule = '-'.repeat(kw + vw + 7);
  const lines = rows.map(([k, v]) => `| ${k.padEnd(kw)} | ${v.padEnd(vw)} |`);
  return `${rule}\n${lines.join('\n')}\n${rule}\n`;
}

/**
 * Writes training scalars to a run directory, one record per training iteration.
 *
 * - `jsonl` → `metrics.jsonl`: one JSON object per line; NaN and ±Infinity are written as `null`.
 * - `csv` → `progress.csv`: header = union of all keys seen so far, in first-seen order (keys new in a
 *   record are appended sorted, as SB3's CSV logger does); when a record brings new keys the whole file
 *   is rewritten (atomically, via a temporary file and rename) with the wider header and empty cells in
 *   older rows; otherwise a row is appended. NaN is written `nan`, ±Infinity `inf`/`-inf`.
 * - `tensorboard` → `events.out.tfevents.<unix seconds>.<host>`: a TFRecord file of Event protos
 *   (first a `brain.Event:2` file-version event, then one event per record with every scalar as a
 *   float32 `simple_value`), readable by `tensorboard --logdir`.
 * - `stdout` → an SB3-style table per record.
 *
 * Every record is appended synchronously (`appendFileSync`), so a crash leaves only complete lines and
 * records. Existing files of the chosen formats are truncated when the logger is constructed.
 *
 * Pass the logger itself as a training callback: it has `onIterationEnd({ numTimesteps, metrics })`.
 */
export class Logger {
  /** The log directory (created if missing). */
  readonly dir: string;
  /** The formats being written. */
  readonly formats: readonly LogFormat[];
  /** Path of the TensorBoard event file, when that format is on. */
  readonly tensorboardPath: string | undefined;

  private readonly out: { write(text: string): unknown };
  private csvKeys: string[] = [];
  private csvRows: Record<string, number>[] = [];
  private closed = false;

  /**
   * @param dir the run directory; created recursively.
   * @throws Error for an unknown format, or the file-system error when the directory or files cannot
   *   be created.
   */
  constructor(dir: string, options: LoggerOptions = {}) {
    this.dir = dir;
    this.formats = [...new Set<LogFormat>(options.formats ?? ['jsonl', 'csv'])];
    for (const f of this.formats) {
      if (!['jsonl', 'csv', 'tensorboard', 'stdout'].includes(f))
        throw new Error(`Logger: unknown format '${f}'`);
    }
    this.out = options.stdout ?? process.stdout;
    mkdirSync(dir, { recursive: true });
    if (this.formats.includes('jsonl')) writeFileSync(join(dir, LOG_FILES.jsonl), '');
    if (this.formats.includes('csv')) writeFileSync(join(dir, LOG_FILES.csv), '');
    if (this.formats.includes('tensorboard')) {
      const seconds = Math.floor(Date.now() / 1000);
      this.tensorboardPath = join(dir, `${LOG_FILES.tensorboardPrefix}${seconds}.${hostname()}`);
      const header = encodeEvent({
        wallTime: Date.now() / 1000,
        step: 0,
        fileVersion: 'brain.Event:2',
        scalars: [],
      });
      writeFileSync(this.tensorboardPath, frameRecord(header));
    }
  }

  /**
   * Records the scalars of one step (environment steps so far) in every format.
   * When `scalars` lacks `time/total_timesteps`, it is added with the value `step`.
   * @throws Error after {@link close}, or RangeError when `step` is not a safe integer ≥ 0.
   */
  record(step: number, scalars: Record<string, number>): void {
    if (this.closed) throw new Error('Logger: record() after close()');
    if (!Number.isSafeInteger(step) || step < 0)
      throw new RangeError(`Logger: step must be an integer >= 0, got ${step}`);
    const row: Record<string, number> = {};
    for (const [k, v] of Object.entries(scalars)) if (typeof v === 'number') row[k] = v;
    if (!(STEP_KEY in row)) row[STEP_KEY] = step;

    if (this.formats.includes('jsonl'))
      appendFileSync(join(this.dir, LOG_FILES.jsonl), `${JSON.stringify(row)}\n`);
    if (this.formats.includes('csv')) this.writeCsv(row);
    if (this.tensorboardPath) {
      const scalarsOut = Object.entries(row).map(([tag, simpleValue]) => ({ tag, simpleValue }));
      appendFileSync(
        this.tensorboardPath,
        frameRecord(encodeEvent({ wallTime: Date.now() / 1000, step, scalars: scalarsOut })),
      );
    }
    if (this.formats.includes('stdout')) this.out.write(formatScalarTable(row));
  }

  /**
   * Training-callback hook: records `metrics` at step `numTimesteps`. Returns `undefined` (never asks
   * training to stop).
   */
  onIterationEnd(ctx: { numTimesteps: number; metrics: Record<string, number> }): undefined {
    this.record(ctx.numTimesteps, ctx.metrics);
    return undefined;
  }

  /** Ends logging; later `record` calls throw. Files are already complete on disk. */
  async close(): Promise<void> {
    this.closed = true;
    this.csvRows = [];
  }

  private writeCsv(row: Record<string, number>): void {
    const path = join(this.dir, LOG_FILES.csv);
    const newKeys = Object.keys(row)
      .filter((k) => !this.csvKeys.includes(k))
      .sort();
    this.csvRows.push(row);
    const cells = (r: Record<string, number>) => this.csvKeys.map((k) => csvCell(r[k]));
    if (newKeys.length > 0) {
      this.csvKeys.push(...newKeys);
      const text = stringify([this.csvKeys, ...this.csvRows.map(cells)]);
      const tmp = `${path}.tmp`;
      writeFileSync(tmp, text);
      renameSync(tmp, path);
    } else {
      appendFileSync(path, stringify([cells(row)]));
    }
  }
}
