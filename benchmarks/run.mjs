// `pnpm bench`: runs every benchmark in this folder in turn; results land in results/*.json.
import { spawnSync } from 'node:child_process';

const benches = [
  'gae.mjs',
  'surrogate.mjs',
  'fvp.mjs',
  'line-search.mjs',
  'envs.mjs',
  'mujoco-envs.mjs',
  'ppo-cartpole.mjs',
];
if (process.argv.includes('--help') || process.argv.includes('-h')) {
  console.log(`usage: pnpm bench [-- --quick]   (or: node benchmarks/run.mjs [--quick])

Runs each benchmark in its own process, in turn: ${benches.join(', ')}.
Results land in benchmarks/results/<name>.json with the machine they ran on. Kernel rows: js
(TypeScript reference, the baseline of every ratio), native-1t, native-mt and tfjs-wasm, one run.
--quick: fvp and line-search run their 64x64 policies only.
Render a report: node packages/cli/dist/bin.js report benchmarks/results/<name>.json --out <out.html>`);
  process.exit(0);
}
for (const b of benches) {
  console.log(`\n== ${b}`);
  const r = spawnSync(process.execPath, [new URL(b, import.meta.url).pathname, ...process.argv.slice(2)], {
    stdio: 'inherit',
  });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
