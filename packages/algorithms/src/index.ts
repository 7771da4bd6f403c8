/** Re-exported from @proximal/core (where the gSDE math lives) for compatibility. */
export type { GsdeShape } from '@proximal/core';
export { GsdeFisher } from '@proximal/core';
export type { A2cOptions } from './a2c/a2c.js';
export { A2C } from './a2c/a2c.js';
export type { A2cHyperparameters } from './a2c/config.js';
export { A2C_DEFAULTS, A2C_SCHEMA } from './a2c/config.js';
export { A2C_ALGORITHM, GENERIC_A2C, TUNED_A2C } from './a2c/definition.js';
export { CallbackList } from './callbacks/callback-list.js';
export { CheckpointCallback } from './callbacks/checkpoint-callback.js';
export type { EvalCallbackOptions } from './callbacks/eval-callback.js';
export { EvalCallback, StopTrainingOnRewardThreshold } from './callbacks/eval-callback.js';
export { ProgressBarCallback } from './callbacks/progress-bar-callback.js';
export type { BaseAlgorithmOptions, IterationResult } from './common/base-algorithm.js';
export { BaseAlgorithm } from './common/base-algorithm.js';
export type { Callback, CallbackLike, TrainableModel, TrainingContext } from './common/callbacks.js';
export { POLICY_KWARGS_FIELDS } from './common/hyperparameters.js';
export type { NormalizationOptions } from './common/normalization.js';
export { Normalizer } from './common/normalization.js';
export type {
  OffPolicyHyperparameters,
  OffPolicyLearnOptions,
  OffPolicyOptions,
  OffPolicySaveOptions,
} from './common/off-policy.js';
export { OffPolicyAlgorithm } from './common/off-policy.js';
export type { OnPolicyOptions, RolloutBatch } from './common/on-policy.js';
export { envActions, OnPolicyAlgorithm } from './common/on-policy.js';
export { snakeToCamel, suggestKey } from './common/options.js';
export type {
  ReplayBufferOptions,
  ReplayBufferSamples,
  ReplayBufferState,
} from './common/replay-buffer.js';
export { checkReplayBufferSize, ReplayBuffer } from './common/replay-buffer.js';
export type { DescribedSchedule, Schedule, ScheduleSpec } from './common/schedules.js';
export {
  constantSchedule,
  cosineSchedule,
  describeSchedule,
  linearSchedule,
  parseSchedule,
  scheduleValue,
} from './common/schedules.js';
export type {
  CheckContext,
  HyperparameterKind,
  HyperparameterSchema,
  HyperparameterSpec,
  NumberRange,
} from './common/schema.js';
export {
  checkHyperparameter,
  defaultsOf,
  describeExpected,
  deserializeHyperparameters,
  fieldDefault,
  kebabCaseOf,
  resolveHyperparameters,
  serializeHyperparameters,
  snakeCaseOf,
} from './common/schema.js';
export type { DqnHyperparameters } from './dqn/config.js';
export { DQN_DEFAULTS, DQN_SCHEMA, resolveDqnHyperparameters } from './dqn/config.js';
export { DQN_ALGORITHM, GENERIC_DQN, TUNED_DQN } from './dqn/definition.js';
export type { DqnOptions } from './dqn/dqn.js';
export { DQN } from './dqn/dqn.js';
export type { DqnStepStats, DqnTargetInputs } from './dqn/loss.js';
export { dqnLossAndGradient, dqnTargets } from './dqn/loss.js';
export { QNetwork } from './dqn/q-network.js';
export type { EvaluationResult, Predictor } from './evaluation.js';
export { evaluatePolicy } from './evaluation.js';
export type { ActionHead } from './policies/action-head.js';
export { headFromSpace } from './policies/action-head.js';
export type { PolicyKwargs, PolicyOptions } from './policies/actor-critic.js';
export { ActorCriticPolicy } from './policies/actor-critic.js';
export type { PpoHyperparameters } from './ppo/config.js';
export { PPO_DEFAULTS, PPO_SCHEMA } from './ppo/config.js';
export { GENERIC_PPO, PPO_ALGORITHM, TUNED_PPO } from './ppo/definition.js';
export type { LearnOptions, PpoOptions } from './ppo/ppo.js';
export { PPO } from './ppo/ppo.js';
export type {
  AlgorithmDefinition,
  RegisteredModel,
  RegistryCreateOptions,
  SupportResult,
  TrainingPreset,
  TrainingPreset as TunedConfig,
} from './registry.js';
export {
  algorithmDefaults,
  BUILTIN_ALGORITHMS,
  getAlgorithm,
  listAlgorithms,
  registerAlgorithm,
  unregisterAlgorithm,
} from './registry.js';
export type { TabularHyperparameters } from './tabular/config.js';
export { TABULAR_DEFAULTS, TABULAR_SCHEMA } from './tabular/config.js';
export { GENERIC_TABULAR, Q_LEARNING_ALGORITHM, SARSA_ALGORITHM } from './tabular/definition.js';
export { QLearning } from './tabular/q-learning.js';
export { SARSA } from './tabular/sarsa.js';
export type {
  TabularLearnOptions,
  TabularObservation,
  TabularOptions,
  TabularTransition,
} from './tabular/tabular-algorithm.js';
export { TabularAlgorithm } from './tabular/tabular-algorithm.js';
export type { TfBackend } from './tf.js';
export { initTf, tf } from './tf.js';
export type { TrpoHyperparameters } from './trpo/config.js';
export { TRPO_DEFAULTS, TRPO_SCHEMA } from './trpo/config.js';
export { GENERIC_TRPO, TRPO_ALGORITHM, TUNED_TRPO } from './trpo/definition.js';
export type { LineSearchResult } from './trpo/line-search.js';
export { backtrackingLineSearch } from './trpo/line-search.js';
export type { TrpoOptions } from './trpo/trpo.js';
export { TRPO } from './trpo/trpo.js';
export type {
  AdvantageEstimator,
  EpisodeCarry,
  VpgAdvantagesArgs,
} from './vpg/advantages.js';
export { ADVANTAGE_ESTIMATORS, newEpisodeCarry, vpgAdvantages } from './vpg/advantages.js';
export type { VpgHyperparameters } from './vpg/config.js';
export { VPG_DEFAULTS, VPG_SCHEMA } from './vpg/config.js';
export { GENERIC_VPG, TUNED_VPG, VPG_ALGORITHM } from './vpg/definition.js';
export type { VpgOptions } from './vpg/vpg.js';
export { VPG } from './vpg/vpg.js';
