import { Random } from '@proximal/core';
import { afterAll, describe, expect, it } from 'vitest';
import {
  AsyncVectorEnv,
  type AutoresetMode,
  CartPole,
  makeVec,
  register,
  unregister,
  type VectorEnv,
} from '../src/index.js';

const fixture = new URL('./fixtures/throwing-env.mjs', import.meta.url).href;

/** Runs `steps` steps with seeded random actions, copying everything comparable. */
function rollout(vec: VectorEnv, steps: number, actionSeed: number) {
  const rng = new Random(actionSeed);
  const n = vec.numEnvs;
  const out: unknown[] = [];
  const first = vec.reset({ seed: 11 });
  out.push(Array.from(first.observations));
  for (let t = 0; t < steps; t++) {
    const actions = Int32Array.from({ length: n }, () => rng.integer(2));
    const r = vec.step(actions);
    const ep = r.infos.episode;
    out.push({
      obs: Array.from(r.observations),
      rewards: Array.from(r.rewards),
      terminated: Array.from(r.terminated),
      truncated: Array.from(r.truncated),
      episodeMask: r.infos._episode ? Array.from(r.infos._episode) : null,
      episodeR: ep ? Array.from(ep.r) : null,
      episodeL: ep ? Array.from(ep.l) : null,
      final: r.infos.finalObservation ? Array.from(r.infos.finalObservation) : null,
      finalMask: r.infos.finalObservationMask ? Array.from(r.infos.finalObservationMask) : null,
    });
  }
  return out;
}

describe('AsyncVectorEnv', () => {
  const opened: VectorEnv[] = [];
  afterAll(() => {
    for (const v of opened) v.close();
  });

  for (const mode of ['next-step', 'same-step'] as AutoresetMode[]) {
    it(`gives the same trajectories as SyncVectorEnv (${mode})`, () => {
      const options = { numEnvs: 3, autoresetMode: mode, maxEpisodeSteps: 15 };
      const sync = makeVec('CartPole-v1', options);
      const async = makeVec('CartPole-v1', { ...options, vectorizationMode: 'async' });
      opened.push(async);
      expect(async).toBeInstanceOf(AsyncVectorEnv);
      expect(String(async.singleObservationSpace)).toBe(String(sync.singleObservationSpace));
      expect(async.metadata.autoresetMode).toBe(mode);
      const a = rollout(sync, 60, 5);
      const b = rollout(async, 60, 5);
      expect(b).toEqual(a);
      expect(a.some((s) => (s as { episodeMask: number[] | null }).episodeMask !== null)).toBe(true);
      async.close();
      async.close();
      expect(() => async.step(new Int32Array(3))).toThrow(/after close/);
    });
  }

  it('supports continuous actions, resetMask and the disabled mode', () => {
    const vec = makeVec('Pendulum-v1', {
      numEnvs: 2,
      autoresetMode: 'disabled',
      vectorizationMode: 'async',
      maxEpisodeSteps: 3,
    });
    opened.push(vec);
    const sync = makeVec('Pendulum-v1', { numEnvs: 2, autoresetMode: 'disabled', maxEpisodeSteps: 3 });
    expect(Array.from(vec.reset({ seed: 3 }).observations)).toEqual(
      Array.from(sync.reset({ seed: 3 }).observations),
    );
    for (let t = 0; t < 3; t++) {
      const actions = Float32Array.of(0.5, -1.5);
      const r = vec.step(actions);
      const s = sync.step(actions);
      expect(Array.from(r.observations)).toEqual(Array.from(s.observations));
      expect(Array.from(r.rewards)).toEqual(Array.from(s.rewards));
      expect(Array.from(r.truncated)).toEqual(t === 2 ? [1, 1] : [0, 0]);
    }
    expect(() => vec.step(Float32Array.of(0, 0))).toThrow(/disabled/);
    vec.reset({ options: { resetMask: [1, 0] } });
    expect(() => vec.step(Float32Array.of(0, 0))).toThrow(/sub-env 1/);
    expect(() => vec.step(Float32Array.of(0))).toThrow(RangeError);
    vec.close();
  });

  it('rethrows an exception raised inside a worker with its stack, and close() does not hang', () => {
    const vec = makeVec('CartPole-v1', { numEnvs: 2, vectorizationMode: 'async' });
    opened.push(vec);
    let caught: unknown;
    try {
      vec.reset({ seed: 0, options: { low: 1, high: 0 } });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(RangeError);
    expect((caught as Error).message).toMatch(
      /sub-env 0: reset options: low \(1\) must not be greater than high/,
    );
    expect((caught as Error).stack).toMatch(/worker 0 stack[\s\S]*parseResetBounds/);
    // the workers survive a failed command
    expect(vec.reset({ seed: 0 }).observations.length).toBe(8);

    register({ id: 'Throwing-v0', entryPoint: () => new CartPole(), maxEpisodeSteps: 50 });
    try {
      const throwing = makeVec('Throwing-v0', {
        numEnvs: 2,
        vectorizationMode: 'async',
        workerModules: [fixture],
      });
      opened.push(throwing);
      throwing.reset({ seed: 0 });
      expect(() => throwing.step(Int32Array.of(0, 1))).toThrow(/sub-env 1: deliberate failure in step/);
      let stack = '';
      try {
        throwing.step(Int32Array.of(1, 0));
      } catch (error) {
        stack = (error as Error).stack ?? '';
      }
      expect(stack).toMatch(/worker 0 stack[\s\S]*throwing-env\.mjs/);
      const t0 = Date.now();
      throwing.close();
      expect(Date.now() - t0).toBeLessThan(2500);
    } finally {
      unregister('Throwing-v0');
    }
    expect(() => makeVec('CartPole-v1', { vectorizationMode: 'async', wrappers: [(e) => e] })).toThrow(
      RangeError,
    );
    expect(() => new AsyncVectorEnv('Unknown-v0')).toThrow(/No environment registered/);
  });

  it('reports a worker that cannot create its env', () => {
    register({ id: 'MainOnly-v0', entryPoint: () => new CartPole() });
    try {
      expect(() => new AsyncVectorEnv('MainOnly-v0', { numEnvs: 1 })).toThrow(
        /sub-env 0: No environment registered/,
      );
    } finally {
      unregister('MainOnly-v0');
    }
  });
});
