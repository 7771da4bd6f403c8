import {
  Adam,
  type BradleyTerryLossResult,
  bradleyTerryLoss,
  type DpoLossResult,
  type DpoLossType,
  dpoLoss,
  Random,
} from '@proximal/core';
import { kernelLoss } from '../bridge.js';
import { checkNum, checkOneOf, checkOptions } from '../checks.js';
import type { SequencePolicy } from '../policy.js';
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
import { optimizerStep } from './common.js';
import { tokenizePairs } from './sft.js';

/** A preference pair (TRL's "prompt / chosen / rejected" dataset format); `margin` for the reward model only. */
export interface PreferenceExample {
  prompt: string;
  chosen: string;
  rejected: string;
  /** Preference strength m of the Bradley–Terry margin loss (Llama 2); used by {@link RewardTrainer} when given. */
  margin?: number;
}

function checkPairs(dataset: unknown): readonly PreferenceExample[] {
  if (!Array.isArray(dataset) || dataset.length === 0) {
    throw new RangeError('trainDataset must be a non-empty array of { prompt, chosen, rejected }');
  }
  return dataset as PreferenceExample[];
}

function makeAdam(size: number, a: ResolvedTrainingArguments): Adam {
  return new Adam(size, {
    learningRate: a.learningRate,
    beta1: a.adamBeta1,
    beta2: a.adamBeta2,
    epsilon: a.adamEpsilon,
  });
}

/** Options of {@link DPOTrainer} (TRL `DPOConfig`): learningRate defaults to 1e-6 (TRL). */
export interface DPOConfig extends TrainingArguments {
  /** β of the implicit reward. Default 0.1 (TRL). */
  beta?: number;
  /** `'sigmoid'` (default, DPO), `'hinge'` (SLiC) or `'ipo'` (IPO). */
  lossType?: DpoLossType;
  /** cDPO label smoothing in [0, 0.5] (`'sigmoid'` only). Default 0. */
  labelSmoothing?: number;
}

/** One logged DPO step (TRL's metric names in camelCase). */
export interface DPOLog {
  step: number;
  epoch: number;
  loss: number;
  gradNorm: number;
  learningRate: number;
  /** Mean β(log π − log π_ref) of the chosen / rejected completions. */
  rewardsChosen: number;
  rewardsRejected: number;
  /** Fraction of pairs with chosen reward > rejected reward. */
  rewardsAccuracies: number;
  rewardsMargins: number;
  /** Mean summed log-probability of the chosen / rejected completions under the policy. */
  logpsChosen: number;
  logpsRejected: number;
}

/** Sequence log-probs [2B] (chosen rows, then rejected rows) as a tensor, and the token counts. */
function pairLogProbs(
  model: SequencePolicy,
  tokenizer: CharTokenizer,
  pairs: readonly PreferenceExample[],
): { lengths: Int32Array; compute: () => tf.Tensor1D } {
  const prompts = pairs.map((p) => p.prompt);
  const t = tokenizePairs(
    tokenizer,
    [...prompts, ...prompts],
    [...pairs.map((p) => p.chosen), ...pairs.map((p) => p.rejected)],
  );
  const lengths = new Int32Array(2 * pairs.length);
  for (let b = 0; b < lengths.length; b++) {
    for (let i = 0; i < t.seqLen; i++) lengths[b] += t.mask[b * t.seqLen + i];
  }
  return {
    lengths,
    compute: () => tf.sum(model.logProbs(t.prompts, t.completions, t.mask), 1) as tf.Tensor1D,
  };
}

/**
 * Direct Preference Optimization (Rafailov et al. 2023) as TRL's `DPOTrainer` with
 * `precompute_ref_log_probs`: the summed completion log-probabilities (completion = text + EOS,
 * after BOS + prompt) of every pair under the frozen reference (a copy of the initial policy, or
 * `refModel`) are computed once at construction; each step computes the policy's, and core's
 * `dpoLoss` gives the loss and its gradient w.r.t. them, which enters tfjs through `tf.customGrad`.
 */
export class DPOTrainer {
  readonly model: SequencePolicy;
  readonly tokenizer: CharTokenizer;
  readonly args: ResolvedTrainingArguments & { beta: number; lossType: DpoLossType; labelSmoothing: number };
  readonly logHistory: DPOLog[] = [];
  globalStep = 0;
  /** Reference sums Σ_t log π_ref of each example's chosen / rejected completion, float32 [N]. */
  readonly refChosenLogProbs: Float32Array;
  readonly refRejectedLogProbs: Float32Array;
  private readonly dataset: readonly PreferenceExample[];
  private readonly optimizer: Adam;
  private readonly batches: Generator<Int32Array>;
  private readonly onLog: ((log: DPOLog) => void) | undefined;

