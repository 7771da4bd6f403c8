import type { VectorEnv } from '@proximal/envs';

/**
 * Reads the flat observation size and the number of discrete actions of a vector env.
 * @throws RangeError when the observation space is not a float Box or the action space is not Discrete.
 */
export function describeVecEnv(env: VectorEnv, algorithm: string): { obsDim: number; numActions: number } {
  const obsSpace = env.singleObservationSpace as { shape: readonly number[]; dtype?: string };
  const actSpace = env.singleActionSpace as { n?: number; constructor: { name: string } };
  if (typeof actSpace.n !== 'number') {
    throw new RangeError(
      `${algorithm} supports Discrete action spaces here, got ${actSpace.constructor.name}`,
    );
  }
  if (obsSpace.shape?.length !== 1) {
    throw new RangeError(
      `${algorithm} needs a 1-D Box observation space, got shape [${obsSpace.shape?.join(', ')}]`,
    );
  }
  return { obsDim: obsSpace.shape[0], numActions: actSpace.n };
}
