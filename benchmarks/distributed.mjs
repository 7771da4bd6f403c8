// Distributed PPO throughput (@proximal/distributed): trained env steps per second of one learner
// with 1, 2 and 4 worker processes on a private redis-server (loopback), CartPole-v1, each update
// nSteps × numEnvs steps gathered from the workers. Timed from the first update to the last (tfjs
// start-up of the processes excluded). Needs redis-server on PATH.
// Usage: node distributed.mjs [--updates 10] [--workers 1,2,4] [--write]
import { spawn } from 'node:child_process';
import { Learner, redisServerMissing, startRedisServer } from '@proximal/distributed';
import { machine, writeResult } from './lib/result.mjs';

const argv = process.argv.slice(2);
const arg = (name, dflt) => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : dflt;
};
const UPDATES = Number(arg('--updates', '10'));
const WORKERS = arg('--workers', '1,2,4').split(',').map(Number);
const NUM_ENVS = 8;
const N_STEPS = 128;

const missing = redisServerMissing();
if (missing) {
  console.log(`distributed benchmark skipped: ${missing}`);
  process.exit(0);
}

const workerCode = `import { Worker } from '@proximal/distributed';
const w = await Worker.create({ redis: process.argv[1], prefix: process.argv[2], workerId: process.argv[3], pollMs: 5 });
await w.run(); await w.close();`;

async function measure(server, numWorkers) {
  const prefix = `bench${numWorkers}`;
  const times = [];
  const learner = await Learner.create({
    redis: server.url,
    prefix,
    env: 'CartPole-v1',
    numEnvs: NUM_ENVS,
    workerNumEnvs: NUM_ENVS / Math.min(NUM_ENVS, Math.max(...WORKERS)),
    seed: 1,
    hyperparameters: { nSteps: N_STEPS, batchSize: 256, nEpochs: 4 },
    totalTimesteps: (UPDATES + 1) * NUM_ENVS * N_STEPS,
    blockMs: 20,
    onUpdate: () => times.push(performance.now()),
  });
  const children = Array.from({ length: numWorkers }, (_, i) =>
    spawn(process.execPath, ['--input-type=module', '-e', workerCode, server.url, prefix, `w${i}`], {
      cwd: import.meta.dirname,
      stdio: 'inherit',
    }),
  );
  const done = children.map((c) => new Promise((r) => c.once('exit', r)));
  const result = await learner.run();
  await Promise.all(done);
  await learner.close();
  // from the end of the first update to the end of the last: UPDATES updates
  const seconds = (times[times.length - 1] - times[0]) / 1000;
  const steps = UPDATES * NUM_ENVS * N_STEPS;
  return {
    workers: numWorkers,
    updates: UPDATES,
    steps,
    seconds,
    stepsPerSecond: steps / seconds,
    stats: result.stats,
  };
}

const server = await startRedisServer();
const rows = [];
try {
  for (const n of WORKERS) {
    const r = await measure(server, n);
    rows.push(r);
    console.log(
      `${n} worker(s): ${r.stepsPerSecond.toFixed(0)} trained env steps/s (${r.steps} steps in ${r.seconds.toFixed(2)} s; stale ${r.stats.stale ?? 0}, redone ${r.stats.redone ?? 0})`,
    );
  }
} finally {
  server.stop();
}
if (argv.includes('--write')) {
  await writeResult('distributed', {
    machine: machine(),
    env: 'CartPole-v1',
    numEnvs: NUM_ENVS,
    nSteps: N_STEPS,
    rows,
  });
}
