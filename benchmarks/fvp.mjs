// Fisher-vector product benchmark (TRPO's inner loop): TypeScript reference vs native (1 thread,
// all threads) for tanh MLP policies, as ratios against the TypeScript reference measured in the
// same run and against the issue's peer (PyTorch double backprop on this machine class: 96 ms for
// 64x64 at batch 2048, 4.4 s for 256x256 at batch 16384; targets ≥ 20x and ≥ 10x faster), plus a
// FLOP floor: the multiply-adds of one forward, one tangent and one cotangent pass at the CPU's
// nominal double-precision peak (AVX2 FMA: 16 flop/cycle/core at the reported clock).
// Also times 10 conjugate-gradient steps with the product inside the addon (TRPO's step direction).
//
// The 'tfjs-wasm' row (@tensorflow/tfjs, wasm backend, single-threaded in Node; lib/tfjs.mjs) is the
// same product in its Gauss–Newton form F v = (1/B) Σ_s J_sᵀ M_s J_s v: J v by the double-vjp trick
// (tf.grad w.r.t. a dummy cotangent u of ⟨Jᵀu, v⟩, with Jᵀu from tf.grads), M applied with tf ops,
// Jᵀ(M J v) by tf.grads. Differentiating the vjp w.r.t. u only never differentiates through
// tanh/exp/softmax's own gradients, so it is exact. The textbook double backprop through the mean
// KL is not (tfjs issue #3252: those ops' gradients use their saved output as a constant, so second
// derivatives through them are wrong or the tape is cut): the Gaussian log-std block comes out wrong
// and the categorical head throws; the run records this in `tfjsDoubleBackprop` (not timed). The
// row is checked against the float64 kernel (native when loaded) within 1e-3 relative
// (max |error| / max |F v|) before timing.

import { readFileSync } from 'node:fs';
import { conjugateGradientFisher, fisherVectorProduct } from '@proximal/core';
import { loadNative } from '@proximal/native';
import { POLICY_CASES, policyLayers, rng } from './lib/policy-cases.mjs';
import { fmtRatio, machine, writeResult } from './lib/result.mjs';
import { assertClose, loadTfjsWasm, maxRelError, mlpForward, policyTensors } from './lib/tfjs.mjs';
import { time } from './lib/timing.mjs';

const native = loadNative();
const { tf, info: tfjsInfo } = await loadTfjsWasm();
const quick = process.argv.includes('--quick');

function setup(obs, hidden, head, act, batch) {
  const { layers, mlpParams: mlp } = policyLayers(obs, hidden, act);
  const r = rng(1);
  const n = mlp + (head === 'diag-gaussian' ? act : 0);
  const params = Float32Array.from({ length: n }, (_, i) => (r() - 0.5) * (i < mlp ? 0.3 : 1));
  const states = Float32Array.from({ length: batch * obs }, () => (r() - 0.5) * 4);
  const vector = Float32Array.from({ length: n }, () => r() - 0.5);
  // One forward (Σ in·out), tangent (Σ in·out + Σ_{l>0} in·out) and cotangent pass (same), 2 flop per MAC.
  let macs = 0;
  layers.forEach((l, i) => {
    macs += (i === 0 ? 3 : 5) * l.inSize * l.outSize;
  });
  return { policy: { layers, head, params }, states, vector, flops: 2 * macs * batch };
}

function cpuMHz() {
  try {
    const m = /cpu MHz\s*:\s*([\d.]+)/.exec(readFileSync('/proc/cpuinfo', 'utf8'));
    if (m) return Number(m[1]);
  } catch {}
  return 2500;
}

/**
 * F v + damping·v in tfjs (float32), Gauss–Newton form: J v by the double-vjp trick, then Jᵀ(M J v).
 * From the Float32Arrays to the Float32Array result (uploads and dataSync included).
 */
