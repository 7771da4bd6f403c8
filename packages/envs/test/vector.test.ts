import { Random } from '@proximal/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type AutoresetMode,
  BaseEnv,
  Box,
  CartPole,
  Discrete,
  type Env,
  EpisodeStatistics,
  make,
  makeVec,
  type ResetResult,
  type StepResult,
  SyncVectorEnv,
  type TimeLimit,
  type VectorInfo,
  VectorInfoBuilder,
  type Wrapper,
} from '../src/index.js';

const OBS = 4;

function row(a: Float32Array, i: number, d = OBS): number[] {
  return Array.from(a.subarray(i * d, (i + 1) * d));
}

function wrapperOf(vec: SyncVectorEnv, i: number): Wrapper {
  return vec.envs[i] as Wrapper;
}

/** Forces sub-env i of `vec` to terminate at its next step (cart beyond the right edge). */
function forceTerminal(vec: SyncVectorEnv, i: number): void {
  wrapperOf(vec, i).state = [2.39, 1, 0, 0];
}

describe('SyncVectorEnv basics', () => {
  it('returns preallocated, reused arrays of the documented shapes', () => {
    const vec = makeVec('CartPole-v1', { numEnvs: 3 });
    expect(vec.numEnvs).toBe(3);
    expect(vec.autoresetMode).toBe('next-step');
    expect(vec.metadata.autoresetMode).toBe('next-step');
    expect(vec.obsDim).toBe(4);
    expect(vec.actionDim).toBe(1);
    expect(String(vec.singleActionSpace)).toBe('Discrete(2)');
    const { observations } = vec.reset({ seed: 0 });
    expect(observations).toBeInstanceOf(Float32Array);
    expect(observations.length).toBe(12);
    const r1 = vec.step(new Int32Array([0, 1, 0]));
    const r2 = vec.step([1, 1, 1]);
    expect(r1.observations).toBe(observations);
    expect(r2.rewards).toBe(r1.rewards);
    expect(r2.terminated).toBeInstanceOf(Uint8Array);
    expect(r2.truncated).toBeInstanceOf(Uint8Array);
    expect(r2.rewards).toBeInstanceOf(Float32Array);
    expect(Array.from(r2.rewards)).toEqual([1, 1, 1]);
  });

  it('seeds sub-env i with seed + i, like separately made envs', () => {
    const vec = makeVec('CartPole-v1', { numEnvs: 3 });
    const { observations } = vec.reset({ seed: 10 });
    for (let i = 0; i < 3; i++) {
      const single = make('CartPole-v1');
      expect(row(observations, i)).toEqual(Array.from(single.reset({ seed: 10 + i }).observation));
    }
    const copy = Float32Array.from(observations);
    expect(Array.from(vec.reset({ seed: [10, 11, 12] }).observations)).toEqual(Array.from(copy));
    expect(() => vec.reset({ seed: [1, 2] })).toThrow(
      /seed must be a number or an array of numEnvs = 3 seeds, got length 2/,
    );
    expect(() => vec.reset({ seed: -1 })).toThrow(RangeError);
    expect(() => vec.reset({ seed: [1, 2, 0.5] })).toThrow(/seed\[2\]/);
  });

  it('gives the same trajectories for the same seed', () => {
    const run = (seed: number): number[] => {
      const vec = makeVec('CartPole-v1', { numEnvs: 4 });
      const rng = new Random(99);
      const out: number[] = [...vec.reset({ seed }).observations];
      const actions = new Int32Array(4);
      for (let t = 0; t < 300; t++) {
        for (let i = 0; i < 4; i++) actions[i] = rng.integer(2);
        const r = vec.step(actions);
        out.push(...r.observations, ...r.rewards, ...r.terminated, ...r.truncated);
      }
      return out;
    };
    expect(run(5)).toEqual(run(5));
    expect(run(5)).not.toEqual(run(6));
  });

  it('uses the makeVec seed for the first unseeded reset', () => {
    const a = makeVec('CartPole-v1', { numEnvs: 2, seed: 3 });
    const b = makeVec('CartPole-v1', { numEnvs: 2 });
    expect(Array.from(a.reset().observations)).toEqual(Array.from(b.reset({ seed: 3 }).observations));
    const s1 = makeVec('CartPole-v1', { numEnvs: 2, seed: 3 });
    expect(s1.envs[1].actionSpace.sample()).toBe(new Discrete(2, { seed: 4 }).sample());
  });

  it('rejects wrong actions', () => {
    const vec = makeVec('CartPole-v1', { numEnvs: 3 });
    expect(() => vec.step([0, 0, 0])).toThrow(/before reset/);
    vec.reset({ seed: 0 });
    expect(() => vec.step([0, 1])).toThrow(RangeError);
    expect(() => vec.step([0, 1])).toThrow('actions has length 2, expected 3');
    expect(() => vec.step(new Int32Array(4))).toThrow(/actions has length 4, expected 3/);
    expect(() => vec.step(3 as never)).toThrow(TypeError);
    const states = () => [0, 1, 2].map((i) => Array.from(wrapperOf(vec, i).state));
    const before = states();
    expect(() => vec.step([0, 2, 0])).toThrow(
      /actions\[1\] must be an integer in Discrete\(2\) = \{0, 1\}, got 2/,
    );
    expect(() => vec.step([0, 1, Number.NaN])).toThrow(RangeError);
    expect(() => vec.step(['0', 1, 1] as never)).toThrow(TypeError);
    // A rejected batch steps no sub-env.
    expect(states()).toEqual(before);
  });

  it('validates construction', () => {
    expect(() => new SyncVectorEnv([])).toThrow(RangeError);
    expect(() => new SyncVectorEnv('x' as never)).toThrow(TypeError);
    expect(
      () => new SyncVectorEnv([() => new CartPole()], { autoresetMode: 'never' as AutoresetMode }),
    ).toThrow(/autoresetMode must be one of next-step, same-step, disabled/);
    expect(() => new SyncVectorEnv([() => new CartPole(), () => new Integrator()] as (() => Env)[])).toThrow(
      /different spaces/,
    );
    expect(() => makeVec('CartPole-v1', { numEnvs: 0 })).toThrow(RangeError);
    expect(() => makeVec('Nope-v0', { numEnvs: 2 })).toThrow(/Registered ids/);
  });

  it('closes every sub-env once', () => {
    let closed = 0;
    const vec = new SyncVectorEnv(
      [0, 1].map(() => () => {
        const env = new CartPole();
        env.close = () => {
          closed++;
        };
        return env;
      }),
    );
    vec.reset({ seed: 0 });
    vec.close();
    vec.close();
    expect(closed).toBe(2);
    expect(vec.isClosed).toBe(true);
    expect(() => vec.step([0, 0])).toThrow(/after close/);
  });
});

