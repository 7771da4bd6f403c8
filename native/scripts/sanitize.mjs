#!/usr/bin/env node
/**
 * Runs the native kernels under AddressSanitizer + UndefinedBehaviorSanitizer.
 *
 *   node scripts/sanitize.mjs            C++ tests, then the native and core Vitest suites
 *   node scripts/sanitize.mjs --no-js    only the C++ tests
 *
 * 1. Builds the C++ tests with -DPROXIMAL_SANITIZE=address,undefined (-fsanitize=address,undefined
 *    on every target, see CMakeLists.txt) in build-tests-asan/ and runs ctest.
 * 2. Builds the addon the same way in build-asan/ (cmake-js --out; build/ is left alone).
 * 3. Runs this package's Vitest suites and @proximal/core's with PROXIMAL_NATIVE_PATH pointing at
 *    build-asan/Release/proximal_native.node and LD_PRELOAD set to the compiler's libasan (the
 *    ASan runtime must be loaded before anything else, and node is not linked against it).
 *
 * ASAN_OPTIONS=detect_leaks=0 (Node itself does not free everything at exit) and
 * UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 (with -fno-sanitize-recover, any finding aborts
 * the process, so the run fails). The suites run with PROXIMAL_REQUIRE_NATIVE=1, so they fail rather
 * than skip if the sanitized addon does not load. Needs GCC or Clang with the sanitizer runtimes.
 * Part of the package's `test` script (about 2 min from scratch on 2 cores; the sanitized builds use -O1); it skips (exit 0) on
 * a platform other than Linux, without cmake, or with PROXIMAL_SKIP_SANITIZE=1 — except that
 * PROXIMAL_REQUIRE_NATIVE=1 in the environment turns those skips into failures.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const coreDir = path.resolve(root, '..', 'packages', 'core');
const addonDir = path.join(root, 'build-asan');
const testsDir = path.join(root, 'build-tests-asan');
const addonPath = path.join(addonDir, 'Release', 'proximal_native.node');
const tag = '@proximal/native sanitize:';
const jobs = String(Math.max(1, os.availableParallelism?.() ?? 1));
// CMakeLists.txt turns this into -fsanitize=address,undefined -fno-sanitize-recover=undefined
// -fno-omit-frame-pointer -g on every target (cmake-js overrides CMAKE_CXX_FLAGS, so no flags here).
const sanitize = 'address,undefined';
const noJs = process.argv.includes('--no-js');

const env = {
  ...process.env,
  ASAN_OPTIONS: 'detect_leaks=0',
  UBSAN_OPTIONS: 'halt_on_error=1:print_stacktrace=1',
};

function run(cmd, args, options = {}) {
  console.log(`${tag} $ ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env, ...options });
  if (r.error) {
    console.error(`${tag} could not run ${cmd}: ${r.error.message}`);
    process.exit(1);
  }
  if (r.status !== 0) {
    console.error(`${tag} ${cmd} failed (${r.status ?? r.signal})`);
    process.exit(r.status || 1);
  }
}

/** Skips (exit 0) where the sanitizers cannot run, unless PROXIMAL_REQUIRE_NATIVE=1 makes that an error. */
function skip(reason) {
  if (process.env.PROXIMAL_REQUIRE_NATIVE === '1') {
    console.error(`${tag} cannot run (${reason}) and PROXIMAL_REQUIRE_NATIVE=1`);
    process.exit(1);
  }
  console.warn(`${tag} skipped: ${reason}`);
  process.exit(0);
}
if (process.env.PROXIMAL_SKIP_SANITIZE === '1') skip('PROXIMAL_SKIP_SANITIZE=1');
if (process.platform !== 'linux')
  skip(`ASan via LD_PRELOAD is set up for Linux only (this is ${process.platform})`);
if (spawnSync('cmake', ['--version']).status !== 0) skip('cmake was not found');

const started = Date.now();

// 1. C++ tests.
run('cmake', [
  '-S',
  root,
  '-B',
  testsDir,
  '-DPROXIMAL_BUILD_TESTS=ON',
  '-DCMAKE_BUILD_TYPE=RelWithDebInfo',
  `-DPROXIMAL_SANITIZE=${sanitize}`,
]);
run('cmake', ['--build', testsDir, '--parallel', jobs]);
run('ctest', ['--output-on-failure'], { cwd: testsDir });
if (noJs) process.exit(0);

// 2. The addon.
const require = createRequire(path.join(root, 'package.json'));
const pkgPath = require.resolve('cmake-js/package.json');
const pkg = JSON.parse(fs.readFileSync(pkgPath, 'utf8'));
const cmakeJs = path.join(path.dirname(pkgPath), typeof pkg.bin === 'string' ? pkg.bin : pkg.bin['cmake-js']);
run(process.execPath, [
  cmakeJs,
  'compile',
  '--directory',
  root,
  '--out',
  addonDir,
  '--config',
  'Release',
  '--parallel',
  jobs,
  `--CDPROXIMAL_SANITIZE=${sanitize}`,
]);
// A build that is not instrumented would pass silently: check for the ASan/UBSan entry points.
const syms = spawnSync('readelf', ['--dyn-syms', '-W', addonPath], { encoding: 'utf8' });
if (syms.status === 0 && !/__asan_report|__ubsan_handle/.test(syms.stdout)) {
  console.error(`${tag} ${addonPath} is not instrumented (no __asan_/__ubsan_ symbols)`);
  process.exit(1);
}
if (!fs.existsSync(addonPath)) {
  console.error(`${tag} ${addonPath} was not produced`);
  process.exit(1);
}

// 3. The Vitest suites against the sanitized addon.
const cxx = process.env.CXX || 'g++';
const libasan = spawnSync(cxx, ['-print-file-name=libasan.so'], { encoding: 'utf8' }).stdout?.trim();
if (!libasan || !path.isAbsolute(libasan) || !fs.existsSync(libasan)) {
  console.error(
    `${tag} could not find libasan.so with \`${cxx} -print-file-name=libasan.so\` (got ${libasan})`,
  );
  process.exit(1);
}
const jsEnv = {
  ...env,
  LD_PRELOAD: libasan,
  PROXIMAL_NATIVE_PATH: addonPath,
  PROXIMAL_REQUIRE_NATIVE: '1',
};
const vitest = path.join(
  path.dirname(createRequire(path.join(root, 'package.json')).resolve('vitest/package.json')),
  'vitest.mjs',
);
run(process.execPath, [vitest, 'run'], { env: jsEnv });
run(
  process.execPath,
  [
    vitest,
    'run',
    'test/gae.test.ts',
    'test/gae-tokens.test.ts',
    'test/surrogate-parity.test.ts',
    'test/fisher.test.ts',
    'test/line-search-parity.test.ts',
  ],
  { cwd: coreDir, env: jsEnv },
);
console.log(`${tag} no sanitizer findings (${((Date.now() - started) / 1000).toFixed(0)} s)`);
