import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BaseEnv, Box, Discrete, type EnvMetadata, register } from '@proximal/envs';
import { afterAll, describe, expect, it } from 'vitest';
import { writeCheckpoint } from '../src/common/checkpoint.js';
import {
  A2C,
  type A2cOptions,
  linearSchedule,
  Normalizer,
  PPO,
  type PpoOptions,
  TRPO,
  type TrpoOptions,
} from '../src/index.js';

/**
 * A deterministic chain: reset always gives the same observation, the reward depends on the
 * action and the episode ends after exactly EPISODE steps. With nSteps a multiple of EPISODE every
 * rollout ends with all envs just reset, so a fresh reset on resume is the env state an
 * uninterrupted run has there: the comparison below isolates the algorithm's saved state.
 */
const EPISODE = 8;
class Chain extends BaseEnv<Float32Array, number> {
  readonly observationSpace = new Box(-100, 100, [2]);
  readonly actionSpace = new Discrete(2);
  readonly metadata: EnvMetadata = { renderModes: [] };
  private t = 0;
  private x = 0;
  reset() {
    this.t = 0;
    this.x = 0;
    return { observation: Float32Array.from([0, 0]), info: {} };
  }
  step(action: number) {
    this.t++;
    this.x += action === 1 ? 1 : -1;
    const reward = action === this.t % 2 ? 1 : -0.5;
    return {
      observation: Float32Array.from([this.t / EPISODE, this.x / EPISODE]),
      reward,
      terminated: this.t >= EPISODE,
      truncated: false,
      info: {},
    };
  }
}
register({ id: 'ResumeChain-v0', entryPoint: () => new Chain() });

const work = await mkdtemp(join(tmpdir(), 'proximal-resume-'));
afterAll(() => rm(work, { recursive: true, force: true }));

const options: PpoOptions = {
  env: 'ResumeChain-v0',
  numEnvs: 2,
  seed: 3,
  nSteps: 16,
  batchSize: 8,
  nEpochs: 2,
  learningRate: linearSchedule(3e-3),
  clipRange: linearSchedule(0.2),
  policyKwargs: { netArch: [8] },
  normalize: { normObs: true, normReward: true },
};

