import { describe, expect, it } from 'vitest';
import {
  BaseEnv,
  Box,
  CartPole,
  ClipAction,
  Dict,
  Discrete,
  type EnvMetadata,
  FlattenObservation,
  FrameStackObservation,
  make,
  NormalizeObservation,
  NormalizeReward,
  Pendulum,
  RescaleAction,
  type ResetResult,
  type StepResult,
  TransformObservation,
  TransformReward,
} from '../src/index.js';

/** A scripted env: observation t (as a Float32Array of `dim` copies), reward rewards[t]. */
class Scripted extends BaseEnv<Float32Array, number> {
  readonly observationSpace: Box;
  readonly actionSpace = new Discrete(2);
  readonly metadata: EnvMetadata = { renderModes: [] };
  t = 0;
  private k = 0; // index into rewards / terminals, not reset by reset()
  constructor(
    private readonly rewards: number[],
    private readonly terminals: boolean[] = [],
    private readonly dim = 2,
  ) {
    super();
    this.observationSpace = new Box(-100, 100, [dim]);
  }
  reset(): ResetResult<Float32Array> {
    this.t = 0;
    return { observation: new Float32Array(this.dim).fill(0), info: {} };
  }
  step(): StepResult<Float32Array> {
    this.t++;
    const k = this.k++;
    return {
      observation: new Float32Array(this.dim).fill(this.t * (this.t % 2 === 0 ? 1 : -1)),
      reward: this.rewards[k] ?? 0,
      terminated: this.terminals[k] ?? false,
      truncated: false,
      info: {},
    };
  }
}

describe('ClipAction', () => {
  it('clips to the Box bounds and advertises an unbounded action space', () => {
    const clipped = new ClipAction(new Pendulum());
    const plain = new Pendulum();
    expect(String(clipped.actionSpace)).toBe('Box(-inf, inf, (1,), float32)');
    clipped.reset({ seed: 0 });
    plain.reset({ seed: 0 });
    const a = clipped.step([5]);
    const b = plain.step(Float32Array.of(2));
    expect(Array.from(a.observation)).toEqual(Array.from(b.observation));
    expect(a.reward).toBe(b.reward);
    expect(() => clipped.step([1, 2])).toThrow(RangeError);
    expect(() => new ClipAction(new CartPole() as never)).toThrow(TypeError);
  });
});

describe('RescaleAction', () => {
  it('maps [min, max] affinely onto the env bounds and clips', () => {
    const env = new RescaleAction(new Pendulum(), -1, 1);
    expect(String(env.actionSpace)).toBe('Box(-1.0, 1.0, (1,), float32)');
    expect(Array.from(env.rescale([0.5]))).toEqual([1]);
    expect(Array.from(env.rescale([-1]))).toEqual([-2]);
    expect(Array.from(env.rescale([0]))).toEqual([0]);
    expect(Array.from(env.rescale([3]))).toEqual([2]);
    const asym = new RescaleAction(new Pendulum(), [0], [4]);
    expect(Array.from(asym.rescale([1]))).toEqual([-1]);
    env.reset({ seed: 1 });
    const plain = new Pendulum();
    plain.reset({ seed: 1 });
    expect(Array.from(env.step([0.25]).observation)).toEqual(
      Array.from(plain.step(Float32Array.of(0.5)).observation),
    );
    expect(() => new RescaleAction(new Pendulum(), 1, 1)).toThrow(RangeError);
    expect(() => new RescaleAction(new Pendulum(), [0, 0], [1, 1])).toThrow(RangeError);
  });
});

describe('TransformObservation / TransformReward', () => {
  it('applies the functions to reset and step results', () => {
    const space = new Box(-10, 10, [2]);
    const env = new TransformReward(
      new TransformObservation(new Scripted([1, 2]), (o) => o.map((x) => x * 2), space),
      (r) => 10 * r,
    );
    expect(env.observationSpace).toBe(space);
    expect(Array.from(env.reset().observation)).toEqual([0, 0]);
    const r = env.step(0);
    expect(Array.from(r.observation)).toEqual([-2, -2]);
    expect(r.reward).toBe(10);
    const same = new TransformObservation(new CartPole(), (o) => o);
    expect(same.observationSpace).toBe(same.unwrapped.observationSpace);
    expect(() => new TransformReward(new CartPole(), 3 as never)).toThrow(TypeError);
  });
});

