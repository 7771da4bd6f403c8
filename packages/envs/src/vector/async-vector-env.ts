/**
 * `AsyncVectorEnv`: sub-envs stepped in parallel, one `worker_threads` worker each, observations
 * shared through `SharedArrayBuffer`s.
 *
 * Source: Gymnasium 1.x, `gymnasium/vector/async_vector_env.py` (`AsyncVectorEnv`: one worker per
 * sub-env, shared-memory observations, errors of a worker re-raised in the main process, the three
 * autoreset modes as in `SyncVectorEnv`). Difference: environments cross the thread boundary as a
 * registered id plus options (functions cannot), and `step()` blocks (`Atomics.wait`) until every
 * worker has answered, so the interface is the synchronous {@link VectorEnv} one.
 */

import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { MessageChannel, type MessagePort, receiveMessageOnPort, Worker } from 'node:worker_threads';
import { make } from '../registry.js';
import { spaceFromJSON } from '../spaces/from-json.js';
import { type Space, shapeSize } from '../spaces/space.js';
import { formatValue } from '../utils/format.js';
import type { SerializedError, WorkerCommand, WorkerReply, WorkerSetup } from './async-protocol.js';
import { AutoresetState, autoresetModeOf } from './autoreset-state.js';
import { planReset } from './seeds.js';
import type {
  AutoresetMode,
  VectorEnv,
  VectorResetOptions,
  VectorResetResult,
  VectorStepResult,
} from './vector-env.js';

/** Options of {@link AsyncVectorEnv}. */
export interface AsyncVectorEnvOptions {
  /** Number of sub-envs (workers), a positive integer (default 1). */
  numEnvs?: number;
  /** Options given to `make(id, envOptions)` in every worker (structured-cloneable). */
  envOptions?: Record<string, unknown>;
  /** Default `'next-step'`; see {@link AutoresetMode}. */
  autoresetMode?: AutoresetMode;
  /** As `SyncVectorEnv`'s `seed`: the seed of the first `reset()` without one (sub-env i: seed + i). */
  seed?: number;
  /** Default true: wrap each sub-env in `RecordEpisodeStatistics` (as `makeVec` does). */
  recordEpisodeStatistics?: boolean;
  /**
   * Module URLs (or bare specifiers) each worker imports before `make`, e.g. one that registers a
   * custom env (the main thread's registry is not shared with the workers).
   */
  workerModules?: readonly string[];
  /** Milliseconds to wait for a worker's answer before throwing (default 60 000). */
  timeoutMs?: number;
}

type ActionArray = Int32Array | Float32Array | Float64Array | readonly number[];

/** The compiled worker script: next to this module, or in `dist/` when running from `src/`. */
function workerUrl(): URL {
  const candidates = [
    new URL('./async-worker.js', import.meta.url),
    new URL('../../dist/vector/async-worker.js', import.meta.url),
  ];
  for (const url of candidates) if (url.protocol !== 'file:' || existsSync(fileURLToPath(url))) return url;
  throw new Error(
    'AsyncVectorEnv: cannot find async-worker.js; build @proximal/envs first (tsc -p tsconfig.build.json)',
  );
}

/** Rebuilds a worker's error in this thread, keeping its name, message and stack. */
function rebuildError(error: SerializedError, index: number): Error {
  const ctors: Record<string, ErrorConstructor> = { TypeError, RangeError, Error };
  const ctor = ctors[error.name] ?? Error;
  const rebuilt = new ctor(`AsyncVectorEnv: sub-env ${index}: ${error.message}`);
  if (!(error.name in ctors)) rebuilt.name = error.name;
  rebuilt.stack = `${rebuilt.name}: ${rebuilt.message}\n--- worker ${index} stack ---\n${error.stack ?? '(none)'}\n--- main thread ---\n${(new Error().stack ?? '').split('\n').slice(1).join('\n')}`;
  return rebuilt;
}

