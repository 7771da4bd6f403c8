import { appendFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Env, VectorEnv } from '@proximal/envs';
import type { Callback, TrainingContext } from '../common/callbacks.js';
import { evaluatePolicy } from '../evaluation.js';

/** Options of {@link EvalCallback} (SB3's names, camelCase). */
export interface EvalCallbackOptions {
  /** Separate env for evaluation (vector envs must record episode statistics, as makeVec's do). */
  // biome-ignore lint/suspicious/noExplicitAny: actions depend on the model
  evalEnv: Env<Float32Array, any> | VectorEnv;
  /** Evaluate every `evalFreq` environment steps (summed over training envs). Default 10000. */
  evalFreq?: number;
  /** Episodes per evaluation. Default 5. */
  nEvalEpisodes?: number;
  deterministic?: boolean;
  /** Where to save the best model (`<path>/best_model`). */
  bestModelSavePath?: string;
  /** Where to append evaluations as JSON lines (`<path>/evaluations.jsonl`). */
  logPath?: string;
  /** Runs when a new best mean reward is reached; its `false` stops training (e.g. StopTrainingOnRewardThreshold). */
  callbackOnNewBest?: Callback;
  /** Seed of the evaluation env's first reset of each evaluation. */
  seed?: number;
}

/**
 * Periodic evaluation during training (SB3's `EvalCallback`): every `evalFreq` steps, runs
 * `nEvalEpisodes` episodes, records `eval/mean_reward` and `eval/mean_ep_length` into the
 * iteration's metrics, keeps the best mean reward and optionally saves that model.
 */
export class EvalCallback implements Callback {
  readonly options: Required<Pick<EvalCallbackOptions, 'evalFreq' | 'nEvalEpisodes' | 'deterministic'>> &
    EvalCallbackOptions;
  bestMeanReward = Number.NEGATIVE_INFINITY;
  lastMeanReward = Number.NaN;
  /** (timesteps, mean reward, mean length) of every evaluation. */
  readonly history: { timesteps: number; meanReward: number; meanEpLength: number }[] = [];
  private nextEval = 0;

  /** @throws RangeError when evalFreq or nEvalEpisodes is not a positive integer. */
  constructor(options: EvalCallbackOptions) {
    this.options = { evalFreq: 10_000, nEvalEpisodes: 5, deterministic: true, ...options };
    for (const k of ['evalFreq', 'nEvalEpisodes'] as const) {
      const v = this.options[k];
      if (!Number.isInteger(v) || v <= 0)
        throw new RangeError(`${k} must be a positive integer, got ${String(v)}`);
    }
  }

  onTrainingStart(ctx: { numTimesteps: number }): void {
    this.nextEval = ctx.numTimesteps + this.options.evalFreq;
  }

  async onIterationEnd(ctx: TrainingContext): Promise<boolean | undefined> {
    if (ctx.numTimesteps < this.nextEval) return undefined;
    while (this.nextEval <= ctx.numTimesteps) this.nextEval += this.options.evalFreq;
    const o = this.options;
    const ev = await evaluatePolicy(ctx.model, o.evalEnv, {
      nEvalEpisodes: o.nEvalEpisodes,
      deterministic: o.deterministic,
      ...(o.seed === undefined ? {} : { seed: o.seed }),
    });
    const meanLength = ev.episodeLengths.reduce((a, b) => a + b, 0) / ev.episodeLengths.length;
    this.lastMeanReward = ev.meanReward;
    this.history.push({ timesteps: ctx.numTimesteps, meanReward: ev.meanReward, meanEpLength: meanLength });
    ctx.metrics['eval/mean_reward'] = ev.meanReward;
    ctx.metrics['eval/std_reward'] = ev.stdReward;
    ctx.metrics['eval/mean_ep_length'] = meanLength;
    if (o.logPath) {
      await mkdir(o.logPath, { recursive: true });
      const line = { timesteps: ctx.numTimesteps, results: ev.episodeRewards, epLengths: ev.episodeLengths };
      await appendFile(join(o.logPath, 'evaluations.jsonl'), `${JSON.stringify(line)}\n`);
    }
    if (ev.meanReward > this.bestMeanReward) {
      this.bestMeanReward = ev.meanReward;
      if (o.bestModelSavePath) await ctx.model.save(join(o.bestModelSavePath, 'best_model'));
      if (o.callbackOnNewBest)
        return o.callbackOnNewBest.onIterationEnd?.({ ...ctx, metrics: { ...ctx.metrics } });
    }
    return undefined;
  }
}

/**
 * Stops training once the evaluation's mean reward reaches `rewardThreshold` (SB3's
 * `StopTrainingOnRewardThreshold`). Use it as an EvalCallback's `callbackOnNewBest`; standalone it
 * watches `eval/mean_reward`, or `rollout/ep_rew_mean` when no evaluation ran.
 */
export class StopTrainingOnRewardThreshold implements Callback {
  constructor(readonly rewardThreshold: number) {
    if (!Number.isFinite(rewardThreshold)) {
      throw new RangeError(`rewardThreshold must be a finite number, got ${String(rewardThreshold)}`);
    }
  }

  onIterationEnd(ctx: TrainingContext): boolean | undefined {
    const r = ctx.metrics['eval/mean_reward'] ?? ctx.metrics['rollout/ep_rew_mean'];
    return Number.isFinite(r) && r >= this.rewardThreshold ? false : undefined;
  }
}
