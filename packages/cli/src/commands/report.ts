import { existsSync, statSync } from 'node:fs';
import { renderBenchmarkReport, writeReport } from '@proximal/report';
import { glob, isDynamicPattern } from 'tinyglobby';

export interface ReportCommandOptions {
  out?: string;
  title?: string;
  png: boolean;
}

/**
 * `proximal report <paths...>`: run directories (or folders of runs, or glob patterns) become one
 * HTML report with learning curves; benchmark result files (`*.json` from `pnpm bench`) become a
 * benchmark report. Warnings (e.g. a malformed metrics line) are printed and shown in the page.
 * @throws Error when nothing matches or a path does not exist.
 */
export async function report(paths: string[], o: ReportCommandOptions): Promise<void> {
  const expanded: string[] = [];
  for (const p of paths) {
    if (isDynamicPattern(p)) {
      const matches = await glob(p, { onlyFiles: false, absolute: true, expandDirectories: false });
      if (matches.length === 0) throw new Error(`no files or directories match '${p}'`);
      expanded.push(...matches.sort());
    } else {
      if (!existsSync(p)) throw new Error(`'${p}' does not exist`);
      expanded.push(p);
    }
  }
  const benchFiles = expanded.filter((p) => statSync(p).isFile() && p.endsWith('.json'));
  const runDirs = expanded.filter((p) => statSync(p).isDirectory());
  const other = expanded.filter((p) => !benchFiles.includes(p) && !runDirs.includes(p));
  if (other.length > 0) throw new Error(`not a run directory or a benchmark .json file: ${other.join(', ')}`);
  if (runDirs.length > 0) {
    const res = await writeReport(runDirs, {
      out: benchFiles.length ? undefined : o.out,
      title: o.title,
      png: o.png,
    });
    for (const w of res.warnings) console.warn(`warning: ${w}`);
    console.log(`report: ${res.path}`);
    for (const p of res.pngPaths) console.log(`chart: ${p}`);
  }
  for (const file of benchFiles) {
    const res = await renderBenchmarkReport(file, {
      out: runDirs.length === 0 && benchFiles.length === 1 ? o.out : undefined,
      title: o.title,
      png: o.png,
    });
    for (const w of res.warnings) console.warn(`warning: ${w}`);
    console.log(`benchmark report: ${res.path}`);
  }
}
