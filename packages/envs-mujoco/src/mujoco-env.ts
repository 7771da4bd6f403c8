/**
 * `MujocoEnv`: the plumbing shared by the Gymnasium v5 MuJoCo envs: one `MjModel` and `MjData`,
 * `frameSkip` physics steps per env step, the reset to `initQpos` / `initQvel` plus noise,
 * `setState`, float64 → float32 observations, and the SVG side / top view.
 *
 * Source: Gymnasium 1.x, `gymnasium/envs/mujoco/mujoco_env.py` (`MujocoEnv`: `reset` calls
 * `mj_resetData` then `reset_model`; `set_state` writes qpos / qvel and calls `mj_forward`;
 * `do_simulation` writes `ctrl`, runs `mj_step` `frame_skip` times, then `mj_rnePostConstraint`;
 * `dt = timestep · frame_skip`; `render_fps = round(1 / dt)`; the action space is the actuators'
 * `ctrlrange`).
 */
import { readFileSync } from 'node:fs';
import {
  Box,
  type EnvMetadata,
  formatValue,
  RenderableEnv,
  type ResetOptions,
  type ResetResult,
} from '@proximal/envs';
import { compileModel, type MjData, type MjModel, mujocoModule } from './mujoco.js';
import { BASE_OPTIONS, checkOptions, positiveIntegerOption } from './options.js';
import { type SceneView, sceneSvg } from './render.js';

/** The render modes of the MuJoCo envs: an SVG document, or the same picture as RGBA pixels. */
export type MujocoRenderMode = 'rgb_array' | 'svg';

/** Options every MuJoCo env takes (Gymnasium `MujocoEnv` keywords, camelCase). */
export interface MujocoEnvOptions {
  /**
   * Path of an MJCF file on disk that replaces the built-in model (Gymnasium's `xml_file`). It
   * must have the joints, bodies and actuators the env reads (same order and names); files it
   * includes or meshes it loads are not resolved (the model is compiled from the file's text).
   */
  xmlFile?: string;
  /** MuJoCo steps per env step (Gymnasium's `frame_skip`; a positive integer; default per env). */
  frameSkip?: number;
  /** `'svg'` (SVG string) or `'rgb_array'` (RGBA frame): what `render()` returns; default none. */
  renderMode?: MujocoRenderMode;
  /** Picture width in pixels (default 480, Gymnasium's `DEFAULT_SIZE`). */
  width?: number;
  /** Picture height in pixels (default 480). */
  height?: number;
}

/** What a subclass tells the base class. */
export interface MujocoEnvConfig {
  /** Env name for messages (the class name). */
  name: string;
  /** The built-in MJCF model. */
  xml: string;
  /** Default `frameSkip`. */
  frameSkip: number;
  /** Length of the observation vector. */
  observationSize: (model: MjModel) => number;
  /** The env-specific option keys (besides {@link BASE_OPTIONS}). */
  optionKeys: readonly string[];
  /** Projection of the picture: `'side'` (x right, z up) or `'top'` (x right, y up). */
  view: SceneView;
  /** Body whose x (and y, top view) the picture is centred on, or null for a fixed picture. */
  trackBody: string | null;
  /** World width shown in the picture, metres. */
  viewWidth: number;
  /** World vertical coordinate at the picture's centre (default 0). */
  verticalCentre?: number;
}

/**
 * Base class of the MuJoCo envs. Subclasses implement {@link resetModel} (the initial-state
 * noise, drawn from `this.rng`), {@link writeObservation} and `step` (calling
 * {@link beginStep}, {@link doSimulation} and, when terminating, {@link endEpisode}).
 */
export abstract class MujocoEnv extends RenderableEnv<Float32Array, Float32Array, MujocoRenderMode> {
  /** The compiled model (read it freely; changing it changes the physics). */
  readonly model: MjModel;
  /** The simulation state of the current episode (`qpos`, `qvel`, `xpos`, `cfrc_ext`, ...). */
  readonly data: MjData;
  /** MuJoCo steps per env step. */
  readonly frameSkip: number;
  /** Seconds per env step: `model.opt.timestep · frameSkip`. */
  readonly dt: number;
  /** `qpos` after `mj_resetData` (the model's `qpos0`), float64, length `nq`. */
  readonly initQpos: Float64Array;
  /** `qvel` after `mj_resetData` (zeros), float64, length `nv`. */
  readonly initQvel: Float64Array;
  /** `Box(-inf, inf, (n,), float32)` (Gymnasium's is float64; Proximal's observations are float32). */
  readonly observationSpace: Box;
  /** The actuators' `ctrlrange` as a float32 `Box` (Gymnasium `_set_action_space`). */
  readonly actionSpace: Box;
  /** Render modes `'rgb_array'` and `'svg'`; `renderFps` = round(1 / dt) as Gymnasium's. */
  readonly metadata: EnvMetadata;
  /** Picture size in pixels. */
  readonly width: number;
  readonly height: number;
  /** The action of the current step as float64 (the float32 values given to `step`). */
  protected readonly action: Float64Array;
  private readonly config: MujocoEnvConfig;
  private hasState = false;
  private terminatedFlag = false;
  private closed = false;

