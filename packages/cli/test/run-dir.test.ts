import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { proximalIn, writeGateEnv } from './helpers.js';

const work = mkdtempSync(join(tmpdir(), 'proximal-cli-run-dir-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const proximal = (...args: string[]) => proximalIn(work, args);
const TINY = [
  ...['--timesteps', '64', '--num-envs', '2', '--n-steps', '32', '--batch-size', '32'],
  ...['--eval-episodes', '1', '--no-report'],
];

describe('run directories are never silently overwritten', () => {
  it('refuses an existing run directory; --force replaces it, stale files included', () => {
    const dir = join(work, 'run');
    expect(proximal('train', 'ppo', 'CartPole-v1', ...TINY, '--seed', '1', '--out', dir).code).toBe(0);
    writeFileSync(join(dir, 'stale.txt'), 'old');
    const again = proximal('train', 'ppo', 'CartPole-v1', ...TINY, '--seed', '2', '--out', dir);
    expect(again.code).toBe(1);
    expect(again.err).toMatch(/run directory .*run already exists .*pass --force to replace it, --resume/);
    expect(JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')).seed).toBe(1);
    // an invalid new run does not cost the old one
    const invalid = proximal(
      'train',
      'ppo',
      'CartPole-v1',
      ...TINY,
      '--batch-size',
      '4096',
      '--out',
      dir,
      '--force',
    );
    expect(invalid.err).toMatch(/--batch-size/);
    expect(existsSync(join(dir, 'model', 'proximal.json'))).toBe(true);
    const forced = proximal('train', 'ppo', 'CartPole-v1', ...TINY, '--seed', '2', '--out', dir, '--force');
    expect(forced.code).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')).seed).toBe(2);
    expect(existsSync(join(dir, 'stale.txt'))).toBe(false);
  });

  it('--force does not delete a directory that is not a run', () => {
    const dir = join(work, 'mine');
    mkdirSync(dir);
    writeFileSync(join(dir, 'notes.txt'), 'keep');
    const r = proximal('train', 'ppo', 'CartPole-v1', ...TINY, '--out', dir, '--force');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/exists and is not a run directory \(it holds notes\.txt\)/);
    expect(readFileSync(join(dir, 'notes.txt'), 'utf8')).toBe('keep');
  });
});

describe('--env-module', () => {
  it('trains and evaluates a custom env registered by a user module (path relative to the cwd)', () => {
    writeGateEnv(work);
    const r = proximal(
      'train',
      'ppo',
      'GateChain-v0',
      '--env-module',
      './gate-env.mjs',
      ...TINY,
      '--out',
      'custom',
    );
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const config = JSON.parse(readFileSync(join(work, 'custom', 'config.json'), 'utf8'));
    expect(config).toMatchObject({ envId: 'GateChain-v0', envModule: join(work, 'gate-env.mjs') });
    const ev = proximal('eval', 'custom', '--episodes', '1', '--env-module', './gate-env.mjs');
    expect(ev.out).toMatch(/PPO on GateChain-v0: mean return/);
    // without the flag, eval imports the module recorded in config.json
    expect(proximal('eval', 'custom', '--episodes', '1').out).toMatch(/PPO on GateChain-v0: mean return/);
    expect(proximal('train', 'ppo', 'GateChain-v0', '--env-module', './missing.mjs').err).toMatch(
      /--env-module \.\/missing\.mjs: no such file/,
    );
  });
});