describe("autoresetMode 'next-step'", () => {
  it('reports the terminal step, then resets on the next call ignoring the action', () => {
    const vec = makeVec('CartPole-v1', { numEnvs: 3 });
    vec.reset({ seed: 0 });
    vec.step([0, 0, 0]);
    forceTerminal(vec, 1);
    const t = vec.step([1, 1, 1]);
    expect(Array.from(t.terminated)).toEqual([0, 1, 0]);
    expect(Array.from(t.truncated)).toEqual([0, 0, 0]);
    expect(Array.from(t.rewards)).toEqual([1, 1, 1]);
    expect(t.observations[OBS]).toBeGreaterThan(2.4); // the terminal observation itself
    expect(t.infos.finalObservation).toBeUndefined();
    expect(Array.from(t.infos._episode ?? [])).toEqual([0, 1, 0]);
    expect(t.infos.episode?.l[1]).toBe(2);
    expect(t.infos.episode?.r[1]).toBe(2);
    expect(t.infos.episode?.l).toBeInstanceOf(Int32Array);
    expect(t.infos.episode?.r).toBeInstanceOf(Float64Array);

    // The reset the next call performs continues sub-env 1's generator (seed 0 + 1).
    const twin = make('CartPole-v1');
    twin.reset({ seed: 1 });
    const expectedReset = Array.from(twin.reset().observation);

    const next = vec.step([0, 1, 0]);
    expect(row(next.observations, 1)).toEqual(expectedReset);
    expect(next.rewards[1]).toBe(0);
    expect(next.terminated[1]).toBe(0);
    expect(next.truncated[1]).toBe(0);
    expect(next.rewards[0]).toBe(1);
    expect(next.infos._episode).toBeUndefined();
    expect(next.infos.episode).toBeUndefined();

    const after = vec.step([0, 1, 0]);
    expect(after.rewards[1]).toBe(1);
    // The sub-env's TimeLimit counter restarted at the autoreset.
    expect(((vec.envs[1] as Wrapper).env as TimeLimit).elapsedSteps).toBe(1);
    expect(((vec.envs[0] as Wrapper).env as TimeLimit).elapsedSteps).toBe(4);
  });

  it('truncates at the time limit and reports episode statistics', () => {
    const vec = makeVec('CartPole-v1', { numEnvs: 2, maxEpisodeSteps: 3 });
    vec.reset({ seed: 0 });
    for (let t = 1; t <= 3; t++) {
      for (let i = 0; i < 2; i++) wrapperOf(vec, i).state = [0, 0, 0, 0];
      const r = vec.step([0, 1]);
      expect(Array.from(r.truncated)).toEqual(t === 3 ? [1, 1] : [0, 0]);
      if (t === 3) {
        expect(Array.from(r.infos._episode ?? [])).toEqual([1, 1]);
        expect(Array.from(r.infos.episode?.l ?? [])).toEqual([3, 3]);
      }
    }
    const r = vec.step([0, 1]);
    expect(Array.from(r.rewards)).toEqual([0, 0]);
    expect(Array.from(r.truncated)).toEqual([0, 0]);
  });
});

