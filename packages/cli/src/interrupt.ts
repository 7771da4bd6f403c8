import type { Callback } from '@proximal/algorithms';

/** Shows the cursor and turns line wrapping back on (a progress bar turns both off). */
export function restoreTerminal(stream: NodeJS.WriteStream = process.stderr): void {
  if (stream.isTTY) stream.write('\x1b[?25h\x1b[?7h');
}

/** Resolves after the event loop has polled for I/O and signals at least once. */
async function yieldToEventLoop(): Promise<void> {
  // an immediate queued during the poll phase runs right after it, before the next poll:
  // two of them guarantee that one poll (where signal handlers run) happens in between
  await new Promise((r) => setImmediate(r));
  await new Promise((r) => setImmediate(r));
}

/**
 * Ctrl-C (SIGINT) handling of `proximal train`. While `phase` is `'training'`, the first SIGINT
 * asks training to stop after the current iteration (the {@link callback} returns false there),
 * so that the caller can write a checkpoint; a second SIGINT, or one in any other phase, restores
 * the terminal and exits at once with code 130 (128 + SIGINT).
 */
export class Interrupt {
  /** Whether a SIGINT asked training to stop. */
  requested = false;
  /** `'training'`: stop after the iteration; `'abort'`: exit at once; the message names the state. */
  phase: 'training' | 'abort' = 'training';
  /** Printed when exiting at once. */
  abortMessage = 'proximal: aborted';

  private readonly onSignal = (): void => {
    if (this.phase === 'training' && !this.requested) {
      this.requested = true;
      process.stderr.write(
        '\nproximal: interrupted; saving a checkpoint after the current iteration (Ctrl-C again to abort without one)\n',
      );
      return;
    }
    restoreTerminal();
    process.stderr.write(`\n${this.abortMessage}\n`);
    process.exit(130);
  };

  /** A training callback that lets signals through after each iteration and stops training on one. */
  readonly callback: Callback = {
    onIterationEnd: async () => {
      await yieldToEventLoop();
      return !this.requested;
    },
  };

  /** Starts listening to SIGINT (replacing Node's default exit). */
  install(): this {
    process.on('SIGINT', this.onSignal);
    return this;
  }

  /** Stops listening. */
  dispose(): void {
    process.off('SIGINT', this.onSignal);
  }
}
