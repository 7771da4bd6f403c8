import { afterAll, describe, expect, it } from 'vitest';
import {
  BaseEnv,
  Box,
  checkAsyncEnv,
  checkEnv,
  Dict,
  Discrete,
  type Env,
  make,
  makeVec,
  PASSIVE_CHECK_CALLS,
  PassiveEnvChecker,
  type ResetOptions,
  type ResetResult,
  register,
  registeredIds,
  type StepResult,
  toAsyncEnv,
  unregister,
} from '../src/index.js';

/**
 * A correct env: a walk on a line with a seeded random start and seeded random slips.
 * Observation: Float32Array [position, last move] in Box(-5, 5, (2,)). Subclasses add one bug each.
 */
class Walk extends BaseEnv<Float32Array, number> {
  readonly observationSpace = new Box(-5, 5, [2]);
  readonly actionSpace = new Discrete(2);
  readonly metadata = { renderModes: [] };
  protected position = 0;
  protected move = 0;

  protected startPosition(): number {
    return this.rng.integer(3) - 1;
  }

  protected slips(): boolean {
    return this.rng.uniform() < 0.25;
  }

  protected observe(): unknown {
    return new Float32Array([this.position, this.move]);
  }

  reset(options?: ResetOptions): ResetResult<Float32Array> {
    this.seedFromReset(options);
    this.position = this.startPosition();
    this.move = 0;
    return { observation: this.observe() as Float32Array, info: {} };
  }

  step(action: number): StepResult<Float32Array> {
    this.actionSpace.assertContains(action, 'action');
    this.move = this.slips() ? 0 : action === 1 ? 1 : -1;
    this.position += this.move;
    const terminated = Math.abs(this.position) >= 4;
    return {
      observation: this.observe() as Float32Array,
      reward: terminated ? Math.sign(this.position) : -0.01,
      terminated,
      truncated: false,
      info: {},
    };
  }
}

/** Replaces fields of the step result (`undefined` values delete the key). */
function stepWith(patch: Record<string, unknown>) {
  return class extends Walk {
    override step(action: number): StepResult<Float32Array> {
      const result: Record<string, unknown> = { ...super.step(action), ...patch };
      for (const [k, v] of Object.entries(patch)) if (v === undefined) delete result[k];
      return result as unknown as StepResult<Float32Array>;
    }
  };
}

interface BuggyCase {
  name: string;
  env: new () => Env<Float32Array, number>;
  /** The check named in the message. */
  check: string;
  /** What the message must also contain: the offending value. */
  value: RegExp;
  error: typeof TypeError | typeof RangeError | typeof Error;
  /** Whether make()'s PassiveEnvChecker catches it in reset + PASSIVE_CHECK_CALLS steps. */
  passive: boolean;
}