/**
 * A vector env of `numEnvs` copies of the registered env `id`, each in its own worker thread
 * (Gymnasium `AsyncVectorEnv`). Same interface, autoreset modes, infos and trajectories as a
 * {@link SyncVectorEnv} of `make(id, envOptions)` sub-envs (wrapped in `RecordEpisodeStatistics`)
 * for the same seeds and actions. Returned arrays are reused by the next call; `observations` and
 * `infos.finalObservation` are views of `SharedArrayBuffer`s the workers write into.
 *
 * An exception in a worker is rethrown here with the worker's stack; `close()` asks the workers to
 * close their envs, waits at most one second, then terminates them, so it never hangs. Workers
 * are `unref`'d: an open `AsyncVectorEnv` does not keep the process alive.
 *
 * @example
 * const vec = makeVec('CartPole-v1', { numEnvs: 4, vectorizationMode: 'async' });
 * vec.reset({ seed: 0 });
 * vec.step(new Int32Array([0, 1, 1, 0]));
 * vec.close();
 */
export class AsyncVectorEnv implements VectorEnv {
  readonly id: string;
  readonly numEnvs: number;
  readonly singleObservationSpace: Space<unknown>;
  readonly singleActionSpace: Space<unknown>;
  readonly autoresetMode: AutoresetMode;
  readonly metadata: { autoresetMode: AutoresetMode; renderModes: string[]; renderFps?: number };
  /** Values in one observation. */
  readonly obsDim: number;
  /** Values in one action (1 for `Discrete`). */
  readonly actionDim: number;

  private readonly workers: Worker[] = [];
  private readonly ports: MessagePort[] = [];
  private readonly control: Int32Array;
  private readonly replySeen: Int32Array;
  private readonly observations: Float32Array;
  private readonly actions: Float64Array;
  private readonly autoreset: AutoresetState;
  private readonly timeoutMs: number;
  private readonly scalarAction: boolean;
  private pendingSeed: number | undefined;
  private started = false;
  private closed = false;

  /**
   * @param id a registered env id (registered in this thread too: a probe env is made here to read
   *   the spaces, then closed).
   * @throws RangeError for a bad `numEnvs`, seed, mode or timeout; whatever `make` throws; the
   *   error of a worker that failed to create its env (the workers are then terminated).
   */
  constructor(id: string, options: AsyncVectorEnvOptions = {}) {
    const numEnvs = options.numEnvs ?? 1;
    if (!Number.isSafeInteger(numEnvs) || numEnvs <= 0) {
      throw new RangeError(`AsyncVectorEnv: numEnvs must be a positive integer, got ${formatValue(numEnvs)}`);
    }
    const mode = autoresetModeOf(options, 'AsyncVectorEnv');
    this.timeoutMs = options.timeoutMs ?? 60_000;
    if (!(this.timeoutMs > 0)) {
      throw new RangeError(
        `AsyncVectorEnv: timeoutMs must be positive, got ${formatValue(options.timeoutMs)}`,
      );
    }
    const envOptions = { ...options.envOptions };
    const probe = make(id, envOptions);
    this.singleObservationSpace = spaceFromJSON(probe.observationSpace.toJSON());
    this.singleActionSpace = spaceFromJSON(probe.actionSpace.toJSON());
    const probeMetadata = { ...probe.metadata };
    probe.close();
    this.id = id;
    this.numEnvs = numEnvs;
    this.autoresetMode = mode;
    this.metadata = { ...probeMetadata, autoresetMode: mode };
    this.obsDim = shapeSize(this.singleObservationSpace.shape);
    this.scalarAction = this.singleActionSpace.shape.length === 0;
    this.actionDim = shapeSize(this.singleActionSpace.shape);

    const n = numEnvs;
    const control = new SharedArrayBuffer(2 * n * 4);
    const observations = new SharedArrayBuffer(n * this.obsDim * 4);
    const finalObservations = new SharedArrayBuffer(mode === 'same-step' ? n * this.obsDim * 4 : 0);
    const actions = new SharedArrayBuffer(n * this.actionDim * 8);
    this.control = new Int32Array(control);
    this.replySeen = new Int32Array(n);
    this.observations = new Float32Array(observations);
    this.actions = new Float64Array(actions);
    this.autoreset = new AutoresetState(
      n,
      this.obsDim,
      mode,
      new Float32Array(finalObservations),
      'AsyncVectorEnv',
    );
    this.pendingSeed = options.seed;
    if (options.seed !== undefined) this.singleActionSpace.seed(options.seed);

    const url = workerUrl();
    for (let i = 0; i < n; i++) {
      const { port1, port2 } = new MessageChannel();
      const setup: WorkerSetup = {
        index: i,
        id,
        envOptions,
        recordEpisodeStatistics: options.recordEpisodeStatistics ?? true,
        workerModules: [...(options.workerModules ?? [])],
        control,
        observations,
        finalObservations,
        actions,
        obsDim: this.obsDim,
        actionDim: this.actionDim,
        scalarAction: this.scalarAction,
        sameStep: mode === 'same-step',
        port: port2,
      };
      const worker = new Worker(url, { workerData: setup, transferList: [port2] });
      worker.unref();
      worker.on('error', () => {}); // failures are reported through the protocol or the timeout
      this.workers.push(worker);
      this.ports.push(port1);
    }
    try {
      for (let i = 0; i < n; i++) {
        const ready = this.receive(i);
        if (ready.kind !== 'ready') throw new Error(`AsyncVectorEnv: unexpected first reply ${ready.kind}`);
      }
    } catch (error) {
      this.terminate();
      throw error;
    }
  }

