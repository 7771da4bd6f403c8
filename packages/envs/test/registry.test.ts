import { afterEach, describe, expect, it } from 'vitest';
import {
  BaseEnv,
  Box,
  CartPole,
  Discrete,
  type Env,
  type EnvSpec,
  make,
  type ResetResult,
  register,
  registeredIds,
  type StepResult,
  spec,
  TimeLimit,
  unregister,
} from '../src/index.js';

/** A tiny env: observation = [step count], terminates after `length` steps. */
class Counter extends BaseEnv<Float32Array, number> {
  readonly observationSpace = new Box(0, 100, [1]);
  readonly actionSpace = new Discrete(1);
  readonly metadata = { renderModes: [] };
  private t = 0;
  constructor(readonly length: number) {
    super();
  }
  reset(): ResetResult<Float32Array> {
    this.t = 0;
    return { observation: Float32Array.of(0), info: { start: true } };
  }
  step(action: number): StepResult<Float32Array> {
    this.actionSpace.assertContains(action, 'action');
    this.t++;
    return {
      observation: Float32Array.of(this.t),
      reward: 1,
      terminated: this.t >= this.length,
      truncated: false,
      info: {},
    };
  }
}

afterEach(() => {
  for (const id of registeredIds()) if (id.startsWith('Test')) unregister(id);
});

describe('registry', () => {
  it('registers CartPole-v0 and CartPole-v1 with Gymnasium limits and thresholds', () => {
    expect(registeredIds()).toEqual(expect.arrayContaining(['CartPole-v0', 'CartPole-v1']));
    expect(spec('CartPole-v1')).toMatchObject({
      id: 'CartPole-v1',
      maxEpisodeSteps: 500,
      rewardThreshold: 475,
    });
    expect(spec('CartPole-v0')).toMatchObject({
      id: 'CartPole-v0',
      maxEpisodeSteps: 200,
      rewardThreshold: 195,
    });
  });

  it('throws for unknown ids, listing the registered ones', () => {
    expect(() => make('Nope-v0')).toThrow(/No environment registered with id "Nope-v0"/);
    expect(() => make('Nope-v0')).toThrow(/CartPole-v0, CartPole-v1/);
    expect(() => spec('CartPole-v9')).toThrow(/Other versions of this env: CartPole-v0, CartPole-v1/);
  });

  it('sets env.spec with the effective maxEpisodeSteps and kwargs', () => {
    const env = make('CartPole-v1', { maxEpisodeSteps: 10, suttonBartoReward: true });
    expect(env.spec?.maxEpisodeSteps).toBe(10);
    expect(env.spec?.kwargs).toEqual({ suttonBartoReward: true });
    expect(env.unwrapped.spec).toBe(env.spec);
    expect((env as TimeLimit).maxEpisodeSteps).toBe(10);
    env.reset({ seed: 0 });
    let steps = 0;
    for (;;) {
      env.state = [0, 0, 0, 0];
      steps++;
      if (env.step(0).truncated) break;
    }
    expect(steps).toBe(10);
    expect(() => make('CartPole-v1', { maxEpisodeSteps: 0 })).toThrow(RangeError);
  });

  it('registers, overrides and unregisters custom envs', () => {
    const s: EnvSpec = {
      id: 'TestCounter-v0',
      entryPoint: (o) => new Counter((o?.length as number) ?? 3),
      kwargs: { length: 3 },
    };
    register(s);
    expect(registeredIds()).toContain('TestCounter-v0');
    const env = make<Float32Array, number>('TestCounter-v0');
    expect(env).not.toBeInstanceOf(TimeLimit); // no maxEpisodeSteps in the spec
    expect(env.reset().info).toEqual({ start: true });
    expect(env.step(0).terminated).toBe(false);
    expect(make<Float32Array, number>('TestCounter-v0', { length: 1 }).reset() && true).toBe(true);
    const short = make<Float32Array, number>('TestCounter-v0', { length: 1 });
    short.reset();
    expect(short.step(0).terminated).toBe(true);
    register({ ...s, maxEpisodeSteps: 2, kwargs: { length: 50 } });
    const limited = make<Float32Array, number>('TestCounter-v0');
    limited.reset();
    limited.step(0);
    expect(limited.step(0).truncated).toBe(true);
    expect(unregister('TestCounter-v0')).toBe(true);
    expect(unregister('TestCounter-v0')).toBe(false);
    expect(() => make('TestCounter-v0')).toThrow(/No environment registered/);
  });

  it('accepts an EnvSpec directly', () => {
    const env = make<Float32Array, number>({
      id: 'TestDirect-v0',
      entryPoint: () => new Counter(2),
      maxEpisodeSteps: 5,
    });
    expect(env.spec?.id).toBe('TestDirect-v0');
    expect(registeredIds()).not.toContain('TestDirect-v0');
  });

  it('validates registrations', () => {
    expect(() => register({ id: 'bad id!', entryPoint: () => new CartPole() })).toThrow(TypeError);
    expect(() => register({ id: 'TestX-v0', entryPoint: 3 as never })).toThrow(TypeError);
    expect(() => register({ id: 'TestX-v0', entryPoint: () => new CartPole(), maxEpisodeSteps: -2 })).toThrow(
      RangeError,
    );
    register({ id: 'ns/TestNs-v2', entryPoint: () => new CartPole() });
    expect(registeredIds()).toContain('ns/TestNs-v2');
    unregister('ns/TestNs-v2');
  });

  it('runs the env checker unless disabled', () => {
    const broken = () =>
      ({ reset() {}, step() {}, close() {}, metadata: { renderModes: [] } }) as unknown as Env;
    register({ id: 'TestBroken-v0', entryPoint: broken });
    expect(() => make('TestBroken-v0')).toThrow(/observationSpace must be a Space/);
    expect(() => make('TestBroken-v0', { disableEnvChecker: true })).not.toThrow();
  });
});
