import { RunningMeanStd } from '@proximal/core';

/** Options of {@link Normalizer}, named as SB3's `VecNormalize`. */
export interface NormalizationOptions {
  /** Normalize observations with running mean/std. Default false. */
  normObs?: boolean;
  /** Scale rewards by the running std of the discounted return. Default false. */
  normReward?: boolean;
  /** Clip normalized observations to ±clipObs. Default 10. */
  clipObs?: number;
  /** Clip scaled rewards to ±clipReward. Default 10. */
  clipReward?: number;
  /** Added to the variance before the square root. Default 1e-8. */
  epsilon?: number;
}

/**
 * Observation and reward normalization with running statistics, as SB3's `VecNormalize`
 * (observations: (o − μ) / √(σ² + ε) clipped; rewards: r / √(Var[G] + ε) clipped, where G is the
 * running discounted return per env, reset at episode ends). Statistics update only in training.
 */
export class Normalizer {
  readonly normObs: boolean;
  readonly normReward: boolean;
  readonly clipObs: number;
  readonly clipReward: number;
  readonly epsilon: number;
  readonly obsRms: RunningMeanStd;
  readonly retRms: RunningMeanStd;
  private returns: Float64Array;

  constructor(
    obsDim: number,
    numEnvs: number,
    readonly gamma: number,
    o: NormalizationOptions = {},
  ) {
    this.normObs = o.normObs ?? false;
    this.normReward = o.normReward ?? false;
    this.clipObs = o.clipObs ?? 10;
    this.clipReward = o.clipReward ?? 10;
    this.epsilon = o.epsilon ?? 1e-8;
    for (const [k, v] of [
      ['clipObs', this.clipObs],
      ['clipReward', this.clipReward],
      ['epsilon', this.epsilon],
    ] as const) {
      if (!(v > 0)) throw new RangeError(`${k} must be > 0, got ${v}`);
    }
    this.obsRms = new RunningMeanStd(obsDim);
    this.retRms = new RunningMeanStd(1);
    this.returns = new Float64Array(numEnvs);
  }

  get active(): boolean {
    return this.normObs || this.normReward;
  }

  /** Normalized copy of observations [batch, obsDim]; `update` merges them into the statistics first. */
  observations(obs: Float32Array, update: boolean): Float32Array {
    if (!this.normObs) return obs;
    if (update) this.obsRms.update(obs);
    const d = this.obsRms.size;
    const out = new Float32Array(obs.length);
    for (let i = 0; i < obs.length; i++) {
      const j = i % d;
      const z = (obs[i] - this.obsRms.mean[j]) / Math.sqrt(this.obsRms.var[j] + this.epsilon);
      out[i] = z < -this.clipObs ? -this.clipObs : z > this.clipObs ? this.clipObs : z;
    }
    return out;
  }

  /**
   * Scaled copy of one step's rewards [numEnvs]; updates the running returns (reset where `dones`)
   * and their statistics.
   */
  rewards(rewards: Float32Array, dones: Uint8Array): Float32Array {
    if (!this.normReward) return rewards;
    for (let i = 0; i < rewards.length; i++) this.returns[i] = this.returns[i] * this.gamma + rewards[i];
    this.retRms.update(this.returns);
    const out = this.scaleRewards(rewards);
    for (let i = 0; i < rewards.length; i++) if (dones[i]) this.returns[i] = 0;
    return out;
  }

  /**
   * Rewards scaled by the current statistics, r / √(Var[G] + ε) clipped to ±clipReward, without
   * updating anything (SB3's `VecNormalize.normalize_reward`; the off-policy algorithms scale
   * sampled rewards with it). A copy; the input itself when `normReward` is off.
   */
  scaleRewards(rewards: Float32Array): Float32Array {
    if (!this.normReward) return rewards;
    const scale = Math.sqrt(this.retRms.var[0] + this.epsilon);
    const out = new Float32Array(rewards.length);
    for (let i = 0; i < rewards.length; i++) {
      const r = rewards[i] / scale;
      out[i] = r < -this.clipReward ? -this.clipReward : r > this.clipReward ? this.clipReward : r;
    }
    return out;
  }

  toJSON(): Record<string, unknown> {
    return {
      normObs: this.normObs,
      normReward: this.normReward,
      clipObs: this.clipObs,
      clipReward: this.clipReward,
      epsilon: this.epsilon,
      obsRms: this.obsRms.toJSON(),
      retRms: this.retRms.toJSON(),
    };
  }

  /**
   * Zeroes the running discounted return of every env, as SB3's `VecNormalize.reset` does when
   * the envs are reset (their episodes start over).
   */
  resetReturns(): void {
    this.returns.fill(0);
  }

  /** Restores statistics saved by {@link toJSON}. */
  load(json: {
    obsRms: { mean: number[]; var: number[]; count: number };
    retRms: { mean: number[]; var: number[]; count: number };
  }): void {
    for (const [rms, saved] of [
      [this.obsRms, json.obsRms],
      [this.retRms, json.retRms],
    ] as const) {
      if (saved.mean.length !== rms.size) {
        throw new RangeError(
          `saved normalization statistics have size ${saved.mean.length}, expected ${rms.size}`,
        );
      }
      rms.mean.set(saved.mean);
      rms.var.set(saved.var);
      rms.count = saved.count;
    }
  }
}
