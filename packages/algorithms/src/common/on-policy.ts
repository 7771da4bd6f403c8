import { gae } from '@proximal/core';
import type { VectorEnv } from '@proximal/envs';
import {
  type ActionHead,
  actionSize,
  headFromSpace,
  headOutputSize,
  headToJSON,
} from '../policies/action-head.js';
import { ActorCriticPolicy, type PolicyKwargs } from '../policies/actor-critic.js';
import { BaseAlgorithm, type BaseAlgorithmOptions, type IterationResult } from './base-algorithm.js';
import { type StoredTensor, writeCheckpoint } from './checkpoint.js';
import {
  checkRolloutSize,
  MAX_LAYER_WIDTH,
  MAX_POLICY_PARAMETERS,
  type OnPolicyHyperparameters,
} from './hyperparameters.js';
import { RolloutBuffer } from './rollout-buffer.js';
import type { ObservationEncoder } from './spaces.js';

export type { LearnOptions } from './base-algorithm.js';
export type { OnPolicyHyperparameters } from './hyperparameters.js';

/**
 * One rollout as plain arrays (time-major, (t, n) at `t * numEnvs + n`, the layout of the rollout buffer),
 * as {@link OnPolicyAlgorithm.collectRolloutBatch} returns it and `trainOnRollout` takes it.
 */
export interface RolloutBatch {
  numSteps: number;
  numEnvs: number;
  /** float32 [T, N, obsDim] (encoded, normalized policy inputs) */
  observations: Float32Array;
  /** float32 [T, N, actionSize] */
  actions: Float32Array;
  /** float32 [T, N] each */
  rewards: Float32Array;
  values: Float32Array;
  nextValues: Float32Array;
  logProbs: Float32Array;
  /** uint8 [T, N] each */
  terminated: Uint8Array;
  truncated: Uint8Array;
  /** Returns and lengths of the episodes that ended during the rollout. */
  episodeReturns: number[];
  episodeLengths: number[];
}

const ROLLOUT_ARRAYS = [
  'observations',
  'actions',
  'rewards',
  'values',
  'nextValues',
  'logProbs',
  'terminated',
  'truncated',
] as const;

/** Constructor options shared by the on-policy algorithms (those of {@link BaseAlgorithm}). */
export type OnPolicyOptions = BaseAlgorithmOptions;

/**
 * The part of PPO, TRPO and their family that is the same (SB3's `OnPolicyAlgorithm`): the vector
 * env in same-step autoreset mode, rollouts of `nSteps` per env into a time-major buffer with
 * truncated episodes bootstrapped from the value of their final observation, GAE(γ, λ) through
 * `@proximal/core`, and the actor-critic policy's checkpoints; episode statistics, normalization,
 * callbacks, `predict` and resume are {@link BaseAlgorithm}'s. Subclasses implement `train()`, one
 * policy/value update on the filled buffer.
 */
export abstract class OnPolicyAlgorithm<H extends OnPolicyHyperparameters> extends BaseAlgorithm<H> {
  readonly policy: ActorCriticPolicy;
  protected readonly buffer: RolloutBuffer;

  /**
   * Validates everything before allocating anything: unknown option keys (with the camelCase or
   * closest known name suggested), `numEnvs` (≤ {@link MAX_NUM_ENVS}), every hyperparameter
   * (`resolve`), the rollout buffer's size and the network's parameter count; only then creates
   * the env (for an env id), the policy and the buffer (see {@link BaseAlgorithm}'s constructor).
   * @param defaults the algorithm's hyperparameter defaults (their keys are the accepted hyperparameter names).
   * @param resolve merges and validates the hyperparameters for a number of envs.
   * @throws TypeError/RangeError naming the bad option, its value and what was expected.
   */
  protected constructor(
    algorithm: string,
    o: OnPolicyOptions,
    defaults: H,
    resolve: (numEnvs: number) => H,
    tfBackend: string,
  ) {
    super(
      algorithm,
      o,
      defaults,
      resolve,
      tfBackend,
      'bootstraps truncated episodes from the final observation',
      (env, encoder, h) => checkOnPolicySizes(env, encoder, h, algorithm),
    );
    const obsDim = this.observationEncoder.featureDim;
    const head = headFromSpace(this.env.singleActionSpace, algorithm);
    const h = this.hyperparameters;
    this.policy = new ActorCriticPolicy(obsDim, head, h.policyKwargs, this.rng.spawn(), {
      useSde: h.useSde,
    });
    this.buffer = new RolloutBuffer(h.nSteps, this.env.numEnvs, obsDim, this.policy.actionSize);
  }

  /** One update on the filled rollout buffer; returns SB3-named training scalars. */
  protected abstract train(): Record<string, number>;

  /** Saves the whole agent to a directory (see the subclass). */
  abstract override save(dir: string): Promise<void>;

