/**
 * `SyncVectorEnv`: steps its sub-envs one after the other in the calling thread.
 *
 * Source: Gymnasium 1.x, `gymnasium/vector/sync_vector_env.py` (`SyncVectorEnv.reset` with seeds
 * s + i and `reset_mask`, `SyncVectorEnv.step` with the three autoreset modes).
 */

import type { Env } from '../env.js';
import { type Space, shapeSize } from '../spaces/space.js';
import { formatValue } from '../utils/format.js';
import { AutoresetState, autoresetModeOf } from './autoreset-state.js';
import { planReset } from './seeds.js';
import type {
  AutoresetMode,
  VectorEnv,
  VectorResetOptions,
  VectorResetResult,
  VectorStepResult,
} from './vector-env.js';

/** Options of {@link SyncVectorEnv}. */
export interface SyncVectorEnvOptions {
  /** Default `'next-step'`; see {@link AutoresetMode}. */
  autoresetMode?: AutoresetMode;
  /**
   * Optional non-negative integer: the seed of the first `reset()` called without one (sub-env i
   * gets seed + i), and sub-env i's action space is seeded with seed + i.
   */
  seed?: number;
}

type ActionArray = Int32Array | Float32Array | Float64Array | readonly number[];

function spaceKey(space: Space<unknown>): string {
  return JSON.stringify(space.toJSON());
}

/**
 * A vector env over sub-envs created by `envFns`, stepped sequentially. Observations, rewards and
 * flags are written into preallocated typed arrays that every `step()` / `reset()` returns again
 * (copy what you keep). Actions of vector action spaces are copied into a per-sub-env
 * `Float32Array` that is reused too.
 *
 * @example
 * const vec = new SyncVectorEnv(Array.from({ length: 4 }, () => () => make('CartPole-v1')));
 * vec.reset({ seed: 0 });                       // sub-env i seeded with 0 + i
 * const { observations, rewards } = vec.step(new Int32Array([0, 1, 1, 0]));  // observations: [4 * 4]
 */
export class SyncVectorEnv<O = Float32Array, A = number | Float32Array> implements VectorEnv {
  /** The sub-envs, in batch order. */
  readonly envs: readonly Env<O, A>[];
  /** Number of sub-envs (the batch size N of every returned array). */
  readonly numEnvs: number;
  /** Observation space of one sub-env (sub-env 0's; all are checked equal). */
  readonly singleObservationSpace: Space<O>;
  /** Action space of one sub-env (sub-env 0's; all are checked equal). */
  readonly singleActionSpace: Space<A>;
  /** How ended sub-envs are reset (default `'next-step'`). */
  readonly autoresetMode: AutoresetMode;
  /** Gymnasium's vector `metadata`: the autoreset mode and the sub-envs' render modes. */
  readonly metadata: { autoresetMode: AutoresetMode; renderModes: string[]; renderFps?: number };
  /** Number of float32 values in one observation, `prod(singleObservationSpace.shape)`. */
  readonly obsDim: number;
  /** Number of values in one action (1 for `Discrete`). */
  readonly actionDim: number;

  private readonly observations: Float32Array;
  private readonly autoreset: AutoresetState;
  private readonly actionBuffers: Float32Array[] | null;
  private pendingSeed: number | undefined;
  private started = false;
  private closed = false;

