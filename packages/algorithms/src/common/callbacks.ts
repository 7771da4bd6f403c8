/** The agent as callbacks see it. */
export interface TrainableModel {
  predict(
    observation: number | ArrayLike<number>,
    options?: { deterministic?: boolean },
  ): number | Int32Array | Float32Array;
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

/** A function called as `onIterationEnd` (SB3's callable callback): returning `false` stops training. */
export type CallbackFunction = (ctx: TrainingContext) => boolean | undefined | Promise<boolean | undefined>;

/** A callback object, a plain function called as `onIterationEnd`, or a list of either. */
export type CallbackLike = Callback | CallbackFunction | (Callback | CallbackFunction)[];

/**
 * Normalizes a {@link CallbackLike} into a list of callback objects; a function, alone or in a
 * list, becomes `{ onIterationEnd: fn }`.
 * @throws TypeError when an entry is neither a function nor an object, naming its index.
 */
export function toCallbacks(cb: CallbackLike | undefined): Callback[] {
  if (cb === undefined || cb === null) return [];
  const list = Array.isArray(cb) ? cb : [cb];
  return list.map((c, i) => {
    if (typeof c === 'function') return { onIterationEnd: c };
    if (c === null || typeof c !== 'object') {
      const where = Array.isArray(cb) ? `callback[${i}]` : 'callback';
      throw new TypeError(`${where} must be a Callback object or a function, got ${String(c)}`);
    }
    return c;
  });
}