  /**
   * @throws TypeError for an unknown option; RangeError for an empty dataset or an argument outside
   *   its range (β > 0, labelSmoothing in [0, 0.5] and only with 'sigmoid').
   */
  constructor(options: {
    model: SequencePolicy;
    tokenizer: CharTokenizer;
    trainDataset: readonly PreferenceExample[];
    args?: DPOConfig;
    refModel?: SequencePolicy;
    onLog?: (log: DPOLog) => void;
  }) {
    checkOptions('DPOTrainer options', options, [
      'model',
      'tokenizer',
      'trainDataset',
      'args',
      'refModel',
      'onLog',
    ]);
    const a = checkOptions('args', options.args ?? {}, [
      ...TRAINING_ARGUMENT_KEYS,
      'beta',
      'lossType',
      'labelSmoothing',
    ]) as DPOConfig;
    const lossType = checkOneOf('lossType', a.lossType ?? 'sigmoid', ['sigmoid', 'hinge', 'ipo'] as const);
    const labelSmoothing = checkNum('labelSmoothing', a.labelSmoothing ?? 0, 0, 0.5);
    if (labelSmoothing !== 0 && lossType !== 'sigmoid') {
      throw new RangeError(
        `labelSmoothing applies to lossType 'sigmoid' only, got ${labelSmoothing} with '${lossType}'`,
      );
    }
    this.args = {
      ...resolveTrainingArguments(a, 1e-6),
      beta: checkNum('beta', a.beta ?? 0.1, 0, Number.MAX_VALUE, true),
      lossType,
      labelSmoothing,
    };
    this.dataset = checkPairs(options.trainDataset);
    this.model = options.model;
    this.tokenizer = options.tokenizer;
    this.onLog = options.onLog;
    // precompute the reference log-probs once (TRL's precompute_ref_log_probs)
    const ref = options.refModel ?? this.model.clone();
    const n = this.dataset.length;
    this.refChosenLogProbs = new Float32Array(n);
    this.refRejectedLogProbs = new Float32Array(n);
    try {
      for (let s = 0; s < n; s += 64) {
        const chunk = this.dataset.slice(s, s + 64);
        const { compute } = pairLogProbs(ref, this.tokenizer, chunk);
        const sums = tf.tidy(() => compute().dataSync() as Float32Array);
        this.refChosenLogProbs.set(sums.subarray(0, chunk.length), s);
        this.refRejectedLogProbs.set(sums.subarray(chunk.length), s);
      }
    } finally {
      if (!options.refModel) ref.dispose();
    }
    this.batches = epochBatches(n, this.args.batchSize, new Random(this.args.seed));
    this.optimizer = makeAdam(this.model.numParams, this.args);
  }

  /** Total optimizer steps of {@link train}. */
  get totalSteps(): number {
    const { maxSteps, numTrainEpochs, batchSize } = this.args;
    return maxSteps > 0 ? maxSteps : numTrainEpochs * Math.ceil(this.dataset.length / batchSize);
  }

  /** One optimizer step on the dataset examples at `indices` (default: the next seeded batch). */
  step(indices?: ArrayLike<number>): DPOLog {
    const idx = Array.from(indices ?? (this.batches.next().value as Int32Array));
    const pairs = idx.map((i) => this.dataset[i]);
    const B = pairs.length;
    const refChosen = Float32Array.from(idx, (i) => this.refChosenLogProbs[i]);
    const refRejected = Float32Array.from(idx, (i) => this.refRejectedLogProbs[i]);
    const { lengths, compute } = pairLogProbs(this.model, this.tokenizer, pairs);
    const lr = learningRateAt(this.args, this.globalStep, this.totalSteps);
    this.optimizer.learningRate = lr;
    let result: (DpoLossResult & { grad: Float32Array; sums: Float32Array }) | null = null;
    const { loss, gradNorm } = optimizerStep(this.model, this.optimizer, this.args.maxGradNorm || null, () =>
      kernelLoss(
        compute(),
        (sums) => {
          const r = dpoLoss({
            chosenLogProbs: sums.slice(0, B),
            rejectedLogProbs: sums.slice(B),
            refChosenLogProbs: refChosen,
            refRejectedLogProbs: refRejected,
            beta: this.args.beta,
            lossType: this.args.lossType,
            labelSmoothing: this.args.labelSmoothing,
            ...(this.args.lossType === 'ipo'
              ? { chosenLengths: lengths.slice(0, B), rejectedLengths: lengths.slice(B) }
              : {}),
          });
          const grad = new Float32Array(2 * B);
          grad.set(r.gradChosenLogProbs, 0);
          grad.set(r.gradRejectedLogProbs, B);
          return { ...r, grad, sums: sums.slice() };
        },
        (r) => {
          result = r;
        },
      ),
    );
    const r = result as (DpoLossResult & { sums: Float32Array }) | null;
    if (!r) throw new Error('internal: the dpoLoss kernel did not run');
    this.globalStep++;
    const mean = (x: ArrayLike<number>, from: number, to: number) => {
      let s = 0;
      for (let i = from; i < to; i++) s += x[i];
      return s / (to - from);
    };
    const log: DPOLog = {
      step: this.globalStep,
      epoch: (this.globalStep * this.args.batchSize) / this.dataset.length,
      loss,
      gradNorm,
      learningRate: lr,
      rewardsChosen: mean(r.chosenRewards, 0, B),
      rewardsRejected: mean(r.rejectedRewards, 0, B),
      rewardsAccuracies: r.rewardAccuracy,
      rewardsMargins: r.rewardMargin,
      logpsChosen: mean(r.sums, 0, B),
      logpsRejected: mean(r.sums, B, 2 * B),
    };
    this.logHistory.push(log);
    this.onLog?.(log);
    return log;
  }

