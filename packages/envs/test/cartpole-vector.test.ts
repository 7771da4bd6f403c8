import { Random } from '@proximal/core';
import { describe, expect, it } from 'vitest';
import {
  type AutoresetMode,
  CartPoleVectorEnv,
  EpisodeStatistics,
  makeVec,
  SyncVectorEnv,
  type VectorEnv,
  type VectorStepResult,
} from '../src/index.js';

function snapshot(r: VectorStepResult): Record<string, unknown> {
  const infos = r.infos;
  return {
    observations: Array.from(r.observations),
    rewards: Array.from(r.rewards),
    terminated: Array.from(r.terminated),
    truncated: Array.from(r.truncated),
    episodeMask: Array.from(infos._episode ?? []),
    episodeR: infos.episode ? Array.from(infos.episode.r) : [],
    episodeL: infos.episode ? Array.from(infos.episode.l) : [],
    finalObservation: Array.from(infos.finalObservation ?? []),
    finalObservationMask: Array.from(infos.finalObservationMask ?? []),
    finalInfoMask: Array.from((infos._finalInfo as Uint8Array | undefined) ?? []),
  };
}

function compareRuns(mode: AutoresetMode, numEnvs: number, steps: number, maxEpisodeSteps: number): void {
  const options = { numEnvs, autoresetMode: mode, maxEpisodeSteps };
  const sync = makeVec('CartPole-v1', options);
  const vector = makeVec('CartPole-v1', { ...options, vectorizationMode: 'vector' });
  expect(vector).toBeInstanceOf(CartPoleVectorEnv);
  expect(sync).toBeInstanceOf(SyncVectorEnv);
  const a = sync.reset({ seed: 11 });
  const b = vector.reset({ seed: 11 });
  expect(Array.from(b.observations)).toEqual(Array.from(a.observations));
  const rng = new Random(5);
  const actions = new Int32Array(numEnvs);
  let ended = 0;
  for (let t = 0; t < steps; t++) {
    for (let i = 0; i < numEnvs; i++) actions[i] = rng.integer(2);
    if (mode === 'disabled') {
      const sa = sync.step(actions);
      const sb = vector.step(actions);
      expect(snapshot(sb), `t=${t}`).toEqual(snapshot(sa));
      const done = Array.from(sa.terminated, (x, i) => x === 1 || sa.truncated[i] === 1);
      if (done.some(Boolean)) {
        ended += 1;
        const ra = sync.reset({ options: { resetMask: done } });
        const rb = vector.reset({ options: { resetMask: done } });
        expect(Array.from(rb.observations)).toEqual(Array.from(ra.observations));
      }
      continue;
    }
    const sa = snapshot(sync.step(actions));
    const sb = snapshot(vector.step(actions));
    expect(sb, `t=${t}`).toEqual(sa);
    ended += (sa.episodeMask as number[]).filter((x) => x === 1).length;
  }
  expect(ended).toBeGreaterThan(3);
}

