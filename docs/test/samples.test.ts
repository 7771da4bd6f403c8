// Type-checks every ```ts / ```js code sample of the docs against the built @proximal/* packages:
// each sample becomes a file in docs/.samples/ (inside the workspace, so @proximal/* resolve through
// docs/node_modules to the packages' dist/*.d.ts), and one `tsc --noEmit` checks them all.
// A sample that cannot be type-checked on its own is marked ```ts no-check; those must stay few.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { docsDir } from './helpers.js';

interface Sample {
  id: string;
  source: string;
  line: number;
  lang: 'ts' | 'js';
  code: string;
  noCheck: boolean;
}

const SKIP_DIRS = new Set(['node_modules', 'api', '.vitepress', '.samples', 'test', 'scripts']);
const MAX_UNCHECKED = 4;

function markdownFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) {
      if (!SKIP_DIRS.has(entry.name)) out.push(...markdownFiles(join(dir, entry.name)));
    } else if (entry.name.endsWith('.md')) out.push(join(dir, entry.name));
  }
  return out.sort();
}

/** The fenced ts/js blocks of a markdown file, with their info-string flags. */
export function extractSamples(file: string, text: string): Sample[] {
  const samples: Sample[] = [];
  const lines = text.split('\n');
  const rel = relative(docsDir, file);
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)(`{3,}|~{3,})\s*(ts|typescript|js|javascript)\b(.*)$/.exec(lines[i]);
    if (!open) continue;
    const fence = open[2];
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length && !lines[j].trimStart().startsWith(fence); j++) body.push(lines[j]);
    const lang = open[3].startsWith('t') ? 'ts' : 'js';
    const slug = rel.replace(/\.md$/, '').replace(/[^A-Za-z0-9]+/g, '-');
    samples.push({
      id: `${slug}-L${i + 1}`,
      source: `${rel}:${i + 1}`,
      line: i + 1,
      lang,
      code: body.join('\n'),
      noCheck: /\bno-check\b/.test(open[4]),
    });
    i = j;
  }
  return samples;
}

const samples = markdownFiles(docsDir).flatMap((f) => extractSamples(f, readFileSync(f, 'utf8')));
const checked = samples.filter((s) => !s.noCheck);
const samplesDir = join(docsDir, '.samples');
const diagnostics = new Map<string, string[]>();

describe('docs code samples', () => {
  beforeAll(() => {
    rmSync(samplesDir, { recursive: true, force: true });
    mkdirSync(samplesDir, { recursive: true });
    for (const s of checked) {
      // `export {}` makes every sample an ES module (top-level await, no global name clashes)
      writeFileSync(join(samplesDir, `${s.id}.${s.lang}`), `${s.code}\n\nexport {};\n`);
    }
    writeFileSync(
      join(samplesDir, 'tsconfig.json'),
      JSON.stringify(
        {
          extends: '../../tsconfig.base.json',
          compilerOptions: {
            noEmit: true,
            allowJs: true,
            checkJs: true,
            declaration: false,
            declarationMap: false,
            sourceMap: false,
            noUnusedLocals: false,
          },
          include: ['*.ts', '*.js'],
        },
        null,
        2,
      ),
    );
    const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
    const r = spawnSync(process.execPath, [tsc, '-p', samplesDir, '--pretty', 'false'], {
      cwd: samplesDir,
      encoding: 'utf8',
    });
    if (r.error) throw r.error;
    const output = `${r.stdout}${r.stderr}`;
    for (const line of output.split('\n')) {
      const m = /^(?:.*[\\/])?([^\\/(]+)\.(ts|js)\((\d+),(\d+)\): (error .*)$/.exec(line);
      if (m) {
        const list = diagnostics.get(m[1]) ?? [];
        list.push(`line ${m[3]}: ${m[5]}`);
        diagnostics.set(m[1], list);
      } else if (/error TS/.test(line)) {
        diagnostics.set('(global)', [...(diagnostics.get('(global)') ?? []), line]);
      }
    }
  }, 120_000);

  it('finds samples, and few are marked no-check', () => {
    expect(checked.length).toBeGreaterThan(10);
    const unchecked = samples.filter((s) => s.noCheck).map((s) => s.source);
    expect(unchecked.length, `no-check samples: ${unchecked.join(', ')}`).toBeLessThanOrEqual(MAX_UNCHECKED);
  });

  it('compiles without global errors', () => {
    expect(diagnostics.get('(global)') ?? []).toEqual([]);
  });

  it.each(checked.map((s) => [s.source, s] as const))('%s type-checks', (_source, s) => {
    expect(diagnostics.get(s.id) ?? []).toEqual([]);
  });
});