describe("autoresetMode 'same-step'", () => {
  it('resets inside the step and reports the final observation and info', () => {
    const vec = makeVec('CartPole-v1', { numEnvs: 3, autoresetMode: 'same-step' });
    vec.reset({ seed: 0 });
    vec.step([0, 0, 0]);
    forceTerminal(vec, 1);
    const twin = make('CartPole-v1');
    twin.reset({ seed: 1 });
    const expectedReset = Array.from(twin.reset().observation);

    const r = vec.step([1, 1, 1]);
    expect(Array.from(r.terminated)).toEqual([0, 1, 0]);
    expect(Array.from(r.rewards)).toEqual([1, 1, 1]);
    expect(row(r.observations, 1)).toEqual(expectedReset);
    const { finalObservation, finalObservationMask, finalInfo } = r.infos;
    expect(finalObservation).toBeInstanceOf(Float32Array);
    expect(finalObservation?.length).toBe(12);
    expect(Array.from(finalObservationMask ?? [])).toEqual([0, 1, 0]);
    expect(r.infos._finalObservation).toBe(finalObservationMask);
    expect(finalObservation?.[OBS]).toBeGreaterThan(2.4);
    expect(row(finalObservation as Float32Array, 0)).toEqual([0, 0, 0, 0]);
    expect(Array.from(r.infos._finalInfo ?? [])).toEqual([0, 1, 0]);
    const finalEpisode = finalInfo?.episode as VectorInfo['episode'];
    expect(finalEpisode?.l[1]).toBe(2);
    // Episode statistics are also reported at the top level.
    expect(Array.from(r.infos._episode ?? [])).toEqual([0, 1, 0]);
    expect(r.infos.episode?.l[1]).toBe(2);

    const next = vec.step([0, 0, 0]);
    expect(next.terminated[1]).toBe(0);
    expect(next.rewards[1]).toBe(1);
    expect(next.infos.finalObservation).toBeUndefined();
    expect(next.infos._episode).toBeUndefined();
    // The reused final-observation rows were cleared.
    expect(Array.from(finalObservation ?? [])).toEqual(new Array(12).fill(0));
  });

  it('reports truncated final observations for bootstrapping', () => {
    const vec = makeVec('CartPole-v1', { numEnvs: 2, autoresetMode: 'same-step', maxEpisodeSteps: 2 });
    vec.reset({ seed: 4 });
    vec.step([0, 1]);
    const states = [vec.envs[0], vec.envs[1]].map((e) => Array.from((e as Wrapper).state));
    const r = vec.step([0, 1]);
    expect(Array.from(r.truncated)).toEqual([1, 1]);
    expect(Array.from(r.terminated)).toEqual([0, 0]);
    expect(Array.from(r.infos.finalObservationMask ?? [])).toEqual([1, 1]);
    // Final observation = CartPole step of the recorded state.
    for (let i = 0; i < 2; i++) {
      const single = new CartPole();
      single.reset({ seed: 0 });
      single.state = states[i];
      expect(row(r.infos.finalObservation as Float32Array, i)).toEqual(
        Array.from(single.step(i).observation),
      );
    }
  });
});

