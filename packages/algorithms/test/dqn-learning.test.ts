import { make } from '@proximal/envs';
import { describe, expect, it } from 'vitest';
import { DQN } from '../src/index.js';

/** Greedy return of one episode of Maze2x3-v0 (optimal: +10 in 3 steps). */
function greedyReturn(model: DQN): { ret: number; len: number } {
  const env = make<Float32Array, number>('Maze2x3-v0');
  let { observation } = env.reset({ seed: 0 });
  let ret = 0;
  let len = 0;
  for (;;) {
    const r = env.step(model.predict(observation, { deterministic: true }) as number);
    ret += r.reward;
    len++;
    observation = r.observation;
    if (r.terminated || r.truncated) return { ret, len };
  }
}

describe('DQN learning', () => {
  for (const doubleQ of [false, true]) {
    it(`learns Maze2x3-v0 (optimal return +10 in 3 steps) within 2000 steps on 2 seeds${doubleQ ? ' (Double DQN)' : ''}`, async () => {
      for (const seed of doubleQ ? [3] : [1, 2]) {
        const m = await DQN.create({
          env: 'Maze2x3-v0',
          seed,
          doubleQ,
          learningRate: 1e-3,
          learningStarts: 200,
          bufferSize: 10_000,
          trainFreq: 1,
          targetUpdateInterval: 100,
          explorationFraction: 0.3,
        });
        const curve: number[] = [];
        await m.learn({
          totalTimesteps: 2000,
          callback: (ctx) => {
            if (ctx.episodeReturns.length > 0) curve.push(ctx.metrics['rollout/ep_rew_mean']);
            return undefined;
          },
        });
        // random play falls into the trap most of the time; training returns rise to near +10
        expect(curve[0]).toBeLessThan(0);
        expect(curve[curve.length - 1]).toBeGreaterThan(8);
        expect(greedyReturn(m)).toEqual({ ret: 10, len: 3 });
        m.dispose();
      }
    }, 60_000);
  }
});
