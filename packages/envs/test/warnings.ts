/**
 * Collects the `RenderWarning`s that `process.emitWarning` reports while a test runs.
 */

/** Runs `body`, waits for the warnings it emitted to be delivered, and returns their messages. */
export async function renderWarnings(body: () => void): Promise<string[]> {
  const warnings: Error[] = [];
  const onWarning = (w: Error) => warnings.push(w);
  process.on('warning', onWarning);
  try {
    body();
    await new Promise((r) => setTimeout(r, 10));
  } finally {
    process.off('warning', onWarning);
  }
  return warnings.filter((w) => w.name === 'RenderWarning').map((w) => w.message);
}
