import cliProgress from 'cli-progress';
import type { Callback, TrainingContext } from '../common/callbacks.js';

/**
 * A terminal progress bar over the training timesteps with steps/s and the mean episodic return
 * (SB3's `ProgressBarCallback`), drawn on stderr with cli-progress.
 */
export class ProgressBarCallback implements Callback {
  private bar: cliProgress.SingleBar | null = null;
  private total = 0;
  private start = 0;

  onTrainingStart(ctx: { totalTimesteps: number; numTimesteps: number }): void {
    this.total = ctx.totalTimesteps;
    this.start = ctx.numTimesteps;
    this.bar = new cliProgress.SingleBar(
      {
        format:
          'training |{bar}| {value}/{total} steps | {fps} steps/s | mean return {ret} | {duration_formatted}',
        hideCursor: true,
        etaBuffer: 20,
      },
      cliProgress.Presets.shades_classic,
    );
    this.bar.start(this.total, 0, { fps: '-', ret: '-' });
  }

  onIterationEnd(ctx: TrainingContext): undefined {
    const ret = ctx.metrics['rollout/ep_rew_mean'];
    this.bar?.update(Math.min(ctx.numTimesteps - this.start, this.total), {
      fps: Math.round(ctx.metrics['time/fps']),
      ret: Number.isFinite(ret) ? ret.toFixed(1) : '-',
    });
    return undefined;
  }

  onTrainingEnd(): void {
    this.bar?.stop();
    this.bar = null;
  }
}
