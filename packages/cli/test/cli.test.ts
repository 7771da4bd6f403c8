import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const bin = new URL('../dist/bin.js', import.meta.url).pathname;
const work = mkdtempSync(join(tmpdir(), 'proximal-cli-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function proximal(...args: string[]) {
  return proximalWith({}, ...args);
}

function proximalWith(env: Record<string, string>, ...args: string[]) {
  const r = spawnSync(process.execPath, [bin, ...args], {
    cwd: work,
    encoding: 'utf8',
    timeout: 240_000,
    env: { ...process.env, ...env },
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('proximal train / eval', () => {
  const runDir = join(work, 'run');
  it('trains, saves, evaluates and writes the run files and report', () => {
    const r = proximal(
      'train',
      'ppo',
      'CartPole-v1',
      '--timesteps',
      '1024',
      '--num-envs',
      '8',
      '--seed',
      '4',
      '--eval-episodes',
      '3',
      '--out',
      runDir,
    );
    expect(r.err).not.toMatch(/proximal:/);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/backends: kernels=/);
    expect(r.out).toMatch(/evaluation: mean return [\d.]+ ± [\d.]+ over 3 deterministic episodes/);
    expect(r.out).toMatch(/wall time: training [\d.]+ s/);
    for (const f of [
      'config.json',
      'metrics.jsonl',
      'progress.csv',
      'eval.json',
      'report.html',
      'model/proximal.json',
      'model/tensors.bin',
    ]) {
      expect(existsSync(join(runDir, f)), f).toBe(true);
    }
    const config = JSON.parse(readFileSync(join(runDir, 'config.json'), 'utf8'));
    expect(config).toMatchObject({
      algorithm: 'PPO',
      envId: 'CartPole-v1',
      seed: 4,
      numEnvs: 8,
      totalTimesteps: 1024,
    });
    const lines = readFileSync(join(runDir, 'metrics.jsonl'), 'utf8').trim().split('\n');
    expect(lines.length).toBe(1024 / (8 * 32)); // tuned nSteps 32 for CartPole
    expect(JSON.parse(lines.at(-1)!)['time/total_timesteps']).toBe(1024);
    const ev = JSON.parse(readFileSync(join(runDir, 'eval.json'), 'utf8'));
    expect(ev.episodeRewards).toHaveLength(3);
  });

  it('eval reloads the saved model', () => {
    const r = proximal('eval', runDir, '--episodes', '2');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/PPO on CartPole-v1: mean return [\d.]+ ± [\d.]+ over 2 deterministic episodes/);
  });

  it('report renders runs (by glob) and benchmark files, printing the paths', () => {
    const out = join(work, 'both.html');
    const r = proximal('report', join(work, 'ru*'), '--out', out, '--title', 'CLI test');
    expect(r.code).toBe(0);
    expect(r.out).toContain(`report: ${out}`);
    const html = readFileSync(out, 'utf8');
    expect(html).toContain('CLI test');
    expect(html).toContain('<svg');
    const bench = join(work, 'bench.json');
    writeFileSync(
      bench,
      JSON.stringify({
        machine: { cpu: 'test' },
        timestamp: '2026-11-20T00:00:00Z',
        results: [
          { kernel: 'gae', size: '8x8', backend: 'js', medianMs: 2, baseline: 'js' },
          { kernel: 'gae', size: '8x8', backend: 'native-mt', medianMs: 0.5, baseline: 'js' },
        ],
      }),
    );
    const b = proximal('report', bench);
    expect(b.code).toBe(0);
    expect(b.out).toMatch(/benchmark report: .*bench\.html/);
    expect(proximal('report', join(work, 'nothing-*')).err).toMatch(/no files or directories match/);
  });

  it('bench times GAE per backend and writes JSON and a report', () => {
    const out = join(work, 'bench', 'gae.json');
    const r = proximal('bench', '--sizes', '64x4', '--min-ms', '5', '--out', out);
    expect(r.code).toBe(0);
    const res = JSON.parse(readFileSync(out, 'utf8'));
    expect(res.results[0]).toMatchObject({ kernel: 'gae', size: '64x4', backend: 'js', ratio: 1 });
    expect(existsSync(join(work, 'bench', 'gae.html'))).toBe(true);
    expect(proximal('bench', '--sizes', '12by3').err).toMatch(/--sizes must be/);
  });

  it('a broken native addon falls back to TypeScript and the startup line says why', () => {
    const r = proximalWith(
      { PROXIMAL_NATIVE_PATH: '/nonexistent/addon.node' },
      ...['train', 'ppo', 'CartPole-v1', '--timesteps', '256', '--eval-episodes', '1', '--no-report'],
      ...['--out', join(work, 'fallback')],
    );
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/backends: kernels=js \(native unavailable: .*nonexistent/);
  });

  it('an unknown env id lists the registered ids', () => {
    const r = proximal('train', 'ppo', 'CartPol-v1', '--timesteps', '64');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/CartPol-v1/);
    expect(r.err).toMatch(/CartPole-v1/);
  });

  it('hyperparameters come from a YAML config file and flags (flags win)', () => {
    const cfg = join(work, 'ppo.yaml');
    writeFileSync(
      cfg,
      'timesteps: 512\nnum_envs: 4\nhyperparameters:\n  n_steps: 64\n  batch_size: 128\n  learning_rate: lin_0.0005\n  net_arch: [32, 32]\n',
    );
    const out = join(work, 'cfg');
    const r = proximal(
      'train',
      'ppo',
      'CartPole-v1',
      '--config',
      cfg,
      '--n-epochs',
      '3',
      '--gamma',
      '0.95',
      '--eval-episodes',
      '1',
      '--no-report',
      '--out',
      out,
    );
    expect(r.err).toBe('');
    const config = JSON.parse(readFileSync(join(out, 'config.json'), 'utf8'));
    expect(config).toMatchObject({ numEnvs: 4, totalTimesteps: 512 });
    expect(config.hyperparameters).toMatchObject({
      nSteps: 64,
      batchSize: 128,
      nEpochs: 3,
      gamma: 0.95,
      learningRate: 'lin_0.0005',
    });
    expect(config.hyperparameters.policyKwargs.netArch).toEqual([32, 32]);
    writeFileSync(cfg, 'hyperparameters:\n  n_stepz: 64\n');
    expect(proximal('train', 'ppo', 'CartPole-v1', '--config', cfg).err).toMatch(
      /unknown hyperparameter 'n_stepz'/,
    );
    expect(proximal('train', 'ppo', 'CartPole-v1', '--clip-range', 'wide').err).toMatch(
      /clipRange must be a number or lin_<number>, got 'wide'/,
    );
  });

  it('gSDE flags (useSde, sdeSampleFreq) and policy kwargs (logStdInit, orthoInit, fullStd) reach PPO and TRPO', () => {
    for (const algo of ['ppo', 'trpo']) {
      const out = join(work, `sde-${algo}`);
      const r = proximal(
        'train',
        algo,
        'Pendulum-v1',
        '--timesteps',
        '128',
        '--num-envs',
        '2',
        '--n-steps',
        '64',
        '--batch-size',
        '64',
        '--use-sde',
        'true',
        '--sde-sample-freq',
        '4',
        '--log-std-init',
        '-2',
        '--ortho-init',
        'false',
        '--full-std',
        'false',
        '--eval-episodes',
        '1',
        '--no-report',
        '--out',
        out,
      );
      expect(r.err).toBe('');
      const config = JSON.parse(readFileSync(join(out, 'config.json'), 'utf8'));
      expect(config.hyperparameters).toMatchObject({
        useSde: true,
        sdeSampleFreq: 4,
        policyKwargs: { logStdInit: -2, orthoInit: false, fullStd: false },
      });
    }
  });

  it('trains and evaluates TRPO; PPO-only flags are refused for it', () => {
    const out = join(work, 'trpo');
    const r = proximal(
      'train',
      'trpo',
      'CartPole-v1',
      '--timesteps',
      '2048',
      '--cg-max-steps',
      '5',
      '--eval-episodes',
      '2',
      '--no-report',
      '--out',
      out,
    );
    expect(r.err).toBe('');
    expect(JSON.parse(readFileSync(join(out, 'config.json'), 'utf8'))).toMatchObject({
      algorithm: 'TRPO',
      hyperparameters: { cgMaxSteps: 5 },
    });
    expect(proximal('eval', out, '--episodes', '1').out).toMatch(/TRPO on CartPole-v1: mean return/);
    expect(proximal('train', 'trpo', 'CartPole-v1', '--clip-range', '0.1').err).toMatch(
      /clipRange does not apply to trpo/,
    );
  });

  it('trains and evaluates A2C; flags of other algorithms are refused for it, and its own for them', () => {
    const out = join(work, 'a2c');
    const r = proximal(
      ...['train', 'a2c', 'CartPole-v1', '--timesteps', '400', '--rms-prop-eps', '1e-4'],
      ...['--num-envs', '4', '--eval-episodes', '2', '--no-report', '--out', out],
    );
    expect(r.err).toBe('');
    expect(JSON.parse(readFileSync(join(out, 'config.json'), 'utf8'))).toMatchObject({
      algorithm: 'A2C',
      numEnvs: 4,
      hyperparameters: { rmsPropEps: 1e-4, nSteps: 5, useRmsProp: true },
    });
    expect(proximal('eval', out, '--episodes', '1').out).toMatch(/A2C on CartPole-v1: mean return/);
    expect(proximal('train', 'a2c', 'CartPole-v1', '--batch-size', '8').err).toMatch(
      /batchSize does not apply to a2c \(only to ppo, trpo, vpg, dqn\)/,
    );
    expect(proximal('train', 'ppo', 'CartPole-v1', '--use-rms-prop', 'false').err).toMatch(
      /useRmsProp does not apply to ppo \(only to a2c\)/,
    );
  });

  it('bad arguments name the flag and the value', () => {
    expect(proximal('train', 'ppo', 'CartPole-v1', '--timesteps', 'abc').err).toMatch(
      /timesteps must be a positive integer, got 'abc'/,
    );
    expect(proximal('train', 'sac', 'CartPole-v1').err).toMatch(
      /unknown algorithm 'sac'; available: ppo, trpo, a2c/,
    );
    const e = proximal('eval', join(work, 'nope'));
    expect(e.code).toBe(1);
    expect(e.err).toMatch(/has no saved model/);
  });
});
