import { join } from 'node:path';
import type { Callback, TrainingContext } from '../common/callbacks.js';

/**
 * Saves the agent every `saveFreq` environment steps to `<savePath>/<namePrefix>_<steps>_steps`
 * (SB3's `CheckpointCallback`); each checkpoint holds the optimizer state, so training can continue
 * from it with `load` and `learn({ resetNumTimesteps: false })`.
 */
export class CheckpointCallback implements Callback {
  readonly saved: string[] = [];
  private nextSave = 0;

  /** @throws RangeError when saveFreq is not a positive integer. */
  constructor(
    readonly saveFreq: number,
    readonly savePath: string,
    readonly namePrefix = 'rl_model',
  ) {
    if (!Number.isInteger(saveFreq) || saveFreq <= 0) {
      throw new RangeError(`saveFreq must be a positive integer, got ${String(saveFreq)}`);
    }
  }

  onTrainingStart(ctx: { numTimesteps: number }): void {
    this.nextSave = ctx.numTimesteps + this.saveFreq;
  }

  async onIterationEnd(ctx: TrainingContext): Promise<undefined> {
    if (ctx.numTimesteps < this.nextSave) return undefined;
    while (this.nextSave <= ctx.numTimesteps) this.nextSave += this.saveFreq;
    const dir = join(this.savePath, `${this.namePrefix}_${ctx.numTimesteps}_steps`);
    await ctx.model.save(dir);
    this.saved.push(dir);
    return undefined;
  }
}
