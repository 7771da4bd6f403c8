import {
  Adam,
  type GrpoLossResult,
  type GrpoLossType,
  groupRelativeAdvantages,
  grpoLoss,
  type ImportanceSamplingLevel,
  Random,
  type RewardScaling,
} from '@proximal/core';
import { kernelLoss } from '../bridge.js';
import { checkBool, checkInt, checkNum, checkOneOf, checkOptions } from '../checks.js';
import type { SequencePolicy } from '../policy.js';
import type { RewardContext, RewardFunc } from '../rewards.js';
import { tf } from '../tf.js';
import type { CharTokenizer } from '../tokenizer.js';
import {
  epochBatches,
  learningRateAt,
  type ResolvedTrainingArguments,
  resolveTrainingArguments,
  TRAINING_ARGUMENT_KEYS,
  type TrainingArguments,
} from './args.js';
import { maskedMean, meanStd, optimizerStep } from './common.js';

/**
 * Options of {@link GRPOTrainer}: TRL's `GRPOConfig` names (camelCase) and defaults. `batchSize`
 * counts completions per optimizer step (TRL's per-device batch) and must be a multiple of
 * numGenerations; each step samples batchSize / numGenerations prompts.
 */
export interface GRPOConfig extends TrainingArguments {
  /** G, completions per prompt. Default 8 (TRL). */
  numGenerations?: number;
  /** Maximum completion tokens. Default 256 (TRL); prompt + completion must fit the model's maxSeqLen. */
  maxCompletionLength?: number;
  /** Sampling temperature (also divides the logits of the training log-probs, as TRL). Default 1. */
  temperature?: number;
  /** Top-k sampling, 0 = off. Default 0. */
  topK?: number;
  /** Nucleus sampling, 1 = off. Default 1. */
  topP?: number;
  /**
   * KL coefficient β to the frozen reference model. Default 0 (TRL's current default, following
   * DAPO and Dr. GRPO: no reference model is kept and no KL is computed). β > 0 clones the initial
   * policy as the reference (or uses `refModel`).
   */
  beta?: number;
  /** Clip ε (low side). Default 0.2. */
  epsilon?: number;
  /** Clip ε_high. Default epsilon (DAPO recommends 0.28). */
  epsilonHigh?: number;
  /** Two-sided GRPO's upper clamp δ of the ratio; default none. */
  delta?: number;
  /** μ, optimizer steps on each generated batch (old log-probs fixed at generation). Default 1. */
  numIterations?: number;
  /** `'grpo'`, `'bnpo'`, `'dr_grpo'` or `'dapo'` (default, TRL's current default): see core's `grpoLoss`. */
  lossType?: GrpoLossType;
  /** `'group'` (default), `'batch'` or `'none'` (Dr. GRPO): see core's `groupRelativeAdvantages`. */
  scaleRewards?: RewardScaling;
  /** One weight per reward function; default all 1. */
  rewardWeights?: number[];
  /** Exclude truncated completions (no stop token) from the loss (DAPO's overlong filtering). Default false. */
  maskTruncatedCompletions?: boolean;
  /** `'token'` (default, GRPO) or `'sequence'` (GSPO). */
  importanceSamplingLevel?: ImportanceSamplingLevel;
}

const GRPO_KEYS = [
  ...TRAINING_ARGUMENT_KEYS,
  'numGenerations',
  'maxCompletionLength',
  'temperature',
  'topK',
  'topP',
  'beta',
  'epsilon',
  'epsilonHigh',
  'delta',
  'numIterations',
  'lossType',
  'scaleRewards',
  'rewardWeights',
  'maskTruncatedCompletions',
  'importanceSamplingLevel',
];

