import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { type AlgorithmDefinition, evaluatePolicy, getAlgorithm, listAlgorithms } from '@proximal/algorithms';
import { importEnvModule } from '../env-module.js';
import { backendLine } from './backends.js';
import { evaluationEnv } from './train.js';

/**
 * `proximal eval <run-dir>`: loads `<run-dir>/model` with the `load` of the registered algorithm
 * whose saved name it holds, and evaluates it with deterministic actions.
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
  let algorithm: AlgorithmDefinition;
  try {
    algorithm = getAlgorithm(String(meta.algorithm));
  } catch {
    throw new Error(
      `${modelDir} holds a ${String(meta.algorithm)} model; this CLI evaluates ${listAlgorithms()
        .map((d) => d.modelName)
        .join(', ')}`,
    );
  }
  const model = await algorithm.load(modelDir);
  console.log(backendLine(model.tfBackend ?? 'none (no network)').line);
  const env = evaluationEnv(algorithm, meta.envId, o.episodes);
  const ev = await evaluatePolicy(model, env, {
    nEvalEpisodes: o.episodes,
    deterministic: !o.stochastic,
    seed: o.seed ?? 20_000,
  });
  env.close();
  console.log(
    `${meta.algorithm} on ${meta.envId}: mean return ${ev.meanReward.toFixed(2)} ± ${ev.stdReward.toFixed(2)} over ${o.episodes} ${o.stochastic ? 'stochastic' : 'deterministic'} episodes (${ev.wallTime.toFixed(1)} s)`,
  );
  model.dispose?.();
}
