import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CartPole, FLOAT32_MAX, make, OrderEnforcing, ResetNeededError, TimeLimit } from '../src/index.js';
import { loadGymnasiumFixture } from './fixtures.js';
import { describeFixtureReplay } from './replay.js';

describeFixtureReplay('CartPole-v1', { obsDim: 4, stateDim: 4, exactReward: true });

describe('CartPole-v1 fixture', () => {
  it('observations[0] is the float32 rounding of the initial state', () => {
    for (const episode of loadGymnasiumFixture('CartPole-v1').episodes) {
      const rounded = Float32Array.from(episode.initial_state);
      expect(Array.from(rounded)).toEqual(episode.observations[0]);
    }
  });
});

describe('CartPole constants and spaces', () => {
  const env = new CartPole();

  it('uses Gymnasium constants', () => {
    expect(env.gravity).toBe(9.8);
    expect(env.masscart).toBe(1.0);
    expect(env.masspole).toBe(0.1);
    expect(env.totalMass).toBeCloseTo(1.1, 15);
    expect(env.length).toBe(0.5);
    expect(env.polemassLength).toBeCloseTo(0.05, 15);
    expect(env.forceMag).toBe(10);
    expect(env.tau).toBe(0.02);
    expect(env.kinematicsIntegrator).toBe('euler');
    expect(env.thetaThresholdRadians).toBe((12 * 2 * Math.PI) / 360);
    expect(env.xThreshold).toBe(2.4);
    expect(env.metadata.renderFps).toBe(50);
  });

  it('has the Gymnasium observation space', () => {
    const high = Float32Array.from([4.8, FLOAT32_MAX, ((24 * 2 * Math.PI) / 360) as number, FLOAT32_MAX]);
    expect(Array.from(env.observationSpace.high)).toEqual(Array.from(high));
    expect(Array.from(env.observationSpace.low)).toEqual(Array.from(high, (h) => -h));
    expect(env.observationSpace.shape).toEqual([4]);
    expect(env.observationSpace.dtype).toBe('float32');
    expect(FLOAT32_MAX).toBe(Math.fround(FLOAT32_MAX));
    expect(Math.fround(FLOAT32_MAX * (1 + 2 ** -23))).toBe(Number.POSITIVE_INFINITY);
    expect(String(env.actionSpace)).toBe('Discrete(2)');
  });
});

describe('CartPole reset', () => {
  it('draws each state variable uniformly in [-0.05, 0.05)', () => {
    const env = new CartPole();
    env.reset({ seed: 3 });
    for (let i = 0; i < 200; i++) {
      const { observation, info } = env.reset();
      expect(info).toEqual({});
      for (const v of env.state) {
        expect(v).toBeGreaterThanOrEqual(-0.05);
        expect(v).toBeLessThan(0.05);
      }
      expect(env.observationSpace.contains(observation)).toBe(true);
    }
  });

  it('is deterministic for a seed and differs across seeds', () => {
    const a = new CartPole();
    const b = new CartPole();
    expect(Array.from(a.reset({ seed: 7 }).observation)).toEqual(
      Array.from(b.reset({ seed: 7 }).observation),
    );
    expect(Array.from(a.reset().observation)).toEqual(Array.from(b.reset().observation));
    expect(Array.from(a.reset({ seed: 8 }).observation)).not.toEqual(
      Array.from(b.reset({ seed: 7 }).observation),
    );
  });

  it('honours options.low / options.high and rejects bad bounds', () => {
    const env = new CartPole();
    env.reset({ seed: 1, options: { low: 0.1, high: 0.2 } });
    for (const v of env.state) {
      expect(v).toBeGreaterThanOrEqual(0.1);
      expect(v).toBeLessThan(0.2);
    }
    expect(() => env.reset({ options: { low: 0.3, high: 0.2 } })).toThrow(RangeError);
    expect(() => env.reset({ options: { low: 'a' } })).toThrow(TypeError);
    expect(() => env.reset({ seed: -1 })).toThrow(RangeError);
  });

  it('returns a new observation array at every step', () => {
    const env = make('CartPole-v1');
    const first = env.reset({ seed: 0 }).observation;
    const second = env.step(0).observation;
    expect(second).not.toBe(first);
    const copy = Float32Array.from(second);
    env.step(1);
    expect(Array.from(second)).toEqual(Array.from(copy));
  });
});

