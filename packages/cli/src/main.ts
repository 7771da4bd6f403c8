import { createRequire } from 'node:module';
import { listAlgorithms } from '@proximal/algorithms';
import { Command, InvalidArgumentError } from 'commander';
import { bench } from './commands/bench.js';
import { evaluate } from './commands/eval.js';
import { report } from './commands/report.js';
import { resumeTraining, train } from './commands/train.js';
import { worker } from './commands/worker.js';
import { addHyperparameterFlags, flagOf, hyperparametersFromFlags } from './hyperparam-flags.js';

/** The version of this package (from its package.json). */
export const VERSION: string = (createRequire(import.meta.url)('../package.json') as { version: string })
  .version;

/** Options of `train` that `--resume` accepts (the others would change the saved run). */
const RESUME_OPTIONS = ['resume', 'envModule', 'evalEpisodes', 'progress', 'report'];

function positiveInt(name: string) {
  return (v: string): number => {
    const n = Number(v.replace(/_/g, ''));
    if (!Number.isSafeInteger(n) || n <= 0)
      throw new InvalidArgumentError(`${name} must be a positive integer, got '${v}'`);
    return n;
  };
}

function nonNegativeInt(v: string): number {
  const n = Number(v);
  if (!Number.isSafeInteger(n) || n < 0)
    throw new InvalidArgumentError(`seed must be a non-negative integer, got '${v}'`);
  return n;
}

