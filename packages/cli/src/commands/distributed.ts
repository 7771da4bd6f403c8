import { existsSync } from 'node:fs';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { PpoHyperparameters } from '@proximal/algorithms';
import { Learner, redactUrl, redisUrl } from '@proximal/distributed';
import { Logger } from '@proximal/report';

/** The distributed settings of `proximal train --redis`. */
export interface DistributedTrainOptions {
  /** Redis URL; '' or undefined = REDIS_URL. */
  redis: string | undefined;
  prefix?: string;
  workerNumEnvs?: number;
  maxPolicyLag?: number;
}

/** Where a distributed run keeps the learner's checkpoints (resumed from when present). */
export const LEARNER_DIR = 'learner';

/**
 * `proximal train ppo <env> --redis URL`: this process is the learner of a distributed run (see
 * `@proximal/distributed`); `proximal worker --redis URL` processes collect the rollouts. The run
 * directory gets config.json, metrics.jsonl and `learner/` (checkpoints: running the same command
 * again with the same --out resumes), and `model/` at the end. Ctrl-C stops after the current update.
 * @throws Error for an algorithm other than PPO, normalization (not supported across processes),
 *   a run directory that holds something other than a distributed run, or an unreachable Redis.
 */
export async function trainDistributed(a: {
  algorithm: string;
  envId: string;
  runDir: string;
  seed: number;
  numEnvs: number;
  totalTimesteps: number;
  hyperparameters: Partial<PpoHyperparameters>;
  normalize: unknown;
  distributed: DistributedTrainOptions;
}): Promise<void> {
  if (a.algorithm !== 'ppo') {
    throw new Error(`--redis (distributed training) supports ppo, got '${a.algorithm}'`);
  }
  if (a.normalize) {
    throw new Error(
      `--redis does not support observation/reward normalization (the tuned settings of ${a.envId} use it); pass --config without normalize`,
    );
  }
  const url = redisUrl(a.distributed.redis || undefined);
  const ckptDir = join(a.runDir, LEARNER_DIR);
  const resuming = existsSync(join(ckptDir, 'LATEST'));
  const entries = await readdir(a.runDir).catch(() => [] as string[]);
  if (!resuming && entries.length > 0) {
    throw new Error(`--out ${a.runDir} exists and holds no distributed run to resume; choose another --out`);
  }
  await mkdir(a.runDir, { recursive: true });
  const logger = new Logger(a.runDir, { formats: ['jsonl', 'csv'] });
  const learner = await Learner.create({
    redis: url,
    ...(a.distributed.prefix !== undefined ? { prefix: a.distributed.prefix } : {}),
    env: a.envId,
    numEnvs: a.numEnvs,
    workerNumEnvs: a.distributed.workerNumEnvs ?? a.numEnvs,
    maxPolicyLag: a.distributed.maxPolicyLag ?? 0,
    seed: a.seed,
    hyperparameters: a.hyperparameters,
    totalTimesteps: a.totalTimesteps,
    checkpointDir: ckptDir,
    onUpdate: ({ version, metrics }) => {
      const m = learner.model;
      logger.record(m.numTimesteps, {
        'rollout/ep_rew_mean': m.episodes.meanReturn(),
        'rollout/ep_len_mean': m.episodes.meanLength(),
        'time/iterations': version,
        'time/total_timesteps': m.numTimesteps,
        ...metrics,
      });
      console.log(
        `update ${version}: ${m.numTimesteps} steps, mean episode return ${m.episodes.meanReturn().toFixed(2)}`,
      );
    },
  });
  const config = {
    algorithm: 'PPO',
    envId: a.envId,
    seed: learner.model.seed,
    numEnvs: a.numEnvs,
    totalTimesteps: a.totalTimesteps,
    hyperparameters: learner.model.describeHyperparameters(),
    distributed: {
      redis: redactUrl(url),
      prefix: learner.keys.rollouts.replace(/:rollouts$/, ''),
      workerNumEnvs: a.distributed.workerNumEnvs ?? a.numEnvs,
      maxPolicyLag: a.distributed.maxPolicyLag ?? 0,
    },
    startedAt: new Date().toISOString(),
  };
  if (!resuming) await writeFile(join(a.runDir, 'config.json'), `${JSON.stringify(config, null, 2)}\n`);
  console.log(
    `proximal train ppo ${a.envId} (learner${resuming ? `, resumed at version ${learner.version}` : ''}): ${a.totalTimesteps} timesteps, ${a.numEnvs} envs per update from workers of ${config.distributed.workerNumEnvs} envs, Redis ${redactUrl(url)}`,
  );
  console.log(`run directory: ${a.runDir}; start workers with: proximal worker --redis <url>`);
  const onSigint = () => learner.stop();
  process.once('SIGINT', onSigint);
  try {
    const result = await learner.run();
    await logger.close();
    const s = result.stats;
    console.log(
      `version ${result.version}: trained ${s.trained ?? 0} batches, dropped ${s.stale ?? 0} stale, rejected ${s.rejected ?? 0}`,
    );
    if (learner.stopped) {
      console.log(`stopped; run the same command again to resume from ${ckptDir}`);
      process.exitCode = 130;
      return;
    }
    await learner.model.save(join(a.runDir, 'model'));
    console.log(`model saved to ${join(a.runDir, 'model')}`);
  } finally {
    process.off('SIGINT', onSigint);
    await learner.close();
  }
}