function tfjsFvp({ layers, head, params }, states, vector, damping) {
  const batch = states.length / layers[0].inSize;
  const act = layers.at(-1).outSize;
  const nm = 2 * layers.length;
  const out = tf.tidy(() => {
    const theta = policyTensors(tf, layers, head, params);
    const v = policyTensors(tf, layers, head, vector);
    const x = tf.tensor2d(states, [batch, layers[0].inSize]);
    const mlpTheta = theta.slice(0, nm);
    const net = (...ps) => mlpForward(tf, layers, ps, x);
    // J v = ∂/∂u ⟨Jᵀu, v⟩ (linear in u, so u's value does not matter)
    const jv = tf.grad((u) => {
      const jtu = tf.grads((...ps) => tf.sum(tf.mul(net(...ps), u)))(mlpTheta);
      return tf.addN(jtu.map((g, k) => tf.sum(tf.mul(g, v[k]))));
    })(tf.zeros([batch, act]));
    let m;
    if (head === 'categorical') {
      const p = tf.softmax(net(...mlpTheta)); // M u = p ⊙ u − p (pᵀu)
      m = tf.sub(tf.mul(p, jv), tf.mul(p, tf.sum(tf.mul(p, jv), 1, true)));
    } else {
      m = tf.mul(jv, tf.exp(tf.mul(theta[nm], -2))); // diag(1/σ²)
    }
    const jtm = tf.grads((...ps) => tf.sum(tf.mul(net(...ps), m)))(mlpTheta);
    const parts = jtm.map((g, k) => tf.add(tf.mul(g, 1 / batch), tf.mul(v[k], damping)).reshape([-1]));
    if (head === 'diag-gaussian') parts.push(tf.mul(v[nm], 2 + damping)); // log-std block: 2·I
    return tf.concat(parts);
  });
  const result = out.dataSync();
  out.dispose();
  return result;
}

/**
 * The textbook FVP, ∇_θ ⟨∇_θ KL(π_old ‖ π_θ), v⟩ at θ = θ_old, by tfjs double backprop: its max
 * error relative to native, or the error tfjs throws (tfjs issue #3252). Not timed.
 */
function tfjsDoubleBackprop({ layers, head, params }, states, vector, damping, reference) {
  const batch = states.length / layers[0].inSize;
  try {
    const out = tf.tidy(() => {
      const theta = policyTensors(tf, layers, head, params); // θ, differentiated
      const thetaOld = policyTensors(tf, layers, head, params); // θ_old, constant
      const v = policyTensors(tf, layers, head, vector);
      const x = tf.tensor2d(states, [batch, layers[0].inSize]);
      const old = mlpForward(tf, layers, thetaOld, x);
      const kl = (...ps) => {
        const o = mlpForward(tf, layers, ps, x);
        if (head === 'categorical') {
          const lp0 = tf.logSoftmax(old);
          return tf.mean(tf.sum(tf.mul(tf.exp(lp0), tf.sub(lp0, tf.logSoftmax(o))), 1));
        }
        const l0 = thetaOld.at(-1);
        const l1 = ps.at(-1);
        const quad = tf.div(
          tf.add(tf.exp(tf.mul(l0, 2)), tf.square(tf.sub(old, o))),
          tf.mul(tf.exp(tf.mul(l1, 2)), 2),
        );
        return tf.mean(tf.sum(tf.add(tf.sub(l1, l0), tf.sub(quad, 0.5)), 1));
      };
      const hv = tf.grads((...ps) => {
        const g = tf.grads(kl)(ps);
        return tf.addN(g.map((gk, k) => tf.sum(tf.mul(gk, v[k]))));
      })(theta);
      return tf.concat(hv.map((g, k) => tf.add(g, tf.mul(v[k], damping)).reshape([-1])));
    });
    const result = out.dataSync();
    out.dispose();
    const mlp = reference.length - (head === 'diag-gaussian' ? layers.at(-1).outSize : 0);
    const blocks = { maxRelError: maxRelError(result, reference) };
    blocks.mlpBlockMaxRelError = maxRelError(result.subarray(0, mlp), reference.subarray(0, mlp));
    if (mlp < reference.length) {
      blocks.logStdBlockMaxRelError = maxRelError(result.subarray(mlp), reference.subarray(mlp));
    }
    return blocks;
  } catch (err) {
    return { throws: (err instanceof Error ? err.message : String(err)).replace(/\s+/g, ' ') };
  }
}

