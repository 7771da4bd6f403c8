import { Random } from '@proximal/core';
import { checkInt, checkNum, checkOneOf } from '../checks.js';

/** Options every trainer shares (the names of Hugging Face `TrainingArguments`, camelCase). */
export interface TrainingArguments {
  /** Peak learning rate of Adam. Default: the trainer's (TRL: SFT 2e-5, GRPO 1e-6, DPO 1e-6). */
  learningRate?: number;
  /** Passes over the training set when maxSteps is −1. Default 3 (HF). */
  numTrainEpochs?: number;
  /** Total optimizer steps; −1 (default) means numTrainEpochs passes. */
  maxSteps?: number;
  /** Examples per optimizer step (HF's `per_device_train_batch_size`). Default 8 (HF). */
  batchSize?: number;
  /** Global gradient-norm clip (torch `clip_grad_norm_`); 0 disables. Default 1 (HF). */
  maxGradNorm?: number;
  /** Adam β1, β2, ε. Defaults 0.9, 0.999, 1e-8 (HF). */
  adamBeta1?: number;
  adamBeta2?: number;
  adamEpsilon?: number;
  /** `'linear'` (default, HF: decays from learningRate to 0 over the total steps, no warmup) or `'constant'`. */
  lrSchedulerType?: 'linear' | 'constant';
  /** Seed of the data order and sampling (core's `Random`). Default 42 (HF). */
  seed?: number;
}

export const TRAINING_ARGUMENT_KEYS = [
  'learningRate',
  'numTrainEpochs',
  'maxSteps',
  'batchSize',
  'maxGradNorm',
  'adamBeta1',
  'adamBeta2',
  'adamEpsilon',
  'lrSchedulerType',
  'seed',
] as const;

export interface ResolvedTrainingArguments {
  learningRate: number;
  numTrainEpochs: number;
  maxSteps: number;
  batchSize: number;
  maxGradNorm: number;
  adamBeta1: number;
  adamBeta2: number;
  adamEpsilon: number;
  lrSchedulerType: 'linear' | 'constant';
  seed: number;
}

/** Validates the shared arguments (with the trainer's default learning rate). */
export function resolveTrainingArguments(
  a: TrainingArguments,
  defaultLearningRate: number,
): ResolvedTrainingArguments {
  const maxSteps = a.maxSteps ?? -1;
  if (maxSteps !== -1) checkInt('maxSteps', maxSteps, 1);
  return {
    learningRate: checkNum('learningRate', a.learningRate ?? defaultLearningRate, 0, 10),
    numTrainEpochs: checkInt('numTrainEpochs', a.numTrainEpochs ?? 3, 1),
    maxSteps,
    batchSize: checkInt('batchSize', a.batchSize ?? 8, 1),
    maxGradNorm: checkNum('maxGradNorm', a.maxGradNorm ?? 1, 0, Number.MAX_VALUE),
    adamBeta1: checkNum('adamBeta1', a.adamBeta1 ?? 0.9, 0, 0.999999),
    adamBeta2: checkNum('adamBeta2', a.adamBeta2 ?? 0.999, 0, 0.999999),
    adamEpsilon: checkNum('adamEpsilon', a.adamEpsilon ?? 1e-8, 0, 1, true),
    lrSchedulerType: checkOneOf('lrSchedulerType', a.lrSchedulerType ?? 'linear', [
      'linear',
      'constant',
    ] as const),
    seed: checkInt('seed', a.seed ?? 42, 0),
  };
}

/** HF's learning rate at optimizer step `step` (0-based) of `total`: linear decay to 0, or constant. */
export function learningRateAt(args: ResolvedTrainingArguments, step: number, total: number): number {
  return args.lrSchedulerType === 'constant'
    ? args.learningRate
    : args.learningRate * Math.max(0, 1 - step / total);
}

/** Yields batches of dataset indices: a fresh seeded permutation each epoch (the last batch may be smaller). */
export function* epochBatches(size: number, batchSize: number, rng: Random): Generator<Int32Array> {
  for (;;) {
    const order = rng.permutation(size);
    for (let i = 0; i < size; i += batchSize) yield order.subarray(i, Math.min(size, i + batchSize));
  }
}

export { Random };