  /** One rollout of nSteps × numEnvs steps, then `train()`. */
  protected override learnIteration(): IterationResult {
    const finished = this.collectRollout();
    this.numTimesteps += this.hyperparameters.nSteps * this.env.numEnvs;
    return { finished, train: this.train() };
  }

  /** The policy's sampled (or, `deterministic`, most likely) actions in the form the env takes. */
  protected override predictActions(
    features: Float32Array,
    deterministic: boolean,
  ): Int32Array | Float32Array {
    return envActions(this.policy.head, this.policy.act(features, this.rng, deterministic).actions);
  }

  /** SB3's `train/std`: the mean of exp(log-std) for Gaussian policies (nothing for discrete ones). */
  protected stdMetric(): Record<string, number> {
    if (!this.policy.logStd) return {};
    const l = this.policy.logStd.dataSync() as Float32Array;
    let s = 0;
    for (const x of l) s += Math.exp(x);
    return { 'train/std': s / l.length };
  }

  /** Fills the rollout buffer with nSteps × numEnvs transitions; returns the episodes that ended. */
  protected collectRollout(): { returns: number[]; lengths: number[] } {
    const { numSteps: T, numEnvs: N, obsDim: D, actionSize: A } = this.buffer;
    const b = this.buffer;
    const enc = this.observationEncoder;
    const R = enc.rawDim;
    const returns: number[] = [];
    const lengths: number[] = [];
    this.policy.syncInference();
    let obs = this.lastObs!;
    const finalRows: number[] = [];
    const dones = new Uint8Array(N);
    const { useSde, sdeSampleFreq } = this.hyperparameters;
    for (let t = 0; t < T; t++) {
      // gSDE: new exploration matrices at the start of the rollout and every sdeSampleFreq steps (SB3)
      if (useSde && (t === 0 || (sdeSampleFreq > 0 && t % sdeSampleFreq === 0))) {
        this.policy.resetNoise(N, this.rng);
      }
      const obsIn = this.normalizer.observations(enc.encode(obs), true);
      b.observations.set(obsIn, t * N * D);
      const { actions, logProbs } = this.policy.act(obsIn, this.rng);
      b.actions.set(actions, t * N * A);
      b.logProbs.set(logProbs, t * N);
      this.policy.predictValues(obsIn, b.values.subarray(t * N, t * N + N));
      const res = this.env.step(envActions(this.policy.head, actions));
      for (let i = 0; i < N; i++) dones[i] = res.terminated[i] | res.truncated[i];
      for (let i = 0; i < N; i++) {
        if (!Number.isFinite(res.rewards[i]))
          throw new Error(`reward of env ${i} is ${res.rewards[i]} at step ${this.numTimesteps + t * N}`);
      }
      b.rewards.set(this.normalizer.rewards(res.rewards, dones), t * N);
      b.terminated.set(res.terminated, t * N);
      b.truncated.set(res.truncated, t * N);
      const infos = res.infos as Record<string, unknown>;
      const mask = infos.finalObservationMask as Uint8Array | undefined;
      const finalObs = infos.finalObservation as Float32Array | undefined;
      finalRows.length = 0;
      for (let i = 0; i < N; i++) if (res.truncated[i] && !res.terminated[i]) finalRows.push(i);
      if (finalRows.length > 0) {
        if (!mask || !finalObs)
          throw new Error('env did not report infos.finalObservation for a truncated episode');
        const rows = new Float32Array(finalRows.length * R);
        finalRows.forEach((i, j) => {
          rows.set(finalObs.subarray(i * R, i * R + R), j * R);
        });
        const v = this.policy.predictValues(this.normalizer.observations(enc.encode(rows), false));
        finalRows.forEach((i, j) => {
          b.nextValues[t * N + i] = v[j];
        });
      }
      this.recordEpisodes(infos, returns, lengths);
      obs = res.observations.slice();
      for (let i = 0; i < obs.length; i++) {
        if (Number.isNaN(obs[i]))
          throw new Error(
            `observation ${i % R} of env ${Math.floor(i / R)} is NaN at step ${this.numTimesteps + t * N}`,
          );
      }
    }
    this.lastObs = obs;
    const last = this.policy.predictValues(this.normalizer.observations(enc.encode(obs), false));
    for (let t = 0; t < T; t++) {
      for (let i = 0; i < N; i++) {
        const k = t * N + i;
        if (b.terminated[k] || b.truncated[k]) continue; // terminated: unused; truncated: set above
        b.nextValues[k] = t + 1 < T ? b.values[k + N] : last[i];
      }
    }
    this.computeAdvantages();
    return { returns, lengths };
  }

