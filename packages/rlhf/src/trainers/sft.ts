import { Adam, Random } from '@proximal/core';
import { checkOptions } from '../checks.js';
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

/** A prompt–completion pair (TRL's prompt-completion dataset format). */
export interface SFTExample {
  prompt: string;
  completion: string;
}

/** Options of {@link SFTTrainer} (TRL `SFTConfig`); learningRate defaults to 2e-5 (TRL). */
export type SFTConfig = TrainingArguments;

/** One logged SFT step. */
export interface SFTLog {
  step: number;
  epoch: number;
  /** Mean negative log-likelihood per completion token of the batch. */
  loss: number;
  gradNorm: number;
  learningRate: number;
  /** Completion tokens in the batch. */
  numTokens: number;
}

/** Tokenizes prompt–completion pairs: prompts `BOS + prompt`, completions `completion + EOS` right-padded. */
export function tokenizePairs(
  tokenizer: CharTokenizer,
  prompts: readonly string[],
  completions: readonly string[],
): { prompts: Int32Array[]; completions: Int32Array; mask: Uint8Array; seqLen: number } {
  const p = prompts.map((s) => tokenizer.encode(s, { addBos: true }));
  const c = completions.map((s) => tokenizer.encode(s, { addEos: true }));
  const L = Math.max(...c.map((x) => x.length));
  const ids = new Int32Array(c.length * L).fill(tokenizer.padTokenId);
  const mask = new Uint8Array(c.length * L);
  c.forEach((x, b) => {
    ids.set(x, b * L);
    mask.fill(1, b * L, b * L + x.length);
  });
  return { prompts: p, completions: ids, mask, seqLen: L };
}

/**
 * Supervised fine-tuning on completions only (TRL's `SFTTrainer` with `completion_only_loss`):
 * `loss = −Σ_{b,t} m_{b,t} log π(c_{b,t} | prompt_b, c_{b,<t}) / Σ m` over the batch's completion
 * tokens (EOS included), Adam (core) with HF's defaults, gradient clipping and a linear decay.
 */
export class SFTTrainer {
  readonly model: SequencePolicy;
  readonly tokenizer: CharTokenizer;
  readonly args: ResolvedTrainingArguments;
  readonly logHistory: SFTLog[] = [];
  globalStep = 0;
  private readonly dataset: readonly SFTExample[];
  private readonly optimizer: Adam;
  private readonly rng: Random;
  private readonly onLog: ((log: SFTLog) => void) | undefined;

  /**
   * @throws TypeError for an unknown option; RangeError for an empty dataset or an argument outside its range.
   */
  constructor(options: {
    model: SequencePolicy;
    tokenizer: CharTokenizer;
    trainDataset: readonly SFTExample[];
    args?: SFTConfig;
    onLog?: (log: SFTLog) => void;
  }) {
    checkOptions('SFTTrainer options', options, ['model', 'tokenizer', 'trainDataset', 'args', 'onLog']);
    this.args = resolveTrainingArguments(
      checkOptions('args', options.args ?? {}, TRAINING_ARGUMENT_KEYS),
      2e-5,
    );
    if (!Array.isArray(options.trainDataset) || options.trainDataset.length === 0) {
      throw new RangeError('trainDataset must be a non-empty array of { prompt, completion }');
    }
    this.model = options.model;
    this.tokenizer = options.tokenizer;
    this.dataset = options.trainDataset;
    this.onLog = options.onLog;
    this.rng = new Random(this.args.seed);
    this.optimizer = new Adam(this.model.numParams, {
      learningRate: this.args.learningRate,
      beta1: this.args.adamBeta1,
      beta2: this.args.adamBeta2,
      epsilon: this.args.adamEpsilon,
    });
  }

  /** Total optimizer steps of {@link train}. */
  get totalSteps(): number {
    const { maxSteps, numTrainEpochs, batchSize } = this.args;
    return maxSteps > 0 ? maxSteps : numTrainEpochs * Math.ceil(this.dataset.length / batchSize);
  }

  /** Mean completion-token NLL of `examples` under the model (no update). */
  evaluateLoss(examples: readonly SFTExample[]): number {
    const t = tokenizePairs(
      this.tokenizer,
      examples.map((e) => e.prompt),
      examples.map((e) => e.completion),
    );
    return tf.tidy(() => {
      const lp = this.model.logProbs(t.prompts, t.completions, t.mask);
      return -(tf.sum(lp).dataSync()[0] as number) / t.mask.reduce((s, x) => s + x, 0);
    });
  }

  /** One optimizer step on `examples`. */
  step(examples: readonly SFTExample[]): SFTLog {
    const t = tokenizePairs(
      this.tokenizer,
      examples.map((e) => e.prompt),
      examples.map((e) => e.completion),
    );
    const numTokens = t.mask.reduce((s, x) => s + x, 0);
    const lr = learningRateAt(this.args, this.globalStep, this.totalSteps);
    this.optimizer.learningRate = lr;
    const { loss, gradNorm } = optimizerStep(
      this.model,
      this.optimizer,
      this.args.maxGradNorm > 0 ? this.args.maxGradNorm : null,
      () =>
        tf.div(tf.neg(tf.sum(this.model.logProbs(t.prompts, t.completions, t.mask))), numTokens) as tf.Scalar,
    );
    this.globalStep++;
    const log: SFTLog = {
      step: this.globalStep,
      epoch: (this.globalStep * this.args.batchSize) / this.dataset.length,
      loss,
      gradNorm,
      learningRate: lr,
      numTokens,
    };
    this.logHistory.push(log);
    this.onLog?.(log);
    return log;
  }

  /** Runs {@link totalSteps} steps over seeded shuffles of the dataset. @returns the last step's log. */
  train(): SFTLog {
    const batches = epochBatches(this.dataset.length, this.args.batchSize, this.rng);
    let last: SFTLog | undefined;
    for (let s = this.globalStep; s < this.totalSteps; s++) {
      const idx = batches.next().value as Int32Array;
      last = this.step(Array.from(idx, (i) => this.dataset[i]));
    }
    if (!last)
      throw new RangeError(`nothing to train: globalStep ${this.globalStep} ≥ totalSteps ${this.totalSteps}`);
    return last;
  }
}