  /**
   * @param envFns one function per sub-env, each returning a new env; all envs must have equal
   *   observation and action spaces.
   * @param options see {@link SyncVectorEnvOptions}.
   * @throws TypeError when `envFns` is not an array of functions or one returns a non-env;
   *   RangeError when it is empty, the autoreset mode is unknown, the seed is invalid or the
   *   sub-envs' spaces differ.
   */
  constructor(envFns: readonly (() => Env<O, A>)[], options: SyncVectorEnvOptions = {}) {
    if (!Array.isArray(envFns)) {
      throw new TypeError(`SyncVectorEnv: envFns must be an array of functions, got ${formatValue(envFns)}`);
    }
    if (envFns.length === 0) throw new RangeError('SyncVectorEnv: envFns must hold at least one function');
    const mode = autoresetModeOf(options, 'SyncVectorEnv');
    this.autoresetMode = mode;
    this.envs = envFns.map((fn, i) => {
      if (typeof fn !== 'function') {
        throw new TypeError(`SyncVectorEnv: envFns[${i}] must be a function, got ${formatValue(fn)}`);
      }
      const env = fn();
      if (env === null || typeof env !== 'object' || typeof env.step !== 'function') {
        throw new TypeError(
          `SyncVectorEnv: envFns[${i}]() must return an environment, got ${formatValue(env)}`,
        );
      }
      return env;
    });
    this.numEnvs = this.envs.length;
    this.singleObservationSpace = this.envs[0].observationSpace;
    this.singleActionSpace = this.envs[0].actionSpace;
    const obsKey = spaceKey(this.singleObservationSpace);
    const actKey = spaceKey(this.singleActionSpace);
    this.envs.forEach((env, i) => {
      if (spaceKey(env.observationSpace) !== obsKey || spaceKey(env.actionSpace) !== actKey) {
        throw new RangeError(
          `SyncVectorEnv: sub-env ${i} has different spaces than sub-env 0 (${String(env.observationSpace)} / ${String(env.actionSpace)} vs ${String(this.singleObservationSpace)} / ${String(this.singleActionSpace)})`,
        );
      }
    });
    this.metadata = { ...this.envs[0].metadata, autoresetMode: mode };
    this.obsDim = shapeSize(this.singleObservationSpace.shape);
    const actionShape = this.singleActionSpace.shape;
    this.actionDim = shapeSize(actionShape);
    this.actionBuffers =
      actionShape.length === 0 ? null : this.envs.map(() => new Float32Array(this.actionDim));

    const n = this.numEnvs;
    this.observations = new Float32Array(n * this.obsDim);
    const finalObservation = new Float32Array(mode === 'same-step' ? n * this.obsDim : 0);
    this.autoreset = new AutoresetState(n, this.obsDim, mode, finalObservation, 'SyncVectorEnv');
    this.pendingSeed = options.seed;
    if (options.seed !== undefined) {
      for (let i = 0; i < this.numEnvs; i++) this.envs[i].actionSpace.seed(options.seed + i);
    }
  }

  /**
   * Resets every sub-env (or those in `options.options.resetMask`).
   * @param options see {@link VectorResetOptions}; a number seed s gives sub-env i the seed s + i.
   * @returns `observations` float32 [numEnvs · obsDim] (reused array) and the batched reset infos.
   * @throws Error after `close()`; RangeError for a bad seed, a seed array or `resetMask` whose
   *   length is not numEnvs, or a reset observation of the wrong size.
   */
  reset(options: VectorResetOptions = {}): VectorResetResult {
    this.assertOpen('reset');
    const n = this.numEnvs;
    const pendingSeed = this.pendingSeed;
    this.pendingSeed = undefined;
    const { seedOf, subOptions, mask } = planReset(options, pendingSeed, n, (m) => this.checkMask(m));

    const autoreset = this.autoreset;
    const infos = autoreset.infoBuilder.begin();
    autoreset.clearFinalRows();
    for (let i = 0; i < n; i++) {
      if (mask !== undefined && !mask[i]) continue;
      const s = seedOf(i);
      const env = this.envs[i];
      const result =
        s === undefined && subOptions === undefined
          ? env.reset()
          : env.reset({ seed: s, options: subOptions });
      this.writeObservation(this.observations, i, result.observation);
      autoreset.recordReset(infos, i, result.info);
    }
    this.started = true;
    return { observations: this.observations, infos };
  }

  private checkMask(mask: unknown): ArrayLike<unknown> {
    const arrayLike = Array.isArray(mask) || (ArrayBuffer.isView(mask) && !(mask instanceof DataView));
    if (!arrayLike) {
      throw new TypeError(
        `options.resetMask must be an array of numEnvs = ${this.numEnvs} flags, got ${formatValue(mask)}`,
      );
    }
    const m = mask as ArrayLike<unknown>;
    if (m.length !== this.numEnvs) {
      throw new RangeError(`options.resetMask has length ${m.length}, expected numEnvs = ${this.numEnvs}`);
    }
    return m;
  }

