import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeVec } from '@proximal/envs';
import { afterAll, describe, expect, it } from 'vitest';
import {
  CallbackList,
  CheckpointCallback,
  EvalCallback,
  linearSchedule,
  PPO,
  StopTrainingOnRewardThreshold,
} from '../src/index.js';

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});
async function tmp(): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), 'proximal-cb-'));
  dirs.push(d);
  return d;
}
const cartpole = {
  env: 'CartPole-v1',
  numEnvs: 8,
  nSteps: 32,
  batchSize: 256,
  nEpochs: 10,
  gamma: 0.98,
  gaeLambda: 0.8,
};

describe('callbacks', () => {
  it('EvalCallback + StopTrainingOnRewardThreshold stop training early and log evaluations', async () => {
    const dir = await tmp();
    const model = await PPO.create({ ...cartpole, seed: 2, learningRate: linearSchedule(1e-3) });
    const evalCb = new EvalCallback({
      evalEnv: makeVec('CartPole-v1', { numEnvs: 4, autoresetMode: 'same-step' }),
      evalFreq: 2048,
      nEvalEpisodes: 4,
      bestModelSavePath: dir,
      logPath: dir,
      callbackOnNewBest: new StopTrainingOnRewardThreshold(150),
      seed: 7,
    });
    await model.learn({ totalTimesteps: 100_000, callback: new CallbackList([evalCb]) });
    expect(model.numTimesteps).toBeLessThan(100_000);
    expect(evalCb.bestMeanReward).toBeGreaterThanOrEqual(150);
    expect(existsSync(join(dir, 'best_model', 'proximal.json'))).toBe(true);
    const lines = (await readFile(join(dir, 'evaluations.jsonl'), 'utf8')).trim().split('\n');
    expect(lines.length).toBe(evalCb.history.length);
    expect(JSON.parse(lines[0]).results).toHaveLength(4);
    model.dispose();
  }, 300_000);

  it('CheckpointCallback saves resumable checkpoints; training continues from one', async () => {
    const dir = await tmp();
    const model = await PPO.create({ ...cartpole, seed: 1, numEnvs: 2, batchSize: 64 });
    const ckpt = new CheckpointCallback(128, dir, 'ppo');
    await model.learn({ totalTimesteps: 320, callback: ckpt });
    expect(ckpt.saved.map((p) => p.split('/').at(-1))).toEqual(['ppo_128_steps', 'ppo_256_steps']);
    const resumed = await PPO.load(ckpt.saved[1]);
    expect(resumed.numTimesteps).toBe(256);
    await resumed.learn({ totalTimesteps: 128, resetNumTimesteps: false });
    expect(resumed.numTimesteps).toBe(384);
    model.dispose();
    resumed.dispose();
  });

  it('reject invalid frequencies', () => {
    expect(() => new CheckpointCallback(0, '/tmp')).toThrow(/saveFreq must be a positive integer, got 0/);
    expect(
      () => new EvalCallback({ evalEnv: makeVec('CartPole-v1', { numEnvs: 1 }), evalFreq: 1.5 }),
    ).toThrow(/evalFreq/);
    expect(() => new StopTrainingOnRewardThreshold(Number.NaN)).toThrow(/rewardThreshold/);
  });
});
