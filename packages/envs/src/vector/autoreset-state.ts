/**
 * The autoreset bookkeeping shared by `SyncVectorEnv` and `AsyncVectorEnv` (internal): the reused
 * reward / flag arrays, which sub-envs must be reset at the next step, the same-step
 * `finalObservation` rows and mask, and the assembly of the batched infos and step result.
 *
 * Source: Gymnasium 1.x, `gymnasium/vector/sync_vector_env.py` (`SyncVectorEnv.step` with the
 * three autoreset modes). Observations are written by the caller (the sync env in this thread, the
 * async env's workers into shared memory); this class only records what each sub-env returned.
 */

import { formatValue } from '../utils/format.js';
import { VectorInfoBuilder } from './infos.js';
import { checkSeed } from './seeds.js';
import { AUTORESET_MODES, type AutoresetMode, type VectorInfo, type VectorStepResult } from './vector-env.js';

/**
 * Checks a vector env's `autoresetMode` and `seed` options.
 * @returns the autoreset mode (default `'next-step'`).
 * @throws RangeError, naming `who`, for an unknown mode or an invalid seed.
 */
export function autoresetModeOf(
  options: { autoresetMode?: AutoresetMode; seed?: number },
  who: string,
): AutoresetMode {
  const mode = options.autoresetMode ?? 'next-step';
  if (!AUTORESET_MODES.includes(mode)) {
    throw new RangeError(
      `${who}: autoresetMode must be one of ${AUTORESET_MODES.join(', ')}, got ${formatValue(mode)}`,
    );
  }
  if (options.seed !== undefined) checkSeed(options.seed, `${who}: seed`);
  return mode;
}

export class AutoresetState {
  /** Rewards of the last step, one per sub-env (reused). */
  readonly rewards: Float32Array;
  /** Terminated flags of the last step (reused). */
  readonly terminated: Uint8Array;
  /** Truncated flags of the last step (reused). */
  readonly truncated: Uint8Array;
  /** 1 where the sub-env ended at the last step and is reset by the next one (next-step mode). */
  readonly needsReset: Uint8Array;
  /** Which rows of `finalObservation` the last step filled (same-step mode). */
  readonly finalObservationMask: Uint8Array;
  /** Builds the batched infos (reused arrays). */
  readonly infoBuilder: VectorInfoBuilder;
  private readonly sameStep: boolean;
  private anyFinal = false;
  private finalRowsDirty = false;

  /**
   * @param numEnvs number of sub-envs.
   * @param obsDim values in one observation (row length of `finalObservation`).
   * @param mode the autoreset mode.
   * @param finalObservation the same-step final observations, [numEnvs · obsDim] (empty otherwise).
   * @param who the vector env's class name, for error messages.
   */
  constructor(
    readonly numEnvs: number,
    readonly obsDim: number,
    readonly mode: AutoresetMode,
    readonly finalObservation: Float32Array,
    private readonly who: string,
  ) {
    this.rewards = new Float32Array(numEnvs);
    this.terminated = new Uint8Array(numEnvs);
    this.truncated = new Uint8Array(numEnvs);
    this.needsReset = new Uint8Array(numEnvs);
    this.finalObservationMask = new Uint8Array(numEnvs);
    this.infoBuilder = new VectorInfoBuilder(numEnvs);
    this.sameStep = mode === 'same-step';
  }

  /**
   * Whether sub-env `i` is reset (not stepped) by the coming step, so its action is ignored.
   * @throws Error in mode `'disabled'` when sub-env `i` ended at the previous step.
   */
  resetsAtStep(i: number): boolean {
    if (this.needsReset[i] !== 1) return false;
    if (this.mode === 'disabled') {
      throw new Error(
        `${this.who}: sub-env ${i} ended at the previous step and autoresetMode is 'disabled'; reset it with reset({ options: { resetMask } }) first`,
      );
    }
    return true;
  }

  /** Starts a step or reset: zeroes the `finalObservation` rows of the previous call. */
  clearFinalRows(): void {
    this.anyFinal = false;
    if (!this.finalRowsDirty) return;
    const d = this.obsDim;
    for (let i = 0; i < this.numEnvs; i++) {
      if (this.finalObservationMask[i] === 1) this.finalObservation.fill(0, i * d, (i + 1) * d);
    }
    this.finalObservationMask.fill(0);
    this.finalRowsDirty = false;
  }

  /** Records that sub-env `i` was reset (by `reset()` or an autoreset), with its reset `info`. */
  recordReset(infos: VectorInfo, i: number, info: Record<string, unknown>): void {
    this.rewards[i] = 0;
    this.terminated[i] = 0;
    this.truncated[i] = 0;
    this.needsReset[i] = 0;
    this.infoBuilder.add(infos, info, i);
  }

  /**
   * Records sub-env `i`'s step outcome.
   * @returns true when the episode ended in same-step mode: the caller writes the final
   *   observation, calls {@link recordFinal}, resets the sub-env and adds the reset's info;
   *   otherwise the caller writes the observation and calls {@link recordOngoing}.
   */
  recordStep(i: number, reward: number, terminated: boolean, truncated: boolean): boolean {
    this.rewards[i] = reward;
    this.terminated[i] = terminated ? 1 : 0;
    this.truncated[i] = truncated ? 1 : 0;
    return this.sameStep && (terminated || truncated);
  }

  /** Same-step mode: records sub-env `i`'s final step `info` (its final observation is written). */
  recordFinal(infos: VectorInfo, i: number, info: Record<string, unknown>): void {
    this.finalObservationMask[i] = 1;
    this.anyFinal = true;
    this.finalRowsDirty = true;
    this.infoBuilder.addEntry(infos, 'finalInfo', info, i);
    // Convenience beyond Gymnasium's SyncVectorEnv: episode statistics also at the top level.
    if (info.episode !== undefined) this.infoBuilder.addEntry(infos, 'episode', info.episode, i);
  }

  /** Records sub-env `i`'s step `info`, and that it needs a reset when the episode ended. */
  recordOngoing(infos: VectorInfo, i: number, info: Record<string, unknown>): void {
    this.infoBuilder.add(infos, info, i);
    this.needsReset[i] = this.terminated[i] | this.truncated[i];
  }

  /**
   * Records sub-env `i`'s step whose observations are already written (by an async worker, which
   * in same-step mode also reset the sub-env and sent the reset's `resetInfo`).
   */
  recordWritten(
    infos: VectorInfo,
    i: number,
    reward: number,
    terminated: boolean,
    truncated: boolean,
    info: Record<string, unknown>,
    resetInfo: Record<string, unknown> | undefined,
  ): void {
    if (this.recordStep(i, reward, terminated, truncated)) {
      this.recordFinal(infos, i, info);
      this.infoBuilder.add(infos, resetInfo ?? {}, i);
    } else {
      this.recordOngoing(infos, i, info);
    }
  }

  /** Ends a step: adds the final observations to `infos` and returns the step result. */
  finish(infos: VectorInfo, observations: Float32Array): VectorStepResult {
    if (this.anyFinal) {
      infos.finalObservation = this.finalObservation;
      infos.finalObservationMask = this.finalObservationMask;
      infos._finalObservation = this.finalObservationMask;
    }
    return {
      observations,
      rewards: this.rewards,
      terminated: this.terminated,
      truncated: this.truncated,
      infos,
    };
  }
}
