import { Adam, clipGradNorm } from '@proximal/core';
import { MAX_LAYER_WIDTH, MAX_POLICY_PARAMETERS } from '../common/hyperparameters.js';
import {
  OffPolicyAlgorithm,
  type OffPolicyOptions,
  type OffPolicySaveOptions,
} from '../common/off-policy.js';
import { scheduleValue } from '../common/schedules.js';
import { linearDecay } from '../tabular/config.js';
import { initTf } from '../tf.js';
import {
  DQN_ADAM_EPSILON,
  DQN_DEFAULTS,
  type DqnHyperparameters,
  deserializeDqnHyperparameters,
  resolveDqnHyperparameters,
  serializeDqnHyperparameters,
} from './config.js';
import { dqnLossAndGradient, dqnTargets } from './loss.js';
import { argmaxRow, QNetwork } from './q-network.js';

/** Constructor options of {@link DQN}: the environment, hyperparameters and run settings. */
export interface DqnOptions extends OffPolicyOptions, Partial<DqnHyperparameters> {}

/**
 * The size and first action of a Discrete action space, the only kind DQN acts in.
 * @throws RangeError naming the space when it is not Discrete.
 */
export function discreteActions(space: unknown): { n: number; start: number } {
  const s = space as { n?: unknown; start?: unknown; shape?: readonly number[] };
  if (!Number.isInteger(s?.n) || (s.n as number) < 1 || s.shape?.length !== 0) {
    const name = (space as { constructor?: { name?: string } })?.constructor?.name ?? typeof space;
    throw new RangeError(
      `DQN needs a Discrete action space, got ${name} (${String(space)}); for Box actions use PPO, A2C or TRPO`,
    );
  }
  return { n: s.n as number, start: typeof s.start === 'number' ? s.start : 0 };
}

/**
 * Deep Q-Network (Mnih et al. 2015, "Human-level control through deep reinforcement learning",
 * Algorithm 1), following Stable-Baselines3's `DQN` (names and defaults in camelCase):
 *
 * - act ε-greedily on Q_θ (uniformly random actions for the first `learningStarts` steps; ε falls
 *   linearly from `explorationInitialEps` to `explorationFinalEps` over the first
 *   `explorationFraction` of `totalTimesteps`), storing every transition in a replay buffer of
 *   `bufferSize` (truncated episodes stored with done = 0 and their final observation, so they
 *   bootstrap);
 * - every `trainFreq` vector-env steps (once past `learningStarts`), `gradientSteps` Adam steps on
 *   batches of `batchSize`: Huber loss between Q_θ(s, a) and y = r + γ (1 − terminated) ·
 *   max_a' Q_θ'(s', a') (with `doubleQ`: Q_θ'(s', argmax_a' Q_θ(s', a')), van Hasselt et al. 2016),
 *   gradient-norm clipped to `maxGradNorm`;
 * - every `targetUpdateInterval` env steps, θ' ← τ θ + (1 − τ) θ' (τ = 1: a copy).
 *
 * Discrete action spaces only. Observations as the other algorithms (one-hot for Discrete spaces,
 * optional normalization). Learning-rate schedules, callbacks, `predict`, checkpoints (optionally
 * with the replay buffer) and resume are the shared {@link OffPolicyAlgorithm}'s.
 *
 * Same seed and same tfjs/core backends → the same results.
 *
 * @example
 * const model = await DQN.create({ env: 'CartPole-v1', seed: 1, learningRate: 2.3e-3 });
 * await model.learn({ totalTimesteps: 50_000 });
 */
export class DQN extends OffPolicyAlgorithm<DqnHyperparameters> {
  /** The online and target Q-networks. */
  readonly qNet: QNetwork;
  /** Adam (ε = 1e-8, PyTorch's default as SB3's DQN) over the online network's flat parameters. */
  readonly optimizer: Adam;
  /** The current ε of ε-greedy exploration (SB3's `exploration_rate`). */
  explorationRate: number;
  /** Number of actions of the Discrete action space. */
  readonly numActions: number;
  private readonly actionStart: number;

