/**
 * Observation wrappers: `ObservationWrapper` (base), `TransformObservation`,
 * `NormalizeObservation`, `FlattenObservation` and `FrameStackObservation`.
 *
 * Source: Gymnasium 1.x, `gymnasium/core.py` (`ObservationWrapper`),
 * `gymnasium/wrappers/transform_observation.py` (`TransformObservation`, `FlattenObservation`) and
 * `gymnasium/wrappers/stateful_observation.py` (`NormalizeObservation`, `FrameStackObservation`).
 */
import { RunningMeanStd } from '@proximal/core';
import type { Env, ResetOptions, ResetResult, StepResult } from '../env.js';
import { Box } from '../spaces/box.js';
import { Discrete } from '../spaces/discrete.js';
import { flatten, flattenSpace } from '../spaces/flatten.js';
import { MultiDiscrete } from '../spaces/multi-discrete.js';
import type { Space } from '../spaces/space.js';
import { formatValue } from '../utils/format.js';
import { Wrapper } from './wrapper.js';

/**
 * Base class of wrappers that transform observations: subclasses implement `observation(obs)`,
 * applied to the observations of `reset()` and `step()`, and may set a new observation space.
 * `O` is the new observation type, `I` the wrapped env's.
 */
export abstract class ObservationWrapper<O, I = Float32Array, A = number | Float32Array> extends Wrapper<
  O,
  A
> {
  /** The wrapped env with its own observation type. */
  protected readonly innerEnv: Env<I, A>;
  private space: Space<O> | undefined;

  constructor(env: Env<I, A>) {
    super(env as unknown as Env<O, A>);
    this.innerEnv = env;
  }

  /** The transformed observation space (the wrapped env's unless a subclass set one). */
  override get observationSpace(): Space<O> {
    return this.space ?? (this.innerEnv.observationSpace as unknown as Space<O>);
  }

  /** Sets the observation space the wrapper reports. */
  protected setObservationSpace(space: Space<O>): void {
    this.space = space;
  }

  /** The transformed observation. */
  abstract observation(observation: I): O;

  /** Resets and transforms the first observation. */
  override reset(options?: ResetOptions): ResetResult<O> {
    const result = this.innerEnv.reset(options);
    return { observation: this.observation(result.observation), info: result.info };
  }

  /** Steps and transforms the observation. */
  override step(action: A): StepResult<O> {
    const result = this.innerEnv.step(action);
    return { ...result, observation: this.observation(result.observation) };
  }
}

/**
 * Applies `func` to every observation (Gymnasium `TransformObservation`); `observationSpace` is the
 * new space (default: the wrapped env's, for transforms that keep it).
 * @example new TransformObservation(make('CartPole-v1'), (o) => o.map((x) => 2 * x), newBox)
 */
export class TransformObservation<O, I = Float32Array, A = number | Float32Array> extends ObservationWrapper<
  O,
  I,
  A
> {
  /** The observation function. */
  readonly func: (observation: I) => O;

  /** @throws TypeError when `func` is not a function. */
  constructor(env: Env<I, A>, func: (observation: I) => O, observationSpace?: Space<O>) {
    super(env);
    if (typeof func !== 'function') {
      throw new TypeError(`TransformObservation: func must be a function, got ${formatValue(func)}`);
    }
    this.func = func;
    if (observationSpace !== undefined) this.setObservationSpace(observationSpace);
  }

  observation(observation: I): O {
    return this.func(observation);
  }
}

function boxObservationSpace(env: Env<unknown, unknown>, who: string): Box {
  const space = env?.observationSpace;
  if (!(space instanceof Box)) {
    throw new TypeError(`${who}: the env's observation space must be a Box, got ${String(space)}`);
  }
  return space;
}

/**
 * Normalizes each observation element to roughly zero mean and unit variance with running
 * statistics (Gymnasium 1.x `NormalizeObservation`): every observation (reset ones included) is
 * first merged into `obsRms` (initial count 1e-4, mean 0, variance 1), then returned as
 * `(obs − mean) / sqrt(var + epsilon)` in a new `Float32Array`. The observation space becomes
 * `Box(-inf, inf, shape)`. Difference: the statistics are float64 (Gymnasium: the space's dtype).
 */
export class NormalizeObservation<A = number | Float32Array> extends ObservationWrapper<
  Float32Array,
  Float32Array,
  A
> {
  /** Running statistics of the observations. */
  readonly obsRms: RunningMeanStd;
  /** Added to the variance before the square root. */
  readonly epsilon: number;
  /** Whether observations update `obsRms` (set false to freeze the statistics). */
  updateRunningMean = true;

  /**
   * @param options `epsilon` (default 1e-8, ≥ 0).
   * @throws TypeError when the observation space is not a `Box`; RangeError for a bad `epsilon`.
   */
  constructor(env: Env<Float32Array, A>, options: { epsilon?: number } = {}) {
    super(env);
    const space = boxObservationSpace(env as Env<unknown, unknown>, 'NormalizeObservation');
    this.epsilon = options.epsilon ?? 1e-8;
    if (typeof this.epsilon !== 'number' || !(this.epsilon >= 0) || !Number.isFinite(this.epsilon)) {
      throw new RangeError(
        `NormalizeObservation: epsilon must be a finite number ≥ 0, got ${formatValue(this.epsilon)}`,
      );
    }
    this.obsRms = new RunningMeanStd(Math.max(space.size, 1));
    this.setObservationSpace(new Box(-Infinity, Infinity, space.shape));
  }

  observation(observation: Float32Array): Float32Array {
    if (this.updateRunningMean) this.obsRms.update(observation);
    const { mean, var: variance } = this.obsRms;
    const out = new Float32Array(observation.length);
    for (let i = 0; i < out.length; i++)
      out[i] = (observation[i] - mean[i]) / Math.sqrt(variance[i] + this.epsilon);
    return out;
  }
}

