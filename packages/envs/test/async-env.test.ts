import { describe, expect, it } from 'vitest';
import {
  type AsyncEnv,
  Box,
  checkAsyncEnv,
  Discrete,
  type EnvMetadata,
  isRgbaFrame,
  make,
  type ResetOptions,
  type ResetResult,
  type StepResult,
  SyncToAsyncEnv,
  toAsyncEnv,
} from '../src/index.js';

/** A natively asynchronous env: a 1-D walk whose replies arrive after a timer, like a remote simulator. */
class RemoteWalk implements AsyncEnv<Float32Array, number> {
  readonly observationSpace = new Box(-3, 3, [1]);
  readonly actionSpace = new Discrete(2);
  readonly metadata: EnvMetadata = { renderModes: ['ansi'] };
  readonly renderMode = 'ansi';
  closed = false;
  private position = 0;
  private started = false;

  private later<T>(value: () => T): Promise<T> {
    return new Promise((resolve, reject) =>
      setTimeout(() => {
        try {
          resolve(value());
        } catch (e) {
          reject(e);
        }
      }, 1),
    );
  }

  reset(options?: ResetOptions): Promise<ResetResult<Float32Array>> {
    return this.later(() => {
      this.position = (options?.seed ?? 0) % 2;
      this.started = true;
      return { observation: new Float32Array([this.position]), info: {} };
    });
  }

  step(action: number): Promise<StepResult<Float32Array>> {
    return this.later(() => {
      if (!this.started) throw new Error('RemoteWalk: step() before reset()');
      this.actionSpace.assertContains(action, 'action');
      this.position += action === 1 ? 1 : -1;
      const terminated = Math.abs(this.position) >= 3;
      return {
        observation: new Float32Array([this.position]),
        reward: terminated ? 1 : 0,
        terminated,
        truncated: false,
        info: {},
      };
    });
  }

  render(): Promise<unknown> {
    return this.later(() => `position ${this.position}`);
  }

  close(): Promise<void> {
    return this.later(() => {
      this.closed = true;
    });
  }
}

describe('toAsyncEnv / SyncToAsyncEnv', () => {
  it('gives the same results as the synchronous env, as Promises', async () => {
    const sync = make('CartPole-v1');
    const env = toAsyncEnv(make('CartPole-v1'));
    expect(env).toBeInstanceOf(SyncToAsyncEnv);
    expect(env.observationSpace).toEqual(sync.observationSpace);
    expect(String(env.actionSpace)).toBe('Discrete(2)');
    expect(env.metadata.renderFps).toBe(50);
    expect(env.spec?.id).toBe('CartPole-v1');
    const reset = env.reset({ seed: 7 });
    expect(reset).toBeInstanceOf(Promise);
    expect((await reset).observation).toEqual(sync.reset({ seed: 7 }).observation);
    for (const a of [1, 0, 1, 1]) {
      const got = await env.step(a);
      const want = sync.step(a);
      expect(got).toEqual(want);
    }
    await expect(env.close()).resolves.toBeUndefined();
    expect(String(env)).toBe(
      '<SyncToAsyncEnv<TimeLimit<OrderEnforcing<PassiveEnvChecker<CartPole<CartPole-v1>>>>>>',
    );
  });

  it('reports errors as rejected Promises, never synchronous throws', async () => {
    const env = toAsyncEnv(make('CartPole-v1'));
    const early = env.step(0);
    expect(early).toBeInstanceOf(Promise);
    await expect(early).rejects.toThrow(/cannot call step\(\) before reset\(\)/);
    await env.reset({ seed: 0 });
    const bad = env.step(5);
    await expect(bad).rejects.toThrow(RangeError);
    await expect(env.step(5)).rejects.toThrow(/action/);
    await expect(env.step(1)).resolves.toMatchObject({ reward: 1, truncated: false });
    await expect(env.reset({ seed: -1 })).rejects.toThrow(RangeError);
  });

  it('renders through the sync env', async () => {
    const env = toAsyncEnv(make('MountainCar-v0', { renderMode: 'rgb_array' }));
    expect(env.renderMode).toBe('rgb_array');
    await expect(env.render()).rejects.toThrow(/render\(\) before reset\(\)/);
    await env.reset({ seed: 0 });
    expect(isRgbaFrame(await env.render())).toBe(true);
  });

  it('refuses something that is not an env', () => {
    expect(() => toAsyncEnv({} as never)).toThrow(TypeError);
    expect(() => toAsyncEnv(null as never)).toThrow(/SyncToAsyncEnv: env must be a synchronous environment/);
  });
});