describe('CartPoleVectorEnv gives the same trajectories as SyncVectorEnv', () => {
  for (const mode of ['next-step', 'same-step', 'disabled'] as const) {
    it(`autoresetMode '${mode}' with terminations`, () => compareRuns(mode, 5, 300, 500));
    it(`autoresetMode '${mode}' with truncations`, () => compareRuns(mode, 3, 200, 7));
  }

  it('matches for seed arrays and the makeVec seed', () => {
    const sync = makeVec('CartPole-v1', { numEnvs: 3, seed: 4 });
    const vector = makeVec('CartPole-v1', { numEnvs: 3, seed: 4, vectorizationMode: 'vector' });
    expect(Array.from(vector.reset().observations)).toEqual(Array.from(sync.reset().observations));
    const seeds = [7, undefined, 9];
    const ra = Array.from(sync.reset({ seed: seeds }).observations);
    const rb = Array.from(vector.reset({ seed: seeds }).observations);
    for (const i of [0, 2]) expect(rb.slice(i * 4, i * 4 + 4)).toEqual(ra.slice(i * 4, i * 4 + 4));
    for (let t = 0; t < 5; t++) {
      const actions = [t % 2, 1, 0];
      const a = sync.step(actions).observations;
      const b = vector.step(actions).observations;
      for (const i of [0, 2])
        expect(Array.from(b.subarray(i * 4, i * 4 + 4))).toEqual(Array.from(a.subarray(i * 4, i * 4 + 4)));
    }
  });

  it('reports episodes to EpisodeStatistics like SyncVectorEnv', () => {
    const run = (env: VectorEnv): number[] => {
      const stats = new EpisodeStatistics();
      env.reset({ seed: 0 });
      for (let t = 0; t < 200; t++) stats.record(env.step([0, 1, 0, 1]).infos);
      return stats.drain().map((e) => e.r);
    };
    const a = run(makeVec('CartPole-v1', { numEnvs: 4 }));
    const b = run(makeVec('CartPole-v1', { numEnvs: 4, vectorizationMode: 'vector' }));
    expect(a.length).toBeGreaterThan(0);
    expect(b).toEqual(a);
  });
});

describe('CartPoleVectorEnv interface', () => {
  it('has the VectorEnv shape and reuses its arrays', () => {
    const env = new CartPoleVectorEnv({ numEnvs: 2 });
    expect(env.numEnvs).toBe(2);
    expect(env.autoresetMode).toBe('next-step');
    expect(env.maxEpisodeSteps).toBe(500);
    expect(String(env.singleActionSpace)).toBe('Discrete(2)');
    expect(env.singleObservationSpace.shape).toEqual([4]);
    const r0 = env.reset({ seed: 0 });
    const r1 = env.step([0, 1]);
    expect(r1.observations).toBe(r0.observations);
    expect(r1.observations.length).toBe(8);
    expect(Array.from(r1.rewards)).toEqual([1, 1]);
    expect(env.x.length).toBe(2);
    expect(Math.fround(env.x[1])).toBe(r1.observations[4]);
  });

  it('uses v0 limits and Sutton-Barto rewards through makeVec', () => {
    const env = makeVec('CartPole-v0', { numEnvs: 1, vectorizationMode: 'vector', suttonBartoReward: true });
    expect((env as CartPoleVectorEnv).maxEpisodeSteps).toBe(200);
    env.reset({ seed: 0 });
    expect(env.step([0]).rewards[0]).toBe(0);
  });

  it('rejects bad actions, options and call order', () => {
    const env = new CartPoleVectorEnv({ numEnvs: 2 });
    expect(() => env.step([0, 1])).toThrow(/before reset/);
    env.reset({ seed: 0 });
    expect(() => env.step([0, 2])).toThrow(/actions\[1\]/);
    expect(() => env.step([0, Number.NaN])).toThrow(RangeError);
    expect(() => env.step([0])).toThrow(/actions has length 1, expected 2/);
    expect(() => env.step(null as never)).toThrow(TypeError);
    expect(() => env.reset({ seed: [1] })).toThrow(RangeError);
    expect(() => env.reset({ options: { resetMask: [1] } })).toThrow(RangeError);
    expect(() => new CartPoleVectorEnv({ numEnvs: 0 })).toThrow(RangeError);
    expect(() => new CartPoleVectorEnv({ autoresetMode: 'x' as never })).toThrow(RangeError);
    expect(() => new CartPoleVectorEnv({ foo: 1 } as never)).toThrow(/unknown option "foo"/);
    expect(() => makeVec('FrozenLake-v1', { vectorizationMode: 'vector' })).toThrow(/no vectorEntryPoint/);
    expect(() => makeVec('CartPole-v1', { vectorizationMode: 'vector', wrappers: [(e) => e] })).toThrow(
      /wrappers/,
    );
    env.close();
    expect(() => env.reset()).toThrow(/close/);
  });
});
