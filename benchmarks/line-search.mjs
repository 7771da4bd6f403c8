// TRPO line-search evaluation benchmark: surrogateAndKl (the candidate's importance-sampled
// surrogate and mean KL(π_old ‖ π_new), what each backtracking step computes) for tanh MLP
// policies, TypeScript reference vs native (1 thread, all threads) through @proximal/core, as
// ratios against the TypeScript reference measured in the same run, plus a FLOP floor: the
// multiply-adds of two forward passes (θ_old and θ_new) at the CPU's nominal double-precision peak
// (AVX2 FMA: 16 flop/cycle/core at the reported clock). `--quick` runs the 64x64 cases only.
// The 'tfjs-wasm' row (@tensorflow/tfjs on the wasm backend, single-threaded in Node; lib/tfjs.mjs)
// is the same evaluation as tf ops: both forward passes as tf.layers.dense computes them (fused
// matMul + bias, tanh), log π_new(a|s) (tf.logSoftmax and tf.oneHot, or the Gaussian density), the
// surrogate mean(exp(log π_new − oldLogProbs)·Â) and the mean KL; from the Float32Array inputs to
// the two numbers read back (uploads and dataSync included). Checked against native before timing.

import { readFileSync } from 'node:fs';
import { policyParamCount, surrogateAndKl } from '@proximal/core';
import { loadNative } from '@proximal/native';
import { POLICY_CASES, policyLayers, rng } from './lib/policy-cases.mjs';
import { fmtRatio, machine, writeResult } from './lib/result.mjs';
import { assertClose, loadTfjsWasm, mlpForward, policyTensors } from './lib/tfjs.mjs';
import { time } from './lib/timing.mjs';

const native = loadNative();
const quick = process.argv.includes('--quick');
const { tf, info: tfjsInfo } = await loadTfjsWasm();

function setup(obs, hidden, head, act, batch) {
  const { layers, mlpParams: mlp } = policyLayers(obs, hidden, act);
  const r = rng(1);
  const n = policyParamCount({ layers, head });
  const oldParams = Float32Array.from({ length: n }, (_, i) => (r() - 0.5) * (i < mlp ? 0.3 : 1));
  // a candidate a small step away (TRPO's steps keep the KL near 0.01)
  const newParams = oldParams.map((x) => x + (r() - 0.5) * 0.01);
  const states = Float32Array.from({ length: batch * obs }, () => (r() - 0.5) * 4);
  const actions =
    head === 'categorical'
      ? Int32Array.from({ length: batch }, () => Math.floor(r() * act))
      : Float32Array.from({ length: batch * act }, () => r() * 2 - 1);
  const advantages = Float32Array.from({ length: batch }, () => r() * 2 - 1);
  const oldLogProbs = Float32Array.from({ length: batch }, () => -1 - r());
  const macs = layers.reduce((s, l) => s + l.inSize * l.outSize, 0);
  return {
    args: { policy: { layers, head }, oldParams, newParams, states, actions, advantages, oldLogProbs },
    flops: 2 * 2 * macs * batch, // two forward passes, 2 flop per multiply-add
  };
}

function cpuMHz() {
  try {
    const m = /cpu MHz\s*:\s*([\d.]+)/.exec(readFileSync('/proc/cpuinfo', 'utf8'));
    if (m) return Number(m[1]);
  } catch {}
  return 2500;
}

/** surrogateAndKl in tfjs (float32): `{ surrogate, kl }` read back from the wasm backend. */
function tfjsSurrogateAndKl({
  policy: { layers, head },
  oldParams,
  newParams,
  states,
  actions,
  advantages,
  oldLogProbs,
}) {
  const batch = advantages.length;
  const act = layers.at(-1).outSize;
  const out = tf.tidy(() => {
    const x = tf.tensor2d(states, [batch, layers[0].inSize]);
    const thetaOld = policyTensors(tf, layers, head, oldParams);
    const thetaNew = policyTensors(tf, layers, head, newParams);
    const oOld = mlpForward(tf, layers, thetaOld, x);
    const oNew = mlpForward(tf, layers, thetaNew, x);
    let logProbs;
    let kl;
    if (head === 'categorical') {
      const lOld = tf.logSoftmax(oOld);
      const lNew = tf.logSoftmax(oNew);
      logProbs = tf.sum(tf.mul(lNew, tf.oneHot(tf.tensor1d(actions, 'int32'), act)), 1);
      kl = tf.mean(tf.sum(tf.mul(tf.exp(lOld), tf.sub(lOld, lNew)), 1));
    } else {
      const lsOld = thetaOld.at(-1);
      const lsNew = thetaNew.at(-1);
      const z = tf.div(tf.sub(tf.tensor2d(actions, [batch, act]), oNew), tf.exp(lsNew));
      logProbs = tf.sum(tf.sub(tf.mul(tf.square(z), -0.5), tf.add(lsNew, 0.5 * Math.log(2 * Math.PI))), 1);
      // Σ_j ℓ_new − ℓ_old + (σ_old² + (μ_old − μ_new)²) / (2 σ_new²) − 1/2
      const quad = tf.div(
        tf.add(tf.exp(tf.mul(lsOld, 2)), tf.square(tf.sub(oOld, oNew))),
        tf.mul(tf.exp(tf.mul(lsNew, 2)), 2),
      );
      kl = tf.mean(tf.sum(tf.add(tf.sub(lsNew, lsOld), tf.sub(quad, 0.5)), 1));
    }
    const surrogate = tf.mean(
      tf.mul(tf.exp(tf.sub(logProbs, tf.tensor1d(oldLogProbs))), tf.tensor1d(advantages)),
    );
    return tf.stack([surrogate, kl]);
  });
  const [surrogate, kl] = out.dataSync();
  out.dispose();
  return { surrogate, kl };
}

