import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import {
  type AlgorithmDefinition,
  algorithmDefaults,
  evaluatePolicy,
  getAlgorithm,
  ProgressBarCallback,
  type RegisteredModel,
} from '@proximal/algorithms';
import { flatdim, make, makeVec, registeredIds, spec } from '@proximal/envs';
import { Logger, writeReport } from '@proximal/report';
import { importEnvModule } from '../env-module.js';
import {
  type AnyHyperparameters,
  checkHyperparametersFor,
  flagOf,
  givenKeys,
  hyperparameterFlags,
  mergeHyperparameters,
  readConfigFile,
} from '../hyperparam-flags.js';
import { Interrupt, restoreTerminal } from '../interrupt.js';
import { machineInfo } from '../machine.js';
import { backendLine } from './backends.js';
import { type DistributedTrainOptions, trainDistributed } from './distributed.js';

export interface TrainOptions {
  /** Hyperparameters given as flags (they override the config file and the tuned defaults). */
  hyperparameters?: AnyHyperparameters;
  /** YAML or JSON config file. */
  config?: string;
  timesteps?: number;
  seed?: number;
  numEnvs?: number;
  out?: string;
  /** Replace an existing run directory (its old contents are removed first). */
  force?: boolean;
  /** A JavaScript module (path relative to the working directory) that registers custom envs. */
  envModule?: string;
  evalEpisodes: number;
  progress: boolean;
  report: boolean;
  /** `--redis`: train as the learner of a distributed run (see commands/distributed.ts). */
  distributed?: DistributedTrainOptions;
}

/** Options of {@link resumeTraining}. */
export interface ResumeOptions {
  /** Imported instead of the env module recorded in the run's config.json. */
  envModule?: string;
  evalEpisodes: number;
  progress: boolean;
  report: boolean;
}

type Model = RegisteredModel;

/** Where a run keeps the checkpoint of an interrupted training (removed when training completes). */
export const CHECKPOINT_DIR = 'checkpoint';
/** Files and folders that mark a directory as a run directory of `proximal train`. */
const RUN_MARKERS = ['config.json', 'metrics.jsonl', 'model', CHECKPOINT_DIR];
/** Memory a sub-env is assumed to need in the rollout-size check (objects, buffers, wrappers). */
const BYTES_PER_ENV = 4096;

function stamp(d = new Date()): string {
  return d.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
}

