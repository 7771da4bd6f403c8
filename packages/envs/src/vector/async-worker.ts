/**
 * The worker thread of `AsyncVectorEnv` (internal): creates one sub-env by registered id and
 * serves reset / step / close commands (see `async-protocol.ts`).
 */
import { type MessagePort, receiveMessageOnPort, workerData } from 'node:worker_threads';
import type { Env } from '../env.js';
import { make } from '../registry.js';
import { RecordEpisodeStatistics } from '../wrappers/record-episode-statistics.js';
import {
  serializeError,
  type WorkerCommand,
  type WorkerReply,
  type WorkerSetup,
  writeRow,
} from './async-protocol.js';

const setup = workerData as WorkerSetup;
const port = setup.port as MessagePort;
const control = new Int32Array(setup.control);
const observations = new Float32Array(setup.observations);
const finalObservations = new Float32Array(setup.finalObservations);
const actions = new Float64Array(setup.actions);
const row = setup.index;
const commandSlot = 2 * row;
const replySlot = 2 * row + 1;
const who = 'AsyncVectorEnv';

function reply(message: WorkerReply): void {
  port.postMessage(message);
  Atomics.add(control, replySlot, 1);
  Atomics.notify(control, replySlot);
}

function readAction(actionBuffer: Float32Array | null): unknown {
  const d = setup.actionDim;
  if (setup.scalarAction) return actions[row];
  const buffer = actionBuffer as Float32Array;
  for (let k = 0; k < d; k++) buffer[k] = actions[row * d + k];
  return buffer;
}

async function main(): Promise<void> {
  let env: Env<unknown, unknown>;
  try {
    for (const url of setup.workerModules) await import(url);
    env = make(setup.id, setup.envOptions) as unknown as Env<unknown, unknown>;
    if (setup.recordEpisodeStatistics) env = new RecordEpisodeStatistics(env);
  } catch (error) {
    reply({ ok: false, error: serializeError(error) });
    return;
  }
  reply({
    ok: true,
    kind: 'ready',
    observationSpace: env.observationSpace.toJSON(),
    actionSpace: env.actionSpace.toJSON(),
    metadata: { ...env.metadata },
  });
  const actionBuffer = setup.scalarAction ? null : new Float32Array(setup.actionDim);
  let seen = 0;
  for (;;) {
    Atomics.wait(control, commandSlot, seen);
    seen = Atomics.load(control, commandSlot);
    let received = receiveMessageOnPort(port);
    while (received === undefined) {
      Atomics.wait(control, commandSlot, seen, 1);
      received = receiveMessageOnPort(port);
    }
    const command = received.message as WorkerCommand;
    try {
      if (command.cmd === 'close') {
        env.close();
        reply({ ok: true, kind: 'closed' });
        port.close();
        return;
      }
      if (command.cmd === 'reset') {
        const result =
          command.seed === undefined && command.options === undefined
            ? env.reset()
            : env.reset({ seed: command.seed, options: command.options });
        writeRow(observations, row, setup.obsDim, result.observation, who);
        reply({ ok: true, kind: 'reset', info: result.info });
        continue;
      }
      const result = env.step(readAction(actionBuffer));
      const message: Extract<WorkerReply, { kind: 'step' }> = {
        ok: true,
        kind: 'step',
        reward: result.reward,
        terminated: result.terminated,
        truncated: result.truncated,
        info: result.info,
      };
      if ((result.terminated || result.truncated) && setup.sameStep) {
        writeRow(finalObservations, row, setup.obsDim, result.observation, who);
        const reset = env.reset();
        writeRow(observations, row, setup.obsDim, reset.observation, who);
        message.resetInfo = reset.info;
      } else {
        writeRow(observations, row, setup.obsDim, result.observation, who);
      }
      reply(message);
    } catch (error) {
      reply({ ok: false, error: serializeError(error) });
    }
  }
}

void main();