const BUGGY: BuggyCase[] = [
  {
    name: 'ReusedBuffer',
    env: class extends Walk {
      private readonly buffer = new Float32Array(2);
      protected override observe(): unknown {
        this.buffer[0] = this.position;
        this.buffer[1] = this.move;
        return this.buffer;
      }
    },
    check: 'observation buffer reuse',
    value: /is the same Float32Array\(2\) \[-?\d, -?\d\] object that .*reset\(.*\) returned/,
    error: Error,
    passive: true,
  },
  {
    name: 'MathRandomReset',
    env: class extends Walk {
      protected override startPosition(): number {
        return Math.random() * 2 - 1;
      }
    },
    check: 'seeded reset determinism',
    value:
      /reset\(\{ seed: 0 \}\) twice gave different observations: Float32Array\(2\) \[.+\] then Float32Array\(2\) \[.+\]/,
    error: Error,
    passive: false,
  },
  {
    name: 'MathRandomStep',
    env: class extends Walk {
      override step(action: number): StepResult<Float32Array> {
        return { ...super.step(action), reward: Math.random() };
      }
    },
    check: 'step determinism',
    value: /step 1 after reset\(\{ seed: 0 \}\) with the same actions gave reward 0\.\d+, then 0\.\d+/,
    error: Error,
    passive: false,
  },
  {
    name: 'OutOfBounds',
    env: class extends Walk {
      protected override observe(): unknown {
        return new Float32Array([this.position + 9, this.move]);
      }
    },
    check: 'observation bounds',
    value: /element \[0\] = (8|9|10) is outside \[-5, 5\].*got Float32Array\(2\) \[(8|9|10), 0\]/,
    error: RangeError,
    passive: true,
  },
  {
    name: 'NaNObservation',
    env: class extends Walk {
      override step(action: number): StepResult<Float32Array> {
        const result = super.step(action);
        return { ...result, observation: new Float32Array([this.position, Number.NaN]) };
      }
    },
    check: 'observation finite',
    value: /step\(.*\) observation\[1\] is NaN, got Float32Array\(2\) \[-?\d, NaN\]/,
    error: RangeError,
    passive: true,
  },
  {
    name: 'WrongShape',
    env: class extends Walk {
      protected override observe(): unknown {
        return new Float32Array([this.position, this.move, 0]);
      }
    },
    check: 'observation shape',
    value: /observation has 3 elements, expected 2 \(shape \(2,\).*got Float32Array\(3\) \[-?\d, 0, 0\]/,
    error: TypeError,
    passive: true,
  },
  {
    name: 'Float64Observation',
    env: class extends Walk {
      protected override observe(): unknown {
        return new Float64Array([this.position, this.move]);
      }
    },
    check: 'observation type',
    value:
      /observation must be a Float32Array \(observationSpace Box\(.*\) has dtype float32\), got Float64Array\(2\) \[-?\d, 0\]/,
    error: TypeError,
    passive: true,
  },
  {
    name: 'PlainArrayObservation',
    env: class extends Walk {
      protected override observe(): unknown {
        return [this.position, this.move];
      }
    },
    check: 'observation type',
    value: /observation must be a Float32Array .*got Array\(2\) \[-?\d, 0\]/,
    error: TypeError,
    passive: true,
  },
  {
    name: 'MissingInfo',
    env: stepWith({ info: undefined }),
    check: 'info',
    value: /step\(.*\) info must be a plain object \(\{\}\), got undefined/,
    error: TypeError,
    passive: true,
  },
  {
    name: 'TupleStep',
    env: class extends Walk {
      override step(action: number): StepResult<Float32Array> {
        const { observation, reward, terminated, truncated, info } = super.step(action);
        return [observation, reward, terminated, truncated, info] as unknown as StepResult<Float32Array>;
      }
    },
    check: 'step result',
    value:
      /must return an object \{ observation, reward, terminated, truncated, info \}, got Array\(5\) \[Float32Array\(2\)/,
    error: TypeError,
    passive: true,
  },
  {
    name: 'StringReward',
    env: stepWith({ reward: '1' }),
    check: 'reward',
    value: /reward must be a finite number, got "1" \(string\)/,
    error: TypeError,
    passive: true,
  },
  {
    name: 'NaNReward',
    env: stepWith({ reward: Number.NaN }),
    check: 'reward',
    value: /reward must be a finite number, got NaN/,
    error: RangeError,
    passive: true,
  },
  {
    name: 'NumericTerminated',
    env: stepWith({ terminated: 0 }),
    check: 'terminated',
    value: /terminated must be a boolean, got 0$/,
    error: TypeError,
    passive: true,
  },
  {
    name: 'NumericTruncated',
    env: stepWith({ truncated: 1 }),
    check: 'truncated',
    value: /truncated must be a boolean, got 1$/,
    error: TypeError,
    passive: true,
  },
  {
    name: 'MapInfo',
    env: stepWith({ info: new Map([['x', 1]]) }),
    check: 'info',
    value: /info must be a plain object \(\{\}\), got a Map/,
    error: TypeError,
    passive: true,
  },
  {
    name: 'ResetWithoutObservation',
    env: class extends Walk {
      override reset(options?: ResetOptions): ResetResult<Float32Array> {
        const { observation, info } = super.reset(options);
        return { obs: observation, info } as unknown as ResetResult<Float32Array>;
      }
    },
    check: 'reset result',
    value: /reset\(.*\) returned no observation: \{ obs, info \}/,
    error: TypeError,
    passive: true,
  },
];

const idOf = (c: BuggyCase): string => `Buggy/${c.name}-v0`;
for (const c of BUGGY) register({ id: idOf(c), entryPoint: () => new c.env(), maxEpisodeSteps: 50 });
afterAll(() => {
  for (const c of BUGGY) unregister(idOf(c));
});

/** The error `body` throws (fails the test when it throws nothing). */
function thrown(body: () => void): Error {
  try {
    body();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected an error, none was thrown');
}

async function rejected(body: () => Promise<unknown>): Promise<Error> {
  try {
    await body();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a rejection, none happened');
}

const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

describe('checkEnv on buggy envs', () => {
  it('the correct env passes checkEnv, checkAsyncEnv and the passive checker', async () => {
    expect(() => checkEnv(new Walk(), { envName: 'Walk-v0' })).not.toThrow();
    await expect(checkAsyncEnv(toAsyncEnv(new Walk()))).resolves.toBeUndefined();
    const env = new PassiveEnvChecker(new Walk(), 'Walk-v0');
    env.reset({ seed: 0 });
    for (let t = 0; t < 5; t++) env.step(1);
    env.reset();
  });

  for (const c of BUGGY) {
    it(`${c.name}: fails checkEnv naming the env id, the check and the value`, () => {
      const error = thrown(() => checkEnv(make(idOf(c), { disableEnvChecker: true })));
      expect(error).toBeInstanceOf(c.error);
      expect(error.message).toMatch(new RegExp(`^${escapeRegExp(idOf(c))}: ${c.check} check failed: `));
      expect(error.message).toMatch(c.value);
    });

    it(`${c.name}: checkAsyncEnv agrees with checkEnv`, async () => {
      const sync = thrown(() => checkEnv(make(idOf(c), { disableEnvChecker: true })));
      const async = await rejected(() =>
        checkAsyncEnv(toAsyncEnv(make(idOf(c), { disableEnvChecker: true }))),
      );
      expect(async.constructor).toBe(sync.constructor);
      const prefix = `${idOf(c)}: ${c.check} check failed: `;
      expect(async.message.startsWith(prefix)).toBe(true);
      expect(async.message).toMatch(c.value);
      // the same message, values included, unless the bug is Math.random itself
      if (!c.name.startsWith('MathRandom')) expect(async.message).toBe(sync.message);
    });

    if (c.passive) {
      it(`${c.name}: make()'s passive checker throws on the first calls`, () => {
        const env = make<Float32Array, number>(idOf(c));
        const error = thrown(() => {
          env.reset({ seed: 0 });
          for (let t = 0; t < PASSIVE_CHECK_CALLS; t++) env.step(t % 2);
        });
        expect(error).toBeInstanceOf(c.error);
        expect(error.message).toMatch(new RegExp(`^${escapeRegExp(idOf(c))}: ${c.check} check failed: `));
        expect(error.message).toMatch(c.value);
      });
    } else {
      it(`${c.name}: is beyond the passive checker (checkEnv's determinism check catches it)`, () => {
        const env = make<Float32Array, number>(idOf(c));
        env.reset({ seed: 0 });
        for (let t = 0; t < PASSIVE_CHECK_CALLS; t++) env.step(t % 2);
      });
    }
  }

  it('the vector env made from a buggy id fails on its first step', () => {
    const vec = makeVec('Buggy/StringReward-v0', { numEnvs: 2 });
    vec.reset({ seed: 0 });
    expect(() => vec.step(new Int32Array([0, 1]))).toThrow(
      /Buggy\/StringReward-v0: reward check failed: step\(\) \(call 1\) reward must be a finite number, got "1" \(string\)/,
    );
  });
});

describe('checkEnv details', () => {
  it('passes every built-in env, through make() and as an AsyncEnv', async () => {
    for (const id of registeredIds().filter((i) => !i.startsWith('Buggy/'))) {
      expect(() => checkEnv(make(id)), id).not.toThrow();
      await expect(checkAsyncEnv(toAsyncEnv(make(id))), id).resolves.toBeUndefined();
    }
  });

  it('catches an observation that shares memory with an earlier one (a view of one buffer)', () => {
    class Views extends Walk {
      private readonly ring = new Float32Array(8);
      private slot = 0;
      protected override observe(): unknown {
        this.slot = (this.slot + 1) % 4; // four slots of 2: the fifth observation reuses the first
        const view = this.ring.subarray(2 * this.slot, 2 * this.slot + 2);
        view.set([this.position, this.move]);
        return view;
      }
    }
    expect(() => checkEnv(new Views(), { envName: 'Views-v0' })).toThrow(
      /^Views-v0: observation buffer reuse check failed: the observation of .* is memory of the Float32Array\(2\)/,
    );
  });

  it('checks Dict observations key by key', () => {
    class DictWalk extends BaseEnv<Record<string, unknown>, number> {
      readonly observationSpace = new Dict({ position: new Box(-5, 5, [1]), goal: new Discrete(2) });
      readonly actionSpace = new Discrete(2);
      readonly metadata = { renderModes: [] };
      reset(options?: ResetOptions) {
        this.seedFromReset(options);
        return { observation: { position: new Float64Array([0]), goal: 1 }, info: {} };
      }
      step() {
        return {
          observation: { position: new Float32Array([0]), goal: 1 },
          reward: 0,
          terminated: false,
          truncated: false,
          info: {},
        };
      }
    }
    expect(() => checkEnv(new DictWalk() as never)).toThrow(
      /^env: observation type check failed: reset\(\{ seed: 0 \}\) observation\.position must be a Float32Array .*got Float64Array\(1\) \[0\]/,
    );
  });

  it('refuses unknown options and bad option values, and a Promise-returning env', () => {
    expect(() => checkEnv(new Walk(), { sed: 1 } as never)).toThrow(/checkEnv: unknown option "sed"/);
    expect(() => checkEnv(new Walk(), { seed: -1 })).toThrow(RangeError);
    const asyncEnv = toAsyncEnv(new Walk());
    expect(() => checkEnv(asyncEnv as never, { envName: 'Async-v0' })).toThrow(
      /Async-v0: reset\(\{ seed: 0 \}\) returned a Promise; check an AsyncEnv with checkAsyncEnv/,
    );
  });

  it('the passive checker checks only the first resets and steps (nothing on the later path)', () => {
    class LateBug extends Walk {
      private steps = 0;
      override step(action: number): StepResult<Float32Array> {
        this.steps += 1;
        const result = super.step(action);
        return this.steps > PASSIVE_CHECK_CALLS ? { ...result, reward: '1' as never } : result;
      }
    }
    const env = new PassiveEnvChecker(new LateBug(), 'LateBug-v0');
    env.reset({ seed: 0 });
    for (let t = 0; t < PASSIVE_CHECK_CALLS; t++) env.step(0);
    expect(env.step(0).reward).toBe('1'); // unchecked: the passive checker is a first-calls check
    expect(() => checkEnv(new LateBug(), { envName: 'LateBug-v0' })).toThrow(/reward check failed/);
  });
});
