import { Command, InvalidArgumentError } from 'commander';
import { bench } from './commands/bench.js';
import { evaluate } from './commands/eval.js';
import { report } from './commands/report.js';
import { train } from './commands/train.js';
import { addHyperparameterFlags, hyperparametersFromFlags } from './hyperparam-flags.js';

function positiveInt(name: string) {
  return (v: string): number => {
    const n = Number(v.replace(/_/g, ''));
    if (!Number.isInteger(n) || n <= 0)
      throw new InvalidArgumentError(`${name} must be a positive integer, got '${v}'`);
    return n;
  };
}

function nonNegativeInt(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0)
    throw new InvalidArgumentError(`seed must be a non-negative integer, got '${v}'`);
  return n;
}

/** Builds the `proximal` command-line program. */
export function program(): Command {
  const p = new Command('proximal')
    .description('Policy-optimization reinforcement learning: train, evaluate and report.')
    .showHelpAfterError();
  const trainCmd = p
    .command('train')
    .description(
      'train an agent, evaluate it and write runs/<run>/{config.json, metrics.jsonl, model/, report.html}',
    )
    .argument('<algorithm>', 'ppo or trpo')
    .argument('<env-id>', 'a registered environment id, e.g. CartPole-v1')
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
    .option(
      '--eval-episodes <n>',
      'deterministic evaluation episodes after training',
      positiveInt('eval-episodes'),
      100,
    )
    .option('--no-progress', 'no progress bar')
    .option('--no-report', 'do not write report.html')
    .action(async (algorithm: string, envId: string, opts) => {
      await train(algorithm, envId, {
        hyperparameters: hyperparametersFromFlags(opts),
        config: opts.config,
        timesteps: opts.timesteps,
        seed: opts.seed,
        numEnvs: opts.numEnvs,
        out: opts.out,
        evalEpisodes: opts.evalEpisodes,
        progress: opts.progress && process.stderr.isTTY === true,
        report: opts.report,
      });
    });
  addHyperparameterFlags(trainCmd);
  p.command('eval')
    .description('evaluate the model saved in a run directory')
    .argument('<run-dir>', 'a directory written by proximal train')
    .option('--episodes <n>', 'number of episodes', positiveInt('episodes'), 100)
    .option('--seed <n>', 'seed of the first reset', nonNegativeInt)
    .option('--stochastic', 'sample actions instead of taking the most likely one')
    .action(async (runDir: string, opts) => {
      await evaluate(runDir, { episodes: opts.episodes, seed: opts.seed, stochastic: opts.stochastic });
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
