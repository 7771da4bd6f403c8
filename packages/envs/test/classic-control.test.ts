import { describe, expect, it } from 'vitest';
import {
  Acrobot,
  MountainCar,
  MountainCarContinuous,
  make,
  Pendulum,
  registeredIds,
  spec,
  TimeLimit,
} from '../src/index.js';
import { loadGymnasiumFixture } from './fixtures.js';
import { describeFixtureReplay } from './replay.js';

describeFixtureReplay('Acrobot-v1', { obsDim: 6, stateDim: 4 });
describeFixtureReplay('MountainCar-v0', { obsDim: 2, stateDim: 2 });
describeFixtureReplay('MountainCarContinuous-v0', { obsDim: 2, stateDim: 2 });
// MountainCarContinuous gets the recorded number[] actions, Pendulum Float32Arrays.
describeFixtureReplay('Pendulum-v1', {
  obsDim: 3,
  stateDim: 2,
  action: (a) => Float32Array.from(a as number[]),
});

describe('the continuous fixtures hold out-of-bound actions', () => {
  it('MountainCarContinuous and Pendulum actions exceed the bounds', () => {
    for (const [id, bound] of [
      ['MountainCarContinuous-v0', 1],
      ['Pendulum-v1', 2],
    ] as const) {
      const actions = loadGymnasiumFixture(id).episodes.flatMap((e) => e.actions as number[][]);
      expect(actions.some((a) => Math.abs(a[0]) > bound)).toBe(true);
    }
  });
});

describe('classic-control registry entries', () => {
  const cases: [string, number, number | undefined, string][] = [
    ['Acrobot-v1', 500, -100, 'Acrobot'],
    ['MountainCar-v0', 200, -110, 'MountainCar'],
    ['MountainCarContinuous-v0', 999, 90, 'MountainCarContinuous'],
    ['Pendulum-v1', 200, undefined, 'Pendulum'],
  ];
  for (const [id, steps, threshold, name] of cases) {
    it(`${id}: TimeLimit ${steps}, threshold ${threshold}`, () => {
      expect(registeredIds()).toContain(id);
      const s = spec(id);
      expect(s.maxEpisodeSteps).toBe(steps);
      expect(s.rewardThreshold).toBe(threshold);
      const env = make<Float32Array, unknown>(id);
      expect(env).toBeInstanceOf(TimeLimit);
      expect((env as TimeLimit).maxEpisodeSteps).toBe(steps);
      expect(env.unwrapped?.constructor.name).toBe(name);
      expect(String(env)).toBe(`<TimeLimit<OrderEnforcing<PassiveEnvChecker<${name}<${id}>>>>>`);
    });
  }

  it('truncates at the time limit (Pendulum never terminates)', () => {
    const env = make<Float32Array, unknown>('Pendulum-v1');
    env.reset({ seed: 0 });
    for (let t = 1; t <= 200; t++) {
      const r = env.step([0]);
      expect(r.terminated).toBe(false);
      expect(r.truncated).toBe(t === 200);
    }
  });

  it('rejects unknown options', () => {
    // renderMode is Acrobot's only option, as render_mode is in Gymnasium
    expect(() => make('Acrobot-v1', { foo: 1 })).toThrow(
      /Acrobot: unknown option "foo" \(string\); the options are renderMode/,
    );
    expect(() => make('Pendulum-v1', { G: 1 })).toThrow(
      /unknown option "G" \(string\); the options are g, renderMode/,
    );
    expect(() => make('MountainCar-v0', { goalVelocity: 'x' })).toThrow(TypeError);
    expect((make('Pendulum-v1', { g: 9.81 }).unwrapped as Pendulum).g).toBe(9.81);
    expect((make('MountainCar-v0', { goalVelocity: 0.01 }).unwrapped as MountainCar).goalVelocity).toBe(0.01);
  });
});