/**
 * Flattens observations of any supported space (`Box`, `Discrete`, `MultiDiscrete`, `MultiBinary`,
 * `Dict`, `Tuple`) into `Float32Array`s of the flat `Box` `flattenSpace(space)` (Gymnasium
 * `FlattenObservation`); e.g. a `Discrete(n)` observation becomes a one-hot vector.
 */
export class FlattenObservation<I = unknown, A = number | Float32Array> extends ObservationWrapper<
  Float32Array,
  I,
  A
> {
  private readonly innerSpace: Space<I>;

  /** @throws TypeError when the observation space cannot be flattened. */
  constructor(env: Env<I, A>) {
    super(env);
    this.innerSpace = env.observationSpace;
    this.setObservationSpace(flattenSpace(env.observationSpace as Space<unknown>));
  }

  observation(observation: I): Float32Array {
    return flatten(this.innerSpace, observation);
  }
}

/** Padding of {@link FrameStackObservation} at reset. */
export type FramePadding = 'reset' | 'zero' | { value: Float32Array | number };

/**
 * Stacks the last `stackSize` observations (Gymnasium 1.x `FrameStackObservation`), oldest first.
 *
 * - `Box` observations of shape S become `Float32Array`s of shape `[stackSize, ...S]` (the space's
 *   bounds repeated); `Discrete(n, start)` ones become `Int32Array`s of `MultiDiscrete([n] * k)`.
 * - At reset the `stackSize − 1` older frames are the padding: `'reset'` (default) copies of the
 *   reset observation, `'zero'` zeros (`start` for `Discrete`), or `{ value }` a given element.
 */
export class FrameStackObservation<A = number | Float32Array> extends ObservationWrapper<
  Float32Array | Int32Array,
  Float32Array | number,
  A
> {
  /** Number of stacked frames. */
  readonly stackSize: number;
  /** The padding mode (see {@link FramePadding}). */
  readonly paddingType: FramePadding;
  private readonly frameSize: number;
  private readonly discrete: boolean;
  private readonly frames: (Float32Array | number)[] = [];
  private readonly zeroFrame: Float32Array | number;

  /**
   * @param stackSize number of frames, a positive integer.
   * @param options `paddingType` (default `'reset'`).
   * @throws TypeError when the observation space is neither a `Box` nor a `Discrete`;
   *   RangeError for a bad `stackSize` or a padding value outside the observation space.
   */
  constructor(
    env: Env<Float32Array, A> | Env<number, A>,
    stackSize: number,
    options: { paddingType?: FramePadding } = {},
  ) {
    super(env as Env<Float32Array | number, A>);
    if (!Number.isSafeInteger(stackSize) || stackSize <= 0) {
      throw new RangeError(
        `FrameStackObservation: stackSize must be a positive integer, got ${formatValue(stackSize)}`,
      );
    }
    this.stackSize = stackSize;
    const space = env.observationSpace as Space<unknown>;
    const padding = options.paddingType ?? 'reset';
    if (space instanceof Box) {
      this.discrete = false;
      this.frameSize = space.size;
      const low = new Float32Array(stackSize * space.size);
      const high = new Float32Array(stackSize * space.size);
      for (let k = 0; k < stackSize; k++) {
        low.set(space.low, k * space.size);
        high.set(space.high, k * space.size);
      }
      this.setObservationSpace(new Box(low, high, [stackSize, ...space.shape]));
      this.zeroFrame = new Float32Array(space.size);
    } else if (space instanceof Discrete) {
      this.discrete = true;
      this.frameSize = 1;
      this.setObservationSpace(
        new MultiDiscrete(new Array(stackSize).fill(space.n), {
          start: new Array(stackSize).fill(space.start),
        }),
      );
      this.zeroFrame = space.start;
    } else {
      throw new TypeError(
        `FrameStackObservation: the observation space must be a Box or a Discrete, got ${String(space)}`,
      );
    }
    if (typeof padding === 'object' && padding !== null) {
      if (!space.contains(padding.value)) {
        throw new RangeError(
          `FrameStackObservation: padding value ${formatValue(padding.value)} is not in ${String(space)}`,
        );
      }
    } else if (padding !== 'reset' && padding !== 'zero') {
      throw new RangeError(
        `FrameStackObservation: paddingType must be 'reset', 'zero' or { value }, got ${formatValue(padding)}`,
      );
    }
    this.paddingType = padding;
  }

  override reset(options?: ResetOptions): ResetResult<Float32Array | Int32Array> {
    const result = this.innerEnv.reset(options);
    const padding =
      this.paddingType === 'reset'
        ? result.observation
        : this.paddingType === 'zero'
          ? this.zeroFrame
          : this.paddingType.value;
    const pad = typeof padding === 'number' ? padding : Float32Array.from(padding);
    this.frames.length = 0;
    for (let k = 0; k < this.stackSize - 1; k++) this.frames.push(pad);
    return { observation: this.observation(result.observation), info: result.info };
  }

  /** Pushes `observation` as the newest frame and returns the stack (a new array). */
  observation(observation: Float32Array | number): Float32Array | Int32Array {
    this.frames.push(this.discrete ? observation : Float32Array.from(observation as Float32Array));
    while (this.frames.length > this.stackSize) this.frames.shift();
    const d = this.frameSize;
    if (this.discrete) return Int32Array.from(this.frames as number[]);
    const out = new Float32Array(this.stackSize * d);
    this.frames.forEach((f, k) => {
      out.set(f as Float32Array, k * d);
    });
    return out;
  }
}
