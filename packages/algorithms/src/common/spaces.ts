import type { VectorEnv } from '@proximal/envs';

/**
 * Reads the flat observation size of a vector env.
 * @throws RangeError when the observation space is not 1-D.
 */
export function describeVecEnv(env: VectorEnv, algorithm: string): { obsDim: number } {
  const obsSpace = env.singleObservationSpace as { shape?: readonly number[] };
  if (obsSpace.shape?.length !== 1) {
    throw new RangeError(
      `${algorithm} needs a 1-D Box observation space, got shape [${obsSpace.shape?.join(', ')}]`,
    );
  }
  return { obsDim: obsSpace.shape[0] };
}