describe('NormalizeObservation', () => {
  it('normalizes with running statistics updated before use (Gymnasium order)', () => {
    const env = new NormalizeObservation(new Scripted([], [], 1));
    expect(String(env.observationSpace)).toBe('Box(-inf, inf, (1,), float32)');
    // Reference: Gymnasium's RunningMeanStd (count 1e-4, mean 0, var 1), batches of one.
    let mean = 0;
    let variance = 1;
    let count = 1e-4;
    const expected = (x: number): number => {
      const delta = x - mean;
      const total = count + 1;
      mean += delta / total;
      variance = (variance * count + (delta * delta * count) / total) / total;
      count = total;
      return Math.fround((x - mean) / Math.sqrt(variance + 1e-8));
    };
    expect(env.reset().observation[0]).toBe(expected(0));
    for (let t = 1; t <= 6; t++) {
      const x = t * (t % 2 === 0 ? 1 : -1);
      expect(env.step(0).observation[0]).toBeCloseTo(expected(x), 6);
    }
    expect(env.obsRms.count).toBeCloseTo(7.0001, 10);
    env.updateRunningMean = false;
    const before = env.obsRms.mean[0];
    env.step(0);
    expect(env.obsRms.mean[0]).toBe(before);
    expect(() => new NormalizeObservation(new Scripted([]), { epsilon: -1 })).toThrow(RangeError);
  });
});

describe('NormalizeReward', () => {
  it('divides by the std of the discounted return, reset only by termination', () => {
    const rewards = [1, 2, 3, -1, 0.5, 4];
    const terminals = [false, false, true, false, false, false];
    const env = new NormalizeReward(new Scripted(rewards, terminals), { gamma: 0.9 });
    env.reset();
    let g = 0;
    let mean = 0;
    let variance = 1;
    let count = 1e-4;
    for (let t = 0; t < rewards.length; t++) {
      if (t === 4) env.reset(); // reset() does not clear the return (Gymnasium)
      const r = env.step(0);
      g = g * 0.9 * (terminals[t] ? 0 : 1) + rewards[t];
      const delta = g - mean;
      const total = count + 1;
      mean += delta / total;
      variance = (variance * count + (delta * delta * count) / total) / total;
      count = total;
      expect(r.reward).toBeCloseTo(rewards[t] / Math.sqrt(variance + 1e-8), 12);
      expect(env.discountedReward).toBeCloseTo(g, 12);
    }
    expect(() => new NormalizeReward(new CartPole(), { gamma: 2 })).toThrow(RangeError);
  });
});

describe('FlattenObservation', () => {
  it('flattens Discrete observations to one-hot and Dict ones by key', () => {
    const lake = new FlattenObservation(make('FrozenLake-v1', { isSlippery: false }));
    expect(String(lake.observationSpace)).toBe('Box(0.0, 1.0, (16,), float32)');
    const obs = lake.reset({ seed: 0 }).observation;
    expect(Array.from(obs).indexOf(1)).toBe(0);
    const s = lake.step(2).observation; // right
    expect(Array.from(s).indexOf(1)).toBe(1);
    const dictSpace = new Dict({ b: new Discrete(2), a: new Box(-5, 5, [2]) });
    const dictEnv = new FlattenObservation(
      new TransformObservation(new Scripted([]), (o) => ({ a: o, b: 1 }), dictSpace),
    );
    expect(dictEnv.observationSpace.shape).toEqual([4]);
    expect(Array.from(dictEnv.step(0).observation)).toEqual([-1, -1, 0, 1]);
  });
});

describe('FrameStackObservation', () => {
  it('stacks Box frames oldest first with reset padding', () => {
    const env = new FrameStackObservation(new Scripted([]), 3);
    expect(env.observationSpace.shape).toEqual([3, 2]);
    expect(Array.from(env.reset().observation)).toEqual([0, 0, 0, 0, 0, 0]);
    expect(Array.from(env.step(0).observation)).toEqual([0, 0, 0, 0, -1, -1]);
    expect(Array.from(env.step(0).observation)).toEqual([0, 0, -1, -1, 2, 2]);
    expect(Array.from(env.step(0).observation)).toEqual([-1, -1, 2, 2, -3, -3]);
    expect(env.observationSpace.contains(env.step(0).observation)).toBe(true);
  });

  it('pads with zeros or a value, and stacks Discrete observations as MultiDiscrete', () => {
    const cart = new FrameStackObservation(new CartPole(), 2, { paddingType: 'zero' });
    const first = cart.reset({ seed: 0 }).observation;
    expect(Array.from(first.subarray(0, 4))).toEqual([0, 0, 0, 0]);
    expect(first.subarray(4).some((x) => x !== 0)).toBe(true);
    const padded = new FrameStackObservation(new Scripted([]), 2, {
      paddingType: { value: Float32Array.of(7, 7) },
    });
    expect(Array.from(padded.reset().observation)).toEqual([7, 7, 0, 0]);
    const lake = new FrameStackObservation(make<number, number>('FrozenLake-v1', { isSlippery: false }), 3);
    expect(String(lake.observationSpace)).toBe('MultiDiscrete([16 16 16])');
    lake.reset({ seed: 0 });
    const o = lake.step(1).observation; // down: 0 → 4
    expect(o).toBeInstanceOf(Int32Array);
    expect(Array.from(o)).toEqual([0, 0, 4]);
    expect(() => new FrameStackObservation(new CartPole(), 0)).toThrow(RangeError);
    expect(() => new FrameStackObservation(new Scripted([]), 2, { paddingType: { value: 500 } })).toThrow(
      RangeError,
    );
  });
});
