// Learning benchmark (issue 5): PPO and TRPO with the CLI's tuned settings on classic-control
// tasks over several seeds; reports the mean and spread of the final 100-episode deterministic
// evaluation, wall time and steps until the 100-episode training mean first reached the threshold.
// Writes the published returns of the RL Zoo and CleanRL for the same tasks next to ours
// (lib/published.mjs, with sources). Not part of CI (it takes long). Usage:
//   node learning.mjs [--algos ppo,trpo,dqn] [--envs CartPole-v1,Acrobot-v1] [--seeds 3] [--timesteps N] [--merge]
// --merge keeps the rows of results/<out>.json that this run does not recompute.
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { evaluatePolicy, getAlgorithm } from '@proximal/algorithms';
import { makeVec, spec } from '@proximal/envs';
import { comparisonRows, PUBLISHED, SOURCES } from './lib/published.mjs';
import { machine, writeResult } from './lib/result.mjs';

/** Thresholds of the issue (published reference returns for the same tasks: lib/published.mjs). */
const TASKS = {
  'CartPole-v1': { threshold: 475 },
  'Acrobot-v1': { threshold: -100 },
  'Pendulum-v1': { threshold: -250 },
  'MountainCarContinuous-v0': { threshold: 90 },
};

const { values } = parseArgs({
  options: {
    algos: { type: 'string', default: 'ppo,trpo' },
    envs: { type: 'string', default: Object.keys(TASKS).join(',') },
    seeds: { type: 'string', default: '3' },
    timesteps: { type: 'string' },
    out: { type: 'string', default: 'learning' },
    merge: { type: 'boolean', default: false },
  },
});

const results = [];
for (const algo of values.algos.split(',')) {
  for (const envId of values.envs.split(',')) {
    spec(envId);
    const def = getAlgorithm(algo);
    const tuned = def.presets.perEnv?.[envId] ?? def.presets.default;
    const threshold = TASKS[envId]?.threshold ?? spec(envId).rewardThreshold;
    const total = values.timesteps ? Number(values.timesteps) : tuned.totalTimesteps;
    const runs = [];
    for (let seed = 1; seed <= Number(values.seeds); seed++) {
      const model = await def.create({
        env: envId,
        numEnvs: tuned.numEnvs,
        seed,
        ...tuned.hyperparameters,
        ...(tuned.normalize ? { normalize: tuned.normalize } : {}),
      });
      const t0 = performance.now();
      let hit = null;
      await model.learn({
        totalTimesteps: total,
        callback: (ctx) => {
          const m = ctx.metrics['rollout/ep_rew_mean'];
          if (!hit && model.episodes.returns.length >= 100 && m >= threshold) {
            hit = { seconds: (performance.now() - t0) / 1000, steps: ctx.numTimesteps };
          }
          return undefined;
        },
      });
      const wall = (performance.now() - t0) / 1000;
      const env = makeVec(envId, { numEnvs: 10, autoresetMode: 'same-step' });
      const ev = await evaluatePolicy(model, env, { nEvalEpisodes: 100, seed: 100_000 + seed });
      env.close();
      model.dispose();
      const run = {
        seed,
        evalMean: ev.meanReward,
        evalStd: ev.stdReward,
        wallSeconds: wall,
        stepsToThreshold: hit?.steps ?? null,
        secondsToThreshold: hit?.seconds ?? null,
      };
      runs.push(run);
      console.log(
        `${algo} ${envId} seed ${seed}: eval ${ev.meanReward.toFixed(1)} ± ${ev.stdReward.toFixed(1)}, ${wall.toFixed(1)} s, threshold ${hit ? `at ${hit.steps} steps` : 'not reached'}`,
      );
    }
    const means = runs.map((r) => r.evalMean);
    const mean = means.reduce((a, b) => a + b, 0) / means.length;
    const std = Math.sqrt(means.reduce((a, b) => a + (b - mean) ** 2, 0) / means.length);
    results.push({
      algo,
      envId,
      threshold,
      totalTimesteps: total,
      numEnvs: tuned.numEnvs,
      evalMean: mean,
      evalStdAcrossSeeds: std,
      solved: mean >= threshold,
      runs,
    });
  }
}
let all = results;
if (values.merge) {
  const file = new URL(`./results/${values.out}.json`, import.meta.url);
  const previous = JSON.parse(await readFile(file, 'utf8').catch(() => '{"results":[]}')).results ?? [];
  const key = (r) => `${r.algo}/${r.envId}`;
  const fresh = new Set(results.map(key));
  const order = (r) => `${r.algo}/${Object.keys(TASKS).indexOf(r.envId)}`;
  all = [...previous.filter((r) => !fresh.has(key(r))), ...results].sort((a, b) =>
    order(a).localeCompare(order(b)),
  );
}
await writeResult(values.out, {
  machine: machine(),
  complete: true,
  notes:
    'Proximal: per seed the mean return of 100 deterministic evaluation episodes after training; evalMean ± evalStdAcrossSeeds over seeds 1..n. Published numbers were measured differently (see published.sources[].method): RL Zoo rows are one run evaluated deterministically, the ± over episodes; CleanRL rows are last-100-training-episode means, the ± over seeds. Wall times are from different hardware.',
  results: all,
  comparison: comparisonRows(all),
  published: { sources: SOURCES, results: PUBLISHED },
});
