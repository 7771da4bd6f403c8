/**
 * `ClassicControlEnv`: the plumbing shared by the classic-control environments (a float64 physical
 * state exposed as `state`, the reset/step order checks, option checking, the render mode).
 *
 * Source: Proximal (Gymnasium's classic-control envs keep `self.state` and let users assign it;
 * Gymnasium only warns when stepping after termination, Proximal throws). Rendering follows
 * Gymnasium 1.x `Env.render` (see `RenderableEnv`).
 */
import type { ClassicRenderMode } from '../rendering/render-mode.js';
import { RenderableEnv } from '../rendering/renderable-env.js';
import { formatValue } from '../utils/format.js';
import { assignState } from './utils.js';

/**
 * Base class of the classic-control envs: owns the float64 physical state, the episode flags and
 * the render mode. Subclasses call {@link startEpisode} at the end of `reset` and {@link beginStep}
 * in `step` (after validating the action) and {@link endEpisode} when a step terminates; envs that
 * draw themselves list their modes in `metadata.renderModes`, call `initRenderMode` in their
 * constructor and implement `sceneSvg` (see {@link RenderableEnv}).
 */
export abstract class ClassicControlEnv<A> extends RenderableEnv<Float32Array, A, ClassicRenderMode> {
  /** The physical state, float64 (the subclass's dynamics read and write it in place). */
  protected readonly physical: Float64Array;
  private hasState = false;
  private terminatedFlag = false;

  /**
   * @param stateSize number of physical state variables.
   * @param className name used in messages before `make` sets a spec.
   */
  constructor(stateSize: number, className: string) {
    super(className);
    this.physical = new Float64Array(stateSize);
  }

  /**
   * The physical state as a new float64 copy (Gymnasium's `env.unwrapped.state`). Assigning copies
   * `stateSize` finite numbers in (it does not end or restart the episode; after a terminating
   * step, `reset()` is still required).
   * @throws Error when read before the first `reset()` or assignment; TypeError/RangeError when
   *   the assigned value is not an array of `stateSize` finite numbers.
   */
  get state(): Float64Array {
    if (!this.hasState) throw new Error(`${this.name}: there is no state before the first reset()`);
    return Float64Array.from(this.physical);
  }

  set state(value: ArrayLike<number>) {
    assignState(value, this.physical, this.name);
    this.hasState = true;
  }

  /** Marks the physical state as set and the episode as running (end of `reset`). */
  protected startEpisode(): void {
    this.hasState = true;
    this.terminatedFlag = false;
  }

  /**
   * Checks that a step may run now.
   * @throws Error before the first `reset()` or after a terminating step.
   */
  protected beginStep(): void {
    if (!this.hasState) throw new Error(`${this.name}: step() called before reset(); call reset() first`);
    if (this.terminatedFlag) {
      throw new Error(
        `${this.name}: step() called after the episode terminated (a previous step returned terminated = true); call reset() before stepping again`,
      );
    }
  }

  /** Records that the current step terminated the episode. */
  protected endEpisode(): void {
    this.terminatedFlag = true;
  }

  /** Whether there is a physical state to draw (after a reset or a `state` assignment). */
  protected hasRenderState(): boolean {
    return this.hasState;
  }
}

/**
 * Checks constructor options against the allowed keys.
 * @throws TypeError naming the unknown option and the allowed ones (Gymnasium raises TypeError for
 *   unexpected keyword arguments too).
 */
export function checkOptionKeys(options: object, allowed: readonly string[], envName: string): void {
  for (const key of Object.keys(options)) {
    if (!allowed.includes(key)) {
      const hint = allowed.length === 0 ? 'it takes no options' : `the options are ${allowed.join(', ')}`;
      throw new TypeError(`${envName}: unknown option ${formatValue(key)}; ${hint}`);
    }
  }
}

/**
 * Reads a finite numeric option.
 * @throws TypeError when the value is present and not a finite number.
 */
export function numberOption(value: unknown, fallback: number, what: string): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new TypeError(`${what} must be a finite number, got ${formatValue(value)}`);
  }
  return value;
}

/**
 * Reads a boolean option (`undefined` or `null`: the fallback).
 * @throws TypeError when the value is present and not a boolean.
 */
export function booleanOption(value: unknown, fallback: boolean, what: string): boolean {
  if (value === undefined || value === null) return fallback;
  if (typeof value !== 'boolean') throw new TypeError(`${what} must be a boolean, got ${formatValue(value)}`);
  return value;
}
