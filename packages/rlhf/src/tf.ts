/**
 * TensorFlow.js loading and backend choice for `@proximal/rlhf`: `@tensorflow/tfjs` with the
 * WebAssembly backend by default, the native TensorFlow binding (`@tensorflow/tfjs-node-gpu`, then
 * `@tensorflow/tfjs-node`) when installed. Same semantics as `@proximal/algorithms`' `initTf`
 * (rlhf does not depend on algorithms, see ARCHITECTURE.md).
 */
import { createRequire } from 'node:module';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';

export { tf };

/** A tfjs backend name Proximal can select. */
export type TfBackend = 'auto' | 'tensorflow' | 'wasm' | 'cpu';

const BACKENDS: readonly TfBackend[] = ['auto', 'tensorflow', 'wasm', 'cpu'];
let initialized: string | null = null;

/**
 * Selects and initializes the tfjs backend. `'auto'` (default) prefers the native TensorFlow
 * binding when installed, else `'wasm'`, else `'cpu'`. Calling it again with another explicit
 * backend switches to it.
 * @returns the active backend name (`tf.getBackend()`).
 * @throws RangeError for an unknown backend name; Error when an explicitly requested backend cannot
 *   be initialized, with its load error.
 */
export async function initTf(backend: TfBackend = 'auto'): Promise<string> {
  if (!BACKENDS.includes(backend)) {
    throw new RangeError(`backend must be one of ${BACKENDS.join(', ')}, got ${String(backend)}`);
  }
  if (initialized && (backend === 'auto' || backend === initialized)) return initialized;
  const require = createRequire(import.meta.url);
  const errors: string[] = [];
  if (backend === 'auto' || backend === 'tensorflow') {
    for (const pkg of ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node']) {
      try {
        require.resolve(pkg);
      } catch {
        continue;
      }
      try {
        await import(pkg);
        if (await tf.setBackend('tensorflow')) {
          initialized = 'tensorflow';
          return initialized;
        }
      } catch (err) {
        errors.push(`${pkg}: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`);
      }
    }
    if (backend === 'tensorflow') {
      throw new Error(
        `tfjs backend 'tensorflow' needs @tensorflow/tfjs-node or @tensorflow/tfjs-node-gpu installed and loadable${
          errors.length ? ` (${errors.join('; ')})` : ''
        }`,
      );
    }
  }
  for (const name of backend === 'auto' ? ['wasm', 'cpu'] : [backend]) {
    try {
      if (await tf.setBackend(name)) {
        await tf.ready();
        initialized = name;
        return name;
      }
      errors.push(`${name}: setBackend returned false`);
    } catch (err) {
      errors.push(`${name}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  throw new Error(`could not initialize a tfjs backend (${errors.join('; ')})`);
}
