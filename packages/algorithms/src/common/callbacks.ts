/** The agent as callbacks see it. */
export interface TrainableModel {
  predict(observation: Float32Array, options?: { deterministic?: boolean }): Int32Array | Float32Array;
  save(dir: string): Promise<void>;
}

/** What a callback sees after each rollout/update iteration. */
export interface TrainingContext {
  /** The agent being trained. */
  model: TrainableModel;
  /** Environment steps taken so far (all envs). */
  numTimesteps: number;
  /** Iterations (rollout + update) completed. */
  iteration: number;
  /** Scalars of this iteration, named as SB3's logger ('rollout/ep_rew_mean', 'train/approx_kl', ...). */
  metrics: Record<string, number>;
  /** Returns of episodes that finished during this iteration. */
  episodeReturns: number[];
  /** Lengths of episodes that finished during this iteration. */
  episodeLengths: number[];
}

/**
 * Training callback (SB3's BaseCallback, camelCase). `onIterationEnd` runs after each rollout and
 * update; return `false` from it to stop training.
 */
export interface Callback {
  onTrainingStart?(ctx: {
    totalTimesteps: number;
    model: TrainableModel;
    numTimesteps: number;
  }): void | Promise<void>;
  onIterationEnd?(ctx: TrainingContext): boolean | undefined | Promise<boolean | undefined>;
  onTrainingEnd?(ctx: TrainingContext): void | Promise<void>;
}

/** A callback object, a list of them, or a plain function called as `onIterationEnd`. */
export type CallbackLike =
  | Callback
  | Callback[]
  | ((ctx: TrainingContext) => boolean | undefined | Promise<boolean | undefined>);

/** Normalizes a {@link CallbackLike} into a list of callback objects. */
export function toCallbacks(cb: CallbackLike | undefined): Callback[] {
  if (!cb) return [];
  if (typeof cb === 'function') return [{ onIterationEnd: cb }];
  return Array.isArray(cb) ? cb : [cb];
}