describe("autoresetMode 'disabled'", () => {
  it('throws when an ended sub-env is stepped and resets with resetMask', () => {
    const vec = makeVec('CartPole-v1', { numEnvs: 3, autoresetMode: 'disabled' });
    vec.reset({ seed: 0 });
    forceTerminal(vec, 2);
    const r = vec.step([0, 0, 0]);
    expect(Array.from(r.terminated)).toEqual([0, 0, 1]);
    const before = Float32Array.from(r.observations);
    expect(() => vec.step([0, 0, 0])).toThrow(/sub-env 2 ended.*'disabled'/);
    const reset = vec.reset({ options: { resetMask: [false, false, true] } });
    expect(row(reset.observations, 0)).toEqual(row(before, 0));
    expect(row(reset.observations, 1)).toEqual(row(before, 1));
    expect(Math.abs(reset.observations[8])).toBeLessThan(0.05);
    expect(vec.step([0, 0, 0]).terminated[2]).toBe(0);
    expect(() => vec.reset({ options: { resetMask: [1, 0] } })).toThrow(
      /resetMask has length 2, expected numEnvs = 3/,
    );
  });
});

/** Reference: N independent single envs with the autoreset semantics written out. */
function reference(mode: AutoresetMode, n: number, seed: number, actions: number[][], maxSteps: number) {
  const envs = Array.from({ length: n }, () => make('CartPole-v1', { maxEpisodeSteps: maxSteps }));
  const pending = new Array(n).fill(false);
  const frames: {
    obs: number[];
    rew: number[];
    term: number[];
    trunc: number[];
    final: (number[] | null)[];
  }[] = [];
  const first = envs.flatMap((e, i) => Array.from(e.reset({ seed: seed + i }).observation));
  for (const a of actions) {
    const f = {
      obs: [] as number[],
      rew: [] as number[],
      term: [] as number[],
      trunc: [] as number[],
      final: [] as (number[] | null)[],
    };
    envs.forEach((env, i) => {
      if (pending[i]) {
        pending[i] = false;
        f.obs.push(...env.reset().observation);
        f.rew.push(0);
        f.term.push(0);
        f.trunc.push(0);
        f.final.push(null);
        return;
      }
      const r = env.step(a[i]);
      const ended = r.terminated || r.truncated;
      f.rew.push(r.reward);
      f.term.push(r.terminated ? 1 : 0);
      f.trunc.push(r.truncated ? 1 : 0);
      if (ended && mode === 'same-step') {
        f.final.push(Array.from(r.observation));
        f.obs.push(...env.reset().observation);
      } else {
        f.final.push(null);
        f.obs.push(...r.observation);
        pending[i] = ended;
      }
    });
    frames.push(f);
  }
  return { first, frames };
}