const mhz = cpuMHz();
const threads = native.addon ? native.addon.version().threads : 1;
const peakGflops1t = (16 * mhz) / 1000;
console.log(
  `nominal double peak: ${peakGflops1t.toFixed(1)} GFLOP/s per core (${mhz} MHz x 16 flop/cycle), ${threads} threads`,
);

const results = [];
const doubleBackprop = {};
for (const [name, obs, hidden, head, act, batch, peerMs] of POLICY_CASES) {
  if (quick && hidden > 64) continue;
  const { policy, states, vector, flops } = setup(obs, hidden, head, act, batch);
  const big = hidden >= 256;
  const jsMs = time(
    () => fisherVectorProduct(policy, states, vector, { damping: 0.1, backend: 'js' }),
    big ? 0 : 400,
    big ? 1 : 5,
  );
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
      peerMs,
      speedupVsPeer: peerMs ? peerMs / ms : null,
    };
  };
  const rows = [row('fvp', 'js', jsMs, 1)];
  if (native.addon) {
    const args = { ...policy, states, vector, damping: 0.1 };
    rows.push(
      row(
        'fvp',
        'native-1t',
        time(() => native.addon.fisherVectorProduct({ ...args, threads: 1 })),
        1,
      ),
    );
    rows.push(
      row(
        'fvp',
        'native-mt',
        time(() => native.addon.fisherVectorProduct(args)),
        threads,
      ),
    );
    const cgMs = time(() =>
      conjugateGradientFisher(policy, states, vector, {
        damping: 0.1,
        maxIterations: 10,
        residualTolerance: 0,
        backend: 'native',
      }),
    );
    // 10 products: report per-product figures against the same peer, and the whole solve.
    const cg = row('cg10-fisher', 'native-mt', cgMs, threads);
    cg.perProductMs = cgMs / 10;
    cg.gflops = (10 * flops) / cgMs / 1e6;
    cg.floorMs *= 10;
    cg.timesFloor = cgMs / cg.floorMs;
    cg.ratio = (10 * jsMs) / cgMs;
    cg.speedupVsPeer = peerMs ? (10 * peerMs) / cgMs : null;
    rows.push(cg);
  }
  if (tf) {
    const reference = fisherVectorProduct(policy, states, vector, { damping: 0.1 });
    const err = maxRelError(tfjsFvp(policy, states, vector, 0.1), reference);
    assertClose(`fvp ${name}`, err, 1e-3);
    const r = row(
      'fvp',
      'tfjs-wasm',
      time(() => tfjsFvp(policy, states, vector, 0.1), big ? 0 : 400, big ? 1 : 5),
      1,
    );
    r.method = 'Gauss–Newton: J v by double vjp, then Jᵀ(M J v)';
    r.maxRelError = err;
    r.checkedAgainst = native.addon ? 'native' : 'js';
    rows.push(r);
    doubleBackprop[name] = tfjsDoubleBackprop(policy, states, vector, 0.1, reference);
  }
  for (const r of rows) {
    console.log(
      `${r.kernel.padEnd(12)} ${r.size.padEnd(20)} ${r.backend.padEnd(10)} ${r.medianMs.toFixed(2).padStart(10)} ms  ${fmtRatio(r.ratio).padStart(6)}x js  ${r.gflops.toFixed(1).padStart(6)} GFLOP/s  ${r.timesFloor.toFixed(2)}x floor${r.speedupVsPeer ? `  ${r.speedupVsPeer.toFixed(1)}x PyTorch (${r.peerMs} ms)` : ''}`,
    );
  }
  results.push(...rows);
}
await writeResult('fvp', {
  machine: machine(),
  cpuMHz: mhz,
  nominalPeakGflopsPerCore: peakGflops1t,
  tfjs: tfjsInfo,
  tfjsDoubleBackprop: tf
    ? {
        what: 'textbook FVP, tf.grads of ⟨tf.grads(meanKl), v⟩ (double backprop), not timed: error vs native, or what tfjs throws (tfjs issue #3252: ops that save their output for the gradient, exp, tanh, softmax, break second order)',
        ...doubleBackprop,
      }
    : undefined,
  results,
});
