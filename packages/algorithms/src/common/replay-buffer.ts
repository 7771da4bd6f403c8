/**
 * The replay buffer of the off-policy algorithms (DQN): a ring buffer of transitions
 * (s, a, r, s', done) per env, in flat typed arrays.
 *
 * Source: Stable-Baselines3 `common/buffers.py` (`ReplayBuffer` with `handle_timeout_termination=True`:
 * the `done` of the TD target is the termination flag only, so that an episode cut by a time
 * limit is bootstrapped from its final observation; Pardo et al., "Time Limits in Reinforcement
 * Learning", ICML 2018). Layout as the rollout buffer: row-major [bufferSize, numEnvs, ...].
 */
import type { Random } from '@proximal/core';
import type { StoredTensor } from './checkpoint.js';
import { MAX_REPLAY_BUFFER_BYTES, needPosInt } from './hyperparameters.js';

/** Shapes of a {@link ReplayBuffer}. */
export interface ReplayBufferOptions {
  /**
   * Transitions kept in all (SB3's `buffer_size`): each env keeps `max(⌊bufferSize / numEnvs⌋, 1)`
   * of them, the oldest overwritten first.
   */
  bufferSize: number;
  /** Values per stored observation (raw env values: 1 for a Discrete space, before one-hot). */
  obsDim: number;
  /** Values per stored action (1 for Discrete). Default 1. */
  actionDim?: number;
  /** Number of envs adding one transition each per `add`. Default 1. */
  numEnvs?: number;
  /**
   * SB3's `optimize_memory_usage`: do not store next observations beside the observations; the
   * successor of a transition is the next row's observation, except for the newest row (kept
   * aside) and for transitions that ended an episode (their final observations kept in a sparse
   * table), so that, unlike SB3's, it stays exact with truncation. Then each `add`'s `obs` must be
   * the previous `add`'s `nextObs` for every env whose episode did not end (checked). Default false.
   */
  optimizeMemoryUsage?: boolean;
}

/** A batch drawn by {@link ReplayBuffer.sample}; row i of every array is transition i. */
export interface ReplayBufferSamples {
  /** float32 [batch, obsDim], as stored (raw env observations). */
  observations: Float32Array;
  /** float32 [batch, actionDim]. */
  actions: Float32Array;
  /** float32 [batch, obsDim]: the successor s' (the final observation where the episode ended). */
  nextObservations: Float32Array;
  /** float32 [batch]: 1 where s' is terminal (terminated; truncation is 0: bootstrap from s'). */
  dones: Float32Array;
  /** float32 [batch]. */
  rewards: Float32Array;
  /** int32 [batch]: the flat position `row * numEnvs + env` of each sampled transition. */
  indices: Int32Array;
}

/** What {@link ReplayBuffer.state} returns and {@link ReplayBuffer.load} takes. */
export interface ReplayBufferState {
  meta: {
    bufferSize: number;
    numEnvs: number;
    obsDim: number;
    actionDim: number;
    pos: number;
    full: boolean;
    optimizeMemoryUsage?: boolean;
    /** With optimizeMemoryUsage: the flat positions whose final observations are kept aside. */
    finalIndices?: number[];
  };
  /**
   * The filled rows only: `replay.observations`, `replay.nextObservations` (or, with
   * optimizeMemoryUsage, `replay.pendingNext` and `replay.finalObservations`), `replay.actions`,
   * `replay.rewards`, `replay.dones`.
   */
  tensors: StoredTensor[];
}

/**
 * Bytes of a replay buffer with these shapes (rows per env × numEnvs transitions); with
 * `optimizeMemoryUsage` one observation per transition instead of two (the final observations of
 * ended episodes, kept aside, are not counted).
 */
export function replayBufferBytes(
  rows: number,
  numEnvs: number,
  obsDim: number,
  actionDim: number,
  optimizeMemoryUsage = false,
): number {
  return rows * numEnvs * (4 * ((optimizeMemoryUsage ? 1 : 2) * obsDim + actionDim + 1) + 1);
}