describe('SyncVectorEnv equals independent envs (property)', () => {
  for (const mode of ['next-step', 'same-step'] as const) {
    it(`matches N single envs in '${mode}' mode`, () => {
      fc.assert(
        fc.property(
          fc.integer({ min: 1, max: 4 }),
          fc.nat({ max: 10_000 }),
          fc.integer({ min: 5, max: 40 }),
          fc.array(fc.array(fc.integer({ min: 0, max: 1 }), { minLength: 4, maxLength: 4 }), {
            minLength: 1,
            maxLength: 120,
          }),
          (n, seed, maxSteps, actions) => {
            const ref = reference(mode, n, seed, actions, maxSteps);
            const vec = makeVec('CartPole-v1', {
              numEnvs: n,
              autoresetMode: mode,
              maxEpisodeSteps: maxSteps,
            });
            expect(Array.from(vec.reset({ seed }).observations)).toEqual(ref.first);
            actions.forEach((a, t) => {
              const r = vec.step(a.slice(0, n));
              const f = ref.frames[t];
              expect(Array.from(r.observations)).toEqual(f.obs);
              expect(Array.from(r.rewards)).toEqual(f.rew);
              expect(Array.from(r.terminated)).toEqual(f.term);
              expect(Array.from(r.truncated)).toEqual(f.trunc);
              const ended = f.final.map((x) => (x === null ? 0 : 1));
              if (ended.some((e) => e === 1)) {
                expect(Array.from(r.infos.finalObservationMask ?? [])).toEqual(ended);
                f.final.forEach((x, i) => {
                  if (x !== null) expect(row(r.infos.finalObservation as Float32Array, i)).toEqual(x);
                });
              } else {
                expect(r.infos.finalObservation).toBeUndefined();
              }
              const finished = f.term.map((x, i) => x | f.trunc[i]);
              if (finished.some((x) => x === 1)) expect(Array.from(r.infos._episode ?? [])).toEqual(finished);
              else expect(r.infos._episode).toBeUndefined();
            });
          },
        ),
        { numRuns: 40 },
      );
    });
  }
});

/** A Box-action env: observation = running sum of the action's two components. */
class Integrator extends BaseEnv<Float32Array, Float32Array> {
  readonly observationSpace = new Box(-Infinity, Infinity, [1]);
  readonly actionSpace = new Box(-1, 1, [2]);
  readonly metadata = { renderModes: [] };
  private sum = 0;
  reset(): ResetResult<Float32Array> {
    this.sum = 0;
    return { observation: Float32Array.of(0), info: { flag: true, vec: Float32Array.of(1, 2) } };
  }
  step(action: Float32Array): StepResult<Float32Array> {
    this.actionSpace.assertContains(action, 'action');
    this.sum += action[0] + action[1];
    return {
      observation: Float32Array.of(this.sum),
      reward: action[0],
      terminated: false,
      truncated: false,
      info: { sum: this.sum },
    };
  }
}

describe('vector actions for Box spaces', () => {
  it('splits numEnvs × actionDim actions row-major', () => {
    const vec = new SyncVectorEnv<Float32Array, Float32Array>([
      () => new Integrator(),
      () => new Integrator(),
    ]);
    expect(vec.actionDim).toBe(2);
    const reset = vec.reset();
    expect(Array.from(reset.infos._flag as Uint8Array)).toEqual([1, 1]);
    expect(Array.from(reset.infos.vec as Float32Array)).toEqual([1, 2, 1, 2]);
    const r = vec.step(new Float32Array([0.5, 0.25, -1, 0]));
    expect(Array.from(r.observations)).toEqual([0.75, -1]);
    expect(Array.from(r.rewards)).toEqual([0.5, -1]);
    expect(Array.from(r.infos.sum as Float64Array)).toEqual([0.75, -1]);
    expect(() => vec.step([0, 0, 0])).toThrow(
      'actions has length 3, expected 4 (numEnvs = 2 × action size 2)',
    );
    expect(() => vec.step([0, 0, 0, 2])).toThrow(/actions\[1\] element \[1\] = 2 is outside \[-1, 1\]/);
  });
});