  /**
   * Resets every sub-env (or those in `options.options.resetMask`); as `SyncVectorEnv.reset`.
   * @throws Error after `close()`; RangeError for bad seeds or mask; a worker's error.
   */
  reset(options: VectorResetOptions = {}): VectorResetResult {
    this.assertOpen('reset');
    const n = this.numEnvs;
    const pendingSeed = this.pendingSeed;
    this.pendingSeed = undefined;
    const { seedOf, subOptions, mask } = planReset(options, pendingSeed, n, (m) => this.checkMask(m));
    const autoreset = this.autoreset;
    autoreset.clearFinalRows();
    const targets: number[] = [];
    for (let i = 0; i < n; i++) {
      if (mask !== undefined && !mask[i]) continue;
      const s = seedOf(i);
      const command: WorkerCommand = { cmd: 'reset' };
      if (s !== undefined) command.seed = s;
      if (subOptions !== undefined) command.options = subOptions;
      this.send(i, command);
      targets.push(i);
    }
    const infos = autoreset.infoBuilder.begin();
    const replies = this.collect(targets);
    targets.forEach((i, k) => {
      const r = replies[k] as Extract<WorkerReply, { kind: 'reset' }>;
      autoreset.recordReset(infos, i, r.info);
    });
    this.started = true;
    return { observations: this.observations, infos };
  }

  /**
   * Steps every sub-env in parallel; autoreset as in `SyncVectorEnv`.
   * @throws Error before `reset()`, after `close()`, in `'disabled'` mode for an ended sub-env, or a
   *   worker's exception (rethrown with its stack); TypeError / RangeError for bad actions.
   */
  step(actions: ActionArray): VectorStepResult {
    this.assertOpen('step');
    if (!this.started) throw new Error('AsyncVectorEnv: step() called before reset(); call reset() first');
    const n = this.numEnvs;
    const d = this.actionDim;
    const arrayLike =
      Array.isArray(actions) || (ArrayBuffer.isView(actions) && !(actions instanceof DataView));
    if (!arrayLike || actions.length !== n * d) {
      throw new RangeError(
        `actions must hold numEnvs · actionDim = ${n * d} values, got ${formatValue(actions)}`,
      );
    }
    const autoreset = this.autoreset;
    const single = new Float32Array(d);
    for (let i = 0; i < n; i++) {
      if (autoreset.resetsAtStep(i)) continue;
      const action = this.scalarAction ? actions[i] : single.map((_, k) => actions[i * d + k]);
      if (!this.singleActionSpace.contains(action)) {
        const space = this.singleActionSpace as Space<unknown> & {
          assertContains?: (x: unknown, name: string) => void;
        };
        space.assertContains?.(action, `actions[${i}]`);
        throw new RangeError(`actions[${i}] = ${formatValue(action)} is not in ${String(space)}`);
      }
    }
    autoreset.clearFinalRows();
    const resetting: boolean[] = [];
    for (let i = 0; i < n; i++) {
      const reset = autoreset.needsReset[i] === 1;
      resetting.push(reset);
      if (reset) {
        this.send(i, { cmd: 'reset' });
      } else {
        for (let k = 0; k < d; k++) this.actions[i * d + k] = actions[i * d + k];
        this.send(i, { cmd: 'step' });
      }
    }
    const replies = this.collect(Array.from({ length: n }, (_, i) => i));
    const infos = autoreset.infoBuilder.begin();
    for (let i = 0; i < n; i++) {
      const r = replies[i];
      if (resetting[i]) {
        autoreset.recordReset(infos, i, (r as Extract<WorkerReply, { kind: 'reset' }>).info);
        continue;
      }
      const s = r as Extract<WorkerReply, { kind: 'step' }>;
      autoreset.recordWritten(infos, i, s.reward, s.terminated, s.truncated, s.info, s.resetInfo);
    }
    return autoreset.finish(infos, this.observations);
  }

