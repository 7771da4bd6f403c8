import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { proximalIn } from './helpers.js';

const work = mkdtempSync(join(tmpdir(), 'proximal-cli-flags-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const proximal = (...args: string[]) => proximalIn(work, args);

describe('proximal --version', () => {
  it('prints the version of the CLI package', () => {
    const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
    for (const flag of ['--version', '-V']) {
      const r = proximal(flag);
      expect(r.code).toBe(0);
      expect(r.out.trim()).toBe(version);
    }
  });
});

describe('flag errors name the flag, before anything is created', () => {
  it.each([
    [
      ['--n-steps', '1e9'],
      /--n-steps 1000000000 × numEnvs \(tuned default for CartPole-v1\) 8 = .* lower --n-steps/,
    ],
    [['--num-envs', '1000000000'], /× --num-envs 1000000000 = .*more than this machine can hold/],
    [['--clip-range-vf', '-1'], /--clip-range-vf must be a finite number > 0 or a schedule or null, got -1/],
    [['--batch-size', '4096', '--n-steps', '8', '--num-envs', '2'], /--batch-size/],
  ])('%j', (flags, message) => {
    const out = join(work, 'never');
    const r = proximal('train', 'ppo', 'CartPole-v1', ...flags, '--out', out);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(message);
    expect(r.err).not.toMatch(/Invalid typed array length|heap out of memory|batchSize/);
    expect(existsSync(out)).toBe(false);
  });
});