  /**
   * @param options the constructor options (checked against {@link BASE_OPTIONS} and the env's keys).
   * @param config see {@link MujocoEnvConfig}.
   * @throws TypeError / RangeError naming a bad or unknown option; Error when `xmlFile` cannot be
   *   read or MuJoCo cannot compile the model; Error when the MuJoCo module is not loaded.
   */
  protected constructor(options: MujocoEnvOptions & Record<string, unknown>, config: MujocoEnvConfig) {
    super(config.name);
    checkOptions(options, [...BASE_OPTIONS, ...config.optionKeys], config.name);
    this.config = config;
    this.frameSkip = positiveIntegerOption(options.frameSkip, config.frameSkip, `${config.name}: frameSkip`);
    this.width = positiveIntegerOption(options.width, 480, `${config.name}: width`);
    this.height = positiveIntegerOption(options.height, 480, `${config.name}: height`);
    let xml = config.xml;
    if (options.xmlFile !== undefined) {
      if (typeof options.xmlFile !== 'string') {
        throw new TypeError(
          `${config.name}: xmlFile must be a path (string), got ${formatValue(options.xmlFile)}`,
        );
      }
      try {
        xml = readFileSync(options.xmlFile, 'utf8');
      } catch (error) {
        throw new Error(
          `${config.name}: cannot read xmlFile '${options.xmlFile}': ${(error as Error).message}`,
        );
      }
    }
    const mj = mujocoModule();
    this.model = compileModel(xml, config.name);
    this.data = new mj.MjData(this.model);
    this.dt = this.model.opt.timestep * this.frameSkip;
    this.initQpos = Float64Array.from(this.data.qpos as Float64Array);
    this.initQvel = Float64Array.from(this.data.qvel as Float64Array);
    const nu = this.model.nu;
    const range = this.model.actuator_ctrlrange as Float64Array;
    const low = new Float32Array(nu);
    const high = new Float32Array(nu);
    for (let i = 0; i < nu; i++) {
      low[i] = range[2 * i];
      high[i] = range[2 * i + 1];
    }
    this.actionSpace = new Box(low, high, [nu]);
    this.action = new Float64Array(nu);
    this.observationSpace = new Box(-Infinity, Infinity, [config.observationSize(this.model)]);
    this.metadata = { renderModes: ['rgb_array', 'svg'], renderFps: Math.round(1 / this.dt) };
    this.initRenderMode(options.renderMode);
  }

  /** Draws the initial qpos / qvel (noise from `this.rng`) and calls {@link setState}. */
  protected abstract resetModel(): void;

  /** Writes the observation of the current `data` into `out` (length `observationSpace.size`). */
  protected abstract writeObservation(out: Float32Array): void;

  /** The info returned by `reset` (Gymnasium `_get_reset_info`); empty by default. */
  protected resetInfo(): Record<string, unknown> {
    return {};
  }

  /**
   * Starts an episode: `mj_resetData`, then the env's initial-state noise (Gymnasium
   * `MujocoEnv.reset` → `reset_model`).
   * @param options `seed` re-seeds the env's generator; `options` is not used (Gymnasium's MuJoCo
   *   envs ignore it).
   * @returns a new float32 observation and the reset info.
   * @throws RangeError for a bad seed; Error after `close()`.
   */
  reset(options?: ResetOptions): ResetResult<Float32Array> {
    this.checkOpen();
    this.seedFromReset(options);
    mujocoModule().mj_resetData(this.model, this.data);
    this.resetModel();
    this.hasState = true;
    this.terminatedFlag = false;
    return { observation: this.observation(), info: this.resetInfo() };
  }

  /**
   * Sets the joint positions and velocities and recomputes the derived quantities (`mj_forward`),
   * as Gymnasium's `set_state`. Does not end or restart the episode.
   * @param qpos `nq` finite numbers; @param qvel `nv` finite numbers.
   * @throws RangeError naming the argument for a wrong length or a non-finite value.
   */
  setState(qpos: ArrayLike<number>, qvel: ArrayLike<number>): void {
    this.checkOpen();
    checkVector(qpos, this.model.nq, `${this.name}: setState qpos`);
    checkVector(qvel, this.model.nv, `${this.name}: setState qvel`);
    (this.data.qpos as Float64Array).set(qpos);
    (this.data.qvel as Float64Array).set(qvel);
    mujocoModule().mj_forward(this.model, this.data);
    this.hasState = true;
  }

  /** A float64 copy of `data.qpos`. */
  get qpos(): Float64Array {
    return Float64Array.from(this.data.qpos as Float64Array);
  }

  /** A float64 copy of `data.qvel`. */
  get qvel(): Float64Array {
    return Float64Array.from(this.data.qvel as Float64Array);
  }

