import type { Callback, CallbackLike, TrainingContext } from '../common/callbacks.js';
import { toCallbacks } from '../common/callbacks.js';

/** Several callbacks run in order as one (SB3's `CallbackList`); training stops if any returns `false`. */
export class CallbackList implements Callback {
  readonly callbacks: Callback[];

  constructor(callbacks: CallbackLike[]) {
    this.callbacks = callbacks.flatMap((c) => toCallbacks(c));
  }

  async onTrainingStart(ctx: Parameters<NonNullable<Callback['onTrainingStart']>>[0]): Promise<void> {
    for (const c of this.callbacks) await c.onTrainingStart?.(ctx);
  }

  async onIterationEnd(ctx: TrainingContext): Promise<boolean | undefined> {
    let stop = false;
    for (const c of this.callbacks) if ((await c.onIterationEnd?.(ctx)) === false) stop = true;
    return stop ? false : undefined;
  }

  async onTrainingEnd(ctx: TrainingContext): Promise<void> {
    for (const c of this.callbacks) await c.onTrainingEnd?.(ctx);
  }
}
