import { redactUrl, redisUrl, Worker } from '@proximal/distributed';

/** Options of `proximal worker`. */
export interface WorkerCommandOptions {
  /** Redis URL; '' or undefined = REDIS_URL. */
  redis: string | undefined;
  prefix?: string;
  workerId?: string;
  maxBatches?: number;
}

/**
 * `proximal worker --redis URL`: a rollout worker of a distributed run (`proximal train … --redis`
 * is the learner): it loads the newest weights before each rollout, collects nSteps × numEnvs steps
 * and appends the batch to the run's stream, until the learner is done (or Ctrl-C).
 * @throws Error when Redis cannot be reached or the learner's config never appears.
 */
export async function worker(o: WorkerCommandOptions): Promise<void> {
  const url = redisUrl(o.redis || undefined);
  console.log(`proximal worker: waiting for the learner at ${redactUrl(url)}`);
  const w = await Worker.create({
    redis: url,
    ...(o.prefix !== undefined ? { prefix: o.prefix } : {}),
    ...(o.workerId !== undefined ? { workerId: o.workerId } : {}),
    ...(o.maxBatches !== undefined ? { maxBatches: o.maxBatches } : {}),
  });
  console.log(`worker ${w.workerId}: ${w.model.envId} × ${w.model.env.numEnvs} envs`);
  const onSigint = () => w.stop();
  process.once('SIGINT', onSigint);
  try {
    const r = await w.run();
    console.log(`worker ${w.workerId}: sent ${r.sent} batches`);
  } finally {
    process.off('SIGINT', onSigint);
    await w.close();
  }
}
