import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type AlgorithmDefinition,
  kebabCaseOf,
  listAlgorithms,
  registerAlgorithm,
  unregisterAlgorithm,
} from '@proximal/algorithms';
import type { Command } from 'commander';
import { afterAll, describe, expect, it } from 'vitest';
import { program } from '../src/main.js';
import { proximalIn } from './helpers.js';

const work = mkdtempSync(join(tmpdir(), 'proximal-cli-registry-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const proximal = (...args: string[]) => proximalIn(work, args);

function trainCommand(): Command {
  const train = program().commands.find((c) => c.name() === 'train');
  if (!train) throw new Error('no train command');
  return train;
}

describe('flags come from the algorithm registry', () => {
  it("every registered algorithm's every hyperparameter has a flag with a help line and its default", () => {
    const options = new Map(trainCommand().options.map((o) => [o.long, o]));
    const firstHelp = new Map<string, string>(); // the help line of the first algorithm with the key
    for (const d of listAlgorithms()) {
      for (const s of d.schema) {
        for (const spec of s.kind === 'object' ? (s.fields ?? []) : [s]) {
          if (!firstHelp.has(spec.key)) firstHelp.set(spec.key, spec.help);
          const o = options.get(`--${kebabCaseOf(spec.key)}`);
          expect(o, `${d.name}.${spec.key}`).toBeDefined();
          expect(o?.description.startsWith(firstHelp.get(spec.key) as string)).toBe(true);
          expect(o?.description).toMatch(/\(default: tuned per env, else .+\)$/);
        }
      }
    }
    expect(options.get('--train-v-iters')?.description).toMatch(/else 80 \(vpg only\)/);
    expect(options.get('--gamma')?.description).toMatch(/else 0\.99\)$/);
  });

  it('a newly registered algorithm appears in the help, with its flags, without CLI changes', () => {
    const toy: AlgorithmDefinition = {
      name: 'toy-bandit',
      modelName: 'ToyBandit',
      summary: 'a toy algorithm registered by a test',
      schema: [
        {
          key: 'banditTemperature',
          kind: 'number',
          range: { min: 0 },
          default: 2,
          help: 'softmax temperature of the toy',
        },
        { key: 'gamma', kind: 'number', range: { min: 0, max: 1 }, default: 0.5, help: 'discount' },
      ],
      vectorEnvs: false,
      presets: { default: { numEnvs: 1, totalTimesteps: 10, hyperparameters: {} } },
      supports: () => ({ supported: true }),
      create: () => Promise.reject(new Error('toy')),
      load: () => Promise.reject(new Error('toy')),
    };
    expect(trainCommand().helpInformation()).not.toMatch(/toy-bandit|--bandit-temperature/);
    registerAlgorithm(toy);
    try {
      const help = trainCommand().helpInformation();
      expect(help).toMatch(/a registered algorithm: ppo, trpo, a2c, vpg, dqn, q-learning, sarsa, toy-bandit/);
      expect(help).toMatch(
        /--bandit-temperature <value>\s+softmax temperature of the toy \(default: tuned per env, else 2 \(toy-bandit only\)\)/,
      );
      expect(help).toMatch(/--gamma <value>.*ppo 0\.99.*toy-bandit 0\.5/);
      let out = '';
      const train = trainCommand();
      train.configureOutput({
        writeOut: (s) => {
          out += s;
        },
      });
      train.outputHelp();
      expect(out).toMatch(/toy-bandit\s+a toy algorithm registered by a test/);
    } finally {
      unregisterAlgorithm('toy-bandit');
    }
  });
});

describe('proximal train / eval for algorithms the CLI never names', () => {
  it('trains VPG on CartPole-v1 end to end, and eval reloads it', () => {
    const out = join(work, 'vpg');
    const r = proximal(
      ...['train', 'vpg', 'CartPole-v1'],
      ...['--timesteps', '256', '--n-steps', '128', '--train-v-iters', '2', '--learning-rate', 'lin_0.001'],
      ...['--advantage-estimator', 'rewardToGo', '--eval-episodes', '2', '--no-report', '--out', out],
    );
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const config = JSON.parse(readFileSync(join(out, 'config.json'), 'utf8'));
    expect(config).toMatchObject({
      algorithm: 'VPG',
      registryName: 'vpg',
      numEnvs: 1,
      totalTimesteps: 256,
      hyperparameters: {
        nSteps: 128,
        batchSize: 128,
        trainVIters: 2,
        learningRate: 'lin_0.001',
        advantageEstimator: 'rewardToGo',
        vfLearningRate: 0.001,
      },
    });
    expect(existsSync(join(out, 'model', 'proximal.json'))).toBe(true);
    const e = proximal('eval', out, '--episodes', '2');
    expect(e.err).toBe('');
    expect(e.out).toMatch(/VPG on CartPole-v1: mean return [\d.]+ ± [\d.]+ over 2 deterministic episodes/);
  });

  it('trains tabular Q-learning (one env, no network) and evaluates it', () => {
    const out = join(work, 'q');
    const r = proximal(
      ...['train', 'q-learning', 'FrozenLake-v1', '--timesteps', '500', '--exploration-fraction', '0.5'],
      ...['--eval-episodes', '2', '--no-report', '--out', out],
    );
    expect(r.err).toBe('');
    expect(r.out).toMatch(/tfjs=none \(no network\)/);
    expect(JSON.parse(readFileSync(join(out, 'config.json'), 'utf8'))).toMatchObject({
      algorithm: 'QLearning',
      registryName: 'q-learning',
      hyperparameters: { explorationFraction: 0.5, learningRate: 0.1 },
    });
    expect(proximal('eval', out, '--episodes', '2').out).toMatch(/QLearning on FrozenLake-v1: mean return/);
  });

  it('trains DQN from the registry with its tuned Maze2x3-v0 preset, and eval reloads it', () => {
    const out = join(work, 'dqn');
    const r = proximal(
      ...['train', 'dqn', 'Maze2x3-v0', '--seed', '1', '--timesteps', '300', '--double-q', 'true'],
      ...['--eval-episodes', '2', '--no-report', '--out', out],
    );
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    // the preset's values, a flag over them, and the schema's defaults for the rest
    expect(JSON.parse(readFileSync(join(out, 'config.json'), 'utf8'))).toMatchObject({
      algorithm: 'DQN',
      registryName: 'dqn',
      totalTimesteps: 300,
      hyperparameters: {
        learningRate: 0.001,
        trainFreq: 1,
        targetUpdateInterval: 100,
        doubleQ: true,
        tau: 1,
      },
    });
    expect(proximal('eval', out, '--episodes', '2').out).toMatch(
      /DQN on Maze2x3-v0: mean return -?[\d.]+ ± [\d.]+ over 2 deterministic episodes/,
    );
  });

  it('refuses what the chosen algorithm does not have or support, before creating anything', async () => {
    const out = join(work, 'never');
    const cases: [string[], RegExp][] = [
      [['sarsa', 'CartPole-v1'], /sarsa cannot train on CartPole-v1: .*needs a Discrete observation space/],
      [['sarsa', 'FrozenLake-v1', '--num-envs', '4'], /SARSA trains on one env: --num-envs must be 1, got 4/],
      [
        ['q-learning', 'FrozenLake-v1', '--net-arch', '8'],
        /netArch does not apply to q-learning \(only to ppo, trpo, a2c, vpg, dqn\)/,
      ],
      [['trpo', 'CartPole-v1', '--target-kl', 'null'], /--target-kl must be a finite number > 0, got null/],
      [['vpg', 'CartPole-v1', '--train-v-iters', '0'], /--train-v-iters must be a positive integer, got 0/],
      [
        ['ppo', 'CartPole-v1', '--vf-learning-rate', '0.1'],
        /vfLearningRate does not apply to ppo \(only to vpg\)/,
      ],
    ];
    for (const [args, message] of cases) {
      // in-process: the same code path as the binary, without a process start per case
      await expect(
        program().parseAsync(['train', ...args, '--out', out], { from: 'user' }),
        args.join(' '),
      ).rejects.toThrow(message);
      expect(existsSync(out)).toBe(false);
    }
  });
});
