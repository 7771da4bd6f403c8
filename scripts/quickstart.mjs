// `npm run quickstart`: install every dependency (pnpm included), build the packages and the
// native addon, then train PPO on CartPole-v1 and write a report. Extra arguments go to
// `proximal train`, e.g. `npm run quickstart -- --seed 3`.
import { spawnSync } from 'node:child_process';
import { pnpm } from './pnpm.mjs';

function step(name, status) {
  if (status !== 0) {
    console.error(`quickstart: ${name} failed (exit ${status})`);
    process.exit(status);
  }
}

step('install', pnpm(['install', '--frozen-lockfile']));
step('build', pnpm(['run', 'build']));
const cli = new URL('../packages/cli/dist/bin.js', import.meta.url).pathname;
const r = spawnSync(process.execPath, [cli, 'train', 'ppo', 'CartPole-v1', ...process.argv.slice(2)], {
  stdio: 'inherit',
});
process.exit(r.status ?? 1);
