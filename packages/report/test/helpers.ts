import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BenchmarkFile, Logger } from '../src/index.js';

/** A fresh directory under the OS temp dir. */
export function tempDir(prefix = 'proximal-report-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export interface SyntheticRunOptions {
  seed: number;
  algorithm?: string;
  backend?: string;
  /** Environment steps per iteration. Default 2048. */
  stepsPerIteration?: number;
  iterations?: number;
  /** Evaluation episodes written to eval.json (0: no eval.json). Default 10. */
  evalEpisodes?: number;
}

/**
 * Writes a plausible PPO-on-CartPole run directory (config.json, metrics.jsonl via the Logger,
 * eval.json): return rising from ~20 toward 500 with seed-dependent speed and noise.
 */
export async function writeSyntheticRun(dir: string, o: SyntheticRunOptions): Promise<void> {
  const steps = o.stepsPerIteration ?? 2048;
  const iterations = o.iterations ?? 40;
  const rng = mulberry32(o.seed * 7919 + 13);
  const config = {
    algorithm: o.algorithm ?? 'PPO',
    envId: 'CartPole-v1',
    seed: o.seed,
    numEnvs: 8,
    totalTimesteps: steps * iterations,
    hyperparameters: {
      learningRate: 3e-4,
      nSteps: steps / 8,
      batchSize: 64,
      nEpochs: 10,
      gamma: 0.99,
      gaeLambda: 0.95,
      clipRange: 0.2,
      entCoef: 0,
      vfCoef: 0.5,
      maxGradNorm: 0.5,
      netArch: { pi: [64, 64], vf: [64, 64] },
    },
    backends: { core: o.backend ?? 'native', coreReason: null, tf: 'wasm' },
    machine: {
      cpus: 'Synthetic CPU @ 3.0GHz',
      cpuCount: 2,
      memoryGiB: 7.7,
      node: 'v20.20.2',
      platform: 'linux-x64',
    },
    startedAt: '2025-11-21T00:00:00.000Z',
  };
  writeFileSync(join(dir, 'config.json'), JSON.stringify(config, null, 2));
  const logger = new Logger(dir, { formats: ['jsonl', 'csv'] });
  const speed = 0.06 + 0.03 * rng();
  for (let it = 1; it <= iterations; it++) {
    const t = it * steps;
    const ret = 20 + 480 * (1 - Math.exp(-speed * it)) + 15 * (rng() - 0.5);
    const lr = 3e-4 * (1 - (it - 1) / iterations);
    logger.onIterationEnd({
      numTimesteps: t,
      metrics: {
        'time/iterations': it,
        'time/time_elapsed': it * 1.2,
        'time/fps': 1700 + 100 * rng(),
        'rollout/ep_rew_mean': it === 1 ? Number.NaN : ret,
        'rollout/ep_len_mean': it === 1 ? Number.NaN : ret,
        'train/policy_gradient_loss': -0.01 - 0.01 * rng() * Math.exp(-it / 20),
        'train/value_loss': 50 * Math.exp(-it / 15) + 2 * rng(),
        'train/entropy_loss': -0.69 + 0.3 * (1 - Math.exp(-it / 25)) + 0.01 * rng(),
        'train/approx_kl': 0.01 * Math.exp(-it / 30) + 0.002 * rng(),
        'train/clip_fraction': 0.1 * Math.exp(-it / 30) + 0.02 * rng(),
        'train/loss': 10 * Math.exp(-it / 15),
        'train/explained_variance': 1 - Math.exp(-it / 8) - 0.05 * rng(),
        'train/learning_rate': lr,
        'train/clip_range': 0.2,
      },
    });
  }
  await logger.close();
  const n = o.evalEpisodes ?? 10;
  if (n > 0) {
    const episodeRewards = Array.from({ length: n }, () => Math.min(500, 470 + 40 * rng()));
    const mean = episodeRewards.reduce((a, b) => a + b, 0) / n;
    const std = Math.sqrt(episodeRewards.reduce((a, b) => a + (b - mean) ** 2, 0) / n);
    writeFileSync(
      join(dir, 'eval.json'),
      JSON.stringify({
        nEvalEpisodes: n,
        deterministic: true,
        meanReward: mean,
        stdReward: std,
        episodeRewards,
        wallTime: 3.2,
        trainWallTime: iterations * 1.2,
      }),
    );
  }
}

/** Small deterministic PRNG for synthetic data. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A small benchmark results file: two kernels, several sizes and backends, one missing baseline. */
export const SAMPLE_BENCH: BenchmarkFile = {
  machine: { cpus: 'Synthetic CPU', cpuCount: 2, gpu: null, node: 'v20.20.2' },
  timestamp: '2025-11-21T00:00:00.000Z',
  results: [
    { kernel: 'gae', size: '128x8', backend: 'js', medianMs: 0.05 },
    { kernel: 'gae', size: '128x8', backend: 'native', medianMs: 0.01, baseline: 'js' },
    { kernel: 'gae', size: '1024x8192', backend: 'js', medianMs: 16.9 },
    { kernel: 'gae', size: '1024x8192', backend: 'native', medianMs: 4.2, baseline: 'js' },
    { kernel: 'gae', size: '1024x8192', backend: 'native-mt', medianMs: 1.2, baseline: 'js', ratio: 14.1 },
    { kernel: 'surrogate', size: '65536', backend: 'js', medianMs: 2 },
    { kernel: 'surrogate', size: '65536', backend: 'native', medianMs: 0.5, baseline: 'js' },
    { kernel: 'surrogate', size: '65536', backend: 'cuda', medianMs: 0.1, baseline: 'gpu-ref' },
  ],
};
