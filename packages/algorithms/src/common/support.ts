/**
 * Whether an algorithm runs on an env's spaces, for the registry's `supports`: the checks the
 * algorithms' constructors make, run on the spaces alone (nothing is allocated).
 *
 * Source: Proximal.
 */
import { headFromSpace } from '../policies/action-head.js';
import type { SupportResult } from '../registry.js';
import { observationEncoder } from './spaces.js';

/**
 * The result of running `check` (which throws for unsupported spaces): supported, or not with the
 * thrown message as the reason.
 */
export function supportFrom(check: () => void): SupportResult {
  try {
    check();
    return { supported: true };
  } catch (e) {
    return { supported: false, reason: (e as Error).message };
  }
}

/**
 * The on-policy algorithms' spaces: an observation space the encoder reads (1-D Box, Discrete,
 * MultiDiscrete, MultiBinary) and a Discrete, MultiDiscrete or 1-D Box action space; `extra` may
 * refuse more (e.g. TRPO refuses MultiDiscrete actions).
 */
export function onPolicySupport(
  algorithm: string,
  spaces: { observationSpace: unknown; actionSpace: unknown },
  extra?: (actionSpace: unknown) => void,
): SupportResult {
  return supportFrom(() => {
    observationEncoder(spaces.observationSpace, algorithm);
    headFromSpace(spaces.actionSpace, algorithm);
    extra?.(spaces.actionSpace);
  });
}