/**
 * Checks a replay buffer's size before anything is allocated.
 * @throws RangeError naming bufferSize (and numEnvs, the observation and action sizes) when the
 *   buffer would exceed {@link MAX_REPLAY_BUFFER_BYTES}; RangeError when a size is not a positive integer.
 */
export function checkReplayBufferSize(
  bufferSize: number,
  numEnvs = 1,
  obsDim = 1,
  actionDim = 1,
  optimizeMemoryUsage = false,
): void {
  needPosInt('bufferSize', bufferSize);
  needPosInt('numEnvs', numEnvs);
  needPosInt('obsDim', obsDim);
  needPosInt('actionDim', actionDim);
  const rows = Math.max(Math.floor(bufferSize / numEnvs), 1);
  const bytes = replayBufferBytes(rows, numEnvs, obsDim, actionDim, optimizeMemoryUsage);
  if (bytes > MAX_REPLAY_BUFFER_BYTES) {
    throw new RangeError(
      `bufferSize is too large: bufferSize = ${bufferSize} with numEnvs = ${numEnvs}, observation size ${obsDim} and action size ${actionDim} needs a ${(bytes / 2 ** 30).toFixed(1)} GiB replay buffer; the limit is ${MAX_REPLAY_BUFFER_BYTES / 2 ** 30} GiB (MAX_REPLAY_BUFFER_BYTES): lower bufferSize`,
    );
  }
}

/**
 * A ring buffer of transitions, SB3's `ReplayBuffer`. By default the next observation is stored
 * beside the observation; with `optimizeMemoryUsage` it is read from the next row (see
 * {@link ReplayBufferOptions.optimizeMemoryUsage}), with the same samples.
 *
 * Each {@link add} writes one row: one transition per env. Once `bufferSize` rows are written the
 * buffer is {@link full} and the next row overwrites the oldest. {@link sample} draws transitions
 * uniformly with replacement (a row, then an env, per transition, as SB3).
 */
export class ReplayBuffer {
  /** Rows (transitions per env): `max(⌊bufferSize / numEnvs⌋, 1)`, as SB3's `buffer_size` after construction. */
  readonly bufferSize: number;
  readonly numEnvs: number;
  readonly obsDim: number;
  readonly actionDim: number;
  /** float32 [bufferSize, numEnvs, obsDim] */
  readonly observations: Float32Array;
  /** float32 [bufferSize, numEnvs, obsDim]; empty with optimizeMemoryUsage (use {@link nextObservation}). */
  readonly nextObservations: Float32Array;
  /** float32 [bufferSize, numEnvs, actionDim] */
  readonly actions: Float32Array;
  /** float32 [bufferSize, numEnvs] */
  readonly rewards: Float32Array;
  /** uint8 [bufferSize, numEnvs]: terminated (the TD target's done; truncation is not stored as done). */
  readonly dones: Uint8Array;
  /** The row the next {@link add} writes. */
  pos = 0;
  /** True once every row has been written (then sampling draws from all of them). */
  full = false;
  readonly optimizeMemoryUsage: boolean;
  /** optimizeMemoryUsage: next observations of the newest row, float32 [numEnvs, obsDim]. */
  private readonly pendingNext: Float32Array;
  /** optimizeMemoryUsage: final observations of the transitions that ended an episode, by flat position. */
  private readonly finals = new Map<number, Float32Array>();

