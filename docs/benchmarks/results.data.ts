// Build-time data loader (VitePress `*.data.ts`): reads the committed benchmark results in
// benchmarks/results/*.json and turns each file into tables the page renders. The loader is
// schema-tolerant: arrays of records become tables (also one level down, e.g. `published.sources`),
// nested objects become key/value rows, so a new field in a result file shows up without touching
// the docs.
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { defineLoader } from 'vitepress';

export type Cell = string | number | boolean | null;

export interface Table {
  title: string;
  columns: string[];
  rows: Cell[][];
}

export interface BenchmarkPage {
  file: string;
  benchmark: string;
  timestamp: string | null;
  tables: Table[];
}

export interface Data {
  files: BenchmarkPage[];
}

declare const data: Data;

export { data };

function cell(value: unknown): Cell {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') return Number.isInteger(value) ? value : Number(value.toPrecision(4));
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  if (Array.isArray(value)) return value.map((v) => String(cell(v))).join(', ');
  return JSON.stringify(value);
}

/** Flattens nested objects into `a.b.c` keys. */
function flatten(obj: Record<string, unknown>, prefix = ''): [string, unknown][] {
  const out: [string, unknown][] = [];
  for (const [k, v] of Object.entries(obj)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (v && typeof v === 'object' && !Array.isArray(v))
      out.push(...flatten(v as Record<string, unknown>, key));
    else out.push([key, v]);
  }
  return out;
}

function isRecordArray(v: unknown): v is Record<string, unknown>[] {
  return Array.isArray(v) && v.length > 0 && v.every((x) => x && typeof x === 'object' && !Array.isArray(x));
}

function recordTable(title: string, records: Record<string, unknown>[]): Table {
  const rows = records.map((r) => Object.fromEntries(flatten(r)));
  const columns = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  return { title, columns, rows: rows.map((r) => columns.map((c) => cell(r[c]))) };
}

/** Tables of one object value: its arrays of records as their own tables, the rest as key/value rows. */
function objectTables(key: string, value: Record<string, unknown>): Table[] {
  const tables: Table[] = [];
  const rest: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (isRecordArray(v)) tables.push(recordTable(`${key}.${k}`, v));
    else rest[k] = v;
  }
  const rows = flatten(rest).map(([k, v]) => [k, cell(v)]);
  if (rows.length) tables.unshift({ title: key, columns: ['field', 'value'], rows });
  return tables;
}

export function toPage(file: string, json: Record<string, unknown>): BenchmarkPage {
  const tables: Table[] = [];
  const scalars: [string, unknown][] = [];
  for (const [key, value] of Object.entries(json)) {
    if (key === 'benchmark' || key === 'timestamp') continue;
    if (isRecordArray(value)) {
      tables.push(recordTable(key, value));
    } else if (value && typeof value === 'object' && !Array.isArray(value)) {
      tables.push(...objectTables(key, value as Record<string, unknown>));
    } else {
      scalars.push([key, value]);
    }
  }
  if (scalars.length) {
    tables.unshift({
      title: 'overview',
      columns: ['field', 'value'],
      rows: scalars.map(([k, v]) => [k, cell(v)]),
    });
  }
  return {
    file: basename(file),
    benchmark: typeof json.benchmark === 'string' ? json.benchmark : basename(file, '.json'),
    timestamp: typeof json.timestamp === 'string' ? json.timestamp : null,
    tables,
  };
}

export default defineLoader({
  watch: ['../../benchmarks/results/*.json'],
  load(files: string[]): Data {
    return {
      files: [...files]
        .sort()
        .map((f) => toPage(f, JSON.parse(readFileSync(f, 'utf8')) as Record<string, unknown>)),
    };
  },
});