  /** GAE(γ, λ) over the filled buffer (rewards, values, nextValues, flags) into advantages/returns. */
  private computeAdvantages(): void {
    const b = this.buffer;
    const h = this.hyperparameters;
    const res = gae({
      rewards: b.rewards,
      values: b.values,
      nextValues: b.nextValues,
      terminated: b.terminated,
      truncated: b.truncated,
      numEnvs: b.numEnvs,
      gamma: h.gamma,
      lambda: h.gaeLambda,
    });
    b.advantages = res.advantages;
    b.returns = res.returns;
  }

  /**
   * Collects one rollout of nSteps × numEnvs transitions with the current policy (resetting the
   * envs on the first call) and returns copies of its arrays, for a learner elsewhere to train on
   * with {@link trainOnRollout} (`@proximal/distributed`'s workers). Counts the steps in
   * `numTimesteps` and the finished episodes in `episodes`.
   * @throws Error when a reward or observation becomes NaN.
   */
  collectRolloutBatch(): RolloutBatch {
    if (this.lastObs === null) this.resetEnvs();
    const finished = this.collectRollout();
    this.numTimesteps += this.buffer.size;
    const b = this.buffer;
    return {
      numSteps: b.numSteps,
      numEnvs: b.numEnvs,
      observations: b.observations.slice(),
      actions: b.actions.slice(),
      rewards: b.rewards.slice(),
      values: b.values.slice(),
      nextValues: b.nextValues.slice(),
      logProbs: b.logProbs.slice(),
      terminated: b.terminated.slice(),
      truncated: b.truncated.slice(),
      episodeReturns: finished.returns,
      episodeLengths: finished.lengths,
    };
  }

  /**
   * One update (`train()`) on a rollout collected elsewhere ({@link collectRolloutBatch} on
   * workers): copies it into the buffer, computes GAE(γ, λ) and trains; counts its steps in
   * `numTimesteps`, one iteration, and its finished episodes.
   * @param targetTimesteps the schedules' horizon (see {@link OnPolicyAlgorithm.targetTimesteps}); unchanged when omitted.
   * @returns the SB3-named training scalars of the update.
   * @throws RangeError when the batch's numSteps, numEnvs or an array length differs from this
   *   agent's buffer (naming the field and both sizes); Error when the loss becomes NaN.
   */
  trainOnRollout(batch: RolloutBatch, targetTimesteps?: number): Record<string, number> {
    const b = this.buffer;
    if (batch.numSteps !== b.numSteps || batch.numEnvs !== b.numEnvs) {
      throw new RangeError(
        `rollout is [${batch.numSteps}, ${batch.numEnvs}] (numSteps, numEnvs), expected [${b.numSteps}, ${b.numEnvs}]`,
      );
    }
    for (const name of ROLLOUT_ARRAYS) {
      const dst = b[name];
      const src = batch[name];
      if (src.length !== dst.length) {
        throw new RangeError(`rollout.${name} has length ${src.length}, expected ${dst.length}`);
      }
      dst.set(src);
    }
    if (targetTimesteps !== undefined) this.totalForSchedule = targetTimesteps;
    this.computeAdvantages();
    this.numTimesteps += b.size;
    const metrics = this.train();
    this.iterations++;
    batch.episodeReturns.forEach((r, i) => {
      this.episodes.push(r, batch.episodeLengths[i]);
    });
    return metrics;
  }

  /** Metadata and tensors every checkpoint holds; subclasses add their optimizer state. */
  protected async saveCheckpoint(
    dir: string,
    meta: Record<string, unknown>,
    tensors: StoredTensor[],
  ): Promise<void> {
    await writeCheckpoint(
      dir,
      {
        ...this.identityMeta(),
        observationDim: this.policy.obsDim,
        actionHead: headToJSON(this.policy.head),
        hyperparameters: this.describeHyperparameters(),
        network: { actor: this.policy.actor.layers, critic: this.policy.critic.layers },
        // resume state: normalization, the algorithm's RNG, the schedules' horizon and the episode statistics
        ...this.resumeMeta(),
        ...meta,
      },
      [{ name: 'params', data: this.policy.getFlatParams() }, ...tensors],
    );
  }

  /**
   * Restores parameters, counters, normalization statistics, the RNG state, the schedules' horizon
   * ({@link targetTimesteps}) and the episode statistics from a checkpoint; checkpoints written
   * before the last four existed restore without them.
   * @throws Error when the saved network (observation size, layer shapes, parameter count) does
   *   not match the network built from the config and env, naming the layer and both shapes;
   *   RangeError when the saved RNG, normalization or episode state is malformed.
   */
  protected restore(
    dir: string,
    meta: Record<string, unknown>,
    tensors: Map<string, Float32Array>,
  ): Float32Array {
    this.checkSavedObservationDim(dir, meta);
    checkSavedNetwork(dir, meta, this.policy);
    const params = tensors.get('params');
    if (!params || params.length !== this.policy.numParams) {
      throw new Error(
        `${dir} holds ${params?.length ?? 0} policy parameters, but the network built from its config has ${this.policy.numParams}`,
      );
    }
    this.policy.setFlatParams(params);
    this.policy.syncInference();
    this.restoreState(meta);
    return params;
  }

