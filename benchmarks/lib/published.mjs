// Published learning results of other libraries for the tasks of the learning benchmark (issue 5),
// copied by hand from the cited files (pinned commits). They were measured differently from ours;
// `method` says how, so that the comparison table is read with that in mind.

const ZOO_COMMIT = '22e3ff2450fd92033f7f032915e1f64894a09584';
const CLEANRL_COMMIT = 'fe8d8a03c41a7ef5b523e2e354bd01c363e786bb';

/** Where the numbers come from and how they were measured. */
export const SOURCES = [
  {
    id: 'rl-zoo',
    title: 'RL Baselines3 Zoo, benchmark.md ("Performance of trained agents")',
    url: `https://github.com/DLR-RM/rl-baselines3-zoo/blob/${ZOO_COMMIT}/benchmark.md`,
    method:
      'one trained agent per row (SB3 / sb3-contrib with the hyperparameters of hyperparams/ppo.yml and trpo.yml), deterministic evaluation for ~150k steps; mean ± std over the evaluation episodes of that single run',
    ppoHyperparameters: `https://github.com/DLR-RM/rl-baselines3-zoo/blob/${ZOO_COMMIT}/hyperparams/ppo.yml`,
    trpoHyperparameters: `https://github.com/DLR-RM/rl-baselines3-zoo/blob/${ZOO_COMMIT}/hyperparams/trpo.yml`,
  },
  {
    id: 'cleanrl',
    title:
      'CleanRL docs: ppo.py experiment results (docs/rl-algorithms/ppo.md, docs/benchmark/ppo.md, ppo_runtimes.md)',
    url: `https://github.com/vwxyzjn/cleanrl/blob/${CLEANRL_COMMIT}/docs/rl-algorithms/ppo.md`,
    method:
      'ppo.py with its defaults (4 envs, 500k steps), 3 seeds; per seed the mean return of the last 100 training episodes (stochastic policy), then mean ± std across seeds (openrlbenchmark rlops.py); runtime in minutes on their hardware',
    methodUrl:
      'https://github.com/openrlbenchmark/openrlbenchmark/blob/2e574baef25afb875e9732ebbb12ae59549c57bb/openrlbenchmark/rlops.py',
    runtimesUrl: `https://github.com/vwxyzjn/cleanrl/blob/${CLEANRL_COMMIT}/docs/benchmark/ppo_runtimes.md`,
  },
  {
    id: 'cleanrl-rpo',
    title: 'CleanRL docs: RPO page, Gym(nasium) table (ppo_continuous_action baseline column)',
    url: `https://github.com/vwxyzjn/cleanrl/blob/${CLEANRL_COMMIT}/docs/rl-algorithms/rpo.md`,
    method:
      'ppo_continuous_action.py with its defaults (1 env, no gSDE, 8M steps), 10 seeds; last-100-training-episode mean per seed, mean ± std across seeds',
  },
];

/**
 * Published returns: `mean ± std` as printed, the training budget, and `over` (what the ± is over).
 * CleanRL publishes no MountainCarContinuous-v0 result and has no TRPO.
 */
