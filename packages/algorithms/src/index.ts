/** Re-exported from @proximal/core (where the gSDE math lives) for compatibility. */
export type { GsdeShape } from '@proximal/core';
export { GsdeFisher } from '@proximal/core';
export type { A2cOptions } from './a2c/a2c.js';
export { A2C } from './a2c/a2c.js';
export type { A2cHyperparameters } from './a2c/config.js';
export { A2C_DEFAULTS } from './a2c/config.js';
export { CallbackList } from './callbacks/callback-list.js';
export { CheckpointCallback } from './callbacks/checkpoint-callback.js';
export type { EvalCallbackOptions } from './callbacks/eval-callback.js';
export { EvalCallback, StopTrainingOnRewardThreshold } from './callbacks/eval-callback.js';
export { ProgressBarCallback } from './callbacks/progress-bar-callback.js';
export type { Callback, CallbackLike, TrainableModel, TrainingContext } from './common/callbacks.js';
export type { NormalizationOptions } from './common/normalization.js';
export { Normalizer } from './common/normalization.js';
export type { OnPolicyOptions, RolloutBatch } from './common/on-policy.js';
export { envActions, OnPolicyAlgorithm } from './common/on-policy.js';
export type { DescribedSchedule, Schedule, ScheduleSpec } from './common/schedules.js';
export {
  constantSchedule,
  cosineSchedule,
  describeSchedule,
  linearSchedule,
  parseSchedule,
  scheduleValue,
} from './common/schedules.js';
export type { EvaluationResult, Predictor } from './evaluation.js';
export { evaluatePolicy } from './evaluation.js';
export type { ActionHead } from './policies/action-head.js';
export { headFromSpace } from './policies/action-head.js';
export type { PolicyKwargs, PolicyOptions } from './policies/actor-critic.js';
export { ActorCriticPolicy } from './policies/actor-critic.js';
export type { PpoHyperparameters } from './ppo/config.js';
export { PPO_DEFAULTS } from './ppo/config.js';
export type { LearnOptions, PpoOptions } from './ppo/ppo.js';
export { PPO } from './ppo/ppo.js';
export type { TabularHyperparameters } from './tabular/config.js';
export { TABULAR_DEFAULTS } from './tabular/config.js';
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
export { TRPO_DEFAULTS } from './trpo/config.js';
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
export { VPG_DEFAULTS } from './vpg/config.js';
export type { VpgOptions } from './vpg/vpg.js';
export { VPG } from './vpg/vpg.js';