  /**
   * @throws RangeError when a size is not a positive integer, or the buffer would exceed
   *   {@link MAX_REPLAY_BUFFER_BYTES} (checked before anything is allocated).
   */
  constructor({
    bufferSize,
    obsDim,
    actionDim = 1,
    numEnvs = 1,
    optimizeMemoryUsage = false,
  }: ReplayBufferOptions) {
    if (typeof optimizeMemoryUsage !== 'boolean') {
      throw new TypeError(
        `optimizeMemoryUsage must be a boolean, got ${JSON.stringify(optimizeMemoryUsage)}`,
      );
    }
    checkReplayBufferSize(bufferSize, numEnvs, obsDim, actionDim, optimizeMemoryUsage);
    this.bufferSize = Math.max(Math.floor(bufferSize / numEnvs), 1);
    this.numEnvs = numEnvs;
    this.obsDim = obsDim;
    this.actionDim = actionDim;
    this.optimizeMemoryUsage = optimizeMemoryUsage;
    const n = this.bufferSize * numEnvs;
    this.observations = new Float32Array(n * obsDim);
    this.nextObservations = new Float32Array(optimizeMemoryUsage ? 0 : n * obsDim);
    this.pendingNext = new Float32Array(optimizeMemoryUsage ? numEnvs * obsDim : 0);
    this.actions = new Float32Array(n * actionDim);
    this.rewards = new Float32Array(n);
    this.dones = new Uint8Array(n);
  }

  /** Transitions per env held now (rows filled): `bufferSize` once full, else `pos`. */
  size(): number {
    return this.full ? this.bufferSize : this.pos;
  }

  /**
   * Stores one transition per env (arrays row-major over envs).
   * @param obs float32 [numEnvs, obsDim]: s.
   * @param nextObs float32 [numEnvs, obsDim]: s', which for an env whose episode ended in this step
   *   must be the final observation of that episode (`infos.finalObservation` of a same-step
   *   autoreset vector env), not the reset observation.
   * @param actions float32 [numEnvs, actionDim] (or any numeric array; int32 for Discrete).
   * @param rewards float32 [numEnvs], finite.
   * @param terminated 0/1 [numEnvs]: stored as the TD target's done.
   * @param truncated 0/1 [numEnvs]: checked for length only; a truncated (not terminated)
   *   transition is stored with done = 0 and so bootstraps from `nextObs` (SB3's `handle_timeout_termination`).
   * @throws RangeError on a length mismatch (naming the argument and both lengths) or a non-finite
   *   reward; with optimizeMemoryUsage, when `obs` of an env whose episode did not end in the
   *   previous `add` differs from that `add`'s `nextObs`.
   */
  add(
    obs: ArrayLike<number>,
    nextObs: ArrayLike<number>,
    actions: ArrayLike<number>,
    rewards: ArrayLike<number>,
    terminated: ArrayLike<number>,
    truncated: ArrayLike<number>,
  ): void {
    const N = this.numEnvs;
    const D = this.obsDim;
    const A = this.actionDim;
    for (const [name, arr, len] of [
      ['obs', obs, N * D],
      ['nextObs', nextObs, N * D],
      ['actions', actions, N * A],
      ['rewards', rewards, N],
      ['terminated', terminated, N],
      ['truncated', truncated, N],
    ] as const) {
      if (arr?.length !== len) {
        throw new RangeError(
          `${name} has length ${String(arr?.length)}, expected ${len} (numEnvs = ${N}${name.endsWith('bs') ? `, obsDim = ${D}` : name === 'actions' ? `, actionDim = ${A}` : ''})`,
        );
      }
    }
    for (let i = 0; i < N; i++) {
      if (!Number.isFinite(rewards[i]))
        throw new RangeError(`rewards[${i}] must be finite, got ${rewards[i]}`);
    }
    const row = this.pos * N;
    if (this.optimizeMemoryUsage) {
      const prev = (this.pos + this.bufferSize - 1) % this.bufferSize;
      if (this.size() > 0) {
        for (let i = 0; i < N; i++) {
          if (this.finals.has(prev * N + i)) continue; // an episode ended: obs is a reset observation
          for (let j = 0; j < D; j++) {
            if (!Object.is(Math.fround(obs[i * D + j]), this.pendingNext[i * D + j])) {
              throw new RangeError(
                `optimizeMemoryUsage: obs of env ${i} must be the previous add's nextObs (its episode did not end), got ${obs[i * D + j]} instead of ${this.pendingNext[i * D + j]} at entry ${j}`,
              );
            }
          }
        }
      }
      for (let i = 0; i < N; i++) this.finals.delete(row + i); // the overwritten transitions'
      for (let k = 0; k < N * D; k++) {
        this.observations[row * D + k] = obs[k];
        this.pendingNext[k] = nextObs[k];
      }
      for (let i = 0; i < N; i++) {
        if (terminated[i] || truncated[i])
          this.finals.set(row + i, Float32Array.from(this.pendingNext.subarray(i * D, i * D + D)));
      }
    } else {
      for (let k = 0; k < N * D; k++) {
        this.observations[row * D + k] = obs[k];
        this.nextObservations[row * D + k] = nextObs[k];
      }
    }
    for (let k = 0; k < N * A; k++) this.actions[row * A + k] = actions[k];
    for (let i = 0; i < N; i++) {
      this.rewards[row + i] = rewards[i];
      this.dones[row + i] = terminated[i] ? 1 : 0;
    }
    this.pos++;
    if (this.pos === this.bufferSize) {
      this.full = true;
      this.pos = 0;
    }
  }

