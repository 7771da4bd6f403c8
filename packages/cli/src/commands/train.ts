import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import {
  evaluatePolicy,
  PPO,
  type PpoOptions,
  ProgressBarCallback,
  TRPO,
  type TrpoOptions,
} from '@proximal/algorithms';
import { makeVec, spec } from '@proximal/envs';
import { Logger, writeReport } from '@proximal/report';
import {
  type AnyHyperparameters,
  checkHyperparametersFor,
  mergeHyperparameters,
  readConfigFile,
} from '../hyperparam-flags.js';
import { GENERIC_PPO, GENERIC_TRPO, TUNED_PPO, TUNED_TRPO } from '../hyperparams.js';
import { machineInfo } from '../machine.js';
import { backendLine } from './backends.js';

export interface TrainOptions {
  /** Hyperparameters given as flags (they override the config file and the tuned defaults). */
  hyperparameters?: AnyHyperparameters;
  /** YAML or JSON config file. */
  config?: string;
  timesteps?: number;
  seed?: number;
  numEnvs?: number;
  out?: string;
  evalEpisodes: number;
  progress: boolean;
  report: boolean;
}

function stamp(d = new Date()): string {
  return d.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
}

/** `proximal train <algo> <env-id>`: trains, saves, evaluates and writes a report. */
export async function train(algo: string, envId: string, o: TrainOptions): Promise<void> {
  const name = algo.toLowerCase();
  if (name !== 'ppo' && name !== 'trpo') {
    throw new Error(`unknown algorithm '${algo}'; available: ppo, trpo`);
  }
  const envSpec = spec(envId); // throws with the registered ids when unknown
  const tuned = name === 'ppo' ? (TUNED_PPO[envId] ?? GENERIC_PPO) : (TUNED_TRPO[envId] ?? GENERIC_TRPO);
  const file = o.config ? await readConfigFile(o.config) : { hyperparameters: {}, settings: {} };
  if (o.config) checkHyperparametersFor(name, file.hyperparameters, `config file ${o.config}`);
  checkHyperparametersFor(name, o.hyperparameters ?? {}, 'flags');
  const hyperparameters = mergeHyperparameters(
    tuned.hyperparameters,
    file.hyperparameters,
    o.hyperparameters ?? {},
  );
  const seed = o.seed ?? file.settings.seed ?? 1;
  const numEnvs = o.numEnvs ?? file.settings.numEnvs ?? tuned.numEnvs;
  const totalTimesteps = o.timesteps ?? file.settings.timesteps ?? tuned.totalTimesteps;
  const runDir = resolve(o.out ?? join('runs', `${name}-${envId}-seed${seed}-${stamp()}`));
  await mkdir(runDir, { recursive: true });

  const options = {
    env: envId,
    numEnvs,
    seed,
    ...hyperparameters,
    ...(tuned.normalize ? { normalize: tuned.normalize } : {}),
  };
  const model =
    name === 'ppo' ? await PPO.create(options as PpoOptions) : await TRPO.create(options as TrpoOptions);
  const backends = backendLine(model.tfBackend);
  console.log(`proximal train ${name} ${envId}: ${totalTimesteps} timesteps, ${numEnvs} envs, seed ${seed}`);
  console.log(backends.line);
  console.log(`run directory: ${runDir}`);
  const config = {
    algorithm: model.algorithm,
    envId,
    seed,
    numEnvs,
    totalTimesteps,
    rewardThreshold: envSpec.rewardThreshold ?? null,
    hyperparameters: model.describeHyperparameters(),
    backends: { core: backends.core, coreReason: backends.coreReason, tf: model.tfBackend },
    machine: machineInfo(),
    startedAt: new Date().toISOString(),
  };
  await writeFile(join(runDir, 'config.json'), `${JSON.stringify(config, null, 2)}\n`);

  const logger = new Logger(runDir, { formats: ['jsonl', 'csv', 'tensorboard'] });
  const t0 = performance.now();
  await model.learn({
    totalTimesteps,
    callback: [logger, ...(o.progress ? [new ProgressBarCallback()] : [])],
  });
  const trainWallTime = (performance.now() - t0) / 1000;
  await logger.close();
  await model.save(join(runDir, 'model'));
  console.log(
    `trained ${model.numTimesteps} steps in ${trainWallTime.toFixed(1)} s; model saved to ${join(runDir, 'model')}`,
  );

  const evalEnv = makeVec(envId, { numEnvs: Math.min(o.evalEpisodes, 10), autoresetMode: 'same-step' });
  const ev = await evaluatePolicy(model, evalEnv, {
    nEvalEpisodes: o.evalEpisodes,
    deterministic: true,
    seed: seed + 10_000,
  });
  evalEnv.close();
  await writeFile(
    join(runDir, 'eval.json'),
    `${JSON.stringify({ nEvalEpisodes: o.evalEpisodes, deterministic: true, ...ev, trainWallTime }, null, 2)}\n`,
  );
  const threshold = envSpec.rewardThreshold;
  console.log(
    `evaluation: mean return ${ev.meanReward.toFixed(2)} ± ${ev.stdReward.toFixed(2)} over ${o.evalEpisodes} deterministic episodes` +
      (threshold !== undefined
        ? ` (threshold ${threshold}: ${ev.meanReward >= threshold ? 'solved' : 'not solved'})`
        : ''),
  );
  console.log(`wall time: training ${trainWallTime.toFixed(1)} s, evaluation ${ev.wallTime.toFixed(1)} s`);
  if (o.report) {
    const rep = await writeReport([runDir], { out: join(runDir, 'report.html') });
    console.log(`report: ${rep.path}`);
  }
  model.dispose();
}
