// The tanh-MLP policies shared by the Fisher-vector-product and line-search benchmarks, and the
// seeded generator their random parameters and states come from.

/**
 * [name, obsDim, hidden, head, actionDim, batch, PyTorch double-backprop FVP ms on this machine
 * (from the issue), or null]: two hidden layers of `hidden` tanh units, a linear output layer.
 */
export const POLICY_CASES = [
  ['gaussian-64x64', 17, 64, 'diag-gaussian', 6, 2048, 96],
  ['categorical-64x64', 8, 64, 'categorical', 4, 2048, null],
  ['gaussian-256x256', 17, 256, 'diag-gaussian', 6, 16384, 4400],
  ['categorical-256x256', 8, 256, 'categorical', 4, 16384, null],
];

/** A seeded uniform [0, 1) generator (mulberry32), so every run and backend sees the same inputs. */
export function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The case's core `MlpLayer[]` and its MLP parameter count (without the head's log-std). */
export function policyLayers(obs, hidden, act) {
  const layers = [
    { inSize: obs, outSize: hidden, activation: 'tanh' },
    { inSize: hidden, outSize: hidden, activation: 'tanh' },
    { inSize: hidden, outSize: act, activation: 'linear' },
  ];
  const mlpParams = layers.reduce((s, l) => s + l.inSize * l.outSize + l.outSize, 0);
  return { layers, mlpParams };
}
