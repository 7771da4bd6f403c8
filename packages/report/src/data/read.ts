import { existsSync, readdirSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import type { EvalResult, MetricsRow, RunConfig, RunData } from './types.js';

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/**
 * Parses the text of a `metrics.jsonl` file. Blank lines are skipped; a line that is not a JSON object
 * (malformed, or cut short by a crash) is left out and reported as `<file> line <n>: <reason>`
 * (1-based). `null` values become `NaN`; values that are neither numbers nor `null` are dropped, with
 * one warning per key.
 */
export function parseMetricsJsonl(
  text: string,
  fileName = 'metrics.jsonl',
): { rows: MetricsRow[]; warnings: string[] } {
  const rows: MetricsRow[] = [];
  const warnings: string[] = [];
  const badKeys = new Set<string>();
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (line === '') continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch (e) {
      warnings.push(`${fileName} line ${i + 1}: ${errorMessage(e)}`);
      continue;
    }
    if (!isObject(parsed)) {
      warnings.push(`${fileName} line ${i + 1}: expected a JSON object`);
      continue;
    }
    const row: MetricsRow = {};
    for (const [k, v] of Object.entries(parsed)) {
      if (typeof v === 'number') row[k] = v;
      else if (v === null) row[k] = Number.NaN;
      else if (!badKeys.has(k)) {
        badKeys.add(k);
        warnings.push(`${fileName} line ${i + 1}: '${k}' is not a number (ignored in this and later lines)`);
      }
    }
    rows.push(row);
  }
  return { rows, warnings };
}

function normalizeConfig(raw: unknown, warnings: string[]): RunConfig | null {
  if (!isObject(raw)) {
    warnings.push('config.json: expected a JSON object');
    return null;
  }
  const str = (v: unknown, name: string, dflt: string): string => {
    if (typeof v === 'string') return v;
    warnings.push(`config.json: missing or non-string '${name}'`);
    return dflt;
  };
  const num = (v: unknown, name: string): number => {
    if (typeof v === 'number') return v;
    warnings.push(`config.json: missing or non-numeric '${name}'`);
    return Number.NaN;
  };
  const backends = isObject(raw.backends) ? raw.backends : {};
  const machine = isObject(raw.machine) ? raw.machine : {};
  if (!isObject(raw.backends)) warnings.push("config.json: missing 'backends'");
  if (!isObject(raw.machine)) warnings.push("config.json: missing 'machine'");
  return {
    algorithm: str(raw.algorithm, 'algorithm', 'unknown'),
    envId: str(raw.envId, 'envId', 'unknown'),
    seed: num(raw.seed, 'seed'),
    numEnvs: typeof raw.numEnvs === 'number' ? raw.numEnvs : Number.NaN,
    totalTimesteps: typeof raw.totalTimesteps === 'number' ? raw.totalTimesteps : Number.NaN,
    hyperparameters: isObject(raw.hyperparameters) ? raw.hyperparameters : {},
    backends: {
      core: typeof backends.core === 'string' ? backends.core : 'unknown',
      coreReason: typeof backends.coreReason === 'string' ? backends.coreReason : null,
      tf: typeof backends.tf === 'string' ? backends.tf : 'unknown',
    },
    machine: {
      cpus: typeof machine.cpus === 'string' ? machine.cpus : 'unknown',
      cpuCount: typeof machine.cpuCount === 'number' ? machine.cpuCount : Number.NaN,
      memoryGiB: typeof machine.memoryGiB === 'number' ? machine.memoryGiB : Number.NaN,
      node: typeof machine.node === 'string' ? machine.node : 'unknown',
      platform: typeof machine.platform === 'string' ? machine.platform : 'unknown',
    },
    startedAt: typeof raw.startedAt === 'string' ? raw.startedAt : '',
  };
}

