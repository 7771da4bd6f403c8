// Time until the 100-episode mean of training episodes first reaches CartPole-v1's threshold (475),
// with the CLI's default (tuned) settings. Baseline measured on the same machine: CleanRL's ppo.py
// (PyTorch) needs 45 s and 272k steps here (issue 2). Usage: node ppo-cartpole.mjs [--seeds 3] [--timesteps N]
import { parseArgs } from 'node:util';
import { PPO } from '@proximal/algorithms';
import { TUNED_PPO } from '@proximal/cli';
import { machine, writeResult } from './lib/result.mjs';

const { values } = parseArgs({
  options: { seeds: { type: 'string', default: '3' }, timesteps: { type: 'string', default: '300000' } },
});
const seeds = Number(values.seeds);
const budget = Number(values.timesteps);
const tuned = TUNED_PPO['CartPole-v1'];
const runs = [];
for (let seed = 1; seed <= seeds; seed++) {
  const model = await PPO.create({
    env: 'CartPole-v1',
    numEnvs: tuned.numEnvs,
    seed,
    ...tuned.hyperparameters,
  });
  const t0 = performance.now();
  let hit = null;
  await model.learn({
    totalTimesteps: budget,
    callback: (ctx) => {
      if (model.episodes.returns.length >= 100 && ctx.metrics['rollout/ep_rew_mean'] >= 475) {
        hit = { seconds: (performance.now() - t0) / 1000, steps: ctx.numTimesteps };
        return false;
      }
      return undefined;
    },
  });
  const total = (performance.now() - t0) / 1000;
  runs.push({
    seed,
    reached: hit !== null,
    seconds: hit?.seconds ?? null,
    steps: hit?.steps ?? null,
    wallSeconds: total,
  });
  console.log(
    `seed ${seed}: ${hit ? `475 reached after ${hit.seconds.toFixed(1)} s and ${hit.steps} steps` : `not reached in ${budget} steps (${total.toFixed(1)} s)`}`,
  );
  model.dispose();
}
const reached = runs.filter((r) => r.reached);
const median = (xs) => (xs.length ? xs.sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)] : null);
const summary = {
  medianSeconds: median(reached.map((r) => r.seconds)),
  medianSteps: median(reached.map((r) => r.steps)),
  reachedFraction: reached.length / runs.length,
  baseline: { name: 'CleanRL ppo.py (PyTorch), same machine class', seconds: 45, steps: 272_000 },
};
summary.speedupVsBaseline = summary.medianSeconds ? 45 / summary.medianSeconds : null;
console.log(JSON.stringify(summary));
await writeResult('ppo-cartpole', {
  machine: machine(),
  settings: { ...tuned, hyperparameters: Object.keys(tuned.hyperparameters) },
  runs,
  summary,
});