  /**
   * Steps every sub-env with its action, autoresetting ended sub-envs per `autoresetMode`.
   * @param actions numEnvs · actionDim values, sub-env i's action at `i * actionDim` (for
   *   `Discrete` one integer per sub-env). All actions are checked against `singleActionSpace`
   *   before any sub-env is stepped (actions of sub-envs being autoreset are ignored).
   * @returns see {@link VectorStepResult}; all arrays are reused by the next call.
   * @throws Error before the first `reset()`, after `close()`, or (mode `'disabled'`) when an ended
   *   sub-env is stepped; TypeError when `actions` is not an array; RangeError when its length is
   *   not numEnvs · actionDim (naming both lengths); TypeError/RangeError naming `actions[i]`, its
   *   value and the space for an action outside `singleActionSpace` (nothing is stepped then).
   */
  step(actions: ActionArray): VectorStepResult {
    this.assertOpen('step');
    if (!this.started) throw new Error('SyncVectorEnv: step() called before reset(); call reset() first');
    if (actions === null || typeof actions !== 'object' || typeof actions.length !== 'number') {
      throw new TypeError(`actions must be an array or typed array, got ${formatValue(actions)}`);
    }
    const n = this.numEnvs;
    const expected = n * this.actionDim;
    if (actions.length !== expected) {
      throw new RangeError(
        `actions has length ${actions.length}, expected ${expected} (numEnvs = ${n} × action size ${this.actionDim})`,
      );
    }
    const autoreset = this.autoreset;
    // Check everything before stepping any sub-env, so that an error leaves the batch untouched.
    for (let i = 0; i < n; i++) {
      if (autoreset.resetsAtStep(i)) continue;
      const action = this.actionFor(actions, i);
      if (!this.singleActionSpace.contains(action)) this.rejectAction(action, i);
    }
    const infos = autoreset.infoBuilder.begin();
    autoreset.clearFinalRows();
    for (let i = 0; i < n; i++) {
      const env = this.envs[i];
      if (autoreset.needsReset[i] === 1) {
        // next-step: this call resets the sub-env and ignores its action.
        const result = env.reset();
        this.writeObservation(this.observations, i, result.observation);
        autoreset.recordReset(infos, i, result.info);
        continue;
      }
      const result = env.step(this.actionFor(actions, i));
      if (autoreset.recordStep(i, result.reward, result.terminated, result.truncated)) {
        this.writeObservation(autoreset.finalObservation, i, result.observation);
        autoreset.recordFinal(infos, i, result.info);
        const reset = env.reset();
        this.writeObservation(this.observations, i, reset.observation);
        autoreset.infoBuilder.add(infos, reset.info, i);
      } else {
        this.writeObservation(this.observations, i, result.observation);
        autoreset.recordOngoing(infos, i, result.info);
      }
    }
    return autoreset.finish(infos, this.observations);
  }

  /** Closes every sub-env; further `reset()` / `step()` calls throw. Idempotent. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const env of this.envs) env.close();
  }

  /** Whether `close()` was called. */
  get isClosed(): boolean {
    return this.closed;
  }

  private assertOpen(method: string): void {
    if (this.closed) throw new Error(`SyncVectorEnv: ${method}() called after close()`);
  }

  private actionFor(actions: ActionArray, i: number): A {
    const buffers = this.actionBuffers;
    if (buffers === null) return actions[i] as unknown as A;
    const d = this.actionDim;
    const buffer = buffers[i];
    const offset = i * d;
    for (let k = 0; k < d; k++) buffer[k] = actions[offset + k];
    return buffer as unknown as A;
  }

  private rejectAction(action: unknown, i: number): never {
    const space = this.singleActionSpace as Space<A> & {
      assertContains?: (x: unknown, name: string) => void;
    };
    space.assertContains?.(action, `actions[${i}]`);
    throw new RangeError(
      `actions[${i}] = ${formatValue(action)} is not in the action space ${String(space)}`,
    );
  }

  private writeObservation(target: Float32Array, row: number, observation: unknown): void {
    const d = this.obsDim;
    if (typeof observation === 'number') {
      if (d !== 1) {
        throw new RangeError(
          `SyncVectorEnv: sub-env ${row} returned a number observation, expected ${d} values`,
        );
      }
      target[row * d] = observation;
      return;
    }
    const obs = observation as ArrayLike<number>;
    if (obs === null || typeof obs !== 'object' || obs.length !== d) {
      throw new RangeError(
        `SyncVectorEnv: sub-env ${row} returned observation ${formatValue(observation)}, expected ${d} values`,
      );
    }
    target.set(obs, row * d);
  }
}
