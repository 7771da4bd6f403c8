// Tabular learning benchmark: Q-learning and SARSA on FrozenLake-v1 4x4 (slippery and not),
// CliffWalking-v0 and the 2x3 maze (Maze2x3-v0), over 3 seeds; each trained agent is evaluated
// greedily for 100 episodes. Reports per task the mean evaluation return over seeds next to the
// optimal return. Takes a few seconds. Usage: node tabular.mjs [--seeds 3]
import { parseArgs } from 'node:util';
import { evaluatePolicy, QLearning, SARSA } from '@proximal/algorithms';
import { make } from '@proximal/envs';
import { machine, writeResult } from './lib/result.mjs';

/**
 * Tasks, their settings and optimal returns. FrozenLake slippery: the optimal policy's success
 * rate within the 100-step limit is about 0.74 (value iteration, γ → 1); not slippery: 1 (6 steps).
 * CliffWalking: −13 (the path along the cliff edge; SARSA, on-policy under ε = 0.1, learns a
 * longer, safer path, Sutton & Barto Example 6.6). Maze: +10 in 3 steps.
 */
const TASKS = [
  {
    name: 'FrozenLake-v1 4x4 not slippery',
    envId: 'FrozenLake-v1',
    kwargs: { isSlippery: false },
    optimalReturn: 1,
    totalTimesteps: 20_000,
    hyperparameters: {},
  },
  {
    name: 'FrozenLake-v1 4x4 slippery',
    envId: 'FrozenLake-v1',
    kwargs: {},
    optimalReturn: 0.74,
    totalTimesteps: 300_000,
    hyperparameters: { learningRate: 0.05, explorationFraction: 0.5 },
  },
  {
    name: 'CliffWalking-v0',
    envId: 'CliffWalking-v0',
    kwargs: {},
    // the registered env has no time limit; evaluation caps episodes at 200 steps
    evalKwargs: { maxEpisodeSteps: 200 },
    optimalReturn: -13,
    totalTimesteps: 60_000,
    // Sutton & Barto's Example 6.6 settings: α = 0.1, ε = 0.1 throughout, undiscounted
    hyperparameters: { learningRate: 0.1, gamma: 1, explorationInitialEps: 0.1, explorationFinalEps: 0.1 },
  },
  {
    name: 'Maze2x3-v0',
    envId: 'Maze2x3-v0',
    kwargs: {},
    optimalReturn: 10,
    totalTimesteps: 5_000,
    // 0 reward per step: a smaller γ separates the shortest path from bumping into walls sooner
    hyperparameters: { gamma: 0.9, explorationFraction: 0.5 },
  },
];

const { values } = parseArgs({ options: { seeds: { type: 'string', default: '3' } } });
const seeds = Number(values.seeds);
const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;
const std = (xs) => Math.sqrt(mean(xs.map((x) => (x - mean(xs)) ** 2)));

const results = [];
for (const task of TASKS) {
  for (const Algo of [QLearning, SARSA]) {
    const runs = [];
    for (let seed = 1; seed <= seeds; seed++) {
      const t0 = performance.now();
      const agent = new Algo({ env: make(task.envId, task.kwargs), seed, ...task.hyperparameters });
      await agent.learn({ totalTimesteps: task.totalTimesteps });
      const wallSeconds = (performance.now() - t0) / 1000;
      const evalEnv = make(task.envId, { ...task.kwargs, ...(task.evalKwargs ?? {}) });
      const ev = await evaluatePolicy(agent, evalEnv, { nEvalEpisodes: 100, seed: 1000 + seed });
      runs.push({
        seed,
        evalMean: ev.meanReward,
        evalStd: ev.stdReward,
        evalMeanLength: mean(ev.episodeLengths),
        trainEpisodes: agent.episodes.totalEpisodes,
        wallSeconds,
      });
    }
    const evalMeans = runs.map((r) => r.evalMean);
    const row = {
      algo: algoName(Algo),
      task: task.name,
      envId: task.envId,
      envKwargs: task.kwargs,
      totalTimesteps: task.totalTimesteps,
      hyperparameters: new Algo({
        env: make(task.envId, task.kwargs),
        ...task.hyperparameters,
      }).describeHyperparameters(),
      optimalReturn: task.optimalReturn,
      evalMean: mean(evalMeans),
      evalStdAcrossSeeds: std(evalMeans),
      runs,
    };
    results.push(row);
    console.log(
      `${row.algo.padEnd(9)} ${task.name.padEnd(32)} eval ${row.evalMean.toFixed(3).padStart(8)} ± ${row.evalStdAcrossSeeds.toFixed(3)}  (optimal ${task.optimalReturn})  ${mean(runs.map((r) => r.wallSeconds)).toFixed(2)} s/seed`,
    );
  }
}

function algoName(Algo) {
  return Algo === QLearning ? 'QLearning' : 'SARSA';
}

await writeResult('tabular', {
  machine: machine(),
  notes: `Proximal: per seed (1..${seeds}) the mean return of 100 greedy evaluation episodes (evaluatePolicy, deterministic) after training; evalMean ± evalStdAcrossSeeds over seeds. FrozenLake rewards are 1 per success, so the mean is the success rate (100 episodes: ±0.05 sampling noise on the slippery lake). optimalReturn: the best achievable expected return (slippery lake: ≈0.74 within 100 steps). wallSeconds: training only, one process, shared 2-core machine.`,
  results,
});
