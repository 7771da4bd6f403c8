import { Random } from '@proximal/core';
import { describe, expect, it } from 'vitest';
import {
  AcrobotVectorEnv,
  type AutoresetMode,
  CartPoleVectorEnv,
  type ClassicControlVectorEnv,
  EpisodeStatistics,
  MountainCarContinuousVectorEnv,
  MountainCarVectorEnv,
  makeVec,
  PendulumVectorEnv,
  SyncVectorEnv,
  type VectorEnv,
  type VectorInfo,
  type VectorStepResult,
} from '../src/index.js';

/**
 * Infos as plain data: typed arrays → number arrays, nested dicts recursively; `t` (seconds, a
 * wall-clock measurement) is reduced to its length.
 */
function plainInfos(infos: VectorInfo | Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(infos)) {
    if (key === 't') out[key] = (value as Float64Array).length;
    else if (ArrayBuffer.isView(value)) out[key] = Array.from(value as Float32Array);
    else if (value !== null && typeof value === 'object')
      out[key] = plainInfos(value as Record<string, unknown>);
    else out[key] = value;
  }
  return out;
}

function snapshot(r: VectorStepResult): Record<string, unknown> {
  return {
    observations: Array.from(r.observations),
    rewards: Array.from(r.rewards),
    terminated: Array.from(r.terminated),
    truncated: Array.from(r.truncated),
    infos: plainInfos(r.infos),
  };
}

type Policy = (obs: Float32Array, i: number, rng: Random) => number;

interface Case {
  id: string;
  ctor: new (...args: never[]) => ClassicControlVectorEnv<unknown>;
  /** Action of sub-env i from the current observations (chosen to end episodes often). */
  policy: Policy;
  discrete: boolean;
  steps: number;
}

const CASES: Case[] = [
  {
    id: 'CartPole-v1',
    ctor: CartPoleVectorEnv,
    policy: (_obs, _i, rng) => rng.integer(2),
    discrete: true,
    steps: 150,
  },
  {
    id: 'Pendulum-v1',
    ctor: PendulumVectorEnv,
    // Torques beyond ±2 would be rejected; ±2.0 exactly and values in between are used.
    policy: (_obs, _i, rng) => (rng.uniform() < 0.2 ? 2 : rng.uniform() * 4 - 2),
    discrete: false,
    steps: 120,
  },
  {
    id: 'MountainCar-v0',
    ctor: MountainCarVectorEnv,
    // Pump energy: push along the velocity (reaches the flag in about 100 steps).
    policy: (obs, i, rng) => (rng.uniform() < 0.1 ? rng.integer(3) : obs[i * 2 + 1] >= 0 ? 2 : 0),
    discrete: true,
    steps: 300,
  },
  {
    id: 'MountainCarContinuous-v0',
    ctor: MountainCarContinuousVectorEnv,
    policy: (obs, i, rng) => (obs[i * 2 + 1] >= 0 ? 1 : -1) * (0.8 + 0.2 * rng.uniform()),
    discrete: false,
    steps: 300,
  },
  {
    id: 'Acrobot-v1',
    ctor: AcrobotVectorEnv,
    // Torque along link 2's velocity swings the free end up within a few dozen steps.
    policy: (obs, i, rng) => (rng.uniform() < 0.1 ? rng.integer(3) : obs[i * 6 + 5] >= 0 ? 2 : 0),
    discrete: true,
    steps: 400,
  },
];

/**
 * Steps a SyncVectorEnv and the batched env side by side with the same seeds and actions and
 * checks every result; returns the number of terminations and truncations seen.
 */
function compare(
  c: Case,
  mode: AutoresetMode,
  numEnvs: number,
  maxEpisodeSteps: number | undefined,
): { terminations: number; truncations: number } {
  const options = { numEnvs, autoresetMode: mode, ...(maxEpisodeSteps ? { maxEpisodeSteps } : {}) };
  const sync = makeVec(c.id, options);
  const vector = makeVec(c.id, { ...options, vectorizationMode: 'vector' });
  expect(sync).toBeInstanceOf(SyncVectorEnv);
  expect(vector).toBeInstanceOf(c.ctor);
  const a = sync.reset({ seed: 21 });
  const b = vector.reset({ seed: 21 });
  expect(Array.from(b.observations)).toEqual(Array.from(a.observations));
  expect(plainInfos(b.infos)).toEqual(plainInfos(a.infos));
  const rng = new Random(3);
  const actions = c.discrete ? new Int32Array(numEnvs) : new Float32Array(numEnvs);
  let obs = Float32Array.from(a.observations);
  let terminations = 0;
  let truncations = 0;
  for (let t = 0; t < c.steps; t++) {
    for (let i = 0; i < numEnvs; i++) actions[i] = c.policy(obs, i, rng);
    const sa = sync.step(actions);
    const sb = vector.step(actions);
    expect(snapshot(sb), `${c.id} ${mode} t=${t}`).toEqual(snapshot(sa));
    obs = Float32Array.from(sa.observations);
    terminations += sa.terminated.reduce((s, x) => s + x, 0);
    truncations += sa.truncated.reduce((s, x) => s + x, 0);
    if (mode === 'disabled') {
      const done = Array.from(sa.terminated, (x, i) => x === 1 || sa.truncated[i] === 1);
      if (done.some(Boolean)) {
        expect(() => vector.step(actions)).toThrow(/autoresetMode is 'disabled'/);
        const ra = sync.reset({ options: { resetMask: done } });
        const rb = vector.reset({ options: { resetMask: done } });
        expect(Array.from(rb.observations)).toEqual(Array.from(ra.observations));
        obs = Float32Array.from(ra.observations);
      }
    }
  }
  return { terminations, truncations };
}