  /**
   * Closes the sub-envs and stops the workers: waits at most one second for each worker to close
   * its env, then terminates it. Idempotent; never throws for a worker's failure.
   */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    const deadline = Date.now() + 1000;
    for (let i = 0; i < this.numEnvs; i++) {
      try {
        this.send(i, { cmd: 'close' });
      } catch {
        // a port already closed: the worker is gone
      }
    }
    for (let i = 0; i < this.numEnvs; i++) {
      try {
        this.receive(i, Math.max(1, deadline - Date.now()));
      } catch {
        // a worker that failed or did not answer in time is terminated below
      }
    }
    this.terminate();
  }

  /** Whether `close()` was called. */
  get isClosed(): boolean {
    return this.closed;
  }

  private checkMask(resetMask: unknown): ArrayLike<unknown> {
    const n = this.numEnvs;
    const arrayLike =
      Array.isArray(resetMask) || (ArrayBuffer.isView(resetMask) && !(resetMask instanceof DataView));
    if (!arrayLike || (resetMask as ArrayLike<unknown>).length !== n) {
      throw new RangeError(
        `options.resetMask must be an array of numEnvs = ${n} flags, got ${formatValue(resetMask)}`,
      );
    }
    return resetMask as ArrayLike<unknown>;
  }

  private terminate(): void {
    for (const port of this.ports) port.close();
    for (const worker of this.workers) void worker.terminate();
  }

  private assertOpen(method: string): void {
    if (this.closed) throw new Error(`AsyncVectorEnv: ${method}() called after close()`);
  }

  private send(i: number, command: WorkerCommand): void {
    this.ports[i].postMessage(command);
    Atomics.add(this.control, 2 * i, 1);
    Atomics.notify(this.control, 2 * i);
  }

  /** Waits for the replies of `indices`; rethrows the first worker error after all have answered. */
  private collect(indices: readonly number[]): WorkerReply[] {
    const replies: WorkerReply[] = [];
    let failure: Error | undefined;
    for (const i of indices) {
      try {
        replies.push(this.receive(i));
      } catch (error) {
        failure ??= error as Error;
        replies.push({ ok: true, kind: 'closed' });
      }
    }
    if (failure !== undefined) throw failure;
    return replies;
  }

  /** The next reply of worker i (blocking up to `timeoutMs`). */
  private receive(i: number, timeoutMs = this.timeoutMs): Extract<WorkerReply, { ok: true }> {
    const slot = 2 * i + 1;
    const deadline = Date.now() + timeoutMs;
    while (Atomics.load(this.control, slot) === this.replySeen[i]) {
      const left = deadline - Date.now();
      if (left <= 0)
        throw new Error(`AsyncVectorEnv: sub-env ${i} (worker) did not answer within ${timeoutMs} ms`);
      Atomics.wait(this.control, slot, this.replySeen[i], left);
    }
    this.replySeen[i] = Atomics.load(this.control, slot);
    let received = receiveMessageOnPort(this.ports[i]);
    for (let spins = 0; received === undefined && spins < 1000; spins++) {
      Atomics.wait(this.control, slot, this.replySeen[i], 1);
      received = receiveMessageOnPort(this.ports[i]);
    }
    if (received === undefined)
      throw new Error(`AsyncVectorEnv: sub-env ${i} signalled a reply but sent none`);
    const reply = received.message as WorkerReply;
    if (!reply.ok) throw rebuildError(reply.error, i);
    return reply;
  }
}