export const PUBLISHED = [
  // RL Zoo benchmark.md (one run each, deterministic eval; std over episodes)
  {
    source: 'rl-zoo',
    algo: 'ppo',
    envId: 'CartPole-v1',
    mean: 500.0,
    std: 0.0,
    timesteps: 100_000,
    over: '300 episodes',
  },
  {
    source: 'rl-zoo',
    algo: 'ppo',
    envId: 'Acrobot-v1',
    mean: -73.506,
    std: 18.201,
    timesteps: 1_000_000,
    over: '2013 episodes',
  },
  {
    source: 'rl-zoo',
    algo: 'ppo',
    envId: 'Pendulum-v1',
    mean: -172.225,
    std: 104.159,
    timesteps: 100_000,
    over: '750 episodes',
  },
  {
    source: 'rl-zoo',
    algo: 'ppo',
    envId: 'MountainCarContinuous-v0',
    mean: 88.343,
    std: 2.572,
    timesteps: 20_000,
    over: '633 episodes',
  },
  {
    source: 'rl-zoo',
    algo: 'trpo',
    envId: 'CartPole-v1',
    mean: 500.0,
    std: 0.0,
    timesteps: 100_000,
    over: '300 episodes',
  },
  {
    source: 'rl-zoo',
    algo: 'trpo',
    envId: 'Acrobot-v1',
    mean: -83.114,
    std: 18.648,
    timesteps: 100_000,
    over: '1783 episodes',
  },
  {
    source: 'rl-zoo',
    algo: 'trpo',
    envId: 'Pendulum-v1',
    mean: -174.631,
    std: 127.577,
    timesteps: 100_000,
    over: '750 episodes',
  },
  {
    source: 'rl-zoo',
    algo: 'trpo',
    envId: 'MountainCarContinuous-v0',
    mean: 92.489,
    std: 0.355,
    timesteps: 50_000,
    over: '1732 episodes',
  },
  // CleanRL (std across seeds of the last-100-episode training mean)
  {
    source: 'cleanrl',
    algo: 'ppo',
    envId: 'CartPole-v1',
    mean: 490.04,
    std: 6.12,
    timesteps: 500_000,
    over: '3 seeds',
    wallSeconds: 10.4737 * 60,
  },
  {
    source: 'cleanrl',
    algo: 'ppo',
    envId: 'Acrobot-v1',
    mean: -86.36,
    std: 1.32,
    timesteps: 500_000,
    over: '3 seeds',
    wallSeconds: 15.4606 * 60,
  },
  {
    source: 'cleanrl-rpo',
    algo: 'ppo',
    envId: 'Pendulum-v1',
    mean: -1141.98,
    std: 135.55,
    timesteps: 8_000_000,
    over: '10 seeds',
  },
];

const fmt = (mean, std, digits = 1) => `${mean.toFixed(digits)} ± ${std.toFixed(digits)}`;

/**
 * One row per (algo, env) of our results: our mean ± std across seeds, budget and wall time next to
 * the published numbers (null where a source has none).
 */
export function comparisonRows(results) {
  return results.map((r) => {
    const zoo = PUBLISHED.find((p) => p.source === 'rl-zoo' && p.algo === r.algo && p.envId === r.envId);
    const clean = PUBLISHED.find(
      (p) => p.source.startsWith('cleanrl') && p.algo === r.algo && p.envId === r.envId,
    );
    const wall = r.runs.reduce((a, x) => a + x.wallSeconds, 0) / r.runs.length;
    const hits = r.runs.map((x) => x.stepsToThreshold).filter((x) => x !== null);
    return {
      algo: r.algo,
      envId: r.envId,
      threshold: r.threshold,
      proximal: `${fmt(r.evalMean, r.evalStdAcrossSeeds)} (${r.runs.length} seeds)`,
      proximalMinSeed: Math.round(100 * Math.min(...r.runs.map((x) => x.evalMean))) / 100,
      proximalTimesteps: r.totalTimesteps,
      proximalWallSeconds: Math.round(wall),
      proximalStepsToThreshold:
        hits.length === r.runs.length ? Math.round(hits.reduce((a, b) => a + b, 0) / hits.length) : null,
      rlZoo: zoo ? `${fmt(zoo.mean, zoo.std)} (1 run, ${zoo.over})` : null,
      rlZooTimesteps: zoo?.timesteps ?? null,
      cleanrl: clean ? `${fmt(clean.mean, clean.std, 2)} (${clean.over})` : null,
      cleanrlTimesteps: clean?.timesteps ?? null,
      cleanrlWallSeconds: clean?.wallSeconds ? Math.round(clean.wallSeconds) : null,
    };
  });
}