describe('batched classic-control vector envs give the same trajectories as SyncVectorEnv', () => {
  for (const c of CASES) {
    for (const mode of ['next-step', 'same-step', 'disabled'] as const) {
      if (c.id !== 'Pendulum-v1') {
        it(`${c.id}, autoresetMode '${mode}', with terminations`, () => {
          const { terminations } = compare(c, mode, 4, undefined);
          expect(terminations).toBeGreaterThan(2);
        });
      }
      it(`${c.id}, autoresetMode '${mode}', with truncations`, () => {
        const { truncations } = compare(c, mode, 3, 9);
        expect(truncations).toBeGreaterThan(2);
      });
    }
  }

  it('match for seed arrays, the makeVec seed, reset options and resetMask', () => {
    for (const c of CASES) {
      const sync = makeVec(c.id, { numEnvs: 3, seed: 4 });
      const vector = makeVec(c.id, { numEnvs: 3, seed: 4, vectorizationMode: 'vector' });
      expect(Array.from(vector.reset().observations)).toEqual(Array.from(sync.reset().observations));
      const options = c.id === 'Pendulum-v1' ? { x_init: 0.5, y_init: 0.25 } : { low: -0.01, high: 0.01 };
      const mask = [true, false, true];
      const ra = sync.reset({ seed: [7, undefined, 9], options: { ...options, resetMask: mask } });
      const rb = vector.reset({ seed: [7, undefined, 9], options: { ...options, resetMask: mask } });
      expect(Array.from(rb.observations), c.id).toEqual(Array.from(ra.observations));
      const rng = new Random(1);
      for (let t = 0; t < 20; t++) {
        const actions = Array.from({ length: 3 }, (_, i) => c.policy(ra.observations, i, rng));
        expect(snapshot(vector.step(actions)), `${c.id} t=${t}`).toEqual(snapshot(sync.step(actions)));
      }
    }
  });

  it('report episodes to EpisodeStatistics like SyncVectorEnv', () => {
    const run = (env: VectorEnv, c: Case): number[] => {
      const stats = new EpisodeStatistics();
      const rng = new Random(2);
      let obs = Float32Array.from(env.reset({ seed: 0 }).observations);
      for (let t = 0; t < 60; t++) {
        const actions = Array.from({ length: 2 }, (_, i) => c.policy(obs, i, rng));
        const r = env.step(actions);
        obs = Float32Array.from(r.observations);
        stats.record(r.infos);
      }
      return stats.drain().map((e) => e.r);
    };
    for (const c of CASES) {
      const a = run(makeVec(c.id, { numEnvs: 2, maxEpisodeSteps: 25 }), c);
      const b = run(makeVec(c.id, { numEnvs: 2, maxEpisodeSteps: 25, vectorizationMode: 'vector' }), c);
      expect(a.length).toBeGreaterThan(0);
      expect(b, c.id).toEqual(a);
    }
  });
});

