// `npm test`: builds what is needed and runs every package's tests through turbo, then prints
// one summary line over all Vitest projects ("tests: N passed, N failed, N skipped").
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { delimiter, join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const subdirs = (dir) =>
  existsSync(join(root, dir)) ? readdirSync(join(root, dir)).map((p) => join(dir, p)) : [];
const projects = ['native', ...subdirs('packages'), 'docs', ...subdirs('tests')];
const resultFile = (p) => join(root, p, '.vitest-results.json');
for (const p of projects) rmSync(resultFile(p), { force: true });

const turbo = join(root, 'node_modules', '.bin', 'turbo');
if (!existsSync(turbo)) {
  console.error(
    'test: dependencies are not installed; run `npm run quickstart` (or `npx pnpm install`) first',
  );
  process.exit(1);
}
// turbo looks for the workspace's package manager (pnpm, a root devDependency) on PATH
const PATH = `${join(root, 'node_modules', '.bin')}${delimiter}${process.env.PATH ?? ''}`;
const r = spawnSync(turbo, ['run', 'test', '--continue', ...process.argv.slice(2)], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, PATH },
});

let passed = 0;
let failed = 0;
let skipped = 0;
const missing = [];
for (const p of projects) {
  if (!existsSync(join(root, p, 'package.json'))) continue;
  const pkg = JSON.parse(readFileSync(join(root, p, 'package.json'), 'utf8'));
  if (!pkg.scripts?.test) continue;
  if (!existsSync(resultFile(p))) {
    missing.push(p);
    continue;
  }
  const res = JSON.parse(readFileSync(resultFile(p), 'utf8'));
  passed += res.numPassedTests;
  failed += res.numFailedTests;
  skipped += res.numPendingTests + (res.numTodoTests ?? 0);
}
if (missing.length)
  console.error(`test: no results from ${missing.join(', ')} (their test run failed before reporting)`);
console.log(`\ntests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(r.status !== 0 || failed > 0 || missing.length > 0 ? r.status || 1 : 0);
