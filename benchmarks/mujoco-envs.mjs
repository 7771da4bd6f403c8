// MuJoCo environment throughput (@proximal/envs-mujoco on mujoco-js, DeepMind's WebAssembly
// build): env steps per second of one env made with make() (TimeLimit and OrderEnforcing
// included), uniformly random actions drawn in advance (not timed), resetting when an episode
// ends (resets are timed). Each env runs for --min-ms (default 2000) after a short warm-up.
import '@proximal/envs-mujoco';
import { make } from '@proximal/envs';
import { MUJOCO_ENV_IDS } from '@proximal/envs-mujoco';
import { machine, writeResult } from './lib/result.mjs';

const argv = process.argv.slice(2);
const minMsArg = argv.indexOf('--min-ms');
const MIN_MS = minMsArg >= 0 ? Number(argv[minMsArg + 1]) : 2000;

function measure(id) {
  const env = make(id);
  const actions = Array.from({ length: 1024 }, () => env.actionSpace.sample());
  env.reset({ seed: 0 });
  let k = 0;
  let episodes = 0;
  const run = (n) => {
    for (let i = 0; i < n; i++) {
      const r = env.step(actions[k]);
      k = (k + 1) & 1023;
      if (r.terminated || r.truncated) {
        env.reset();
        episodes++;
      }
    }
  };
  run(200); // warm-up
  episodes = 0;
  let steps = 0;
  const t0 = performance.now();
  let elapsed = 0;
  while (elapsed < MIN_MS) {
    run(100);
    steps += 100;
    elapsed = performance.now() - t0;
  }
  const unwrapped = env.unwrapped;
  env.close();
  return {
    env: id,
    frameSkip: unwrapped.frameSkip,
    dt: unwrapped.dt,
    steps,
    episodes,
    stepsPerSec: Math.round((steps / elapsed) * 1000),
    mujocoStepsPerSec: Math.round(((steps * unwrapped.frameSkip) / elapsed) * 1000),
  };
}

const results = [];
for (const id of MUJOCO_ENV_IDS) {
  const row = measure(id);
  console.log(
    `${id.padEnd(28)} ${String(row.stepsPerSec).padStart(8)} env steps/s  (${row.mujocoStepsPerSec} MuJoCo steps/s)`,
  );
  results.push(row);
}
await writeResult('mujoco-envs', {
  machine: machine(),
  minMs: MIN_MS,
  note: 'single env, random actions, resets included; measured while other jobs loaded the machine',
  results,
});