describe('spaces and constants', () => {
  it('Acrobot', () => {
    const env = new Acrobot();
    expect(Array.from(env.observationSpace.high)).toEqual(
      Array.from(Float32Array.from([1, 1, 1, 1, 4 * Math.PI, 9 * Math.PI])),
    );
    expect(Array.from(env.observationSpace.low)).toEqual(Array.from(env.observationSpace.high, (h) => -h));
    expect(String(env.actionSpace)).toBe('Discrete(3)');
    expect(env.dt).toBe(0.2);
    expect(env.availTorque).toEqual([-1, 0, 1]);
    expect(env.metadata.renderFps).toBe(15);
  });

  it('MountainCar and MountainCarContinuous', () => {
    const d = new MountainCar();
    const c = new MountainCarContinuous();
    for (const env of [d, c]) {
      expect(Array.from(env.observationSpace.low)).toEqual([Math.fround(-1.2), Math.fround(-0.07)]);
      expect(Array.from(env.observationSpace.high)).toEqual([Math.fround(0.6), Math.fround(0.07)]);
    }
    expect(String(d.actionSpace)).toBe('Discrete(3)');
    expect(d.goalPosition).toBe(0.5);
    expect(d.force).toBe(0.001);
    expect(d.gravity).toBe(0.0025);
    expect(c.goalPosition).toBe(0.45);
    expect(c.power).toBe(0.0015);
    expect(c.actionSpace.shape).toEqual([1]);
    expect(Array.from(c.actionSpace.low)).toEqual([-1]);
    expect(Array.from(c.actionSpace.high)).toEqual([1]);
  });

  it('Pendulum', () => {
    const env = new Pendulum();
    expect(Array.from(env.observationSpace.high)).toEqual([1, 1, 8]);
    expect(Array.from(env.observationSpace.low)).toEqual([-1, -1, -8]);
    expect(Array.from(env.actionSpace.low)).toEqual([-2]);
    expect(Array.from(env.actionSpace.high)).toEqual([2]);
    expect(env.g).toBe(10);
    expect(env.dt).toBe(0.05);
  });
});

describe('reset distributions', () => {
  it('Acrobot: uniform in [-0.1, 0.1), float32 values', () => {
    const env = new Acrobot();
    env.reset({ seed: 1 });
    for (let i = 0; i < 100; i++) {
      const { observation } = env.reset();
      const s = env.state;
      for (const v of s) {
        expect(Math.abs(v)).toBeLessThanOrEqual(0.1);
        expect(v).toBe(Math.fround(v));
      }
      expect(observation[0]).toBe(Math.fround(Math.cos(s[0])));
      expect(observation[4]).toBe(s[2]);
      expect(env.observationSpace.contains(observation)).toBe(true);
    }
    env.reset({ options: { low: 0.2, high: 0.3 } });
    for (const v of env.state) expect(v >= Math.fround(0.2) && v <= Math.fround(0.3)).toBe(true);
  });

  it('MountainCar(Continuous): position in [-0.6, -0.4), velocity 0, deterministic per seed', () => {
    for (const Ctor of [MountainCar, MountainCarContinuous]) {
      const a = new Ctor();
      const b = new Ctor();
      expect(Array.from(a.reset({ seed: 5 }).observation)).toEqual(
        Array.from(b.reset({ seed: 5 }).observation),
      );
      for (let i = 0; i < 100; i++) {
        a.reset();
        const [p, v] = a.state;
        expect(p).toBeGreaterThanOrEqual(-0.6);
        expect(p).toBeLessThan(-0.4);
        expect(v).toBe(0);
      }
      expect(() => a.reset({ options: { low: 0, high: -1 } })).toThrow(RangeError);
    }
  });

  it('Pendulum: theta in [-pi, pi), thetaDot in [-1, 1); x_init / y_init', () => {
    const env = new Pendulum();
    env.reset({ seed: 2 });
    let maxTheta = 0;
    for (let i = 0; i < 300; i++) {
      env.reset();
      const [th, thdot] = env.state;
      expect(Math.abs(th)).toBeLessThanOrEqual(Math.PI);
      expect(Math.abs(thdot)).toBeLessThanOrEqual(1);
      maxTheta = Math.max(maxTheta, Math.abs(th));
    }
    expect(maxTheta).toBeGreaterThan(2.5);
    env.reset({ options: { x_init: 0.1, y_init: 0.2 } });
    expect(Math.abs(env.state[0])).toBeLessThanOrEqual(0.1);
    expect(Math.abs(env.state[1])).toBeLessThanOrEqual(0.2);
    expect(() => env.reset({ options: { x_init: 'a' } })).toThrow(/x_init/);
  });
});

