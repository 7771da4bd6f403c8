import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  bin,
  metrics,
  proximalIn,
  startProximal,
  waitForFile,
  waitSigintDelivered,
  writeGateEnv,
} from './helpers.js';

const work = mkdtempSync(join(tmpdir(), 'proximal-cli-resume-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
writeGateEnv(work);

// 2 envs × 64 steps = 128 steps per iteration; the gate blocks the 300th env step (iteration 3)
const TRAIN = [
  ...['train', 'ppo', 'GateChain-v0', '--env-module', './gate-env.mjs', '--timesteps', '1024'],
  ...['--num-envs', '2', '--n-steps', '64', '--batch-size', '64', '--learning-rate', 'lin_0.001'],
  ...['--eval-episodes', '2', '--no-report'],
];

function gate(name: string): { dir: string; env: Record<string, string> } {
  const dir = join(work, `gate-${name}`);
  mkdirSync(dir);
  return { dir, env: { GATE_AT: '300', GATE_DIR: dir } };
}

// the tests read /proc to know when the child has taken a signal before letting it go on
describe.skipIf(process.platform !== 'linux')('Ctrl-C and --resume', () => {
  const runDir = join(work, 'run');

  it('Ctrl-C writes a checkpoint, prints the resume command and exits with 130', async () => {
    const g = gate('once');
    const { child, done } = startProximal(work, [...TRAIN, '--out', 'run'], g.env);
    await waitForFile(join(g.dir, 'ready'));
    child.kill('SIGINT');
    await waitSigintDelivered(child.pid as number);
    mkdirSync(join(g.dir, 'go'));
    const r = await done;
    expect(r.err).toMatch(/interrupted; saving a checkpoint/);
    expect(r.code).toBe(130);
    expect(r.out).toContain(
      `interrupted at 384 of 1024 timesteps; checkpoint saved to ${join(runDir, 'checkpoint')}`,
    );
    expect(r.out).toContain(`resume with: proximal train --resume ${runDir}`);
    const meta = JSON.parse(readFileSync(join(runDir, 'checkpoint', 'proximal.json'), 'utf8'));
    expect(meta).toMatchObject({ algorithm: 'PPO', envId: 'GateChain-v0', numTimesteps: 384, iterations: 3 });
    expect(meta.targetTimesteps).toBe(1024);
    expect(meta.optimizer.t).toBeGreaterThan(0);
    expect(meta.rng.s).toHaveLength(4);
    expect(meta.episodes.totalEpisodes).toBe(384 / 16);
    expect(existsSync(join(runDir, 'model'))).toBe(false);
    expect(metrics(runDir).map((m) => m['time/total_timesteps'])).toEqual([128, 256, 384]);
  });

  it('--resume continues counters and schedules to the original target', () => {
    const r = proximalIn(work, ['train', '--resume', runDir, '--eval-episodes', '2', '--no-report']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/PPO on GateChain-v0 from 384 of 1024 timesteps/);
    expect(r.out).toMatch(/trained 1024 steps/);
    const rows = metrics(runDir);
    expect(rows.map((m) => m['time/total_timesteps'])).toEqual([128, 256, 384, 512, 640, 768, 896, 1024]);
    expect(rows.map((m) => m['time/iterations'])).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(rows.map((m) => m['time/episodes'])).toEqual([8, 16, 24, 32, 40, 48, 56, 64]);
    // lin_0.001 over the original 1024 steps: 1e-3 · (1 − steps before the update / 1024)
    for (const m of rows)
      expect(m['train/learning_rate']).toBeCloseTo(1e-3 * (1 - m['time/total_timesteps'] / 1024), 12);
    expect(existsSync(join(runDir, 'model', 'proximal.json'))).toBe(true);
    expect(existsSync(join(runDir, 'checkpoint'))).toBe(false);
    expect(JSON.parse(readFileSync(join(runDir, 'config.json'), 'utf8')).resumes[0].fromTimesteps).toBe(384);
    expect(proximalIn(work, ['train', '--resume', runDir]).err).toMatch(
      /finished training.*nothing to resume/,
    );
    expect(proximalIn(work, ['train', '--resume', runDir, '--n-steps', '8']).err).toMatch(
      /--resume .* takes no --n-steps/,
    );
  });

  it('a second Ctrl-C aborts at once, without a checkpoint', async () => {
    const g = gate('twice');
    const { child, done } = startProximal(work, [...TRAIN, '--out', 'twice'], g.env);
    await waitForFile(join(g.dir, 'ready'));
    child.kill('SIGINT');
    await waitSigintDelivered(child.pid as number);
    child.kill('SIGINT');
    await waitSigintDelivered(child.pid as number);
    mkdirSync(join(g.dir, 'go'));
    const r = await done;
    expect(r.code).toBe(130);
    expect(r.err).toMatch(/proximal: aborted/);
    expect(existsSync(join(work, 'twice', 'checkpoint'))).toBe(false);
    expect(readdirSync(work).filter((f) => f.startsWith('.checkpoint'))).toEqual([]);
  });

  const hasScript = spawnSync('script', ['--version']).status === 0;
  it.skipIf(!hasScript)(
    'on a terminal, Ctrl-C restores the cursor and line wrap that the progress bar hid',
    async () => {
      const g = gate('tty');
      const cmd = [process.execPath, bin, ...TRAIN, '--out', 'tty'].map((a) => `'${a}'`).join(' ');
      // `script` gives the CLI a pseudo-terminal, so the progress bar is drawn
      const child = spawn('script', ['-qec', cmd, '/dev/null'], {
        cwd: work,
        env: { ...process.env, ...g.env },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      child.stdout.on('data', (d) => {
        out += d;
      });
      const code = new Promise<number | null>((res) => child.on('close', (c) => res(c)));
      await waitForFile(join(g.dir, 'ready'));
      const pid = Number(readFileSync(join(g.dir, 'ready'), 'utf8'));
      process.kill(pid, 'SIGINT');
      await waitSigintDelivered(pid);
      mkdirSync(join(g.dir, 'go'));
      expect(await code).toBe(130);
      const hidden = out.lastIndexOf('\x1b[?25l');
      expect(hidden).toBeGreaterThanOrEqual(0); // the bar hid the cursor
      expect(out.indexOf('\x1b[?25h', hidden)).toBeGreaterThan(hidden);
      expect(out.indexOf('\x1b[?7h', out.lastIndexOf('\x1b[?7l'))).toBeGreaterThan(0);
      expect(out).toMatch(/resume with: proximal train --resume/);
    },
  );
});
