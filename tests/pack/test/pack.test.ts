// Single-package installs: every public @proximal/* package is packed with `pnpm pack` (which rewrites
// workspace:^ ranges to versions) and installed from the tarballs into fresh projects with plain npm,
// outside the workspace. Each scenario installs only the @proximal tarballs it needs, in one
// `npm install`, so that @proximal dependencies resolve to the local tarballs and nothing else.
//
// Slow scenarios (TensorFlow.js installs, a short PPO run, the CLI, tsc) need the npm registry or a
// warm npm cache; without either they are skipped with the reason. PROXIMAL_PACK_QUICK=1 skips them.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { check, createProject, npmInstall, pack, publicPackages, run, runModule } from './helpers.js';

const quick = process.env.PROXIMAL_PACK_QUICK === '1';
const work = mkdtempSync(join(tmpdir(), 'proximal-pack-'));
const tarballs = new Map<string, string>();
let registryReachable = false;
/** Without the registry, installs may still succeed from the npm cache. */
let offlineArgs: string[] = [];

const tgz = (...names: string[]) =>
  names.map((n) => {
    const t = tarballs.get(`@proximal/${n}`);
    if (!t) throw new Error(`no tarball for @proximal/${n}`);
    return t;
  });

function timed<T>(label: string, fn: () => T): T {
  const t0 = performance.now();
  try {
    return fn();
  } finally {
    console.log(`pack: ${label} took ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  }
}

beforeAll(() => {
  const dest = join(work, 'tarballs');
  timed('pnpm pack (all public packages)', () => {
    for (const p of publicPackages()) tarballs.set(p.name, pack(p, dest));
  });
  const ping = spawnSync('npm', ['ping'], { encoding: 'utf8', timeout: 30_000 });
  registryReachable = ping.status === 0;
  if (!registryReachable) {
    offlineArgs = ['--offline'];
    console.log('pack: npm registry unreachable; slow scenarios install from the npm cache or skip');
  }
});

afterAll(() => {
  if (process.env.PROXIMAL_PACK_KEEP !== '1') rmSync(work, { recursive: true, force: true });
  else console.log(`pack: kept ${work}`);
});

/** Installs, or skips the test with the reason when the registry and the cache both fail. */
function installOrSkip(
  ctx: { skip: (note?: string) => void },
  dir: string,
  specs: string[],
  extra: string[] = [],
): void {
  try {
    npmInstall(dir, specs, [...offlineArgs, ...extra]);
  } catch (err) {
    if (registryReachable) throw err;
    ctx.skip(`npm registry unreachable and the npm cache lacks a dependency: ${String(err).split('\n')[0]}`);
  }
}

describe('packed tarballs', () => {
  it('packs every public package, with workspace ranges rewritten', () => {
    expect([...tarballs.keys()].sort()).toEqual(
      expect.arrayContaining([
        '@proximal/algorithms',
        '@proximal/cli',
        '@proximal/core',
        '@proximal/envs',
        '@proximal/native',
        '@proximal/report',
        '@proximal/rlhf',
      ]),
    );
    for (const [name, file] of tarballs) {
      const manifest = check(run('tar', ['-xzOf', file, 'package/package.json'], work), `tar ${file}`).stdout;
      expect(manifest, `${name}'s packed package.json`).not.toContain('workspace:');
      const files = check(run('tar', ['-tzf', file], work), `tar -t ${file}`).stdout;
      if (name !== '@proximal/native') expect(files, name).toContain('package/dist/index.js');
    }
  });
});

