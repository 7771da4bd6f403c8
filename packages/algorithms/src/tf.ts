/**
 * TensorFlow.js loading and backend choice. The default is `@tensorflow/tfjs` with the WebAssembly
 * backend (installs offline, SIMD); `@tensorflow/tfjs-node-gpu` and `@tensorflow/tfjs-node` are used
 * when installed (they are optional peers).
 */
import { createRequire } from 'node:module';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';

export { tf };

/** A tfjs backend name Proximal can select. */
export type TfBackend = 'auto' | 'tensorflow' | 'wasm' | 'cpu';

let initialized: string | null = null;
/** Why an installed tfjs-node(-gpu) could not be used, if it could not. */
export let tensorflowError: string | null = null;

/**
 * Selects and initializes the tfjs backend. `'auto'` prefers the native TensorFlow binding
 * (tfjs-node-gpu, then tfjs-node) when installed, else `'wasm'`, else `'cpu'`.
 * Idempotent: later calls with the same choice return at once.
 * @returns the active backend name (`tf.getBackend()`).
 * @throws Error when an explicitly requested backend cannot be initialized, with its load error.
 */
export async function initTf(backend: TfBackend = 'auto'): Promise<string> {
  if (initialized && (backend === 'auto' || backend === initialized)) return initialized;
  const require = createRequire(import.meta.url);
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
        // installed but unusable (e.g. its libtensorflow download failed): fall through to wasm
        tensorflowError = `${pkg}: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`;
        if (backend === 'tensorflow')
          throw new Error(`tfjs backend 'tensorflow' failed to load (${tensorflowError})`);
      }
    }
    if (backend === 'tensorflow') {
      throw new Error(
        "tfjs backend 'tensorflow' needs @tensorflow/tfjs-node or @tensorflow/tfjs-node-gpu installed",
      );
    }
  }
  const order = backend === 'auto' ? ['wasm', 'cpu'] : [backend];
  const errors: string[] = [];
  for (const name of order) {
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
