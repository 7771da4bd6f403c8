import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { A2C, evaluatePolicy, PPO, TRPO } from '@proximal/algorithms';
import { makeVec } from '@proximal/envs';
import { importEnvModule } from '../env-module.js';
import { backendLine } from './backends.js';

/**
 * `proximal eval <run-dir>`: loads `<run-dir>/model` and evaluates it with deterministic actions.
 * A custom env is registered first by `o.envModule`, else by the env module recorded in the run's
 * config.json.
 */
export async function evaluate(
  runDir: string,
  o: { episodes: number; seed?: number; stochastic?: boolean; envModule?: string },
): Promise<void> {
  const dir = resolve(runDir);
  const modelDir = join(dir, 'model');
  if (o.envModule) {
    await importEnvModule(o.envModule);
  } else {
    const config = await readFile(join(dir, 'config.json'), 'utf8').then(
      (t) => JSON.parse(t) as { envModule?: unknown },
      () => ({ envModule: undefined }),
    );
    if (typeof config.envModule === 'string')
      await importEnvModule(config.envModule, 'env module of the run (config.json envModule)');
  }
  const meta = JSON.parse(
    await readFile(join(modelDir, 'proximal.json'), 'utf8').catch(() => {
      throw new Error(`${dir} has no saved model (expected ${join(modelDir, 'proximal.json')})`);
    }),
  );
  const loaders: Record<string, (dir: string) => Promise<PPO | TRPO | A2C>> = {
    PPO: PPO.load,
    TRPO: TRPO.load,
    A2C: A2C.load,
  };
  const load = Object.hasOwn(loaders, meta.algorithm) ? loaders[meta.algorithm as string] : undefined;
  if (!load)
    throw new Error(
      `${modelDir} holds a ${String(meta.algorithm)} model; this CLI evaluates ${Object.keys(loaders).join(', ')}`,
    );
  const model = await load(modelDir);
  console.log(backendLine(model.tfBackend).line);
  const env = makeVec(meta.envId, { numEnvs: Math.min(o.episodes, 10), autoresetMode: 'same-step' });
  const ev = await evaluatePolicy(model, env, {
    nEvalEpisodes: o.episodes,
    deterministic: !o.stochastic,
    seed: o.seed ?? 20_000,
  });
  env.close();
  console.log(
    `${meta.algorithm} on ${meta.envId}: mean return ${ev.meanReward.toFixed(2)} ± ${ev.stdReward.toFixed(2)} over ${o.episodes} ${o.stochastic ? 'stochastic' : 'deterministic'} episodes (${ev.wallTime.toFixed(1)} s)`,
  );
  model.dispose();
}
