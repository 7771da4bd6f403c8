/** What a reward function sees besides the completions (TRL passes the dataset columns as kwargs). */
export interface RewardContext<E> {
  /** The prompt text of each completion. */
  prompts: string[];
  /** The dataset example each completion was generated from (its `answer`, …). */
  examples: E[];
  /** Completion token ids of each row (stop token included). */
  completionIds: Int32Array[];
  /** Whether each completion hit maxCompletionLength without the stop token. */
  truncated: boolean[];
}

/**
 * A reward function (TRL's `reward_funcs`): one number per completion (text with special tokens
 * removed). `NaN` means "not applicable" and counts as 0 in the weighted sum (TRL's `nansum`).
 */
export type RewardFunc<E> = ((completions: string[], context: RewardContext<E>) => ArrayLike<number>) & {
  /** Name used in the logs (`rewards/<name>/mean`); defaults to the function's name. */
  rewardName?: string;
};

/**
 * Verifiable accuracy reward: 1 when the completion equals the example's `answer` exactly (after
 * removing surrounding whitespace), else 0 (the rule-based accuracy reward of DeepSeek-R1 / TRL's
 * `accuracy_reward` on exact answers).
 */
export function accuracyReward(completions: string[], context: RewardContext<{ answer: string }>): number[] {
  return completions.map((c, i) => (c.trim() === context.examples[i].answer ? 1 : 0));
}
accuracyReward.rewardName = 'accuracy';

/**
 * Format reward for arithmetic answers: 1 when the completion is an optionally signed integer
 * (`/^-?\d+$/`) and ended with the stop token (not truncated), else 0.
 */
export function integerFormatReward(completions: string[], context: RewardContext<unknown>): number[] {
  return completions.map((c, i) => (/^-?\d+$/.test(c) && !context.truncated[i] ? 1 : 0));
}
integerFormatReward.rewardName = 'format';