/** The resolved GRPO configuration. */
export interface ResolvedGRPOConfig extends ResolvedTrainingArguments {
  numGenerations: number;
  maxCompletionLength: number;
  temperature: number;
  topK: number;
  topP: number;
  beta: number;
  epsilon: number;
  epsilonHigh: number;
  delta: number | null;
  numIterations: number;
  lossType: GrpoLossType;
  scaleRewards: RewardScaling;
  rewardWeights: number[];
  maskTruncatedCompletions: boolean;
  importanceSamplingLevel: ImportanceSamplingLevel;
}

/** One logged GRPO step (TRL's metric names in camelCase; means over the generated batch). */
export interface GRPOLog {
  step: number;
  epoch: number;
  /** The loss of the last of the numIterations updates. */
  loss: number;
  gradNorm: number;
  learningRate: number;
  /** Mean of the weighted reward sum. */
  reward: number;
  /** Mean over the groups of each group's reward std (TRL's `reward_std`). */
  rewardStd: number;
  /** Per reward function: mean and std of its (unweighted) rewards, NaN ignored. */
  rewards: Record<string, { mean: number; std: number }>;
  /** Fraction of groups whose rewards all tie (TRL's `frac_reward_zero_std`): they give no gradient. */
  fracRewardZeroStd: number;
  /** Mean k3 KL to the reference (null when beta = 0, as TRL does not compute it). */
  kl: number | null;
  clipRatioLow: number;
  clipRatioHigh: number;
  clipRatioRegion: number;
  /** Masked mean of the per-token entropy (nats) of the temperature-scaled policy. */
  entropy: number;
  completionsMeanLength: number;
  completionsMinLength: number;
  completionsMaxLength: number;
  /** Fraction of completions truncated at maxCompletionLength (TRL's `completions/clipped_ratio`). */
  completionsClippedRatio: number;
}

/** A dataset example: its prompt text, plus any columns the reward functions read. */
export interface GRPOExample {
  prompt: string;
}

/**
 * Group Relative Policy Optimization (Shao et al. 2024, DeepSeekMath §4.1) as Hugging Face TRL's
 * `GRPOTrainer`: each step samples G = numGenerations completions for each of batchSize / G prompts
 * (prompt = BOS + prompt text, stopping at EOS), scores them with the weighted reward functions,
 * turns the rewards into group-relative advantages (core's `groupRelativeAdvantages`) and takes
 * numIterations Adam steps on core's fused `grpoLoss`, whose gradient w.r.t. the per-token
 * log-probabilities enters tfjs through `tf.customGrad` ({@link kernelLoss}). Variants (DAPO,
 * Dr. GRPO, GSPO, two-sided GRPO) through lossType, scaleRewards, epsilonHigh,
 * importanceSamplingLevel, delta and maskTruncatedCompletions.
 */
export class GRPOTrainer<E extends GRPOExample = GRPOExample> {
  readonly model: SequencePolicy;
  readonly tokenizer: CharTokenizer;
  readonly args: ResolvedGRPOConfig;
  /** The frozen reference policy (beta > 0 only). */
  readonly refModel: SequencePolicy | null;
  readonly logHistory: GRPOLog[] = [];
  globalStep = 0;
  private readonly ownsRef: boolean;
  private readonly dataset: readonly E[];
  private readonly rewardFuncs: RewardFunc<E>[];
  private readonly rewardNames: string[];
  private readonly optimizer: Adam;
  private readonly rng: Random;
  private readonly batches: Generator<Int32Array>;
  private readonly onLog: ((log: GRPOLog) => void) | undefined;