describe('CartPole action and order errors', () => {
  const cases: [unknown, ErrorConstructor][] = [
    [2, RangeError],
    [-1, RangeError],
    [0.5, RangeError],
    [Number.NaN, RangeError],
    ['1', TypeError],
    [true, TypeError],
    [null, TypeError],
    [undefined, TypeError],
    [new Float32Array([1]), TypeError],
  ];
  for (const [action, kind] of cases) {
    it(`rejects action ${String(action)} with ${kind.name}`, () => {
      const env = make('CartPole-v1');
      env.reset({ seed: 0 });
      let error: unknown;
      try {
        env.step(action as number);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(kind);
      const message = (error as Error).message;
      expect(message).toContain('action');
      expect(message).toContain('Discrete(2)');
      if (typeof action === 'string') expect(message).toContain('"1"');
      if (typeof action === 'number') expect(message).toContain(String(action));
    });
  }

  it('rejects an invalid action without changing the state', () => {
    const env = make('CartPole-v1');
    env.reset({ seed: 0 });
    const before = env.state;
    expect(() => env.step(3)).toThrow(RangeError);
    expect(Array.from(env.state)).toEqual(Array.from(before));
  });

  it('refuses step before reset (wrapped: ResetNeededError; raw: Error)', () => {
    const env = make('CartPole-v1');
    expect(() => env.step(0)).toThrow(ResetNeededError);
    expect(() => env.step(0)).toThrow(/reset/);
    const raw = new CartPole();
    expect(() => raw.step(0)).toThrow(/before reset/);
    expect(() => raw.state).toThrow(/before the first reset/);
  });

  it('refuses step after termination until reset', () => {
    const env = make('CartPole-v1');
    env.reset({ seed: 0 });
    env.state = [2.39, 1, 0, 0];
    const result = env.step(1);
    expect(result.terminated).toBe(true);
    expect(result.reward).toBe(1);
    expect(() => env.step(0)).toThrow(/terminated.*reset\(\)/);
    // Setting the state does not restart the episode.
    env.state = [0, 0, 0, 0];
    expect(() => env.step(0)).toThrow(/reset/);
    env.reset();
    expect(env.step(0).terminated).toBe(false);
  });

  it('validates assigned states', () => {
    const env = make('CartPole-v1');
    env.reset({ seed: 0 });
    expect(() => {
      env.state = [1, 2, 3];
    }).toThrow(RangeError);
    expect(() => {
      env.state = [1, 2, 3, Number.NaN];
    }).toThrow(RangeError);
    expect(() => {
      env.state = 'abcd' as unknown as number[];
    }).toThrow(TypeError);
    env.state = new Float64Array([0.1, 0.2, 0.3, 0.4]);
    expect(Array.from(env.state)).toEqual([0.1, 0.2, 0.3, 0.4]);
    expect(Array.from((env.unwrapped as CartPole).state)).toEqual([0.1, 0.2, 0.3, 0.4]);
  });

  it('rejects unknown constructor options', () => {
    expect(() => make('CartPole-v1', { foo: 1 })).toThrow(/unknown option "foo"/);
    expect(() => make('CartPole-v1', { suttonBartoReward: 'yes' })).toThrow(TypeError);
  });
});

describe('CartPole episodes through make()', () => {
  it('v1 truncates at step 500 and v0 at 200', () => {
    for (const [id, limit] of [
      ['CartPole-v1', 500],
      ['CartPole-v0', 200],
    ] as const) {
      const env = make(id);
      env.reset({ seed: 0 });
      for (let t = 1; t <= limit; t++) {
        env.state = [0, 0, 0, 0];
        const r = env.step(t % 2);
        expect(r.terminated).toBe(false);
        expect(r.truncated).toBe(t === limit);
      }
      expect(env).toBeInstanceOf(TimeLimit);
      expect((env as TimeLimit).elapsedSteps).toBe(limit);
    }
  });

  it('Sutton-Barto reward: 0 per step, -1 on termination', () => {
    const env = make('CartPole-v1', { suttonBartoReward: true });
    env.reset({ seed: 0 });
    expect(env.step(0).reward).toBe(0);
    env.state = [2.39, 1, 0, 0];
    const r = env.step(1);
    expect(r.terminated).toBe(true);
    expect(r.reward).toBe(-1);
  });

  it('terminates exactly when |x| > 2.4 or |theta| > 12 degrees (property)', () => {
    const env = new CartPole();
    env.reset({ seed: 0 });
    fc.assert(
      fc.property(
        fc.double({ min: -3, max: 3, noNaN: true }),
        fc.double({ min: -3, max: 3, noNaN: true }),
        fc.double({ min: -0.4, max: 0.4, noNaN: true }),
        fc.double({ min: -3, max: 3, noNaN: true }),
        fc.integer({ min: 0, max: 1 }),
        (x, xDot, theta, thetaDot, action) => {
          env.reset();
          env.state = [x, xDot, theta, thetaDot];
          const r = env.step(action);
          const s = env.state;
          const expected = Math.abs(s[0]) > 2.4 || Math.abs(s[2]) > (12 * 2 * Math.PI) / 360;
          expect(r.terminated).toBe(expected);
          expect(r.reward).toBe(1);
          expect(r.truncated).toBe(false);
          for (let k = 0; k < 4; k++) expect(r.observation[k]).toBe(Math.fround(s[k]));
          // Euler: positions advance with the old velocities.
          expect(s[0]).toBe(x + 0.02 * xDot);
          expect(s[2]).toBe(theta + 0.02 * thetaDot);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('wraps CartPole in PassiveEnvChecker, OrderEnforcing then TimeLimit (as Gymnasium)', () => {
    const env = make('CartPole-v1');
    expect(env).toBeInstanceOf(TimeLimit);
    expect((env as TimeLimit).env).toBeInstanceOf(OrderEnforcing);
    expect(env.unwrapped).toBeInstanceOf(CartPole);
    expect(String(env)).toBe('<TimeLimit<OrderEnforcing<PassiveEnvChecker<CartPole<CartPole-v1>>>>>');
  });
});
