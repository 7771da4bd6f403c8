/**
 * `RenderableEnv`: the render-mode plumbing shared by Proximal's own envs (classic control and toy
 * text): the `renderMode` constructor option, and `render()` drawing the current state in it.
 *
 * Source: Gymnasium 1.x, `gymnasium/core.py` (`Env.render`, `Env.render_mode`,
 * `metadata["render_modes"]`): the mode is fixed at construction, and `render()` without one warns
 * and returns nothing.
 */
import { BaseEnv } from '../base-env.js';
import type { RgbaFrame } from './frame.js';
import { rasterizeSvg } from './rasterize.js';
import { parseRenderMode, type RenderMode, warnNoRenderMode } from './render-mode.js';

/**
 * Base class of the envs that render: owns the env's name for messages and its render mode.
 * Subclasses list their modes in `metadata.renderModes`, call {@link initRenderMode} in their
 * constructor (after `metadata` is set), say through {@link hasRenderState} whether there is a
 * state to draw, and implement {@link sceneSvg} (modes `'svg'` and `'rgb_array'`) and / or
 * {@link sceneText} (mode `'ansi'`).
 *
 * @typeParam M the render modes the env may take.
 */
export abstract class RenderableEnv<O, A, M extends RenderMode = RenderMode> extends BaseEnv<O, A> {
  private readonly className: string;
  private mode: M | undefined;

  /** @param className name used in messages before `make` sets a spec. */
  protected constructor(className: string) {
    super();
    this.className = className;
  }

  /** The spec id, or the class name before `make` set one (for messages). */
  protected get name(): string {
    return this.spec?.id ?? this.className;
  }

  /**
   * The render mode chosen at construction (Gymnasium's `render_mode`), one of
   * `metadata.renderModes`, or `undefined` (no rendering).
   */
  get renderMode(): M | undefined {
    return this.mode;
  }

  /**
   * Sets the render mode from the `renderMode` constructor option (call after `metadata` is set).
   * @throws TypeError when `value` is not a string or undefined; RangeError when it is not in
   *   `metadata.renderModes` (both name `renderMode`).
   */
  protected initRenderMode(value: unknown): void {
    this.mode = parseRenderMode(value, this.metadata.renderModes as M[], this.name);
  }

  /** Whether there is a state to draw (false before the first reset). */
  protected abstract hasRenderState(): boolean;

  /**
   * The picture of the current state as an SVG document (modes `'svg'` and `'rgb_array'`; called
   * only when {@link hasRenderState}).
   * @throws Error in the base class (the env does not draw itself).
   */
  protected sceneSvg(): string {
    throw new Error(`${this.name}: this environment does not implement rgb_array / svg rendering`);
  }

  /**
   * The current state as text (mode `'ansi'`; called only when {@link hasRenderState}).
   * @throws Error in the base class (the env has no text form).
   */
  protected sceneText(): string {
    throw new Error(`${this.name}: this environment does not implement ansi rendering`);
  }

  /**
   * The current state in the render mode chosen at construction. Does no work during `step`: each
   * call draws the current state afresh.
   *
   * @returns `'rgb_array'`: a new {@link RgbaFrame} (RGBA, `Uint8ClampedArray` of 4 · width ·
   *   height bytes; CartPole and MountainCar 600x400, Acrobot and Pendulum 500x500, as Gymnasium's;
   *   the toy-text grids 64 px per cell, CliffWalking 60); `'svg'`: the same picture as an SVG
   *   document (a string); `'ansi'`: the state as text, ending with a newline; no render mode:
   *   `undefined`, with a one-time warning (as Gymnasium's `render()` with `render_mode=None`).
   * @throws Error when a render mode is set but there is no state yet (before the first `reset()`
   *   or, for classic control, `state` assignment); Error when `'rgb_array'` is used and
   *   `@resvg/resvg-js` cannot load.
   */
  render(): RgbaFrame | string | undefined {
    const mode = this.mode;
    if (mode === undefined) {
      const suggested = this.metadata.renderModes[0];
      const example = this.spec
        ? `make('${this.spec.id}', { renderMode: '${suggested}' })`
        : `new ${this.className}({ renderMode: '${suggested}' })`;
      warnNoRenderMode(this, this.name, example);
      return undefined;
    }
    if (!this.hasRenderState()) {
      throw new Error(`${this.name}: render() called before reset(); there is no state to draw yet`);
    }
    if (mode === 'ansi') return this.sceneText();
    const svg = this.sceneSvg();
    return mode === 'svg' ? svg : rasterizeSvg(svg);
  }
}
