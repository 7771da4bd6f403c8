/**
 * `ClassicControlEnv`: the plumbing shared by the classic-control environments (a float64 physical
 * state exposed as `state`, the reset/step order checks, option checking, the render mode).
 *
 * Source: Proximal (Gymnasium's classic-control envs keep `self.state` and let users assign it;
 * Gymnasium only warns when stepping after termination, Proximal throws). Rendering follows
 * Gymnasium 1.x `Env.render`: the mode is fixed at construction, and `render()` without one
 * warns and returns nothing.
 */
import { BaseEnv } from '../base-env.js';
import type { RgbaFrame } from '../rendering/frame.js';
import { rasterizeSvg } from '../rendering/rasterize.js';
import { type ClassicRenderMode, parseRenderMode, warnNoRenderMode } from '../rendering/render-mode.js';
import { formatValue } from '../utils/format.js';
import { assignState } from './utils.js';

/**
 * Base class of the classic-control envs: owns the float64 physical state, the episode flags and
 * the render mode. Subclasses call {@link startEpisode} at the end of `reset` and {@link beginStep}
 * in `step` (after validating the action) and {@link endEpisode} when a step terminates; envs that
 * draw themselves list their modes in `metadata.renderModes`, call {@link initRenderMode} in their
 * constructor and implement {@link sceneSvg}.
 */
export abstract class ClassicControlEnv<A> extends BaseEnv<Float32Array, A> {
  /** The physical state, float64 (the subclass's dynamics read and write it in place). */
  protected readonly physical: Float64Array;
  private hasState = false;
  private terminatedFlag = false;
  private readonly className: string;
  private mode: ClassicRenderMode | undefined;

  /**
   * @param stateSize number of physical state variables.
   * @param className name used in messages before `make` sets a spec.
   */
  constructor(stateSize: number, className: string) {
    super();
    this.physical = new Float64Array(stateSize);
    this.className = className;
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

  /** The spec id, or the class name before `make` set one (for messages). */
  protected get name(): string {
    return this.spec?.id ?? this.className;
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

  /**
   * The render mode chosen at construction (Gymnasium's `render_mode`): `'rgb_array'`, `'svg'`, or
   * `undefined` (no rendering).
   */
  get renderMode(): ClassicRenderMode | undefined {
    return this.mode;
  }

  /**
   * Sets the render mode from the `renderMode` constructor option (call after `metadata` is set).
   * @throws TypeError when `value` is not a string or undefined; RangeError when it is not in
   *   `metadata.renderModes` (both name `renderMode`).
   */
  protected initRenderMode(value: unknown): void {
    this.mode = parseRenderMode(value, this.metadata.renderModes as ClassicRenderMode[], this.name);
  }

  /**
   * The picture of the current physical state as an SVG document (implemented by the envs that
   * render; called only after a reset or a `state` assignment).
   * @throws Error in the base class (the env cannot render).
   */
  protected sceneSvg(): string {
    throw new Error(`${this.name}: this environment does not implement rendering`);
  }

  /**
   * The current state drawn as in Gymnasium's pygame renderer, in the render mode chosen at
   * construction. Does no work during `step`: each call draws the current state afresh.
   *
   * @returns `'rgb_array'`: a new {@link RgbaFrame} (RGBA, `Uint8ClampedArray` of
   *   4 · width · height bytes; CartPole and MountainCar 600x400, Acrobot and Pendulum 500x500);
   *   `'svg'`: the SVG document as a string of the same size; no render mode: `undefined` (with a
   *   one-time warning, as Gymnasium's `render()` with `render_mode=None`).
   * @throws Error when a render mode is set but there is no state yet (before the first `reset()`
   *   or `state` assignment); Error when `'rgb_array'` is used and `@resvg/resvg-js` cannot load.
   */
  render(): RgbaFrame | string | undefined {
    const mode = this.mode;
    if (mode === undefined) {
      const example = this.spec
        ? `make('${this.spec.id}', { renderMode: 'rgb_array' })`
        : `new ${this.className}({ renderMode: 'rgb_array' })`;
      warnNoRenderMode(this, this.name, example);
      return undefined;
    }
    if (!this.hasState) {
      throw new Error(`${this.name}: render() called before reset(); there is no state to draw yet`);
    }
    const svg = this.sceneSvg();
    return mode === 'svg' ? svg : rasterizeSvg(svg);
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
