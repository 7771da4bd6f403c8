import type { Env, VectorEnv } from '@proximal/envs';

/**
 * Anything that maps observations to actions: a batch of actions (PPO, TRPO), or one action as a
 * number (the tabular agents, whose `predict` takes one Discrete or one-hot observation; single
 * envs only).
 */
export interface Predictor {
  /** See `OnPolicyAlgorithm.predict`: a number action for a single Discrete observation, else an array. */
  predict(
    observation: number | ArrayLike<number>,
    options?: { deterministic?: boolean },
  ): number | Int32Array | Float32Array;
}

/** Result of {@link evaluatePolicy}. */
export interface EvaluationResult {
  meanReward: number;
  stdReward: number;
  episodeRewards: number[];
  episodeLengths: number[];
  /** Wall time of the evaluation in seconds. */
  wallTime: number;
}

/**
 * Runs `nEvalEpisodes` complete episodes and reports the mean and (population) std of their
 * returns, as SB3's `evaluate_policy`. With a vector env the episodes are spread over the envs as
 * SB3 does (env i runs ⌊(n + i) / numEnvs⌋ of them) and read from `infos.episode`, so the env must
 * record episode statistics (envs from `makeVec` do).
 *
 * @param options.deterministic greedy actions (default true); options.seed seeds the first reset.
 * @throws RangeError when nEvalEpisodes is not a positive integer.
 */
export async function evaluatePolicy(
  model: Predictor,
  // biome-ignore lint/suspicious/noExplicitAny: any single env whose actions match the model's
  env: Env<any, any> | VectorEnv,
  {
    nEvalEpisodes = 10,
    deterministic = true,
    seed,
  }: { nEvalEpisodes?: number; deterministic?: boolean; seed?: number } = {},
): Promise<EvaluationResult> {
  if (!Number.isInteger(nEvalEpisodes) || nEvalEpisodes <= 0) {
    throw new RangeError(`nEvalEpisodes must be a positive integer, got ${String(nEvalEpisodes)}`);
  }
  const t0 = performance.now();
  const rewards: number[] = [];
  const lengths: number[] = [];
  if ('numEnvs' in env) {
    const n = env.numEnvs;
    const targets = Array.from({ length: n }, (_, i) => Math.floor((nEvalEpisodes + i) / n));
    const counts = new Array(n).fill(0);
    let obs = env.reset(seed === undefined ? {} : { seed }).observations;
    while (counts.some((c, i) => c < targets[i])) {
      const a = model.predict(obs, { deterministic });
      // a one-env batch of obsDim values reads as a single observation: make its action a batch again
      const res = env.step(typeof a === 'number' ? Int32Array.of(a) : a);
      const infos = res.infos as Record<string, unknown>;
      const mask = infos._episode as Uint8Array | undefined;
      const ep = infos.episode as { r: ArrayLike<number>; l: ArrayLike<number> } | undefined;
      if (mask && ep) {
        for (let i = 0; i < n; i++) {
          if (mask[i] && counts[i] < targets[i]) {
            rewards.push(ep.r[i]);
            lengths.push(ep.l[i]);
            counts[i]++;
          }
        }
      }
      obs = res.observations;
    }
  } else {
    for (let e = 0; e < nEvalEpisodes; e++) {
      let { observation } = env.reset(seed === undefined ? {} : { seed: seed + e });
      let total = 0;
      let len = 0;
      for (;;) {
        const a = model.predict(observation, { deterministic });
        // other predictors may return a one-element batch for a Discrete action space
        const discrete = typeof (env.actionSpace as { n?: unknown }).n === 'number';
        const r = env.step(discrete && a instanceof Int32Array && a.length === 1 ? a[0] : a);
        total += r.reward;
        len++;
        observation = r.observation;
        if (r.terminated || r.truncated) break;
      }
      rewards.push(total);
      lengths.push(len);
    }
  }
  const mean = rewards.reduce((a, b) => a + b, 0) / rewards.length;
  const std = Math.sqrt(rewards.reduce((a, b) => a + (b - mean) ** 2, 0) / rewards.length);
  return {
    meanReward: mean,
    stdReward: std,
    episodeRewards: rewards,
    episodeLengths: lengths,
    wallTime: (performance.now() - t0) / 1000,
  };
}
