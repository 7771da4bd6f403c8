export { type KernelLossValue, kernelLoss } from './bridge.js';
export { evaluatePassAtK, type PassAtKOptions, passAtK } from './evaluation.js';
export type {
  EvaluateOptions,
  GenerateOptions,
  GenerateOutput,
  PromptIds,
  SequenceEvaluation,
  SequencePolicy,
} from './policy.js';
export { accuracyReward, integerFormatReward, type RewardContext, type RewardFunc } from './rewards.js';
export { sampleToken } from './sampling.js';
export { ARITHMETIC_ALPHABET, type ArithmeticTaskOptions, arithmeticTask, type Problem } from './tasks.js';
export { initTf, type TfBackend, tf } from './tf.js';
export { CharTokenizer, type CharTokenizerJSON } from './tokenizer.js';
export { learningRateAt, type TrainingArguments } from './trainers/args.js';
export {
  type GRPOConfig,
  type GRPOExample,
  type GRPOLog,
  GRPOTrainer,
  type ResolvedGRPOConfig,
} from './trainers/grpo.js';
export {
  type DPOConfig,
  type DPOLog,
  DPOTrainer,
  type PreferenceExample,
  type RewardConfig,
  type RewardLog,
  RewardTrainer,
} from './trainers/preference.js';
export { type SFTConfig, type SFTExample, type SFTLog, SFTTrainer, tokenizePairs } from './trainers/sft.js';
export {
  CausalTransformer,
  type CausalTransformerConfig,
  type CausalTransformerJSON,
} from './transformer.js';