  /**
   * Draws `batchSize` transitions uniformly with replacement: for each, a filled row
   * (`rng.integer(size())`) and then an env (`rng.integer(numEnvs)`), as SB3's `ReplayBuffer.sample`.
   * Same RNG state → the same batch.
   * @throws RangeError when batchSize is not a positive integer; Error when the buffer is empty.
   */
  sample(batchSize: number, rng: Random): ReplayBufferSamples {
    needPosInt('batchSize', batchSize);
    const rows = this.size();
    if (rows === 0) throw new Error('cannot sample from an empty replay buffer');
    const N = this.numEnvs;
    const D = this.obsDim;
    const A = this.actionDim;
    const out: ReplayBufferSamples = {
      observations: new Float32Array(batchSize * D),
      actions: new Float32Array(batchSize * A),
      nextObservations: new Float32Array(batchSize * D),
      dones: new Float32Array(batchSize),
      rewards: new Float32Array(batchSize),
      indices: new Int32Array(batchSize),
    };
    for (let b = 0; b < batchSize; b++) {
      const row = rng.integer(rows);
      const k = row * N + rng.integer(N);
      out.indices[b] = k;
      out.observations.set(this.observations.subarray(k * D, k * D + D), b * D);
      out.nextObservations.set(this.nextObservation(k), b * D);
      out.actions.set(this.actions.subarray(k * A, k * A + A), b * A);
      out.dones[b] = this.dones[k];
      out.rewards[b] = this.rewards[k];
    }
    return out;
  }

  /**
   * Declares that the next {@link add} does not continue the newest transitions' episodes (the
   * envs were reset, e.g. by a new `learn` or after `load`). With optimizeMemoryUsage the newest
   * row's next observations are then kept aside like final ones; otherwise nothing is needed.
   */
  markEpisodeBoundary(): void {
    if (!this.optimizeMemoryUsage || this.size() === 0) return;
    const N = this.numEnvs;
    const D = this.obsDim;
    const row = ((this.pos + this.bufferSize - 1) % this.bufferSize) * N;
    for (let i = 0; i < N; i++) {
      if (!this.finals.has(row + i)) this.finals.set(row + i, this.pendingNext.slice(i * D, i * D + D));
    }
  }

  /**
   * The next observation s' of the transition at flat position `k` (= row × numEnvs + env),
   * float32 [obsDim] (a view; copy to keep).
   */
  nextObservation(k: number): Float32Array {
    const D = this.obsDim;
    if (!this.optimizeMemoryUsage) return this.nextObservations.subarray(k * D, k * D + D);
    const final = this.finals.get(k);
    if (final) return final;
    const N = this.numEnvs;
    const row = Math.floor(k / N);
    const i = k - row * N;
    const newest = (this.pos + this.bufferSize - 1) % this.bufferSize;
    if (row === newest) return this.pendingNext.subarray(i * D, i * D + D);
    const next = ((row + 1) % this.bufferSize) * N + i;
    return this.observations.subarray(next * D, next * D + D);
  }