const mhz = cpuMHz();
const threads = native.addon ? native.addon.version().threads : 1;
const hasKernel = typeof native.addon?.surrogateAndKl === 'function';
const peakGflops1t = (16 * mhz) / 1000;
console.log(
  `nominal double peak: ${peakGflops1t.toFixed(1)} GFLOP/s per core (${mhz} MHz x 16 flop/cycle), ${threads} threads`,
);

const results = [];
for (const [name, obs, hidden, head, act, batch] of POLICY_CASES) {
  if (quick && hidden > 64) continue;
  const { args, flops } = setup(obs, hidden, head, act, batch);
  const big = hidden >= 256;
  const jsMs = time(() => surrogateAndKl(args, { backend: 'js' }), big ? 0 : 300, big ? 1 : 5);
  const row = (kernel, backend, ms, usedThreads) => {
    const floorMs = flops / (peakGflops1t * usedThreads * 1e6);
    return {
      kernel,
      size: name,
      batch,
      backend,
      medianMs: ms,
      baseline: 'js',
      ratio: jsMs / ms,
      gflops: flops / ms / 1e6,
      floorMs,
      timesFloor: ms / floorMs,
    };
  };
  const rows = [row('surrogateAndKl', 'js', jsMs, 1)];
  if (hasKernel) {
    rows.push(
      row(
        'surrogateAndKl',
        'native-1t',
        time(() => surrogateAndKl(args, { backend: 'native', threads: 1 })),
        1,
      ),
    );
    rows.push(
      row(
        'surrogateAndKl',
        'native-mt',
        time(() => surrogateAndKl(args, { backend: 'native' })),
        threads,
      ),
    );
  }
  if (tf) {
    const ref = surrogateAndKl(args);
    const got = tfjsSurrogateAndKl(args);
    const surrogateErr = Math.abs(got.surrogate - ref.surrogate) / Math.abs(ref.surrogate);
    const klErr = Math.abs(got.kl - ref.kl) / Math.abs(ref.kl);
    // float32: the surrogate to ~1e-6 relative; the KL is small (a step near TRPO's 0.01 or less)
    // and a cancellation of O(1) terms, so its relative tolerance is looser
    assertClose(`surrogateAndKl ${name} surrogate`, surrogateErr, 1e-4);
    assertClose(`surrogateAndKl ${name} kl`, klErr, 1e-2);
    const r = row(
      'surrogateAndKl',
      'tfjs-wasm',
      time(() => tfjsSurrogateAndKl(args), big ? 0 : 300, big ? 1 : 5),
      1,
    );
    r.method =
      'two MLP forward passes (fused matMul + bias, tanh), log-probs, surrogate and mean KL as tf ops, dataSync';
    r.relErrorSurrogate = surrogateErr;
    r.relErrorKl = klErr;
    rows.push(r);
  }
  for (const r of rows) {
    console.log(
      `${r.kernel.padEnd(15)} ${r.size.padEnd(20)} ${r.backend.padEnd(10)} ${r.medianMs.toFixed(3).padStart(10)} ms  ${fmtRatio(r.ratio).padStart(6)}x js  ${r.gflops.toFixed(1).padStart(6)} GFLOP/s  ${r.timesFloor.toFixed(2)}x floor`,
    );
  }
  results.push(...rows);
}
await writeResult('line-search', {
  machine: machine(),
  cpuMHz: mhz,
  nominalPeakGflopsPerCore: peakGflops1t,
  tfjs: tfjsInfo,
  results,
});