describe('single-package installs', () => {
  it('@proximal/core alone: TypeScript kernels, native reported unavailable', () => {
    const dir = createProject(join(work, 'core'));
    // --omit=optional: core's optional @proximal/native must not be fetched from the registry
    timed('npm install core', () => npmInstall(dir, tgz('core'), ['--omit=optional']));
    expect(existsSync(join(dir, 'node_modules', '@proximal', 'native'))).toBe(false);
    const out = runModule<{ auto: string; native: { available: boolean; reason: string }; adv: number[] }>(
      dir,
      'core.mjs',
      `import { backendInfo, gae } from '@proximal/core';
const { advantages } = gae({
  rewards: new Float32Array([1, 1]), values: new Float32Array([0, 0]),
  terminated: new Uint8Array([0, 1]), bootstrapValues: new Float32Array([0]),
  numEnvs: 1, gamma: 0.5, lambda: 1,
});
const info = backendInfo();
console.log(JSON.stringify({ auto: info.auto, native: info.native, adv: Array.from(advantages) }));
`,
    );
    expect(out.adv).toEqual([1.5, 1]);
    expect(out.auto).toBe('js');
    expect(out.native.available).toBe(false);
    expect(out.native.reason).toMatch(/@proximal\/native/);
  });

  it('@proximal/core + @proximal/native: native GAE matches the TypeScript reference', (ctx) => {
    const nativeTgz = tgz('native')[0];
    const listing = check(run('tar', ['-tzf', nativeTgz], work), 'tar -t native').stdout;
    const prebuilt = listing.includes('package/build/Release/proximal_native.node');
    const hasCmake = spawnSync('cmake', ['--version']).status === 0;
    if (!prebuilt && !hasCmake) {
      ctx.skip('the native tarball has no built addon (build native first) and cmake is not installed');
    }
    const dir = createProject(join(work, 'native'));
    timed(
      `npm install core native (${prebuilt ? 'prebuilt addon in the tarball' : 'building from source'})`,
      () => installOrSkip(ctx, dir, tgz('core', 'native')),
    );
    const out = runModule<{ available: boolean; reason: string | null; auto: string; same: boolean }>(
      dir,
      'native.mjs',
      `import { backendInfo, gae } from '@proximal/core';
const n = 4096, N = 8;
const r = new Float32Array(n).map((_, i) => Math.sin(i));
const v = new Float32Array(n).map((_, i) => Math.cos(i));
const term = new Uint8Array(n).map((_, i) => (i % 97 === 0 ? 1 : 0));
const args = { rewards: r, values: v, nextValues: v, terminated: term, numEnvs: N, gamma: 0.99, lambda: 0.95 };
const a = gae(args, { backend: 'native' });
const b = gae(args, { backend: 'js' });
const same = a.advantages.every((x, i) => Object.is(x, b.advantages[i]));
const info = backendInfo();
console.log(JSON.stringify({ available: info.native.available, reason: info.native.reason, auto: info.auto, same }));
`,
    );
    expect(out.reason).toBeNull();
    expect(out.available).toBe(true);
    expect(out.auto).toBe('native');
    expect(out.same).toBe(true);
  });

  it('@proximal/envs alone: make CartPole-v1, reset, step', () => {
    const dir = createProject(join(work, 'envs'));
    timed('npm install envs', () => npmInstall(dir, tgz('core', 'envs'), ['--omit=optional']));
    const out = runModule<{ obs: number[]; reward: number; terminated: boolean; ids: string[] }>(
      dir,
      'envs.mjs',
      `import { make, registeredIds } from '@proximal/envs';
const env = make('CartPole-v1');
const { observation } = env.reset({ seed: 1 });
const step = env.step(1);
console.log(JSON.stringify({ obs: Array.from(observation), reward: step.reward, terminated: step.terminated, ids: registeredIds() }));
`,
    );
    expect(out.obs).toHaveLength(4);
    expect(out.reward).toBe(1);
    expect(out.terminated).toBe(false);
    expect(out.ids).toContain('CartPole-v1');
  });

  it('@proximal/envs-mujoco: the import registers the MuJoCo envs; make HalfCheetah-v5, step', (ctx) => {
    const dir = createProject(join(work, 'envs-mujoco'));
    timed('npm install envs-mujoco', () =>
      installOrSkip(ctx, dir, tgz('core', 'envs', 'envs-mujoco'), ['--omit=optional']),
    );
    const out = runModule<{ obs: number; x: number; ids: string[] }>(
      dir,
      'mujoco.mjs',
      `import '@proximal/envs-mujoco';
import { make, registeredIds } from '@proximal/envs';
const env = make('HalfCheetah-v5');
const { observation } = env.reset({ seed: 1 });
const step = env.step(new Float32Array(6));
console.log(JSON.stringify({ obs: observation.length, x: step.info.x_position, ids: registeredIds() }));
`,
    );
    expect(out.obs).toBe(17);
    expect(Number.isFinite(out.x)).toBe(true);
    expect(out.ids).toEqual(expect.arrayContaining(['HalfCheetah-v5', 'Hopper-v5', 'CartPole-v1']));
  });

  it.skipIf(quick)('@proximal/algorithms: a few PPO updates on CartPole-v1', (ctx) => {
    const dir = createProject(join(work, 'algorithms'));
    timed('npm install algorithms (TensorFlow.js from the registry/cache)', () =>
      installOrSkip(ctx, dir, tgz('core', 'envs', 'algorithms'), ['--omit=optional']),
    );
    const out = timed('3 PPO iterations', () =>
      runModule<{
        iterations: number;
        numTimesteps: number;
        action: number;
        batch: number[];
        tfBackend: string;
      }>(
        dir,
        'ppo.mjs',
        `import { PPO } from '@proximal/algorithms';
const model = await PPO.create({ env: 'CartPole-v1', numEnvs: 2, nSteps: 64, batchSize: 64, nEpochs: 2, seed: 1 });
await model.learn({ totalTimesteps: 384 });
const action = model.predict(new Float32Array([0, 0, 0.01, 0]), { deterministic: true });
const batch = model.predict(new Float32Array([0, 0, 0.01, 0, 0, 0, -0.01, 0]), { deterministic: true });
console.log(JSON.stringify({ iterations: model.iterations, numTimesteps: model.numTimesteps, action, batch: Array.from(batch), tfBackend: model.tfBackend }));
`,
      ),
    );
    expect(out.iterations).toBe(3);
    expect(out.numTimesteps).toBe(384);
    expect(out.tfBackend).toBe('wasm');
    // one observation: one Discrete action (what Env.step takes); a batch: one action per row
    expect([0, 1]).toContain(out.action);
    expect(out.batch).toHaveLength(2);
    for (const a of out.batch) expect([0, 1]).toContain(a);
  });

  it.skipIf(quick)('@proximal/rlhf: a tiny transformer generates, and one GRPO step runs', (ctx) => {
    const dir = createProject(join(work, 'rlhf'));
    timed('npm install rlhf (TensorFlow.js from the registry/cache)', () =>
      installOrSkip(ctx, dir, tgz('core', 'rlhf'), ['--omit=optional']),
    );
    const out = runModule<{ seqLen: number; step: number; backend: string }>(
      dir,
      'rlhf.mjs',
      `import { CausalTransformer, CharTokenizer, GRPOTrainer, initTf } from '@proximal/rlhf';
const backend = await initTf();
const tokenizer = new CharTokenizer('ab');
const model = new CausalTransformer({ vocabSize: tokenizer.vocabSize, dModel: 16, nHeads: 2, nLayers: 1, maxSeqLen: 8 });
const gen = model.generate({ prompts: [tokenizer.encode('a', { addBos: true })], maxNewTokens: 3, seed: 1 });
const trainer = new GRPOTrainer({
  model,
  tokenizer,
  rewardFuncs: (completions) => completions.map((c) => (c.startsWith('a') ? 1 : 0)),
  trainDataset: [{ prompt: 'a' }, { prompt: 'b' }],
  args: { numGenerations: 4, batchSize: 8, maxCompletionLength: 3, learningRate: 0.01 },
});
const log = trainer.step();
console.log(JSON.stringify({ seqLen: gen.seqLen, step: log.step, backend }));
`,
    );
    expect(out.seqLen).toBeGreaterThan(0);
    expect(out.step).toBe(1);
    expect(out.backend).toBe('wasm');
  });

  it.skipIf(quick)(
    'everything + TypeScript: the proximal CLI trains, and a TS consumer type-checks',
    (ctx) => {
      const dir = createProject(join(work, 'cli'));
      timed('npm install all packages + typescript', () =>
        installOrSkip(ctx, dir, [
          ...tgz('core', 'native', 'envs', 'algorithms', 'distributed', 'report', 'cli'),
          'typescript@5.9.3',
          '@types/node@^20.19.0',
        ]),
      );
      const train = timed('npx proximal train', () =>
        check(
          run(
            'npx',
            [
              '--no',
              'proximal',
              'train',
              'ppo',
              'CartPole-v1',
              '--timesteps',
              '512',
              '--eval-episodes',
              '1',
              '--no-report',
            ],
            dir,
          ),
          'npx proximal train',
        ),
      );
      expect(train.stdout).toContain('proximal train ppo CartPole-v1');
      const runs = readdirSync(join(dir, 'runs'));
      expect(runs).toHaveLength(1);
      const runDir = join(dir, 'runs', runs[0]);
      for (const f of ['config.json', 'metrics.jsonl', 'eval.json'])
        expect(existsSync(join(runDir, f)), f).toBe(true);
      expect(existsSync(join(runDir, 'report.html'))).toBe(false);
      const evalJson = JSON.parse(readFileSync(join(runDir, 'eval.json'), 'utf8')) as Record<string, unknown>;
      expect(evalJson).toBeTypeOf('object');

      writeFileSync(
        join(dir, 'tsconfig.json'),
        JSON.stringify({
          compilerOptions: {
            target: 'ES2022',
            module: 'NodeNext',
            moduleResolution: 'NodeNext',
            strict: true,
            noEmit: true,
            types: ['node'],
            skipLibCheck: true, // TensorFlow.js's own .d.ts files do not pass strict checks
          },
          include: ['consumer.ts'],
        }),
      );
      writeFileSync(
        join(dir, 'consumer.ts'),
        `import { PPO, evaluatePolicy, type PpoOptions } from '@proximal/algorithms';
import { program } from '@proximal/cli';
import { backendInfo, gae, type BackendInfo, type GaeResult } from '@proximal/core';
import { make, type StepResult } from '@proximal/envs';
import { loadNative, type NativeLoadResult } from '@proximal/native';
import { Logger, writeReport, type ReportResult } from '@proximal/report';

const options: PpoOptions = { env: 'CartPole-v1', numEnvs: 2, nSteps: 32, batchSize: 64 };
const info: BackendInfo = backendInfo();
const result: GaeResult = gae({
  rewards: new Float32Array(2), values: new Float32Array(2), terminated: new Uint8Array(2),
  bootstrapValues: new Float32Array(1), numEnvs: 1, gamma: 0.99, lambda: 0.95,
});
const env = make('CartPole-v1');
const step: StepResult<Float32Array> = env.step(0);
const load: NativeLoadResult = loadNative();
export async function main(): Promise<ReportResult> {
  const model = await PPO.create(options);
  await model.learn({ totalTimesteps: 64 });
  const { meanReward }: { meanReward: number } = await evaluatePolicy(model, env, { nEvalEpisodes: 1 });
  const logger: Logger | null = null;
  console.log(info.auto, result.advantages.length, step.reward, load.error, meanReward, logger, program().name());
  return writeReport(['runs']);
}
`,
      );
      timed('tsc --noEmit (consumer.ts)', () =>
        check(
          run(process.execPath, [join(dir, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', '.'], dir),
          'tsc --noEmit on consumer.ts',
        ),
      );
    },
  );
});