  /** Runs steps until {@link totalSteps}. @returns the last step's log. */
  train(): DPOLog {
    let last: DPOLog | undefined;
    while (this.globalStep < this.totalSteps) last = this.step();
    if (!last)
      throw new RangeError(`nothing to train: globalStep ${this.globalStep} ≥ totalSteps ${this.totalSteps}`);
    return last;
  }
}

/** Options of {@link RewardTrainer} (TRL `RewardConfig`): learningRate defaults to 1e-4 (TRL). */
export interface RewardConfig extends TrainingArguments {
  /** Coefficient of the mean-zero penalty c·mean((r_c + r_r)²) (Eisenstein et al. 2023); default none. */
  centerRewardsCoefficient?: number;
}

/** One logged reward-model step. */
export interface RewardLog {
  step: number;
  epoch: number;
  loss: number;
  gradNorm: number;
  learningRate: number;
  /** Fraction of pairs scored r_chosen > r_rejected. */
  accuracy: number;
  /** Mean r_chosen − r_rejected. */
  margin: number;
}

/**
 * Scores of `completions` after `prompts` from a model's value head: the head's output on the
 * hidden state after the completion's last token (text + EOS), like a sequence-classification
 * reward model reading the last token. A differentiable [N] tensor.
 */
function scoreTensor(
  model: SequencePolicy,
  tokenizer: CharTokenizer,
  prompts: readonly string[],
  completions: readonly string[],
): tf.Tensor1D {
  const t = tokenizePairs(tokenizer, prompts, completions);
  // one extra slot after each completion: its value reads the state after the last real token
  const L = t.seqLen + 1;
  const N = prompts.length;
  const ids = new Int32Array(N * L).fill(tokenizer.padTokenId);
  const mask = new Uint8Array(N * L);
  const select = new Float32Array(N * L);
  for (let b = 0; b < N; b++) {
    let len = 0;
    for (let i = 0; i < t.seqLen; i++) {
      ids[b * L + i] = t.completions[b * t.seqLen + i];
      len += t.mask[b * t.seqLen + i];
    }
    mask.fill(1, b * L, b * L + len + 1);
    select[b * L + len] = 1;
  }
  const values = model.evaluate(t.prompts, ids, mask, { values: true }).values as tf.Tensor2D;
  return tf.sum(tf.mul(values, tf.tensor2d(select, [N, L])), 1) as tf.Tensor1D;
}

/**
 * Bradley–Terry reward-model training as TRL's `RewardTrainer` (Ouyang et al. 2022): the model
 * (built with `valueHead: true`) scores the chosen and rejected completion of each pair, and core's
 * `bradleyTerryLoss` (with each pair's `margin` when every example has one, and the centring
 * penalty) gives the loss and its gradient w.r.t. the scores, which enters tfjs through `tf.customGrad`.
 */
export class RewardTrainer {
  readonly model: SequencePolicy;
  readonly tokenizer: CharTokenizer;
  readonly args: ResolvedTrainingArguments & { centerRewardsCoefficient: number | null };
  readonly logHistory: RewardLog[] = [];
  globalStep = 0;
  private readonly dataset: readonly PreferenceExample[];
  private readonly optimizer: Adam;
  private readonly batches: Generator<Int32Array>;
  private readonly onLog: ((log: RewardLog) => void) | undefined;