  private constructor(o: DqnOptions, tfBackend: string) {
    let numActions = 0;
    let start = 0;
    super(
      'DQN',
      o,
      DQN_DEFAULTS,
      (numEnvs) => resolveDqnHyperparameters(o, numEnvs),
      tfBackend,
      (space) => {
        ({ n: numActions, start } = discreteActions(space));
        return 1;
      },
    );
    this.numActions = numActions;
    this.actionStart = start;
    const h = this.hyperparameters;
    const featureDim = this.observationEncoder.featureDim;
    const arch = h.policyKwargs.netArch as number[];
    const sizes = [featureDim, ...arch, numActions];
    let count = 0;
    for (let i = 0; i + 1 < sizes.length; i++) count += (sizes[i] + 1) * sizes[i + 1];
    if (count > MAX_POLICY_PARAMETERS) {
      throw new RangeError(
        `policyKwargs.netArch ${JSON.stringify(arch)} with observation size ${featureDim} gives ${count} parameters; the limit is ${MAX_POLICY_PARAMETERS} (MAX_POLICY_PARAMETERS; layers ≤ ${MAX_LAYER_WIDTH} wide)`,
      );
    }
    this.qNet = new QNetwork(
      featureDim,
      numActions,
      arch,
      h.policyKwargs.activationFn ?? 'relu',
      this.rng.spawn(),
    );
    this.optimizer = new Adam(this.qNet.numParams, {
      learningRate: scheduleValue(h.learningRate, 1),
      epsilon: DQN_ADAM_EPSILON,
    });
    this.explorationRate = h.explorationInitialEps;
  }

  /**
   * Creates a DQN agent (initializing tfjs first).
   * @throws TypeError/RangeError for an invalid env, a non-Discrete action space, an unknown option
   *   (with the camelCase name of an SB3 snake_case key suggested), an invalid hyperparameter or a
   *   replay buffer over the size limit, naming it with the expected and actual value.
   */
  static async create(options: DqnOptions): Promise<DQN> {
    const backend = await initTf(options?.tfBackend ?? 'auto');
    return new DQN(options, backend);
  }

  /** ε-greedy on Q_θ (greedy when deterministic), one draw per row. */
  protected act(features: Float32Array, deterministic: boolean): Float32Array {
    const q = this.qNet.qValues(features);
    const A = this.numActions;
    const batch = q.length / A;
    const out = new Float32Array(batch);
    for (let i = 0; i < batch; i++) {
      out[i] =
        !deterministic && this.explorationRate > 0 && this.rng.uniform() < this.explorationRate
          ? this.rng.integer(A)
          : argmaxRow(q, i, A);
    }
    return out;
  }

  protected randomActions(n: number): Float32Array {
    const out = new Float32Array(n);
    for (let i = 0; i < n; i++) out[i] = this.rng.integer(this.numActions);
    return out;
  }

  protected envActions(actions: Float32Array): Int32Array {
    const out = new Int32Array(actions.length);
    for (let i = 0; i < actions.length; i++) out[i] = actions[i] + this.actionStart;
    return out;
  }

  /** SB3's `DQN._on_step`: the target update every max(⌊targetUpdateInterval / numEnvs⌋, 1) vector steps, then ε. */
  protected override onStep(): void {
    const h = this.hyperparameters;
    if (this.numCalls % Math.max(Math.floor(h.targetUpdateInterval / this.env.numEnvs), 1) === 0) {
      this.qNet.updateTarget(h.tau);
    }
    this.explorationRate = linearDecay(
      h.explorationInitialEps,
      h.explorationFinalEps,
      h.explorationFraction,
      1 - this.progressRemaining(),
    );
  }

  protected override rolloutMetrics(): Record<string, number> {
    return { 'rollout/exploration_rate': this.explorationRate };
  }

  /** `gradientSteps` Adam steps on sampled batches; returns SB3-named training scalars. */
  protected train(gradientSteps: number, batchSize: number): Record<string, number> {
    const h = this.hyperparameters;
    const lr = scheduleValue(h.learningRate, this.progressRemaining());
    this.optimizer.learningRate = lr;
    const q = this.qNet;
    let lossSum = 0;
    let qSum = 0;
    for (let g = 0; g < gradientSteps; g++) {
      const b = this.replayBuffer.sample(batchSize, this.rng);
      const feats = this.features(b.observations);
      const nextFeats = this.features(b.nextObservations);
      const targets = dqnTargets({
        rewards: this.normalizer.scaleRewards(b.rewards),
        dones: b.dones,
        nextTargetQ: q.targetQValues(nextFeats),
        nextOnlineQ: h.doubleQ ? q.qValues(nextFeats) : undefined,
        numActions: this.numActions,
        gamma: h.gamma,
        doubleQ: h.doubleQ,
      });
      const s = dqnLossAndGradient(q, feats, b.actions, targets);
      if (!Number.isFinite(s.loss)) {
        throw new Error(`DQN loss became ${s.loss} at timestep ${this.numTimesteps}; training stopped`);
      }
      clipGradNorm(s.grads, h.maxGradNorm);
      this.optimizer.step(q.params, s.grads);
      q.syncStack();
      lossSum += s.loss;
      qSum += s.qMean;
    }
    return {
      'train/loss': lossSum / gradientSteps,
      'train/q_mean': qSum / gradientSteps,
      'train/learning_rate': lr,
      'train/n_updates': this.optimizer.t,
    };
  }