describe('dynamics edge cases', () => {
  it('Acrobot terminates (reward 0) when the tip is above the bar, then needs a reset', () => {
    const env = make('Acrobot-v1');
    env.reset({ seed: 0 });
    env.state = [Math.PI - 0.01, 0, 0, 0];
    const r = env.step(1);
    expect(r.terminated).toBe(true);
    expect(r.reward).toBe(0);
    expect(() => env.step(1)).toThrow(/reset/);
  });

  it('Acrobot wraps angles into [-pi, pi] and bounds velocities', () => {
    const env = new Acrobot();
    env.reset({ seed: 0 });
    env.state = [3.1, -3.1, 12.5, -28];
    env.step(2);
    const [t1, t2, d1, d2] = env.state;
    expect(Math.abs(t1)).toBeLessThanOrEqual(Math.PI);
    expect(Math.abs(t2)).toBeLessThanOrEqual(Math.PI);
    expect(Math.abs(d1)).toBeLessThanOrEqual(4 * Math.PI);
    expect(Math.abs(d2)).toBeLessThanOrEqual(9 * Math.PI);
  });

  it('MountainCar stops at the left wall and terminates at the flag', () => {
    const env = make('MountainCar-v0');
    env.reset({ seed: 0 });
    env.state = [-1.19, -0.05];
    const wall = env.step(0);
    expect(Array.from(env.state)).toEqual([-1.2, 0]);
    expect(wall.reward).toBe(-1);
    env.state = [0.49, 0.02];
    const goal = env.step(2);
    expect(goal.terminated).toBe(true);
    expect(goal.reward).toBe(-1);
  });

  it('MountainCarContinuous: clipped force, unclipped energy penalty, +100 at the goal', () => {
    const env = make<Float32Array, unknown>('MountainCarContinuous-v0');
    env.reset({ seed: 0 });
    env.state = [-0.5, 0];
    const big = env.step([3]);
    const after = env.state;
    env.state = [-0.5, 0];
    env.step(Float32Array.of(1));
    expect(Array.from(env.state)).toEqual(Array.from(after));
    expect(big.reward).toBeCloseTo(-0.9, 12);
    env.state = [0.44, 0.02];
    const goal = env.step([0.5]);
    expect(goal.terminated).toBe(true);
    expect(goal.reward).toBeCloseTo(100 - 0.025, 12);
  });

  it('Pendulum clips the torque and normalizes the angle in the cost', () => {
    const env = make<Float32Array, unknown>('Pendulum-v1');
    env.reset({ seed: 0 });
    env.state = [0, 0];
    const r = env.step([5]);
    expect(r.reward).toBeCloseTo(-0.001 * 4, 12);
    expect(env.state[1]).toBeCloseTo(3 * 2 * 0.05, 12);
    env.state = [2 * Math.PI + 0.5, 0];
    const wrapped = env.step([0]).reward;
    env.state = [0.5, 0];
    expect(wrapped).toBeCloseTo(env.step([0]).reward, 12);
    env.state = [-2 * Math.PI - 0.5, 0];
    const negative = env.step([0]).reward;
    expect(negative).toBeCloseTo(-0.25, 12);
    env.state = [0, 100];
    env.step([0]);
    expect(env.state[1]).toBe(8);
  });
});

describe('bad actions name `action`', () => {
  const continuous: [string, unknown, ErrorConstructor][] = [
    ['Pendulum-v1', [Number.NaN], RangeError],
    ['Pendulum-v1', [1, 2], RangeError],
    ['Pendulum-v1', [], RangeError],
    ['Pendulum-v1', 1, TypeError],
    ['Pendulum-v1', ['1'], TypeError],
    ['Pendulum-v1', null, TypeError],
    ['MountainCarContinuous-v0', Float32Array.of(Number.NaN), RangeError],
    ['MountainCarContinuous-v0', [Number.POSITIVE_INFINITY], RangeError],
    ['MountainCarContinuous-v0', new Float32Array(2), RangeError],
  ];
  for (const [id, action, kind] of continuous) {
    it(`${id} rejects ${String(action)} with ${kind.name}`, () => {
      const env = make<Float32Array, unknown>(id);
      env.reset({ seed: 0 });
      const before = env.state;
      let error: unknown;
      try {
        env.step(action);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(kind);
      expect((error as Error).message).toMatch(/^action/);
      expect((error as Error).message).toContain('Box(');
      expect(Array.from(env.state)).toEqual(Array.from(before));
    });
  }

  const discrete: [string, unknown, ErrorConstructor][] = [
    ['Acrobot-v1', 3, RangeError],
    ['Acrobot-v1', Number.NaN, RangeError],
    ['Acrobot-v1', '1', TypeError],
    ['MountainCar-v0', -1, RangeError],
    ['MountainCar-v0', 1.5, RangeError],
    ['MountainCar-v0', [1], TypeError],
  ];
  for (const [id, action, kind] of discrete) {
    it(`${id} rejects ${String(action)} with ${kind.name}`, () => {
      const env = make<Float32Array, unknown>(id);
      env.reset({ seed: 0 });
      expect(() => env.step(action)).toThrow(kind);
      expect(() => env.step(action)).toThrow(/action must be an integer in Discrete\(3\)/);
    });
  }

  it('refuses step before reset and validates assigned states', () => {
    for (const Ctor of [Acrobot, MountainCar, MountainCarContinuous, Pendulum]) {
      const env = new Ctor();
      expect(() => env.state).toThrow(/before the first reset/);
      expect(() => env.step((Ctor === Acrobot || Ctor === MountainCar ? 0 : [0]) as never)).toThrow(
        /before reset/,
      );
      const n = Ctor === Acrobot ? 4 : 2;
      expect(() => {
        env.state = new Array(n + 1).fill(0);
      }).toThrow(RangeError);
      expect(() => {
        env.state = new Array(n).fill(Number.NaN);
      }).toThrow(RangeError);
    }
  });
});