  /** @throws TypeError for an unknown option or a model without a value head; RangeError for bad values. */
  constructor(options: {
    model: SequencePolicy;
    tokenizer: CharTokenizer;
    trainDataset: readonly PreferenceExample[];
    args?: RewardConfig;
    onLog?: (log: RewardLog) => void;
  }) {
    checkOptions('RewardTrainer options', options, ['model', 'tokenizer', 'trainDataset', 'args', 'onLog']);
    const a = checkOptions('args', options.args ?? {}, [
      ...TRAINING_ARGUMENT_KEYS,
      'centerRewardsCoefficient',
    ]) as RewardConfig;
    this.args = {
      ...resolveTrainingArguments(a, 1e-4),
      centerRewardsCoefficient:
        a.centerRewardsCoefficient === undefined
          ? null
          : checkNum('centerRewardsCoefficient', a.centerRewardsCoefficient, 0, Number.MAX_VALUE),
    };
    this.dataset = checkPairs(options.trainDataset);
    this.model = options.model;
    this.tokenizer = options.tokenizer;
    this.onLog = options.onLog;
    // a model without a value head fails here, before any training
    tf.tidy(() =>
      scoreTensor(this.model, this.tokenizer, [this.dataset[0].prompt], [this.dataset[0].chosen]),
    );
    this.batches = epochBatches(this.dataset.length, this.args.batchSize, new Random(this.args.seed));
    this.optimizer = makeAdam(this.model.numParams, this.args);
  }

  /** Total optimizer steps of {@link train}. */
  get totalSteps(): number {
    const { maxSteps, numTrainEpochs, batchSize } = this.args;
    return maxSteps > 0 ? maxSteps : numTrainEpochs * Math.ceil(this.dataset.length / batchSize);
  }

  /** Reward-model scores of completions after prompts, float32 [N] (no gradient). */
  score(prompts: readonly string[], completions: readonly string[]): Float32Array {
    return tf.tidy(
      () => scoreTensor(this.model, this.tokenizer, prompts, completions).dataSync() as Float32Array,
    );
  }

  /** One optimizer step on the dataset examples at `indices` (default: the next seeded batch). */
  step(indices?: ArrayLike<number>): RewardLog {
    const pairs = Array.from(indices ?? (this.batches.next().value as Int32Array), (i) => this.dataset[i]);
    const B = pairs.length;
    const prompts = pairs.map((p) => p.prompt);
    const margins = pairs.every((p) => p.margin !== undefined)
      ? Float32Array.from(pairs, (p) => p.margin as number)
      : null;
    const lr = learningRateAt(this.args, this.globalStep, this.totalSteps);
    this.optimizer.learningRate = lr;
    let result: (BradleyTerryLossResult & { margin: number }) | null = null;
    const { loss, gradNorm } = optimizerStep(this.model, this.optimizer, this.args.maxGradNorm || null, () =>
      kernelLoss(
        scoreTensor(
          this.model,
          this.tokenizer,
          [...prompts, ...prompts],
          [...pairs.map((p) => p.chosen), ...pairs.map((p) => p.rejected)],
        ),
        (scores) => {
          const r = bradleyTerryLoss({
            rewardsChosen: scores.slice(0, B),
            rewardsRejected: scores.slice(B),
            ...(margins ? { margin: margins } : {}),
            ...(this.args.centerRewardsCoefficient !== null
              ? { centerRewardsCoefficient: this.args.centerRewardsCoefficient }
              : {}),
          });
          const grad = new Float32Array(2 * B);
          grad.set(r.gradRewardsChosen, 0);
          grad.set(r.gradRewardsRejected, B);
          let m = 0;
          for (let i = 0; i < B; i++) m += scores[i] - scores[B + i];
          return { ...r, grad, margin: m / B };
        },
        (r) => {
          result = r;
        },
      ),
    );
    const r = result as (BradleyTerryLossResult & { margin: number }) | null;
    if (!r) throw new Error('internal: the bradleyTerryLoss kernel did not run');
    this.globalStep++;
    const log: RewardLog = {
      step: this.globalStep,
      epoch: (this.globalStep * this.args.batchSize) / this.dataset.length,
      loss,
      gradNorm,
      learningRate: lr,
      accuracy: r.accuracy,
      margin: r.margin,
    };
    this.logHistory.push(log);
    this.onLog?.(log);
    return log;
  }

  /** Runs steps until {@link totalSteps}. @returns the last step's log. */
  train(): RewardLog {
    let last: RewardLog | undefined;
    while (this.globalStep < this.totalSteps) last = this.step();
    if (!last)
      throw new RangeError(`nothing to train: globalStep ${this.globalStep} ≥ totalSteps ${this.totalSteps}`);
    return last;
  }
}