/** Builds the `proximal` command-line program. */
export function program(): Command {
  const p = new Command('proximal')
    .description('Policy-optimization reinforcement learning: train, evaluate and report.')
    .version(VERSION, '-V, --version', 'print the version of the proximal CLI')
    .showHelpAfterError();
  const trainCmd = p
    .command('train')
    .description(
      'train an agent, evaluate it and write runs/<run>/{config.json, metrics.jsonl, model/, report.html}; ' +
        'Ctrl-C saves runs/<run>/checkpoint, which --resume continues',
    )
    .argument(
      '[algorithm]',
      `a registered algorithm: ${listAlgorithms()
        .map((d) => d.name)
        .join(', ')} (not with --resume)`,
    )
    .argument('[env-id]', 'a registered environment id, e.g. CartPole-v1 (not with --resume)')
    .option(
      '--timesteps <n>',
      'environment steps to train for (default: tuned per env)',
      positiveInt('timesteps'),
    )
    .option('--seed <n>', 'random seed (default 1)', nonNegativeInt)
    .option(
      '--config <file>',
      'YAML or JSON file of hyperparameters (and timesteps, numEnvs, seed); flags override it',
    )
    .option('--num-envs <n>', 'parallel environments (default: tuned per env)', positiveInt('num-envs'))
    .option('--out <dir>', 'run directory (default runs/<algo>-<env>-seed<seed>-<time>)')
    .option('--force', 'replace an existing run directory (its old contents are removed)')
    .option(
      '--resume <run-dir>',
      'continue an interrupted run from its checkpoint, with its config, counters and schedules',
    )
    .option(
      '--env-module <file>',
      'JavaScript module (path relative to the working directory) that registers custom envs with register() of @proximal/envs',
    )
    .option(
      '--eval-episodes <n>',
      'deterministic evaluation episodes after training',
      positiveInt('eval-episodes'),
      100,
    )
    .option('--no-progress', 'no progress bar')
    .option('--no-report', 'do not write report.html')
    // distributed training (@proximal/distributed): this process is the learner
    .option('--redis [url]', 'learn from `proximal worker` processes sharing this Redis (default: REDIS_URL)')
    .option('--redis-prefix <name>', 'key namespace of the distributed run (default proximal)')
    .option(
      '--worker-num-envs <n>',
      'envs per worker batch; divides --num-envs',
      positiveInt('worker-num-envs'),
    )
    .option(
      '--max-policy-lag <n>',
      'drop batches this many versions old (default 0: synchronous)',
      nonNegativeInt,
    )
    .action(async (algorithm: string | undefined, envId: string | undefined, opts, cmd: Command) => {
      const progress = opts.progress && process.stderr.isTTY === true;
      if (opts.resume !== undefined) {
        const given = Object.keys(opts).filter(
          (k) => cmd.getOptionValueSource(k) === 'cli' && !RESUME_OPTIONS.includes(k),
        );
        if (algorithm !== undefined || given.length > 0) {
          throw new Error(
            `--resume continues the run with its saved settings; it takes no ${[
              ...(algorithm !== undefined ? ['<algorithm> <env-id> arguments'] : []),
              ...given.map(flagOf),
            ].join(', ')}`,
          );
        }
        await resumeTraining(opts.resume, {
          envModule: opts.envModule,
          evalEpisodes: opts.evalEpisodes,
          progress,
          report: opts.report,
        });
        return;
      }
      if (algorithm === undefined || envId === undefined) {
        throw new Error(
          'train needs <algorithm> and <env-id> (e.g. proximal train ppo CartPole-v1), or --resume <run-dir>',
        );
      }
      await train(algorithm, envId, {
        hyperparameters: hyperparametersFromFlags(opts),
        config: opts.config,
        timesteps: opts.timesteps,
        seed: opts.seed,
        numEnvs: opts.numEnvs,
        out: opts.out,
        force: opts.force === true,
        envModule: opts.envModule,
        evalEpisodes: opts.evalEpisodes,
        progress,
        report: opts.report,
        ...(opts.redis !== undefined
          ? {
              distributed: {
                redis: opts.redis === true ? undefined : opts.redis,
                prefix: opts.redisPrefix,
                workerNumEnvs: opts.workerNumEnvs,
                maxPolicyLag: opts.maxPolicyLag,
              },
            }
          : {}),
      });
    });
  addHyperparameterFlags(trainCmd);
  trainCmd.addHelpText(
    'after',
    `\nAlgorithms (hyperparameter flags apply to those that have the hyperparameter):\n${listAlgorithms()
      .map((d) => `  ${d.name.padEnd(12)} ${d.summary}`)
      .join('\n')}`,
  );
  p.command('worker')
    .description('collect rollouts for a distributed run whose learner is `proximal train … --redis`')
    .option('--redis [url]', 'the Redis the learner uses (default: REDIS_URL)')
    .option('--redis-prefix <name>', 'key namespace of the distributed run (default proximal)')
    .option('--worker-id <id>', 'unique id of this worker (default <hostname>-<pid>)')
    .option('--max-batches <n>', 'stop after sending this many batches', positiveInt('max-batches'))
    .action(async (opts) => {
      await worker({
        redis: opts.redis === true ? undefined : opts.redis,
        prefix: opts.redisPrefix,
        workerId: opts.workerId,
        maxBatches: opts.maxBatches,
      });
    });
  p.command('eval')
    .description('evaluate the model saved in a run directory')
    .argument('<run-dir>', 'a directory written by proximal train')
    .option('--episodes <n>', 'number of episodes', positiveInt('episodes'), 100)
    .option('--seed <n>', 'seed of the first reset', nonNegativeInt)
    .option('--stochastic', 'sample actions instead of taking the most likely one')
    .option(
      '--env-module <file>',
      "module that registers the run's custom env (default: the one recorded in the run's config.json)",
    )
    .action(async (runDir: string, opts) => {
      await evaluate(runDir, {
        episodes: opts.episodes,
        seed: opts.seed,
        stochastic: opts.stochastic,
        envModule: opts.envModule,
      });
    });
  p.command('report')
    .description(
      'write an HTML report from run directories (or folders of runs, or globs) and benchmark JSON files',
    )
    .argument(
      '<paths...>',
      "run directories, folders of runs, glob patterns ('runs/ppo-*'), or benchmark .json files",
    )
    .option(
      '--out <file>',
      'output HTML file (default: <run>/report.html, or the common parent of several runs)',
    )
    .option('--title <title>', 'page title')
    .option('--png', 'also write a PNG of each chart')
    .action(async (paths: string[], opts) => {
      await report(paths, { out: opts.out, title: opts.title, png: opts.png === true });
    });
  p.command('bench')
    .description('time the GAE kernel on every loaded backend (ratios against the TypeScript reference)')
    .option('--sizes <list>', 'rollout shapes TxN, comma-separated', '2048x8,1024x1024')
    .option('--min-ms <n>', 'minimum timing window per case in ms', positiveInt('min-ms'), 300)
    .option('--out <file>', 'result JSON (an HTML report is written next to it)', 'bench/gae.json')
    .action(async (opts) => {
      await bench({ out: opts.out, sizes: opts.sizes, minMs: opts.minMs });
    });
  return p;
}

/** Runs the CLI; errors are printed as one line (plus the stack with PROXIMAL_DEBUG=1) and exit code 1. */
export async function main(argv = process.argv): Promise<void> {
  try {
    await program().parseAsync(argv);
  } catch (err) {
    const e = err as Error;
    console.error(`proximal: ${process.env.PROXIMAL_DEBUG ? e.stack : e.message}`);
    process.exitCode = 1;
  }
}
