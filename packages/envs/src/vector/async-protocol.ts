/**
 * The message protocol between `AsyncVectorEnv` and its workers (internal).
 *
 * Each worker owns one sub-env. The main thread posts a command on the worker's `MessagePort`,
 * increments `control[2 · i]` and notifies; the worker (blocked in `Atomics.wait`) reads the
 * command with `receiveMessageOnPort`, runs it, writes observations into the shared buffers, posts
 * its reply and increments `control[2 · i + 1]`. Both sides block without an event loop.
 */

/** What a worker receives in `workerData`. */
export interface WorkerSetup {
  index: number;
  id: string;
  envOptions: Record<string, unknown>;
  recordEpisodeStatistics: boolean;
  workerModules: string[];
  control: SharedArrayBuffer;
  observations: SharedArrayBuffer;
  finalObservations: SharedArrayBuffer;
  actions: SharedArrayBuffer;
  obsDim: number;
  actionDim: number;
  scalarAction: boolean;
  sameStep: boolean;
  port: unknown;
}

export type WorkerCommand =
  | { cmd: 'reset'; seed?: number; options?: Record<string, unknown> }
  | { cmd: 'step' }
  | { cmd: 'close' };

export interface SerializedError {
  name: string;
  message: string;
  stack?: string;
}

export type WorkerReply =
  | { ok: true; kind: 'ready'; observationSpace: object; actionSpace: object; metadata: object }
  | { ok: true; kind: 'reset'; info: Record<string, unknown> }
  | {
      ok: true;
      kind: 'step';
      reward: number;
      terminated: boolean;
      truncated: boolean;
      info: Record<string, unknown>;
      /** same-step mode, when the episode ended: the reset's info (the step's is `info`). */
      resetInfo?: Record<string, unknown>;
    }
  | { ok: true; kind: 'closed' }
  | { ok: false; error: SerializedError };

/** A serializable copy of an error (name, message, stack). */
export function serializeError(error: unknown): SerializedError {
  if (error instanceof Error) return { name: error.name, message: error.message, stack: error.stack };
  return { name: 'Error', message: String(error) };
}

/** Writes an observation (number or array-like of `dim` numbers) into row `row` of `target`. */
export function writeRow(
  target: Float32Array,
  row: number,
  dim: number,
  observation: unknown,
  who: string,
): void {
  if (typeof observation === 'number' && dim === 1) {
    target[row * dim] = observation;
    return;
  }
  const obs = observation as ArrayLike<number> | null;
  if (obs === null || typeof obs !== 'object' || obs.length !== dim) {
    throw new RangeError(`${who}: sub-env ${row} returned an observation that is not ${dim} numbers`);
  }
  target.set(obs, row * dim);
}
