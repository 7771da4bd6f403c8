/**
 * Action wrappers: `ClipAction` and `RescaleAction`.
 *
 * Source: Gymnasium 1.x, `gymnasium/wrappers/transform_action.py` (`ClipAction`, `RescaleAction`).
 */
import type { Env, StepResult } from '../env.js';
import { Box } from '../spaces/box.js';
import type { Space } from '../spaces/space.js';
import { formatValue } from '../utils/format.js';
import { Wrapper } from './wrapper.js';

function boxActionSpace(env: Env<unknown, unknown>, who: string): Box {
  const space = env?.actionSpace;
  if (!(space instanceof Box)) {
    throw new TypeError(`${who}: the env's action space must be a Box, got ${String(space)}`);
  }
  return space;
}

function readAction(action: unknown, size: number, who: string): ArrayLike<number> {
  if (typeof action === 'number' && size === 1) return [action];
  const arrayLike = Array.isArray(action) || (ArrayBuffer.isView(action) && !(action instanceof DataView));
  if (!arrayLike || (action as ArrayLike<unknown>).length !== size) {
    throw new RangeError(`${who}: action must be an array of ${size} numbers, got ${formatValue(action)}`);
  }
  return action as ArrayLike<number>;
}

/**
 * Clips continuous actions to the wrapped env's `Box` bounds before stepping; the action space
 * becomes the unbounded `Box(-inf, inf, shape)` (Gymnasium 1.x `ClipAction`). The env receives a
 * `Float32Array`.
 *
 * @example new ClipAction(make('Pendulum-v1')).step([5]); // Pendulum receives [2]
 */
export class ClipAction<O = Float32Array> extends Wrapper<O, ArrayLike<number>> {
  private readonly clipSpace: Box;
  private readonly innerSpace: Box;

  /** @throws TypeError when the env's action space is not a `Box`. */
  constructor(env: Env<O, Float32Array> | Env<O, number | Float32Array>) {
    super(env as unknown as Env<O, ArrayLike<number>>);
    this.innerSpace = boxActionSpace(env as Env<unknown, unknown>, 'ClipAction');
    this.clipSpace = new Box(-Infinity, Infinity, this.innerSpace.shape);
  }

  /** `Box(-inf, inf, shape)`. */
  override get actionSpace(): Space<ArrayLike<number>> {
    return this.clipSpace as unknown as Space<ArrayLike<number>>;
  }

  /**
   * Steps with `clip(action, low, high)` (a new `Float32Array`).
   * @throws RangeError when `action` is not an array of `prod(shape)` numbers.
   */
  override step(action: ArrayLike<number>): StepResult<O> {
    const space = this.innerSpace;
    const a = readAction(action, space.size, 'ClipAction');
    const out = new Float32Array(space.size);
    for (let i = 0; i < out.length; i++) out[i] = Math.min(Math.max(a[i], space.low[i]), space.high[i]);
    return this.env.step(out);
  }
}

/**
 * Affinely rescales actions from `[minAction, maxAction]` to the wrapped env's `Box` bounds
 * `[low, high]` (Gymnasium 1.x `RescaleAction`): the env receives
 * `clip(low + (high − low) · (action − minAction) / (maxAction − minAction), low, high)`, and the
 * action space becomes `Box(minAction, maxAction, shape)`.
 *
 * @example new RescaleAction(make('Pendulum-v1'), -1, 1).step([0.5]); // Pendulum receives [1]
 */
export class RescaleAction<O = Float32Array> extends Wrapper<O, ArrayLike<number>> {
  /** The new action bounds. */
  readonly minAction: Float32Array;
  readonly maxAction: Float32Array;
  private readonly rescaledSpace: Box;
  private readonly innerSpace: Box;
  private readonly gradient: Float64Array;
  private readonly intercept: Float64Array;

  /**
   * @param minAction lower bound(s) of the new action space (scalar or one per element).
   * @param maxAction upper bound(s), each greater than `minAction`'s.
   * @throws TypeError when the env's action space is not a `Box`; RangeError when the env's
   *   bounds are not finite or `minAction ≥ maxAction` somewhere.
   */
  constructor(
    env: Env<O, Float32Array> | Env<O, number | Float32Array>,
    minAction: number | ArrayLike<number>,
    maxAction: number | ArrayLike<number>,
  ) {
    super(env as unknown as Env<O, ArrayLike<number>>);
    const inner = boxActionSpace(env as Env<unknown, unknown>, 'RescaleAction');
    if (!inner.isBounded('both')) {
      throw new RangeError(`RescaleAction: the env's action space ${String(inner)} must be bounded`);
    }
    this.innerSpace = inner;
    this.rescaledSpace = new Box(minAction, maxAction, inner.shape);
    this.minAction = this.rescaledSpace.low;
    this.maxAction = this.rescaledSpace.high;
    this.gradient = new Float64Array(inner.size);
    this.intercept = new Float64Array(inner.size);
    for (let i = 0; i < inner.size; i++) {
      const lo = this.minAction[i];
      const hi = this.maxAction[i];
      if (!(lo < hi) || !Number.isFinite(lo) || !Number.isFinite(hi)) {
        throw new RangeError(
          `RescaleAction: minAction[${i}] = ${lo} must be finite and less than maxAction[${i}] = ${hi}`,
        );
      }
      this.gradient[i] = (inner.high[i] - inner.low[i]) / (hi - lo);
      this.intercept[i] = this.gradient[i] * -lo + inner.low[i];
    }
  }

  /** `Box(minAction, maxAction, shape)`. */
  override get actionSpace(): Space<ArrayLike<number>> {
    return this.rescaledSpace as unknown as Space<ArrayLike<number>>;
  }

  /** The action mapped to the env's bounds (a new `Float32Array`), as `env.step` receives it. */
  rescale(action: ArrayLike<number>): Float32Array {
    const inner = this.innerSpace;
    const a = readAction(action, inner.size, 'RescaleAction');
    const out = new Float32Array(inner.size);
    for (let i = 0; i < out.length; i++) {
      const v = a[i] * this.gradient[i] + this.intercept[i];
      out[i] = Math.min(Math.max(v, inner.low[i]), inner.high[i]);
    }
    return out;
  }

  /**
   * Steps with {@link rescale}(action).
   * @throws RangeError when `action` is not an array of `prod(shape)` numbers.
   */
  override step(action: ArrayLike<number>): StepResult<O> {
    return this.env.step(this.rescale(action));
  }
}