  /**
   * @throws TypeError for an unknown option or a reward function that is not a function;
   *   RangeError for an empty dataset, batchSize not a multiple of numGenerations, rewardWeights of
   *   the wrong length, or an argument outside its range (core's checks for the loss arguments).
   */
  constructor(options: {
    model: SequencePolicy;
    tokenizer: CharTokenizer;
    rewardFuncs: RewardFunc<E> | RewardFunc<E>[];
    trainDataset: readonly E[];
    args?: GRPOConfig;
    refModel?: SequencePolicy;
    onLog?: (log: GRPOLog) => void;
  }) {
    checkOptions('GRPOTrainer options', options, [
      'model',
      'tokenizer',
      'rewardFuncs',
      'trainDataset',
      'args',
      'refModel',
      'onLog',
    ]);
    const a = checkOptions('args', options.args ?? {}, GRPO_KEYS) as GRPOConfig;
    const base = resolveTrainingArguments(a, 1e-6);
    const funcs = Array.isArray(options.rewardFuncs) ? options.rewardFuncs : [options.rewardFuncs];
    if (funcs.length === 0) throw new RangeError('rewardFuncs must hold at least one reward function');
    funcs.forEach((f, i) => {
      if (typeof f !== 'function')
        throw new TypeError(`rewardFuncs[${i}] must be a function, got ${typeof f}`);
    });
    const numGenerations = checkInt('numGenerations', a.numGenerations ?? 8, 2);
    if (base.batchSize % numGenerations !== 0) {
      throw new RangeError(
        `batchSize (${base.batchSize}) must be a multiple of numGenerations (${numGenerations})`,
      );
    }
    const epsilon = checkNum('epsilon', a.epsilon ?? 0.2, 0, Number.MAX_VALUE);
    const weights = a.rewardWeights ?? funcs.map(() => 1);
    if (!Array.isArray(weights) || weights.length !== funcs.length) {
      throw new RangeError(
        `rewardWeights must hold one weight per reward function (${funcs.length}), got ${Array.isArray(weights) ? weights.length : typeof weights}`,
      );
    }
    for (const [i, w] of weights.entries())
      checkNum(`rewardWeights[${i}]`, w, -Number.MAX_VALUE, Number.MAX_VALUE);
    this.args = {
      ...base,
      numGenerations,
      maxCompletionLength: checkInt('maxCompletionLength', a.maxCompletionLength ?? 256, 1),
      temperature: checkNum('temperature', a.temperature ?? 1, 0, Number.MAX_VALUE, true),
      topK: checkInt('topK', a.topK ?? 0, 0),
      topP: checkNum('topP', a.topP ?? 1, 0, 1, true),
      beta: checkNum('beta', a.beta ?? 0, 0, Number.MAX_VALUE),
      epsilon,
      epsilonHigh: checkNum('epsilonHigh', a.epsilonHigh ?? epsilon, 0, Number.MAX_VALUE),
      delta: a.delta === undefined ? null : checkNum('delta', a.delta, 0, Number.MAX_VALUE),
      numIterations: checkInt('numIterations', a.numIterations ?? 1, 1),
      lossType: checkOneOf('lossType', a.lossType ?? 'dapo', ['grpo', 'bnpo', 'dr_grpo', 'dapo'] as const),
      scaleRewards: checkOneOf('scaleRewards', a.scaleRewards ?? 'group', [
        'group',
        'batch',
        'none',
      ] as const),
      rewardWeights: weights,
      maskTruncatedCompletions: checkBool('maskTruncatedCompletions', a.maskTruncatedCompletions ?? false),
      importanceSamplingLevel: checkOneOf('importanceSamplingLevel', a.importanceSamplingLevel ?? 'token', [
        'token',
        'sequence',
      ] as const),
    };
    if (!Array.isArray(options.trainDataset) || options.trainDataset.length === 0) {
      throw new RangeError('trainDataset must be a non-empty array of { prompt, ... }');
    }
    this.model = options.model;
    this.tokenizer = options.tokenizer;
    this.dataset = options.trainDataset;
    this.rewardFuncs = funcs;
    this.rewardNames = funcs.map((f, i) => f.rewardName ?? (f.name || `reward${i}`));
    this.onLog = options.onLog;
    if (this.args.beta > 0) {
      this.refModel = options.refModel ?? this.model.clone();
      this.ownsRef = options.refModel === undefined;
    } else {
      if (options.refModel !== undefined)
        throw new TypeError('refModel is only used with beta > 0 (beta = 0)');
      this.refModel = null;
      this.ownsRef = false;
    }
    this.rng = new Random(this.args.seed);
    this.batches = epochBatches(this.dataset.length, this.args.batchSize / numGenerations, this.rng);
    this.optimizer = new Adam(this.model.numParams, {
      learningRate: this.args.learningRate,
      beta1: this.args.adamBeta1,
      beta2: this.args.adamBeta2,
      epsilon: this.args.adamEpsilon,
    });
  }