describe('batched classic-control vector env interface', () => {
  it('have the spaces, sizes and limits of the registered envs', () => {
    const expected: Record<string, [number, string, number]> = {
      'CartPole-v1': [4, 'Discrete(2)', 500],
      'Pendulum-v1': [3, 'Box(-2.0, 2.0, (1,), float32)', 200],
      'MountainCar-v0': [2, 'Discrete(3)', 200],
      'MountainCarContinuous-v0': [2, 'Box(-1.0, 1.0, (1,), float32)', 999],
      'Acrobot-v1': [6, 'Discrete(3)', 500],
    };
    for (const c of CASES) {
      const [obsDim, space, limit] = expected[c.id];
      const vec = makeVec(c.id, {
        numEnvs: 2,
        vectorizationMode: 'vector',
      }) as ClassicControlVectorEnv<unknown>;
      const sync = makeVec(c.id, { numEnvs: 2 });
      expect(vec.obsDim).toBe(obsDim);
      expect(vec.actionDim).toBe(1);
      expect(String(vec.singleActionSpace)).toBe(space);
      expect(vec.singleObservationSpace.toJSON()).toEqual(sync.singleObservationSpace.toJSON());
      expect(vec.singleActionSpace.toJSON()).toEqual(sync.singleActionSpace.toJSON());
      expect(vec.maxEpisodeSteps).toBe(limit);
      expect(vec.metadata.renderFps).toBe(sync.metadata.renderFps);
      const r0 = vec.reset({ seed: 0 });
      expect(r0.observations.length).toBe(2 * obsDim);
      expect(r0.infos).toEqual({});
      const r1 = vec.step(c.discrete ? [1, 1] : [0.5, -0.5]);
      expect(r1.observations).toBe(r0.observations);
      expect(r1.infos).toEqual({});
    }
  });

  it('pass env options through makeVec', () => {
    const cases: [string, string, unknown][] = [
      ['Pendulum-v1', 'g', 9.81],
      ['MountainCar-v0', 'goalVelocity', 0.01],
      ['MountainCarContinuous-v0', 'goalVelocity', 0.02],
      ['CartPole-v1', 'suttonBartoReward', true],
    ];
    for (const [id, option, value] of cases) {
      const vec = makeVec(id, { numEnvs: 1, [option]: value, vectorizationMode: 'vector' });
      expect((vec as unknown as Record<string, unknown>)[option]).toBe(value);
    }
    expect(() => new PendulumVectorEnv({ g: 'x' } as never)).toThrow(TypeError);
    expect(() => new MountainCarContinuousVectorEnv({ goalVelocity: Number.NaN })).toThrow(TypeError);
    expect(() => new AcrobotVectorEnv({ foo: 1 } as never)).toThrow(/AcrobotVectorEnv: unknown option "foo"/);
    expect(() => new MountainCarVectorEnv({ maxEpisodeSteps: 0 })).toThrow(RangeError);
  });

  it('round Box actions to float32 like SyncVectorEnv, whatever the array type', () => {
    const value = 0.1234567891234;
    const results = [[value], Float64Array.of(value), Float32Array.of(value)].map((actions) => {
      const vec = makeVec('Pendulum-v1', { numEnvs: 1, vectorizationMode: 'vector' });
      vec.reset({ seed: 5 });
      return Array.from(vec.step(actions).observations);
    });
    const sync = makeVec('Pendulum-v1', { numEnvs: 1 });
    sync.reset({ seed: 5 });
    const expected = Array.from(sync.step([value]).observations);
    for (const r of results) expect(r).toEqual(expected);
  });

  it('reject bad actions before stepping anything, naming the sub-env', () => {
    const p = new PendulumVectorEnv({ numEnvs: 2 });
    p.reset({ seed: 0 });
    const before = Array.from(p.theta);
    expect(() => p.step([0, 2.5])).toThrow(RangeError);
    expect(() => p.step([0, 2.5])).toThrow(/actions\[1\]/);
    expect(() => p.step([Number.NaN, 0])).toThrow(/actions\[0\]/);
    expect(() => p.step(['1', 0] as never)).toThrow(TypeError);
    expect(() => p.step([0])).toThrow(/actions has length 1, expected 2/);
    expect(Array.from(p.theta)).toEqual(before);
    const m = new MountainCarVectorEnv({ numEnvs: 2 });
    m.reset({ seed: 0 });
    expect(() => m.step([0, 3])).toThrow(/actions\[1\] must be an integer in Discrete\(3\)/);
    expect(() => m.step([0.5, 1])).toThrow(RangeError);
    expect(() => m.step([true, 1] as never)).toThrow(TypeError);
    expect(() => m.step(new Int32Array([-1, 1]))).toThrow(/actions\[0\]/);
    m.close();
    expect(m.isClosed).toBe(true);
    expect(() => m.step([0, 1])).toThrow(/after close/);
  });

  it('ignore the actions of sub-envs being autoreset', () => {
    const vec = new MountainCarVectorEnv({ numEnvs: 2, maxEpisodeSteps: 1 });
    vec.reset({ seed: 0 });
    const r = vec.step([1, 1]);
    expect(Array.from(r.truncated)).toEqual([1, 1]);
    expect(Array.from(r.infos._episode as Uint8Array)).toEqual([1, 1]);
    const next = vec.step([7, Number.NaN]);
    expect(Array.from(next.rewards)).toEqual([0, 0]);
    expect(next.infos).toEqual({});
  });

  it('clear the info rows of the previous step', () => {
    const vec = new CartPoleVectorEnv({ numEnvs: 3, maxEpisodeSteps: 2, autoresetMode: 'same-step' });
    vec.reset({ seed: 0 });
    vec.step([0, 0, 0]);
    const r = vec.step([0, 0, 0]);
    const episode = r.infos.episode!;
    expect(Array.from(episode.l)).toEqual([2, 2, 2]);
    expect(Array.from(r.infos.finalObservationMask!)).toEqual([1, 1, 1]);
    const next = vec.step([0, 0, 0]);
    expect(next.infos).toEqual({});
    expect(Array.from(episode.l)).toEqual([0, 0, 0]);
    expect(Array.from(r.infos.finalObservation!)).toEqual(new Array(12).fill(0));
  });
});