/** `x` quoted for a POSIX shell when it has characters a shell would interpret. */
function shellQuote(x: string): string {
  return /^[\w@%+=:,./-]+$/.test(x) ? x : `'${x.replace(/'/g, `'\\''`)}'`;
}

/** The env's spec; with an env module, an unknown id says that the module did not register it. */
function specWithHint(envId: string, envModule: string | undefined) {
  try {
    return spec(envId);
  } catch (e) {
    if (!envModule) throw e;
    throw new Error(
      `${(e as Error).message}\n(--env-module ${envModule} did not register '${envId}'; it must call register() of the @proximal/envs that this CLI uses; registered: ${registeredIds().join(', ')})`,
    );
  }
}

/**
 * Checks that `runDir` can take a new run: absent or empty is fine; a run directory only with
 * `force`; anything else is refused.
 * @returns the entries that {@link clearRunDir} must remove (none when the directory is new or empty).
 * @throws Error naming the directory and what to do instead.
 */
async function checkRunDir(runDir: string, force: boolean): Promise<string[]> {
  const entries = await readdir(runDir).catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT') return null;
    throw new Error(`--out ${runDir}: ${e.message}`);
  });
  if (entries === null || entries.length === 0) return [];
  const isRun = entries.some((f) => RUN_MARKERS.includes(f));
  if (!isRun) {
    throw new Error(
      `--out ${runDir} exists and is not a run directory (it holds ${entries.slice(0, 5).join(', ')}${entries.length > 5 ? ', …' : ''}); choose another directory${force ? ' (--force replaces only run directories)' : ''}`,
    );
  }
  if (!force) {
    throw new Error(
      `run directory ${runDir} already exists (${entries.filter((f) => RUN_MARKERS.includes(f)).join(', ')}); pass --force to replace it, --resume ${shellQuote(runDir)} to continue an interrupted run, or choose another --out`,
    );
  }
  return entries;
}

/**
 * Names the source of each setting in error messages: `nSteps` given as a flag becomes
 * `--n-steps`; from the config file or the tuned defaults it is labelled so.
 */
function labelSettings(message: string, labels: Map<string, string>): string {
  const keys = [...labels.keys()].sort((a, b) => b.length - a.length);
  if (keys.length === 0) return message;
  const re = new RegExp(`\\b(${keys.map((k) => k.replace(/[.]/g, '\\.')).join('|')})\\b`, 'g');
  return message.replace(re, (k) => labels.get(k) ?? k);
}

/**
 * Refuses a rollout that cannot be allocated: the buffer holds nSteps × numEnvs transitions of
 * the observation and action sizes (float32) and a few scalars each.
 * @throws Error naming the settings (as flags where given) and the sizes.
 */
function checkRolloutSize(
  envId: string,
  nSteps: number,
  numEnvs: number,
  label: (key: string) => string,
): void {
  const env = make(envId, { disableEnvChecker: true });
  let obsDim: number;
  let actDim: number;
  try {
    obsDim = flatdim(env.observationSpace);
    actDim = flatdim(env.actionSpace);
  } finally {
    env.close();
  }
  const transitions = nSteps * numEnvs;
  // observations and actions, twice (buffer and minibatch copies), and ten float32 scalars per step
  const bytes = transitions * (8 * (obsDim + actDim) + 42) + numEnvs * BYTES_PER_ENV;
  const limit = totalmem() / 2;
  const maxArrayBytes = 2 ** 31; // the largest typed array this check lets one rollout array be
  if (bytes > limit || transitions * obsDim * 4 > maxArrayBytes) {
    const gib = (b: number) => `${(b / 2 ** 30).toFixed(1)} GiB`;
    throw new Error(
      `${label('nSteps')} ${nSteps} × ${label('numEnvs')} ${numEnvs} = ${transitions} transitions per rollout (observation size ${obsDim}) need about ${gib(bytes)}, more than this machine can hold (limit: half its memory, ${gib(limit)}, and ${gib(maxArrayBytes)} per array); lower ${label('nSteps')} or ${label('numEnvs')}`,
    );
  }
}

/** `proximal train <algo> <env-id>`: trains, saves, evaluates and writes a report. */
export async function train(algo: string, envId: string, o: TrainOptions): Promise<void> {
  const algorithm = getAlgorithm(algo); // throws with the registered names when unknown
  const name = algorithm.name;
  const envModule = o.envModule ? await importEnvModule(o.envModule) : undefined;
  const envSpec = specWithHint(envId, o.envModule); // throws with the registered ids when unknown
  checkSupports(algorithm, envId);
  const tuned = algorithm.presets.perEnv?.[envId] ?? algorithm.presets.default;
  const file = o.config ? await readConfigFile(o.config) : { hyperparameters: {}, settings: {} };
  if (o.config) checkHyperparametersFor(algorithm, file.hyperparameters, `config file ${o.config}`);
  checkHyperparametersFor(algorithm, o.hyperparameters ?? {}, 'flags');
  const hyperparameters = mergeHyperparameters(
    tuned.hyperparameters,
    file.hyperparameters,
    o.hyperparameters ?? {},
  );
  // where each setting came from, to name it in errors: a flag, the config file or the tuned entry
  const labels = new Map<string, string>();
  for (const k of givenKeys(tuned.hyperparameters)) labels.set(k, `${k} (tuned default for ${envId})`);
  for (const k of givenKeys(file.hyperparameters)) labels.set(k, `${k} (config file ${o.config})`);
  for (const k of givenKeys(o.hyperparameters ?? {})) labels.set(k, flagOf(k));
  for (const [k, given, inFile] of [
    ['numEnvs', o.numEnvs, file.settings.numEnvs],
    ['totalTimesteps', o.timesteps, file.settings.timesteps],
    ['seed', o.seed, file.settings.seed],
  ] as const) {
    if (given !== undefined) labels.set(k, k === 'totalTimesteps' ? '--timesteps' : flagOf(k));
    else if (inFile !== undefined) labels.set(k, `${k} (config file ${o.config})`);
    else if (k !== 'seed')
      labels.set(k, `${k} (${tuned === algorithm.presets.default ? '' : 'tuned '}default for ${envId})`);
  }
  for (const f of hyperparameterFlags([algorithm])) {
    if (f.parent && labels.has(f.key)) labels.set(`${f.parent}.${f.key}`, labels.get(f.key) as string);
  }
  const known = new Set(hyperparameterFlags([algorithm]).map((f) => f.key));
  const label = (k: string) => labels.get(k) ?? (known.has(k) ? `${k} (default)` : k);

  const seed = o.seed ?? file.settings.seed ?? 1;
  const numEnvs = o.numEnvs ?? file.settings.numEnvs ?? tuned.numEnvs;
  const totalTimesteps = o.timesteps ?? file.settings.timesteps ?? tuned.totalTimesteps;
  const runDir = resolve(o.out ?? join('runs', `${name}-${envId}-seed${seed}-${stamp()}`));
  if (o.distributed) {
    return trainDistributed({
      ...{ algorithm: name, envId, runDir, seed, numEnvs, totalTimesteps, hyperparameters },
      ...{ normalize: tuned.normalize, distributed: o.distributed },
    });
  }
  const stale = await checkRunDir(runDir, o.force === true);
  // algorithms with rollouts (an nSteps hyperparameter) get their size checked against this machine
  const nSteps = hyperparameters.nSteps ?? algorithmDefaults(algorithm).nSteps;
  if (typeof nSteps === 'number') checkRolloutSize(envId, nSteps, numEnvs, label);

  const options = {
    env: envId,
    numEnvs,
    seed,
    ...hyperparameters,
    ...(tuned.normalize ? { normalize: tuned.normalize } : {}),
  };
  let model: Model;
  try {
    model = await algorithm.create(options);
  } catch (e) {
    const err = e as Error;
    err.message = labelSettings(err.message, labels);
    throw err;
  }
  // --force: the old run goes only now that the new one is valid
  for (const f of stale) await rm(join(runDir, f), { recursive: true, force: true });
  await mkdir(runDir, { recursive: true });
  const backends = backendLine(tfName(model));
  console.log(`proximal train ${name} ${envId}: ${totalTimesteps} timesteps, ${numEnvs} envs, seed ${seed}`);
  console.log(backends.line);
  console.log(`run directory: ${runDir}`);
  const config = {
    algorithm: model.algorithm,
    registryName: name,
    envId,
    seed,
    numEnvs,
    totalTimesteps,
    rewardThreshold: envSpec.rewardThreshold ?? null,
    hyperparameters: model.describeHyperparameters(),
    ...(envModule ? { envModule } : {}),
    backends: { core: backends.core, coreReason: backends.coreReason, tf: model.tfBackend ?? null },
    machine: machineInfo(),
    startedAt: new Date().toISOString(),
  };
  await writeFile(join(runDir, 'config.json'), `${JSON.stringify(config, null, 2)}\n`);
  const logger = new Logger(runDir, { formats: ['jsonl', 'csv', 'tensorboard'] });
  await runTraining(algorithm, model, runDir, logger, totalTimesteps, seed, o);
}

/** The tfjs backend of a model, for the startup line (algorithms without networks have none). */
function tfName(model: Model): string {
  return model.tfBackend ?? 'none (no network)';
}

/**
 * Refuses an env whose spaces the algorithm does not support, before anything is created.
 * @throws Error naming the algorithm, the env and the reason.
 */
function checkSupports(algorithm: AlgorithmDefinition, envId: string): void {
  const env = make(envId, { disableEnvChecker: true });
  try {
    const r = algorithm.supports({ observationSpace: env.observationSpace, actionSpace: env.actionSpace });
    if (!r.supported) throw new Error(`${algorithm.name} cannot train on ${envId}: ${r.reason}`);
  } finally {
    env.close();
  }
}

/**
 * `proximal train --resume <run-dir>`: continues an interrupted run from `<run-dir>/checkpoint`
 * with its saved config, counters, optimizer, normalization and RNG state; the schedules continue
 * and training ends at the run's original `totalTimesteps`. The envs start from a fresh reset
 * (their state is not in the checkpoint).
 * @throws Error when the directory is not a run, has no checkpoint, or its training finished.
 */
export async function resumeTraining(dirArg: string, o: ResumeOptions): Promise<void> {
  const runDir = resolve(dirArg);
  const config = JSON.parse(
    await readFile(join(runDir, 'config.json'), 'utf8').catch(() => {
      throw new Error(`--resume ${dirArg}: not a run directory (no ${join(runDir, 'config.json')})`);
    }),
  ) as Record<string, unknown>;
  const checkpoint = join(runDir, CHECKPOINT_DIR);
  if (!existsSync(join(checkpoint, 'proximal.json'))) {
    throw new Error(
      existsSync(join(runDir, 'model', 'proximal.json'))
        ? `--resume ${dirArg}: this run finished training (its model is in ${join(runDir, 'model')}); nothing to resume`
        : `--resume ${dirArg}: no checkpoint to resume from (expected ${join(checkpoint, 'proximal.json')})`,
    );
  }
  if (o.envModule) await importEnvModule(o.envModule);
  else if (typeof config.envModule === 'string')
    await importEnvModule(config.envModule, 'env module of the run (config.json envModule)');
  let algorithm: AlgorithmDefinition;
  try {
    algorithm = getAlgorithm(String(config.registryName ?? config.algorithm));
  } catch (e) {
    throw new Error(`--resume ${dirArg}: config.json: ${(e as Error).message}`);
  }
  const model = await algorithm.load(checkpoint);
  const totalTimesteps = config.totalTimesteps as number;
  const envId = config.envId as string;
  console.log(
    `proximal train --resume: ${model.algorithm} on ${envId} from ${model.numTimesteps} of ${totalTimesteps} timesteps`,
  );
  console.log(backendLine(tfName(model)).line);
  console.log(`run directory: ${runDir}`);
  const resumes = Array.isArray(config.resumes) ? config.resumes : [];
  config.resumes = [...resumes, { at: new Date().toISOString(), fromTimesteps: model.numTimesteps }];
  await writeFile(join(runDir, 'config.json'), `${JSON.stringify(config, null, 2)}\n`);

  // the logger truncates its files: the records up to the checkpoint are written again through it
  const rows = (await readFile(join(runDir, 'metrics.jsonl'), 'utf8').catch(() => ''))
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as Record<string, number | null>)
    .filter((r) => (r['time/total_timesteps'] ?? 0) <= model.numTimesteps);
  for (const f of await readdir(runDir))
    if (f.startsWith('events.out.tfevents.')) await rm(join(runDir, f), { force: true });
  const logger = new Logger(runDir, { formats: ['jsonl', 'csv', 'tensorboard'] });
  for (const r of rows) {
    const scalars = Object.fromEntries(Object.entries(r).map(([k, v]) => [k, v ?? Number.NaN]));
    logger.record(scalars['time/total_timesteps'], scalars);
  }
  await runTraining(algorithm, model, runDir, logger, totalTimesteps, config.seed as number, o);
}

/**
 * Trains `model` up to `totalTimesteps` (counting its steps so far), handling Ctrl-C: the first
 * one stops after the current iteration and writes `<run>/checkpoint` (atomically), prints the
 * command that resumes it and sets exit code 130. A completed run saves `<run>/model`, removes the
 * checkpoint, evaluates and writes the report.
 */
async function runTraining(
  algorithm: AlgorithmDefinition,
  model: Model,
  runDir: string,
  logger: Logger,
  totalTimesteps: number,
  seed: number,
  o: { evalEpisodes: number; progress: boolean; report: boolean },
): Promise<void> {
  const interrupt = new Interrupt().install();
  try {
    const t0 = performance.now();
    const remaining = totalTimesteps - model.numTimesteps;
    if (remaining > 0) {
      await model.learn({
        totalTimesteps: remaining,
        resetNumTimesteps: model.numTimesteps === 0,
        callback: [logger, ...(o.progress ? [new ProgressBarCallback()] : []), interrupt.callback],
      });
    }
    const trainWallTime = (performance.now() - t0) / 1000;
    await logger.close();
    if (interrupt.requested && model.numTimesteps < totalTimesteps) {
      interrupt.abortMessage =
        'proximal: aborted while writing the checkpoint; the previous one (if any) is intact';
      const dir = join(runDir, CHECKPOINT_DIR);
      await model.save(dir);
      restoreTerminal();
      console.log(
        `interrupted at ${model.numTimesteps} of ${totalTimesteps} timesteps; checkpoint saved to ${dir}`,
      );
      console.log(`resume with: proximal train --resume ${shellQuote(runDir)}`);
      process.exitCode = 130;
      model.dispose?.();
      return;
    }
    interrupt.phase = 'abort';
    interrupt.abortMessage = 'proximal: aborted while writing the model';
    await model.save(join(runDir, 'model'));
    interrupt.abortMessage = `proximal: aborted after training; the model is saved in ${join(runDir, 'model')}`;
    await rm(join(runDir, CHECKPOINT_DIR), { recursive: true, force: true });
    console.log(
      `trained ${model.numTimesteps} steps in ${trainWallTime.toFixed(1)} s; model saved to ${join(runDir, 'model')}`,
    );
    await finishRun(algorithm, model, runDir, seed, trainWallTime, o);
  } finally {
    interrupt.dispose();
  }
}

/** Evaluates the trained model, writes eval.json and the report. */
async function finishRun(
  algorithm: AlgorithmDefinition,
  model: Model,
  runDir: string,
  seed: number,
  trainWallTime: number,
  o: { evalEpisodes: number; report: boolean },
): Promise<void> {
  const envId = model.envId as string;
  const evalEnv = evaluationEnv(algorithm, envId, o.evalEpisodes);
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
  const threshold = spec(envId).rewardThreshold;
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
  model.dispose?.();
}

/**
 * The env an agent is evaluated on: a vector env of up to 10 copies for algorithms that train on
 * vector envs, else one env.
 */
export function evaluationEnv(algorithm: AlgorithmDefinition, envId: string, episodes: number) {
  return algorithm.vectorEnvs
    ? makeVec(envId, { numEnvs: Math.min(episodes, 10), autoresetMode: 'same-step' })
    : make(envId);
}