  /** Prompts per step (batchSize / numGenerations). */
  get promptsPerStep(): number {
    return this.args.batchSize / this.args.numGenerations;
  }

  /** Total optimizer steps of {@link train} (each generated batch counts numIterations steps). */
  get totalSteps(): number {
    const { maxSteps, numTrainEpochs, numIterations } = this.args;
    return maxSteps > 0
      ? maxSteps
      : numTrainEpochs * Math.ceil(this.dataset.length / this.promptsPerStep) * numIterations;
  }

  /**
   * One GRPO step on the given examples (default: the next batch of the seeded shuffle): generate,
   * score, numIterations updates.
   * @throws RangeError when a reward function returns the wrong number of rewards or ±Infinity.
   */
  step(examples?: readonly E[]): GRPOLog {
    const a = this.args;
    const G = a.numGenerations;
    const batch = examples ?? Array.from(this.batches.next().value as Int32Array, (i) => this.dataset[i]);
    const promptIds = batch.map((e) => this.tokenizer.encode(e.prompt, { addBos: true }));
    const out = this.model.generate({
      prompts: promptIds,
      numReturnSequences: G,
      maxNewTokens: a.maxCompletionLength,
      temperature: a.temperature,
      topK: a.topK,
      topP: a.topP,
      stopToken: this.tokenizer.eosTokenId,
      padToken: this.tokenizer.padTokenId,
      seed: this.rng.integer(2 ** 31),
    });
    const B = out.batchSize;
    const L = out.seqLen;
    const rowExamples = Array.from({ length: B }, (_, b) => batch[Math.floor(b / G)]);
    const completionIds = Array.from({ length: B }, (_, b) =>
      out.completions.slice(b * L, b * L + out.lengths[b]),
    );
    const texts = completionIds.map((ids) => this.tokenizer.decode(ids));
    const context: RewardContext<E> = {
      prompts: rowExamples.map((e) => e.prompt),
      examples: rowExamples,
      completionIds,
      truncated: Array.from(out.truncated, (t) => t === 1),
    };
    const rewards = new Float32Array(B);
    const perFunc: GRPOLog['rewards'] = {};
    this.rewardFuncs.forEach((f, i) => {
      const r = f(texts, context);
      if (!r || r.length !== B) {
        throw new RangeError(
          `reward function '${this.rewardNames[i]}' returned ${r?.length} rewards, expected ${B}`,
        );
      }
      const finite: number[] = [];
      for (let b = 0; b < B; b++) {
        const x = Number(r[b]);
        if (Number.isNaN(x)) continue; // TRL's nansum: NaN = not applicable
        if (!Number.isFinite(x))
          throw new RangeError(`reward function '${this.rewardNames[i]}' returned ${x} at row ${b}`);
        rewards[b] += a.rewardWeights[i] * x;
        finite.push(x);
      }
      perFunc[this.rewardNames[i]] = meanStd(finite);
    });
    const adv = groupRelativeAdvantages({ rewards, numGenerations: G, scaleRewards: a.scaleRewards });
    const mask = out.mask.slice();
    if (a.maskTruncatedCompletions) {
      for (let b = 0; b < B; b++) if (out.truncated[b]) mask.fill(0, b * L, (b + 1) * L);
    }
    const prompts = out.prompts;
    const lpOptions = { temperature: a.temperature };
    const detached = (m: SequencePolicy) =>
      tf.tidy(() => m.logProbs(prompts, out.completions, mask, lpOptions).dataSync() as Float32Array);
    const oldLogProbs = a.numIterations > 1 ? detached(this.model) : undefined;
    const refLogProbs = this.refModel ? detached(this.refModel) : undefined;
    let result: GrpoLossResult | null = null;
    let entropy = 0;
    let loss = 0;
    let gradNorm = 0;
    let lr = 0;
    for (let it = 0; it < a.numIterations; it++) {
      lr = learningRateAt(a, this.globalStep, this.totalSteps);
      this.optimizer.learningRate = lr;
      let ent: tf.Tensor | null = null;
      ({ loss, gradNorm } = optimizerStep(
        this.model,
        this.optimizer,
        a.maxGradNorm > 0 ? a.maxGradNorm : null,
        () => {
          const ev = this.model.evaluate(prompts, out.completions, mask, { ...lpOptions, entropy: true });
          ent = tf.keep(ev.entropy as tf.Tensor);
          return kernelLoss(
            ev.logProbs,
            (logProbs) => {
              const r = grpoLoss({
                logProbs,
                ...(oldLogProbs ? { oldLogProbs } : {}),
                ...(refLogProbs ? { refLogProbs } : {}),
                advantages: adv.advantages,
                mask,
                numSequences: B,
                seqLen: L,
                lossType: a.lossType,
                epsilon: a.epsilon,
                epsilonHigh: a.epsilonHigh,
                ...(a.delta !== null ? { delta: a.delta } : {}),
                beta: a.beta,
                importanceSamplingLevel: a.importanceSamplingLevel,
                ...(a.lossType === 'dr_grpo' ? { maxCompletionLength: a.maxCompletionLength } : {}),
              });
              return { ...r, grad: r.gradLogProbs };
            },
            (r) => {
              result = r;
            },
          );
        },
      ));
      const entTensor = ent as tf.Tensor | null;
      if (entTensor) {
        entropy = maskedMean(entTensor.dataSync() as Float32Array, mask);
        entTensor.dispose();
      }
      this.globalStep++;
    }
    const r = result as GrpoLossResult | null;
    if (!r) throw new Error('internal: the grpoLoss kernel did not run');
    let lenSum = 0;
    let lenMin = Number.POSITIVE_INFINITY;
    let lenMax = 0;
    let clipped = 0;
    for (let b = 0; b < B; b++) {
      lenSum += out.lengths[b];
      lenMin = Math.min(lenMin, out.lengths[b]);
      lenMax = Math.max(lenMax, out.lengths[b]);
      clipped += out.truncated[b];
    }
    const log: GRPOLog = {
      step: this.globalStep,
      epoch: ((this.globalStep / a.numIterations) * this.promptsPerStep) / this.dataset.length,
      loss,
      gradNorm,
      learningRate: lr,
      reward: meanStd(rewards).mean,
      rewardStd: meanStd(adv.groupStd).mean,
      rewards: perFunc,
      fracRewardZeroStd: adv.fracRewardZeroStd,
      kl: a.beta > 0 ? r.meanKl : null,
      clipRatioLow: r.clipRatioLow,
      clipRatioHigh: r.clipRatioHigh,
      clipRatioRegion: r.clipRatioRegion,
      entropy,
      completionsMeanLength: lenSum / B,
      completionsMinLength: lenMin,
      completionsMaxLength: lenMax,
      completionsClippedRatio: clipped / B,
    };
    this.logHistory.push(log);
    this.onLog?.(log);
    return log;
  }

  /** Runs steps until {@link totalSteps}. @returns the last step's log. */
  train(): GRPOLog {
    let last: GRPOLog | undefined;
    while (this.globalStep < this.totalSteps) last = this.step();
    if (!last)
      throw new RangeError(`nothing to train: globalStep ${this.globalStep} ≥ totalSteps ${this.totalSteps}`);
    return last;
  }

  /** Frees the reference model when the trainer created it. */
  dispose(): void {
    if (this.ownsRef) this.refModel?.dispose();
  }
}
