import { describe, expect, it } from 'vitest';
import {
  CartPole,
  type EpisodeInfo,
  make,
  OrderEnforcing,
  RecordEpisodeStatistics,
  ResetNeededError,
  TimeLimit,
  Wrapper,
} from '../src/index.js';

describe('TimeLimit', () => {
  it('truncates at maxEpisodeSteps, keeps terminated, restarts on reset', () => {
    const env = new TimeLimit(new CartPole(), 3);
    env.reset({ seed: 0 });
    expect(env.step(0).truncated).toBe(false);
    expect(env.elapsedSteps).toBe(1);
    env.step(0);
    env.state = [2.39, 1, 0, 0];
    const last = env.step(1);
    expect(last.truncated).toBe(true);
    expect(last.terminated).toBe(true);
    env.reset();
    expect(env.elapsedSteps).toBe(0);
    expect(() => new TimeLimit(new CartPole(), 0)).toThrow(RangeError);
    expect(() => new TimeLimit(new CartPole(), 1.5)).toThrow(RangeError);
  });
});

describe('OrderEnforcing', () => {
  it('throws ResetNeededError before reset, then forwards', () => {
    const env = new OrderEnforcing(new CartPole());
    expect(env.hasReset).toBe(false);
    expect(() => env.step(0)).toThrow(ResetNeededError);
    expect(() => env.render()).toThrow(ResetNeededError);
    env.reset({ seed: 1 });
    expect(env.hasReset).toBe(true);
    expect(env.step(0).observation.length).toBe(4);
    const lenient = new OrderEnforcing(new CartPole(), { disableRenderOrderEnforcing: true });
    expect(lenient.render()).toBeUndefined();
  });
});

describe('Wrapper', () => {
  it('forwards spaces, metadata, state and unwrapped', () => {
    const inner = new CartPole();
    const env = new Wrapper(new Wrapper(inner));
    expect(env.observationSpace).toBe(inner.observationSpace);
    expect(env.actionSpace).toBe(inner.actionSpace);
    expect(env.metadata).toBe(inner.metadata);
    expect(env.unwrapped).toBe(inner);
    env.reset({ seed: 0 });
    env.state = [0.1, 0, 0, 0];
    expect(inner.state[0]).toBe(0.1);
    expect(() => new Wrapper({} as never)).toThrow(TypeError);
  });

  it('throws when the inner env has no state', () => {
    const stateless = {
      ...new CartPole(),
      reset: () => ({ observation: 0, info: {} }),
      step: () => ({}),
      close() {},
    };
    const env = new Wrapper(stateless as never);
    expect(() => env.state).toThrow(/no physical state/);
  });
});

describe('RecordEpisodeStatistics', () => {
  it('adds info.episode = { r, l, t } at the end of each episode', () => {
    const env = new RecordEpisodeStatistics(make('CartPole-v1', { maxEpisodeSteps: 5 }), { bufferLength: 2 });
    for (let episode = 0; episode < 3; episode++) {
      env.reset({ seed: episode });
      for (let t = 1; t <= 5; t++) {
        env.state = [0, 0, 0, 0];
        const r = env.step(0);
        if (t < 5) {
          expect(r.info.episode).toBeUndefined();
        } else {
          const stats = r.info.episode as EpisodeInfo;
          expect(stats.r).toBe(5);
          expect(stats.l).toBe(5);
          expect(stats.t).toBeGreaterThanOrEqual(0);
          expect(stats.t).toBeLessThan(5);
          expect(Math.round(stats.t * 1e6)).toBeCloseTo(stats.t * 1e6, 6);
        }
      }
    }
    expect(env.episodeCount).toBe(3);
    expect(env.returnQueue).toEqual([5, 5]);
    expect(env.lengthQueue).toEqual([5, 5]);
    expect(env.timeQueue.length).toBe(2);
  });

  it('counts the terminating step, with a custom key', () => {
    const env = new RecordEpisodeStatistics(make('CartPole-v1'), { statsKey: 'stats' });
    env.reset({ seed: 0 });
    env.step(0);
    env.state = [2.39, 1, 0, 0];
    const r = env.step(1);
    expect(r.terminated).toBe(true);
    expect(r.info.stats).toMatchObject({ r: 2, l: 2 });
    expect(() => new RecordEpisodeStatistics(new CartPole(), { bufferLength: 0 })).toThrow(RangeError);
  });
});