  /** The buffer's position and its filled rows, for saving in a checkpoint. */
  state(): ReplayBufferState {
    const n = this.size() * this.numEnvs;
    const D = this.obsDim;
    const finalIndices = [...this.finals.keys()].sort((a, b) => a - b);
    const finals = new Float32Array(finalIndices.length * D);
    finalIndices.forEach((k, j) => {
      finals.set(this.finals.get(k)!, j * D);
    });
    return {
      meta: {
        bufferSize: this.bufferSize,
        numEnvs: this.numEnvs,
        obsDim: this.obsDim,
        actionDim: this.actionDim,
        pos: this.pos,
        full: this.full,
        ...(this.optimizeMemoryUsage ? { optimizeMemoryUsage: true, finalIndices } : {}),
      },
      tensors: [
        { name: 'replay.observations', data: this.observations.subarray(0, n * D) },
        ...(this.optimizeMemoryUsage
          ? [
              { name: 'replay.pendingNext', data: this.pendingNext },
              { name: 'replay.finalObservations', data: finals },
            ]
          : [{ name: 'replay.nextObservations', data: this.nextObservations.subarray(0, n * D) }]),
        { name: 'replay.actions', data: this.actions.subarray(0, n * this.actionDim) },
        { name: 'replay.rewards', data: this.rewards.subarray(0, n) },
        { name: 'replay.dones', data: Float32Array.from(this.dones.subarray(0, n)) },
      ],
    };
  }

  /**
   * Restores the contents saved by {@link state}.
   * @throws Error when the saved shapes (bufferSize, numEnvs, obsDim, actionDim) differ from this
   *   buffer's, naming both, or a saved array is missing or has the wrong length.
   */
  load(meta: ReplayBufferState['meta'], tensors: Map<string, Float32Array>): void {
    if (Boolean(meta?.optimizeMemoryUsage) !== this.optimizeMemoryUsage) {
      throw new Error(
        `the saved replay buffer has optimizeMemoryUsage = ${Boolean(meta?.optimizeMemoryUsage)}, but this buffer has optimizeMemoryUsage = ${this.optimizeMemoryUsage}`,
      );
    }
    for (const k of ['bufferSize', 'numEnvs', 'obsDim', 'actionDim'] as const) {
      if (meta?.[k] !== this[k]) {
        throw new Error(
          `the saved replay buffer has ${k} = ${String(meta?.[k])}, but this buffer has ${k} = ${this[k]}`,
        );
      }
    }
    if (!Number.isInteger(meta.pos) || meta.pos < 0 || meta.pos >= this.bufferSize) {
      throw new Error(
        `the saved replay buffer's pos must be an integer in [0, ${this.bufferSize}), got ${meta.pos}`,
      );
    }
    const n = (meta.full ? this.bufferSize : meta.pos) * this.numEnvs;
    const get = (name: string, len: number): Float32Array => {
      const t = tensors.get(name);
      if (!t || t.length !== len) {
        throw new Error(`the saved replay buffer's '${name}' has ${t?.length ?? 0} values, expected ${len}`);
      }
      return t;
    };
    const D = this.obsDim;
    this.observations.set(get('replay.observations', n * D));
    if (this.optimizeMemoryUsage) {
      const indices = meta.finalIndices ?? [];
      if (!Array.isArray(indices) || !indices.every((k) => Number.isInteger(k) && k >= 0 && k < n)) {
        throw new Error(`the saved replay buffer's finalIndices must be integers in [0, ${n})`);
      }
      this.pendingNext.set(get('replay.pendingNext', this.numEnvs * D));
      const finals = get('replay.finalObservations', indices.length * D);
      this.finals.clear();
      indices.forEach((k, j) => {
        this.finals.set(k, finals.slice(j * D, j * D + D));
      });
    } else {
      this.nextObservations.set(get('replay.nextObservations', n * D));
    }
    this.actions.set(get('replay.actions', n * this.actionDim));
    this.rewards.set(get('replay.rewards', n));
    this.dones.set(get('replay.dones', n));
    this.pos = meta.pos;
    this.full = Boolean(meta.full);
  }
}
