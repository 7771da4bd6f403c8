// Environment throughput: CartPole-v1 steps per second for one env (make, with its wrappers),
// SyncVectorEnv with 64 sub-envs, and the batched CartPoleVectorEnv with 64 sub-envs, plus the
// other classic-control envs as single envs. Actions are drawn in advance (not timed).
// Gymnasium reference on this machine class (issue 4): 85k steps/s for one CartPole-v1 env and
// 0.95M steps/s for a 64-env vector env.
import { make, makeVec } from '@proximal/envs';
import { machine, writeResult } from './lib/result.mjs';

const argv = process.argv.slice(2);
const minMsArg = argv.indexOf('--min-ms');
const MIN_MS = minMsArg >= 0 ? Number(argv[minMsArg + 1]) : 1000;
const REFERENCE = { singleStepsPerSec: 85_000, vector64StepsPerSec: 950_000 };

/** Runs `round()` (which performs `stepsPerRound` env steps) until MIN_MS have passed; best of 3. */
function rate(round, stepsPerRound) {
  for (let i = 0; i < 3; i++) round(); // warm-up
  let best = 0;
  for (let rep = 0; rep < 3; rep++) {
    let steps = 0;
    const t0 = performance.now();
    let elapsed = 0;
    while (elapsed < MIN_MS / 3) {
      round();
      steps += stepsPerRound;
      elapsed = performance.now() - t0;
    }
    best = Math.max(best, (steps / elapsed) * 1000);
  }
  return best;
}

function randomActions(count, kind) {
  const out = new Array(count);
  for (let i = 0; i < count; i++) {
    if (kind === 2) out[i] = Math.random() < 0.5 ? 0 : 1;
    else if (kind === 3) out[i] = Math.floor(Math.random() * 3);
    else out[i] = Float32Array.of((Math.random() * 2 - 1) * kind);
  }
  return out;
}

/** Single env: steps with pre-drawn actions, resetting when an episode ends. */
function single(id, actionKind) {
  const env = make(id);
  env.reset({ seed: 0 });
  const actions = randomActions(4096, actionKind);
  const ROUND = 1000;
  let k = 0;
  const steps = rate(() => {
    for (let i = 0; i < ROUND; i++) {
      const r = env.step(actions[k]);
      k = (k + 1) & 4095;
      if (r.terminated || r.truncated) env.reset();
    }
  }, ROUND);
  return { env: id, kind: 'single', numEnvs: 1, stepsPerSec: Math.round(steps) };
}

/** Vector env: `rounds` batched steps per timing round with pre-drawn Int32Array actions. */
function vector(mode, numEnvs) {
  const vec = makeVec('CartPole-v1', { numEnvs, vectorizationMode: mode });
  vec.reset({ seed: 0 });
  const batches = Array.from({ length: 64 }, () => {
    const a = new Int32Array(numEnvs);
    for (let i = 0; i < numEnvs; i++) a[i] = Math.random() < 0.5 ? 0 : 1;
    return a;
  });
  const ROUND = 50;
  let k = 0;
  const steps = rate(() => {
    for (let i = 0; i < ROUND; i++) {
      vec.step(batches[k]);
      k = (k + 1) & 63;
    }
  }, ROUND * numEnvs);
  vec.close();
  return {
    env: 'CartPole-v1',
    kind: mode === 'vector' ? 'CartPoleVectorEnv' : 'SyncVectorEnv',
    numEnvs,
    stepsPerSec: Math.round(steps),
  };
}

const results = [
  single('CartPole-v1', 2),
  vector('sync', 64),
  vector('vector', 64),
  single('Acrobot-v1', 3),
  single('MountainCar-v0', 3),
  single('MountainCarContinuous-v0', 1.2),
  single('Pendulum-v1', 2.4),
];
for (const r of results) {
  const ref =
    r.env === 'CartPole-v1'
      ? r.numEnvs === 1
        ? REFERENCE.singleStepsPerSec
        : REFERENCE.vector64StepsPerSec
      : undefined;
  if (ref !== undefined) r.vsGymnasium = Number((r.stepsPerSec / ref).toFixed(2));
  console.log(
    `${r.env.padEnd(26)} ${r.kind.padEnd(18)} N=${String(r.numEnvs).padEnd(3)} ${(r.stepsPerSec / 1e6).toFixed(3)} M steps/s${ref ? ` (${r.vsGymnasium}× Gymnasium)` : ''}`,
  );
}
await writeResult('envs', {
  machine: machine(),
  minMs: MIN_MS,
  gymnasiumReference: REFERENCE,
  results,
});
