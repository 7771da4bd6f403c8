import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatScalarTable, Logger, readRun } from '../src/index.js';
import { tempDir } from './helpers.js';

describe('Logger jsonl', () => {
  it('appends one complete JSON line per record, NaN as null, step key added', async () => {
    const dir = join(tempDir(), 'nested', 'run');
    const logger = new Logger(dir, { formats: ['jsonl'] });
    logger.record(2048, { 'rollout/ep_rew_mean': 22.1, 'train/approx_kl': Number.NaN });
    // Synchronously on disk after each record.
    expect(readFileSync(join(dir, 'metrics.jsonl'), 'utf8')).toBe(
      '{"rollout/ep_rew_mean":22.1,"train/approx_kl":null,"time/total_timesteps":2048}\n',
    );
    logger.onIterationEnd({
      numTimesteps: 4096,
      metrics: { 'time/total_timesteps': 4096, 'rollout/ep_rew_mean': 30 },
    });
    await logger.close();
    const lines = readFileSync(join(dir, 'metrics.jsonl'), 'utf8').split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[2]).toBe('');
    expect(JSON.parse(lines[1])).toEqual({ 'time/total_timesteps': 4096, 'rollout/ep_rew_mean': 30 });
    expect(existsSync(join(dir, 'progress.csv'))).toBe(false);

    const run = await readRun(dir);
    expect(run.metrics).toHaveLength(2);
    expect(run.metrics[0]['train/approx_kl']).toBeNaN();
  });

  it('onIterationEnd returns undefined (never stops training)', () => {
    const logger = new Logger(tempDir(), { formats: ['jsonl'] });
    expect(logger.onIterationEnd({ numTimesteps: 1, metrics: {} })).toBeUndefined();
  });

  it('throws after close, on a bad step and on an unknown format', async () => {
    const logger = new Logger(tempDir());
    expect(() => logger.record(-1, {})).toThrow(RangeError);
    expect(() => logger.record(1.5, {})).toThrow(/integer/);
    await logger.close();
    expect(() => logger.record(1, { a: 1 })).toThrow(/after close/);
    expect(() => new Logger(tempDir(), { formats: ['xml' as 'csv'] })).toThrow(/unknown format 'xml'/);
  });
});

describe('Logger csv', () => {
  it('writes the union of keys, rewriting the file when new keys appear', async () => {
    const dir = tempDir();
    const logger = new Logger(dir); // default: jsonl + csv
    const csv = () => readFileSync(join(dir, 'progress.csv'), 'utf8');
    logger.record(10, { b: 1, a: 2 });
    expect(csv()).toBe('a,b,time/total_timesteps\n2,1,10\n');
    logger.record(20, { a: 3, b: Number.NaN });
    expect(csv()).toBe('a,b,time/total_timesteps\n2,1,10\n3,nan,20\n');
    // New keys: appended sorted to the header; older rows get empty cells.
    logger.record(30, { 'z,comma': 5, c: Number.POSITIVE_INFINITY, a: 4 });
    expect(csv()).toBe('a,b,time/total_timesteps,c,"z,comma"\n2,1,10,,\n3,nan,20,,\n4,,30,inf,5\n');
    logger.record(40, { a: -0.5 });
    expect(csv().endsWith('\n-0.5,,40,,\n')).toBe(true);
    await logger.close();
    expect(existsSync(join(dir, 'metrics.jsonl'))).toBe(true);
    expect(existsSync(join(dir, 'progress.csv.tmp'))).toBe(false);
  });

  it('truncates files left by an earlier logger in the same directory', async () => {
    const dir = tempDir();
    const first = new Logger(dir);
    first.record(1, { a: 1 });
    await first.close();
    const second = new Logger(dir);
    second.record(2, { b: 2 });
    await second.close();
    expect(readFileSync(join(dir, 'progress.csv'), 'utf8')).toBe('b,time/total_timesteps\n2,2\n');
    expect(readFileSync(join(dir, 'metrics.jsonl'), 'utf8')).toBe('{"b":2,"time/total_timesteps":2}\n');
  });
});

describe('Logger stdout', () => {
  it('prints an SB3-style table grouped by prefix', () => {
    let text = '';
    const logger = new Logger(tempDir(), {
      formats: ['stdout'],
      stdout: { write: (s: string) => (text += s) },
    });
    logger.record(2048, { 'rollout/ep_rew_mean': 22.123456, 'train/approx_kl': 0.0001234, 'time/fps': 1700 });
    expect(text).toBe(
      formatScalarTable({
        'rollout/ep_rew_mean': 22.123456,
        'train/approx_kl': 0.0001234,
        'time/fps': 1700,
        'time/total_timesteps': 2048,
      }),
    );
    const lines = text.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^-+$/);
    expect(lines[1]).toMatch(/^\| rollout\/\s+\|\s+\|$/);
    expect(lines[2]).toMatch(/^\| {5}ep_rew_mean\s+\| 22\.123\s+\|$/);
    expect(text).toContain('approx_kl');
    expect(text).toContain('1.234e-4');
    expect(text).toMatch(/\| {5}total_timesteps\s+\| 2048\s+\|/);
    expect(new Set(lines.map((l) => l.length)).size).toBe(1);
  });
});