  /** Releases the tfjs variables and the env. */
  override dispose(): void {
    this.policy.dispose();
    super.dispose();
  }
}

/**
 * Converts policy actions (float32 [batch, actionSize]) into what the env takes: int32 indices for
 * discrete heads; for Box, the Gaussian sample clipped to the bounds (SB3 clips too; the unclipped
 * sample is what the buffer stores and the log-probability refers to).
 */
export function envActions(head: ActionHead, actions: Float32Array): Int32Array | Float32Array {
  if (head.kind === 'categorical') return Int32Array.from(actions);
  const out = new Float32Array(actions.length);
  for (let i = 0; i < actions.length; i++) {
    const j = i % head.dim;
    const a = actions[i];
    out[i] = a < head.low[j] ? head.low[j] : a > head.high[j] ? head.high[j] : a;
  }
  return out;
}

/**
 * The on-policy size limits, checked before anything is allocated: the rollout buffer's size
 * (`checkRolloutSize`) and the network's parameter count ({@link checkPolicySize}).
 * @throws RangeError as those two.
 */
function checkOnPolicySizes(
  env: VectorEnv,
  encoder: ObservationEncoder,
  h: OnPolicyHyperparameters,
  algorithm: string,
): void {
  const head = headFromSpace(env.singleActionSpace, algorithm);
  checkRolloutSize(h.nSteps, env.numEnvs, encoder.featureDim, actionSize(head));
  checkPolicySize(encoder.featureDim, headOutputSize(head), h.policyKwargs);
}

/**
 * Refuses networks whose parameter count (trunk, actor, critic; weights and biases) exceeds
 * {@link MAX_POLICY_PARAMETERS}, before any weight is allocated.
 * @throws RangeError naming policyKwargs.netArch, the count and the limit.
 */
function checkPolicySize(obsDim: number, outDim: number, kwargs: PolicyKwargs): void {
  const arch = kwargs.netArch ?? [64, 64];
  const shared = Array.isArray(arch) ? [] : (arch.shared ?? []);
  const pi = Array.isArray(arch) ? arch : arch.pi;
  const vf = Array.isArray(arch) ? arch : arch.vf;
  const count = (sizes: number[]) => {
    let c = 0;
    for (let i = 0; i + 1 < sizes.length; i++) c += (sizes[i] + 1) * sizes[i + 1];
    return c;
  };
  const feat = shared.length > 0 ? shared[shared.length - 1] : obsDim;
  const total = count([obsDim, ...shared]) + count([feat, ...pi, outDim]) + count([feat, ...vf, 1]);
  if (total > MAX_POLICY_PARAMETERS) {
    throw new RangeError(
      `policyKwargs.netArch ${JSON.stringify(arch)} with observation size ${obsDim} gives ${total} parameters; the limit is ${MAX_POLICY_PARAMETERS} (MAX_POLICY_PARAMETERS; layers ≤ ${MAX_LAYER_WIDTH} wide)`,
    );
  }
}

/**
 * Compares the network shapes saved in `proximal.json` (`network.actor`, `network.critic`: lists
 * of `{ inSize, outSize }`) with the policy built for loading (`observationDim` is checked by
 * `BaseAlgorithm.checkSavedObservationDim` first).
 * @throws Error naming the file, the layer (e.g. `network.actor[0] weight`) and both shapes.
 */
function checkSavedNetwork(dir: string, meta: Record<string, unknown>, policy: ActorCriticPolicy): void {
  const file = `${dir}/proximal.json`;
  const network = meta.network as Record<string, unknown> | undefined;
  if (!network) return;
  for (const [name, stack] of [
    ['actor', policy.actor],
    ['critic', policy.critic],
  ] as const) {
    const saved = network[name];
    if (!Array.isArray(saved))
      throw new Error(`${file}: network.${name} must be a list of layers, got ${JSON.stringify(saved)}`);
    if (saved.length !== stack.layers.length) {
      throw new Error(
        `${file}: network.${name} has ${saved.length} layers, but the config builds ${stack.layers.length}`,
      );
    }
    stack.layers.forEach((built, i) => {
      const l = saved[i] as { inSize?: unknown; outSize?: unknown };
      if (l?.inSize !== built.inSize || l?.outSize !== built.outSize) {
        throw new Error(
          `${file}: network.${name}[${i}] weight has shape [${String(l?.inSize)}, ${String(l?.outSize)}] in the file, but the config builds [${built.inSize}, ${built.outSize}]`,
        );
      }
    });
  }
}