  /** `[qpos, qvel]` concatenated, float64 (Gymnasium `state_vector`). */
  stateVector(): Float64Array {
    const nq = this.model.nq;
    const out = new Float64Array(nq + this.model.nv);
    out.set(this.data.qpos as Float64Array);
    out.set(this.data.qvel as Float64Array, nq);
    return out;
  }

  /**
   * The world position of a body's frame (`data.xpos` row; Gymnasium `get_body_com`), float64.
   * @throws Error when the model has no such body.
   */
  bodyPosition(name: string): Float64Array {
    const id = mujocoModule().mj_name2id(this.model, mujocoModule().mjtObj.mjOBJ_BODY.value, name);
    if (id < 0) throw new Error(`${this.name}: the model has no body named '${name}'`);
    return Float64Array.from((this.data.xpos as Float64Array).subarray(3 * id, 3 * id + 3));
  }

  /**
   * Reads and checks the action (float32-rounded into {@link action}), then checks that a step may
   * run now.
   * @throws TypeError / RangeError naming `action` for a wrong length or non-finite values;
   *   Error before `reset()`, after a terminating step, or after `close()`.
   */
  protected beginStep(action: unknown): void {
    readAction(action, this.action, this.actionSpace);
    this.checkOpen();
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
   * Writes the action to `ctrl` (MuJoCo clamps it to `ctrlrange`), runs `frameSkip` `mj_step`s
   * and `mj_rnePostConstraint` (so that `cfrc_ext` is current), as Gymnasium's `do_simulation`.
   */
  protected doSimulation(): void {
    const mj = mujocoModule();
    (this.data.ctrl as Float64Array).set(this.action);
    for (let i = 0; i < this.frameSkip; i++) mj.mj_step(this.model, this.data);
    mj.mj_rnePostConstraint(this.model, this.data);
  }

  /** A new float32 observation of the current state. */
  protected observation(): Float32Array {
    const out = new Float32Array(this.observationSpace.size);
    this.writeObservation(out);
    return out;
  }

  /** Sum of squares of the action (the control cost before its weight). */
  protected actionSquaredNorm(): number {
    let s = 0;
    for (let i = 0; i < this.action.length; i++) s += this.action[i] * this.action[i];
    return s;
  }

  /** Whether there is a state to draw. */
  protected hasRenderState(): boolean {
    return this.hasState && !this.closed;
  }

  /** The orthographic picture of the current state (see `render.ts`). */
  protected override sceneSvg(): string {
    return sceneSvg(this.model, this.data, {
      width: this.width,
      height: this.height,
      view: this.config.view,
      trackBody: this.config.trackBody,
      viewWidth: this.config.viewWidth,
      verticalCentre: this.config.verticalCentre,
    });
  }

  /** Frees the MuJoCo model and data; idempotent. Later calls of `reset` / `step` throw. */
  override close(): void {
    if (this.closed) return;
    this.closed = true;
    this.data.delete();
    this.model.delete();
  }

  private checkOpen(): void {
    if (this.closed) throw new Error(`${this.name}: the env was closed`);
  }
}

/**
 * Reads a continuous action: `size` finite numbers, rounded to float32 (values outside the action
 * space are allowed, as in Gymnasium; MuJoCo clamps `ctrl` to `ctrlrange`, the costs use the
 * given values).
 * @throws TypeError when not an array of numbers; RangeError for a wrong length or a NaN / infinite
 *   element (the message names `action` and the space).
 */
export function readAction(action: unknown, out: Float64Array, space: Box): void {
  const n = out.length;
  const arrayLike = Array.isArray(action) || (ArrayBuffer.isView(action) && !(action instanceof DataView));
  if (!arrayLike)
    throw new TypeError(`action must be an array of ${n} numbers in ${space}, got ${formatValue(action)}`);
  const arr = action as ArrayLike<unknown>;
  if (arr.length !== n) {
    throw new RangeError(
      `action has length ${arr.length}, expected ${n} for ${space}; got ${formatValue(action)}`,
    );
  }
  for (let i = 0; i < n; i++) {
    const v = arr[i];
    if (typeof v !== 'number')
      throw new TypeError(`action element [${i}] must be a number, got ${formatValue(v)}`);
    if (!Number.isFinite(v))
      throw new RangeError(`action element [${i}] must be finite, got ${formatValue(v)}`);
    out[i] = Math.fround(v);
  }
}

function checkVector(value: ArrayLike<number>, n: number, what: string): void {
  if (value === null || typeof value !== 'object' || typeof value.length !== 'number') {
    throw new TypeError(`${what} must be an array of ${n} numbers, got ${formatValue(value)}`);
  }
  if (value.length !== n) throw new RangeError(`${what} has length ${value.length}, expected ${n}`);
  for (let i = 0; i < n; i++) {
    if (typeof value[i] !== 'number' || !Number.isFinite(value[i])) {
      throw new RangeError(`${what}[${i}] must be a finite number, got ${formatValue(value[i])}`);
    }
  }
}