  describeHyperparameters(): Record<string, unknown> {
    return serializeDqnHyperparameters(this.hyperparameters);
  }

  /**
   * Saves the whole agent to `dir` (created if missing): `proximal.json` (algorithm, env id,
   * hyperparameters, network shapes, counters, ε, normalization statistics, the optimizer's step
   * count, the RNG state, the schedules' horizon, the episode statistics, and the replay buffer's
   * position when saved) and `tensors.bin` (online and target parameters, Adam's moments and, with
   * `saveReplayBuffer`, the filled part of the replay buffer) — with the buffer, enough to continue
   * training after `load` exactly as without the interruption, except that the envs restart from
   * a reset. Written atomically.
   * @throws Error when `dir` exists and holds files other than a model's; TypeError when
   *   saveReplayBuffer is not a boolean.
   */
  async save(dir: string, options: OffPolicySaveOptions = {}): Promise<void> {
    const opt = this.optimizer;
    await this.saveCheckpoint(
      dir,
      {
        network: { q: this.qNet.layers },
        numActions: this.numActions,
        explorationRate: this.explorationRate,
        optimizer: { kind: 'adam', ...opt.toJSON() },
      },
      [
        { name: 'params', data: this.qNet.params },
        { name: 'targetParams', data: this.qNet.targetParams },
        { name: 'adam.m', data: opt.m },
        { name: 'adam.v', data: opt.v },
      ],
      options,
    );
  }

  /**
   * Loads an agent saved by {@link DQN.save}, ready to predict or to continue training
   * (`learn({ totalTimesteps, resetNumTimesteps: false })`). The env defaults to the saved env id
   * with the saved numEnvs; the replay buffer is restored when it was saved (else it starts empty).
   * @throws Error when `dir` does not hold a Proximal DQN model, holds a newer format version,
   *   parameters or a network whose shapes do not match the network built from the config and env
   *   (naming the layer and both shapes), or a replay buffer that does not fit.
   */
  static async load(dir: string, options: Partial<DqnOptions> = {}): Promise<DQN> {
    const { meta, tensors, createOptions } = await OffPolicyAlgorithm.readForLoad(dir, 'DQN', options);
    const model = await DQN.create({
      ...deserializeDqnHyperparameters(meta.hyperparameters as Record<string, unknown>),
      ...createOptions,
    });
    model.restore(dir, meta, tensors);
    const file = `${dir}/proximal.json`;
    const saved = (meta.network as { q?: unknown } | undefined)?.q;
    const layers = model.qNet.layers;
    if (!Array.isArray(saved) || saved.length !== layers.length) {
      throw new Error(
        `${file}: network.q has ${Array.isArray(saved) ? saved.length : 'no'} layers, but the config builds ${layers.length}`,
      );
    }
    layers.forEach((built, i) => {
      const l = saved[i] as { inSize?: unknown; outSize?: unknown };
      if (l?.inSize !== built.inSize || l?.outSize !== built.outSize) {
        throw new Error(
          `${file}: network.q[${i}] weight has shape [${String(l?.inSize)}, ${String(l?.outSize)}] in the file, but the config builds [${built.inSize}, ${built.outSize}]`,
        );
      }
    });
    const n = model.qNet.numParams;
    for (const [name, target] of [
      ['params', model.qNet.params],
      ['targetParams', model.qNet.targetParams],
      ['adam.m', model.optimizer.m],
      ['adam.v', model.optimizer.v],
    ] as const) {
      const data = tensors.get(name);
      if (!data || data.length !== n) {
        throw new Error(`${dir}/tensors.bin: '${name}' has ${data?.length ?? 0} values, expected ${n}`);
      }
      target.set(data);
    }
    model.qNet.syncStack();
    model.optimizer.t = (meta.optimizer as { t?: number } | undefined)?.t ?? 0;
    if (typeof meta.explorationRate === 'number') model.explorationRate = meta.explorationRate;
    return model;
  }

  /** Releases the tfjs variables and the env. */
  override dispose(): void {
    this.qNet.dispose();
    super.dispose();
  }
}
