// `pnpm bench`: runs every benchmark in this folder in turn; results land in results/*.json.
import { spawnSync } from 'node:child_process';

const benches = ['gae.mjs', 'surrogate.mjs', 'fvp.mjs', 'line-search.mjs', 'envs.mjs', 'ppo-cartpole.mjs'];
for (const b of benches) {
  console.log(`\n== ${b}`);
  const r = spawnSync(process.execPath, [new URL(b, import.meta.url).pathname, ...process.argv.slice(2)], {
    stdio: 'inherit',
  });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