describe('checkpoint and resume', () => {
  it('PPO: 2×T steps uninterrupted = T steps, checkpoint, load, the rest (same parameters, Adam, counters)', async () => {
    const total = 256;
    const full = await PPO.create(options);
    await full.learn({ totalTimesteps: total });

    const first = await PPO.create(options);
    // interrupted half-way, as the CLI does on Ctrl-C: a callback stops training
    await first.learn({
      totalTimesteps: total,
      callback: { onIterationEnd: (ctx) => ctx.numTimesteps < total / 2 },
    });
    expect(first.numTimesteps).toBe(total / 2);
    const dir = join(work, 'ppo');
    await first.save(dir);
    first.dispose();
    const resumed = await PPO.load(dir);
    expect(resumed.numTimesteps).toBe(total / 2);
    expect(resumed.targetTimesteps).toBe(total);
    expect(resumed.iterations).toBe(total / 2 / 32);
    expect(resumed.episodes.totalEpisodes).toBe(total / 2 / EPISODE);
    await resumed.learn({
      totalTimesteps: resumed.targetTimesteps - resumed.numTimesteps,
      resetNumTimesteps: false,
    });

    expect(resumed.numTimesteps).toBe(full.numTimesteps);
    expect(resumed.iterations).toBe(full.iterations);
    expect(resumed.episodes.toJSON()).toEqual(full.episodes.toJSON());
    expect(Array.from(resumed.policy.getFlatParams())).toEqual(Array.from(full.policy.getFlatParams()));
    expect(resumed.normalizer.toJSON()).toEqual(full.normalizer.toJSON());
    const a = join(work, 'a');
    const b = join(work, 'b');
    await full.save(a);
    await resumed.save(b);
    expect(await readFile(join(b, 'tensors.bin'))).toEqual(await readFile(join(a, 'tensors.bin')));
    full.dispose();
    resumed.dispose();
  });

  it('TRPO continues exactly too (critic Adam state and RNG)', async () => {
    const o: TrpoOptions = {
      env: 'ResumeChain-v0',
      numEnvs: 2,
      seed: 5,
      nSteps: 16,
      batchSize: 16,
      nCriticUpdates: 2,
      learningRate: linearSchedule(1e-3),
      policyKwargs: { netArch: [8] },
      normalize: { normObs: true },
    };
    const full = await TRPO.create(o);
    await full.learn({ totalTimesteps: 128 });
    const first = await TRPO.create(o);
    await first.learn({ totalTimesteps: 128, callback: { onIterationEnd: (ctx) => ctx.numTimesteps < 64 } });
    await first.save(join(work, 'trpo'));
    first.dispose();
    const resumed = await TRPO.load(join(work, 'trpo'));
    await resumed.learn({ totalTimesteps: 64, resetNumTimesteps: false });
    expect(Array.from(resumed.policy.getFlatParams())).toEqual(Array.from(full.policy.getFlatParams()));
    full.dispose();
    resumed.dispose();
  });

  it('A2C continues exactly too (RMSprop state, counters, schedule)', async () => {
    const o: A2cOptions = {
      env: 'ResumeChain-v0',
      numEnvs: 2,
      seed: 7,
      nSteps: 8,
      learningRate: linearSchedule(3e-3),
      policyKwargs: { netArch: [8] },
      normalize: { normObs: true, normReward: true },
    };
    const full = await A2C.create(o);
    await full.learn({ totalTimesteps: 128 });
    const first = await A2C.create(o);
    await first.learn({ totalTimesteps: 128, callback: { onIterationEnd: (ctx) => ctx.numTimesteps < 64 } });
    expect(first.numTimesteps).toBe(64);
    await first.save(join(work, 'a2c'));
    first.dispose();
    const resumed = await A2C.load(join(work, 'a2c'));
    expect(resumed.targetTimesteps).toBe(128);
    await resumed.learn({ totalTimesteps: 64, resetNumTimesteps: false });
    expect(resumed.iterations).toBe(full.iterations);
    expect(resumed.optimizer.t).toBe(full.optimizer.t);
    expect(Array.from(resumed.policy.getFlatParams())).toEqual(Array.from(full.policy.getFlatParams()));
    full.dispose();
    resumed.dispose();
  });

  it('a checkpoint holds the RNG state, the schedule horizon and the episode window', async () => {
    const m = await PPO.create(options);
    await m.learn({ totalTimesteps: 64 });
    const dir = join(work, 'meta');
    await m.save(dir);
    const meta = JSON.parse(await readFile(join(dir, 'proximal.json'), 'utf8'));
    expect(meta.rng.s).toHaveLength(4);
    expect(meta.targetTimesteps).toBe(64);
    expect(meta.episodes.totalEpisodes).toBe(64 / EPISODE);
    m.dispose();
  });

  it('a fresh env reset (as on resume) zeroes the running returns of reward normalization (VecNormalize.reset)', () => {
    const n = new Normalizer(1, 1, 0.99, { normReward: true });
    n.rewards(Float32Array.from([1]), Uint8Array.from([0]));
    n.resetReturns();
    n.rewards(Float32Array.from([1]), Uint8Array.from([0]));
    expect(n.retRms.mean[0]).toBeCloseTo(1, 3); // both returns are 1, not 1 and 1 + 0.99 (mean 1.495)
  });

  it('writes atomically: a failed write leaves the old model and no temporary directory', async () => {
    const dir = join(work, 'atomic');
    await writeCheckpoint(dir, { algorithm: 'PPO' }, [{ name: 'x', data: Float32Array.from([1, 2]) }]);
    const before = await readFile(join(dir, 'proximal.json'), 'utf8');
    const tensorsBefore = await readFile(join(dir, 'tensors.bin'));
    // fails mid-write: tensors.bin is written, then the metadata cannot be serialized
    await expect(writeCheckpoint(dir, { algorithm: 'PPO', bad: 1n }, [])).rejects.toThrow(/BigInt/);
    expect(await readFile(join(dir, 'proximal.json'), 'utf8')).toBe(before);
    expect(await readFile(join(dir, 'tensors.bin'))).toEqual(tensorsBefore);
    expect((await readdir(work)).filter((f) => f.startsWith('.atomic'))).toEqual([]);
    // replacing works, and a directory holding other files is refused
    await writeCheckpoint(dir, { algorithm: 'TRPO' }, []);
    expect(JSON.parse(await readFile(join(dir, 'proximal.json'), 'utf8')).algorithm).toBe('TRPO');
    await writeFile(join(dir, 'notes.txt'), 'mine');
    await expect(writeCheckpoint(dir, { algorithm: 'PPO' }, [])).rejects.toThrow(
      /holds other files \(notes\.txt\)/,
    );
  });
});
