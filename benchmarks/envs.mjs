// Environment throughput: CartPole-v1 steps per second for one env (make, with its wrappers),
// SyncVectorEnv with 64 sub-envs, and the batched CartPoleVectorEnv with 64, 256 and 1024
// sub-envs; the other classic-control envs as single envs and with 64 sub-envs in SyncVectorEnv
// and in their batched vector envs. Actions are drawn in advance (not timed); the vector envs
// autoreset (next-step) as in a rollout.
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

/** One random action: an integer in [0, n) for `{ n }`, a `Float32Array(1)` in ±bound for `{ bound }`. */
function randomAction(kind) {
  if (kind.n !== undefined) return Math.floor(Math.random() * kind.n);
  return Float32Array.of((Math.random() * 2 - 1) * kind.bound);
}

/** Single env: steps with pre-drawn actions, resetting when an episode ends. */
function single(id, actionKind) {
  const env = make(id);
  env.reset({ seed: 0 });
  const actions = Array.from({ length: 4096 }, () => randomAction(actionKind));
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

/**
 * Vector env: 50 batched `step()` calls per timing round, each with one of 64 pre-drawn action
 * batches (an `Int32Array` for discrete actions, a `Float32Array` within the action bounds for
 * continuous ones), autoresetting ended sub-envs as a user's rollout loop does.
 */
function vector(id, mode, numEnvs, actionKind) {
  const vec = makeVec(id, { numEnvs, vectorizationMode: mode });
  vec.reset({ seed: 0 });
  const batches = Array.from({ length: 64 }, () => {
    const a = actionKind.n !== undefined ? new Int32Array(numEnvs) : new Float32Array(numEnvs);
    for (let i = 0; i < numEnvs; i++) {
      const action = randomAction(actionKind);
      a[i] = typeof action === 'number' ? action : action[0];
    }
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
  const kind = vec.constructor.name;
  vec.close();
  return { env: id, kind, numEnvs, stepsPerSec: Math.round(steps) };
}

const results = [
  single('CartPole-v1', { n: 2 }),
  vector('CartPole-v1', 'sync', 64, { n: 2 }),
  vector('CartPole-v1', 'vector', 64, { n: 2 }),
  vector('CartPole-v1', 'vector', 256, { n: 2 }),
  vector('CartPole-v1', 'vector', 1024, { n: 2 }),
];
// The other classic-control envs: single env, and 64 sub-envs in SyncVectorEnv and batched.
// Continuous actions stay within the action bounds (vector envs reject out-of-bound actions).
for (const [id, kind] of [
  ['Acrobot-v1', { n: 3 }],
  ['MountainCar-v0', { n: 3 }],
  ['MountainCarContinuous-v0', { bound: 1 }],
  ['Pendulum-v1', { bound: 2 }],
]) {
  results.push(single(id, kind), vector(id, 'sync', 64, kind), vector(id, 'vector', 64, kind));
}
for (const r of results) {
  const ref =
    r.env === 'CartPole-v1'
      ? r.numEnvs === 1
        ? REFERENCE.singleStepsPerSec
        : REFERENCE.vector64StepsPerSec
      : undefined;
  // Gymnasium's figure is for 64 sub-envs; larger batches are compared with it too.
  if (ref !== undefined) r.vsGymnasium = Number((r.stepsPerSec / ref).toFixed(2));
  console.log(
    `${r.env.padEnd(26)} ${r.kind.padEnd(30)} N=${String(r.numEnvs).padEnd(4)} ${(r.stepsPerSec / 1e6).toFixed(3)} M steps/s${ref ? ` (${r.vsGymnasium}× Gymnasium)` : ''}`,
  );
}
await writeResult('envs', {
  machine: machine(),
  minMs: MIN_MS,
  gymnasiumReference: REFERENCE,
  results,
});