function normalizeEval(raw: unknown, warnings: string[]): EvalResult | null {
  if (!isObject(raw) || typeof raw.meanReward !== 'number') {
    warnings.push("eval.json: expected an object with a numeric 'meanReward'");
    return null;
  }
  const rewards = Array.isArray(raw.episodeRewards)
    ? raw.episodeRewards.map((r) => (typeof r === 'number' ? r : Number.NaN))
    : [];
  return {
    nEvalEpisodes: typeof raw.nEvalEpisodes === 'number' ? raw.nEvalEpisodes : rewards.length,
    deterministic: raw.deterministic === true,
    meanReward: raw.meanReward,
    stdReward: typeof raw.stdReward === 'number' ? raw.stdReward : Number.NaN,
    episodeRewards: rewards,
    wallTime: typeof raw.wallTime === 'number' ? raw.wallTime : Number.NaN,
    ...(typeof raw.trainWallTime === 'number' ? { trainWallTime: raw.trainWallTime } : {}),
  };
}

async function readJson(path: string, fileName: string, warnings: string[]): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    warnings.push(`${fileName}: ${errorMessage(e)}`);
    return undefined;
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    warnings.push(`${fileName}: ${errorMessage(e)}`);
    return undefined;
  }
}

/**
 * Reads one run directory: `config.json`, `metrics.jsonl` and the optional `eval.json`.
 *
 * Never throws for bad contents: a missing `config.json` or `metrics.jsonl`, an unparsable file, or a
 * malformed line of `metrics.jsonl` becomes a warning (with the line number) and the rest still loads.
 * @throws Error when `dir` does not exist or is not a directory.
 */
export async function readRun(dir: string): Promise<RunData> {
  if (!existsSync(dir) || !statSync(dir).isDirectory())
    throw new Error(`readRun: '${dir}' is not a directory`);
  const warnings: string[] = [];

  const configPath = join(dir, 'config.json');
  let config: RunConfig | null = null;
  if (existsSync(configPath)) {
    const raw = await readJson(configPath, 'config.json', warnings);
    if (raw !== undefined) config = normalizeConfig(raw, warnings);
  } else warnings.push('config.json: missing');

  const metricsPath = join(dir, 'metrics.jsonl');
  let metrics: MetricsRow[] = [];
  if (existsSync(metricsPath)) {
    const parsed = parseMetricsJsonl(await readFile(metricsPath, 'utf8'));
    metrics = parsed.rows;
    warnings.push(...parsed.warnings);
  } else warnings.push('metrics.jsonl: missing');

  const evalPath = join(dir, 'eval.json');
  let evalResult: EvalResult | null = null;
  if (existsSync(evalPath)) {
    const raw = await readJson(evalPath, 'eval.json', warnings);
    if (raw !== undefined) evalResult = normalizeEval(raw, warnings);
  }

  return { dir, name: basename(resolve(dir)), config, metrics, eval: evalResult, warnings };
}

/** Whether `dir` looks like a run directory (has `metrics.jsonl` or `config.json`). */
export function isRunDir(dir: string): boolean {
  return existsSync(join(dir, 'metrics.jsonl')) || existsSync(join(dir, 'config.json'));
}

/**
 * Expands directories into run directories: a run directory stays as is; any other directory is
 * replaced by its immediate subdirectories that are run directories (sorted by name), so `runs/`
 * stands for every run in it.
 * @throws Error when a path does not exist, or a directory holds no run directory.
 */
export function expandRunDirs(dirs: string[]): string[] {
  const out: string[] = [];
  for (const dir of dirs) {
    if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new Error(`'${dir}' is not a directory`);
    if (isRunDir(dir)) {
      out.push(dir);
      continue;
    }
    const children = readdirSync(dir, { withFileTypes: true })
      .filter((d) => d.isDirectory() && isRunDir(join(dir, d.name)))
      .map((d) => join(dir, d.name))
      .sort();
    if (children.length === 0)
      throw new Error(`'${dir}' holds no run directory (config.json or metrics.jsonl)`);
    out.push(...children);
  }
  return out;
}
