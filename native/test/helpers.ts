/** Shared setup of the native tests: loads the addon once and decides whether to skip. */
import fc from 'fast-check';
import { loadNative, type NativeAddon, type NativeGaeArgs, type NativeMlpLayer } from '../index.js';

export const load = loadNative();
/** With PROXIMAL_REQUIRE_NATIVE=1 a missing addon fails the tests instead of skipping them. */
export const requireNative = process.env.PROXIMAL_REQUIRE_NATIVE === '1';
/** True when the addon-dependent suites should be skipped. */
export const skipNative = load.addon === null && !requireNative;

if (load.addon === null) {
  const what = requireNative ? 'FAILING (PROXIMAL_REQUIRE_NATIVE=1)' : 'skipping';
  console.warn(`[@proximal/native] ${what} the addon tests: ${load.error}`);
}

/** The addon; only dereference it inside suites guarded by `skipNative`. */
export function addon(): NativeAddon {
  if (load.addon === null) throw new Error(`the native addon did not load: ${load.error}`);
  return load.addon;
}

/** Deterministic PRNG (mulberry32) for inputs that do not come from fast-check. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface RandomGae {
  args: NativeGaeArgs;
  numSteps: number;
}

/** Random GAE arguments of shape [T, N]: uniform values in [-2, 2), flags set with probability p. */
export function randomGae(
  seed: number,
  numSteps: number,
  numEnvs: number,
  mode: 'next' | 'next+truncated' | 'bootstrap',
  p = 0.05,
): RandomGae {
  const r = rng(seed);
  const size = numSteps * numEnvs;
  const floats = (n: number) => Float32Array.from({ length: n }, () => r() * 4 - 2);
  const flags = () => Uint8Array.from({ length: size }, () => (r() < p ? 1 : 0));
  const args: NativeGaeArgs = {
    rewards: floats(size),
    values: floats(size),
    terminated: flags(),
    numEnvs,
    gamma: 0.99,
    lambda: 0.95,
  };
  if (mode === 'bootstrap') args.bootstrapValues = floats(numEnvs);
  else args.nextValues = floats(size);
  if (mode === 'next+truncated') args.truncated = flags();
  return { args, numSteps };
}

/**
 * Float64 GAE reference written for the tests, column by column (ARCHITECTURE.md "GAE semantics";
 * TorchRL's done handling), rounded to float32 on store.
 */
export function referenceGae(args: NativeGaeArgs): { advantages: Float32Array; returns: Float32Array } {
  const {
    rewards,
    values,
    nextValues,
    bootstrapValues,
    terminated,
    truncated,
    numEnvs: n,
    gamma,
    lambda,
  } = args;
  const size = rewards.length;
  const steps = size / n;
  const advantages = new Float32Array(size);
  const returns = new Float32Array(size);
  for (let env = 0; env < n; env++) {
    let nextAdvantage = 0;
    for (let t = steps - 1; t >= 0; t--) {
      const k = t * n + env;
      const vNext = nextValues ? nextValues[k] : t === steps - 1 ? bootstrapValues![env] : values[k + n];
      const term = terminated[k] === 1;
      const done = term || (truncated !== undefined && truncated[k] === 1);
      const delta = rewards[k] + (term ? 0 : gamma * vNext) - values[k];
      const a = delta + (done ? 0 : gamma * lambda * nextAdvantage);
      nextAdvantage = a;
      advantages[k] = a;
      returns[k] = a + values[k];
    }
  }
  return { advantages, returns };
}

/** Largest relative difference max |a - b| / max(|b|, 1e-3) (so exact zeros do not divide by 0). */
export function maxRelativeError(a: Float32Array, b: Float32Array): number {
  let worst = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i] - b[i]) / Math.max(Math.abs(b[i]), 1e-3);
    if (!(d <= worst)) worst = d;
  }
  return worst;
}

/** Whether two float arrays hold the same bits (NaN-aware, unlike toEqual on -0/+0). */
export function sameBits(a: Float32Array, b: Float32Array): boolean {
  if (a.length !== b.length) return false;
  const x = new Uint32Array(a.buffer, a.byteOffset, a.length);
  const y = new Uint32Array(b.buffer, b.byteOffset, b.length);
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
  return true;
}

/** A random valid MLP policy for the fuzz tests: its layers, head, parameter count and batch. */
export interface RandomPolicy {
  layers: NativeMlpLayer[];
  head: 'categorical' | 'diag-gaussian';
  /** Output size of the last layer (logits or action dimension). */
  actionDim: number;
  /** Parameters of the MLP plus, for the Gaussian head, one log-std per action dimension. */
  numParams: number;
  batch: number;
  /** Seed for the inputs (create the generator inside the property: shrinking replays values). */
  seed: number;
}

/**
 * fast-check arbitrary of small random policies: 1–3 dense layers of 1–9 units, one activation,
 * either head, a batch of 1..maxBatch states, and a seed for the inputs.
 */
export function randomPolicyArb(maxBatch: number): fc.Arbitrary<RandomPolicy> {
  return fc
    .tuple(
      fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 2, maxLength: 4 }),
      fc.constantFrom('tanh', 'relu', 'linear'),
      fc.constantFrom('categorical', 'diag-gaussian'),
      fc.integer({ min: 1, max: maxBatch }),
      fc.integer({ min: 0, max: 1e9 }),
    )
    .map(([sizes, activation, head, batch, seed]) => {
      const layers = sizes.slice(1).map((o, i) => ({ inSize: sizes[i], outSize: o, activation }));
      const actionDim = sizes.at(-1)!;
      const mlp = layers.reduce((s, l) => s + l.inSize * l.outSize + l.outSize, 0);
      const numParams = mlp + (head === 'diag-gaussian' ? actionDim : 0);
      return { layers, head, actionDim, numParams, batch, seed } as RandomPolicy;
    });
}