describe('a natively asynchronous env', () => {
  it('runs an episode with await', async () => {
    const env = new RemoteWalk();
    const { observation } = await env.reset({ seed: 0 });
    expect(Array.from(observation)).toEqual([0]);
    let done = false;
    let steps = 0;
    let ret = 0;
    while (!done) {
      const r = await env.step(1);
      steps += 1;
      ret += r.reward;
      done = r.terminated || r.truncated;
    }
    expect([steps, ret]).toEqual([3, 1]);
    expect(await env.render()).toBe('position 3');
    await expect(env.step(7)).rejects.toThrow(/action/);
    await env.close();
    expect(env.closed).toBe(true);
  });
});

describe('checkAsyncEnv', () => {
  it('passes for adapted sync envs (rendering included) and native async envs', async () => {
    await expect(
      checkAsyncEnv(toAsyncEnv(make('CartPole-v1', { renderMode: 'rgb_array' }))),
    ).resolves.toBeUndefined();
    await expect(
      checkAsyncEnv(toAsyncEnv(make('Pendulum-v1', { renderMode: 'svg' }))),
    ).resolves.toBeUndefined();
    await expect(checkAsyncEnv(new RemoteWalk(), { seed: 3 })).resolves.toBeUndefined();
  });

  it('rejects a synchronous env, wrong result types and non-deterministic seeding', async () => {
    await expect(checkAsyncEnv(make('CartPole-v1') as never, { envName: 'Sync-v0' })).rejects.toThrow(
      /Sync-v0: reset\(\{ seed: 0 \}\) must return a Promise \(AsyncEnv\).*toAsyncEnv/,
    );

    class StringReward extends RemoteWalk {
      override async step(action: number) {
        return { ...(await super.step(action)), reward: '1' as unknown as number };
      }
    }
    await expect(checkAsyncEnv(new StringReward())).rejects.toThrow(
      /env: reward check failed: step\(action\) reward must be a finite number, got "1" \(string\)/,
    );

    class Unseeded extends RemoteWalk {
      private calls = 0;
      override async reset() {
        this.calls += 1;
        return { observation: new Float32Array([this.calls % 3]), info: {} };
      }
    }
    await expect(checkAsyncEnv(new Unseeded())).rejects.toThrow(/seeded reset determinism check failed/);

    class OutOfSpace extends RemoteWalk {
      override async reset() {
        return { observation: new Float32Array([9]), info: {} };
      }
    }
    await expect(checkAsyncEnv(new OutOfSpace())).rejects.toThrow(
      /observation bounds check failed: .*element \[0\] = 9 is outside \[-3, 3\]/,
    );

    class BadRender extends RemoteWalk {
      override async render() {
        return 42;
      }
    }
    await expect(checkAsyncEnv(new BadRender())).rejects.toThrow(
      /renderMode "ansi" \(string\) must return a string/,
    );
    await expect(checkAsyncEnv(new BadRender(), { skipRenderCheck: true })).resolves.toBeUndefined();

    const noClose = Object.assign(new RemoteWalk(), { close: undefined });
    await expect(checkAsyncEnv(noClose as never)).rejects.toThrow(/env has no close\(\) method/);
  });
});