describe('VectorInfoBuilder', () => {
  it('batches numbers, booleans, typed arrays, objects and nested dicts with masks', () => {
    const b = new VectorInfoBuilder(3);
    const infos = b.begin();
    b.add(infos, { a: 1.5, ok: true, v: Int32Array.of(1, 2), o: 'x', nested: { l: 4 } }, 0);
    b.add(infos, { a: 2, o: new Map() }, 2);
    expect(Array.from(infos.a as Float64Array)).toEqual([1.5, 0, 2]);
    expect(Array.from(infos._a as Uint8Array)).toEqual([1, 0, 1]);
    expect(Array.from(infos.ok as Uint8Array)).toEqual([1, 0, 0]);
    expect(Array.from(infos.v as Int32Array)).toEqual([1, 2, 0, 0, 0, 0]);
    expect(infos.v).toBeInstanceOf(Int32Array);
    expect((infos.o as unknown[])[0]).toBe('x');
    expect((infos.o as unknown[])[1]).toBeNull();
    expect((infos.o as unknown[])[2]).toBeInstanceOf(Map);
    expect(() => b.add(infos, { nested: 3 }, 1)).toThrow(/holds a dict/);
    expect(() => b.add(infos, { a: { x: 1 } }, 1)).toThrow(/holds a dict/);
    const nested = infos.nested as Record<string, unknown>;
    expect(Array.from(nested.l as Float64Array)).toEqual([4, 0, 0]);
    expect(Array.from(nested._l as Uint8Array)).toEqual([1, 0, 0]);
    expect(Array.from(infos._nested as Uint8Array)).toEqual([1, 0, 0]);

    // Next call: arrays are reused and cleared.
    const a = infos.a;
    const next = b.begin();
    b.add(next, { a: 7 }, 1);
    expect(next.a).toBe(a);
    expect(Array.from(next.a as Float64Array)).toEqual([0, 7, 0]);
    expect(next.ok).toBeUndefined();

    const bad = b.begin();
    b.add(bad, { a: 1 }, 0);
    expect(() => b.add(bad, { a: 'str' }, 1)).toThrow(TypeError);
    b.add(bad, { v: Int32Array.of(1, 2) }, 0);
    expect(() => b.add(bad, { v: Int32Array.of(1) }, 1)).toThrow(RangeError);
  });
});

describe('EpisodeStatistics', () => {
  it('collects finished episodes from vector infos', () => {
    const vec = makeVec('CartPole-v1', { numEnvs: 4, autoresetMode: 'same-step' });
    const stats = new EpisodeStatistics({ windowSize: 5 });
    expect(Number.isNaN(stats.summary().meanReturn)).toBe(true);
    vec.reset({ seed: 0 });
    const rng = new Random(0);
    const actions = new Int32Array(4);
    let lengths = 0;
    let finished = 0;
    for (let t = 0; t < 400; t++) {
      for (let i = 0; i < 4; i++) actions[i] = rng.integer(2);
      const { infos, terminated, truncated } = vec.step(actions);
      const n = stats.record(infos);
      for (let i = 0; i < 4; i++) if (terminated[i] || truncated[i]) finished++;
      expect(n).toBe(terminated.reduce((s, x, i) => s + (x | truncated[i]), 0));
      if (infos.episode) for (let i = 0; i < 4; i++) if (infos._episode?.[i]) lengths += infos.episode.l[i];
    }
    expect(stats.total).toBe(finished);
    const drained = stats.drain();
    expect(drained.length).toBe(finished);
    expect(drained.reduce((s, e) => s + e.l, 0)).toBe(lengths);
    expect(stats.drain()).toEqual([]);
    const summary = stats.summary();
    expect(summary.count).toBe(5);
    const last = drained.slice(-5);
    expect(summary.meanReturn).toBeCloseTo(last.reduce((s, e) => s + e.r, 0) / 5, 12);
    expect(summary.minReturn).toBe(Math.min(...last.map((e) => e.r)));
    // Random CartPole episodes last about 22 steps and return 1 per step.
    for (const e of drained) expect(e.r).toBe(e.l);
    stats.recordEpisode({ r: 500, l: 500, t: 1 }, 2);
    expect(stats.episodes().at(-1)).toEqual({ envIndex: 2, r: 500, l: 500, t: 1 });
    expect(() => new EpisodeStatistics({ windowSize: 0 })).toThrow(RangeError);
  });
});
