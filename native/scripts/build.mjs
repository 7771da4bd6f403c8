#!/usr/bin/env node
/**
 * Builds the @proximal/native addon (build/Release/proximal_native.node) with cmake-js.
 *
 *   node scripts/build.mjs               build (incremental; cmake-js `compile`)
 *   node scripts/build.mjs --rebuild     clean build (cmake-js `rebuild`)
 *   node scripts/build.mjs --if-missing  do nothing when the addon is already built (the install hook)
 *   node scripts/build.mjs --tests       build the C++ tests in build-tests/ and run ctest
 *
 * A failed addon build never fails the install: the reason is printed as one paragraph and written
 * to build/BUILD_ERROR.txt (which the loader reports), and the script exits 0 so that @proximal/core
 * falls back to its TypeScript kernels. Environment:
 *   PROXIMAL_REQUIRE_NATIVE=1     exit 1 when the addon cannot be built (CI, benchmarks)
 *   PROXIMAL_SKIP_NATIVE_BUILD=1  skip the build entirely
 * Works offline: with `binary.napi_versions` in package.json cmake-js takes the Node-API headers
 * from the node-api-headers package and downloads nothing.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const buildDir = path.join(root, 'build');
const addonPath = path.join(buildDir, 'Release', 'proximal_native.node');
const errorFile = path.join(buildDir, 'BUILD_ERROR.txt');
const testsDir = path.join(root, 'build-tests');
const rebuildCommand = 'pnpm --filter @proximal/native build';
const tag = '@proximal/native:';

const argv = process.argv.slice(2);
const known = new Set(['--if-missing', '--rebuild', '--tests', '--help', '-h']);
for (const a of argv) {
  if (!known.has(a)) {
    console.error(`${tag} unknown option ${a} (expected --if-missing, --rebuild, --tests)`);
    process.exit(2);
  }
}
const has = (flag) => argv.includes(flag);
const jobs = String(
  Math.max(1, typeof os.availableParallelism === 'function' ? os.availableParallelism() : 1),
);

if (has('--help') || has('-h')) {
  console.log(`usage: node scripts/build.mjs [--if-missing | --rebuild | --tests]
  (no option)   build build/Release/proximal_native.node (incremental)
  --rebuild     clean build
  --if-missing  do nothing when the addon is already built (the install hook)
  --tests       build the C++ tests in build-tests/ and run ctest
env: PROXIMAL_REQUIRE_NATIVE=1 (fail when the addon cannot be built), PROXIMAL_SKIP_NATIVE_BUILD=1 (skip)`);
  process.exit(0);
}

if (has('--tests')) {
  process.exit(await runCppTests());
}
process.exit(await buildAddon());

/** Builds the addon; returns the exit code (0 unless the build failed and PROXIMAL_REQUIRE_NATIVE=1). */
async function buildAddon() {
  if (process.env.PROXIMAL_SKIP_NATIVE_BUILD === '1') {
    console.log(`${tag} skipping the native build (PROXIMAL_SKIP_NATIVE_BUILD=1)`);
    return 0;
  }
  if (has('--if-missing') && fs.existsSync(addonPath)) {
    console.log(
      `${tag} ${path.relative(root, addonPath)} already built (run \`${rebuildCommand}\` to rebuild)`,
    );
    return 0;
  }

  const cmake = probe('cmake', ['--version']);
  if (!cmake.ok) {
    return fail(`CMake was not found on PATH (${cmake.error}); cmake-js needs CMake ≥ 3.15`, '');
  }

  let cmakeJs;
  try {
    const require = createRequire(path.join(root, 'package.json'));
    const pkgPath = require.resolve('cmake-js/package.json');
    const pkg = JSON.parse(fs.readFileSync(pkgPath, 'utf8'));
    const bin = typeof pkg.bin === 'string' ? pkg.bin : pkg.bin['cmake-js'];
    cmakeJs = path.join(path.dirname(pkgPath), bin);
  } catch (err) {
    return fail(
      `cmake-js could not be resolved from ${root} (${firstLine(err)}); run \`pnpm install\` first`,
      '',
    );
  }

  const command = has('--rebuild') ? 'rebuild' : 'compile';
  console.log(`${tag} building the C++ addon (cmake-js ${command}, ${cmake.version})`);
  const run = await runTee(
    process.execPath,
    [cmakeJs, command, '--directory', root, '--parallel', jobs],
    root,
  );
  if (run.code !== 0) {
    return fail(
      `cmake-js ${command} ${run.signal ? `was killed by ${run.signal}` : `exited with code ${run.code}`}: ${diagnose(run.output)}`,
      run.output,
    );
  }
  if (!fs.existsSync(addonPath)) {
    return fail(`the build succeeded but ${path.relative(root, addonPath)} was not produced`, run.output);
  }

  // Load it in a separate process: a binary that builds but does not load (wrong libstdc++, ...)
  // must not count as success, and must not crash this script.
  const smoke = spawnSync(
    process.execPath,
    [
      '-e',
      'const a = require(process.argv[1]); if (typeof a.gae !== "function") throw new Error("gae() is missing"); process.stdout.write(JSON.stringify(a.version()));',
      addonPath,
    ],
    { encoding: 'utf8' },
  );
  if (smoke.status !== 0) {
    const why = smoke.error
      ? smoke.error.message
      : (smoke.stderr || '')
          .trim()
          .split('\n')
          .find((l) => /Error/.test(l));
    return fail(
      `the addon was built but does not load (${why ?? `exit code ${smoke.status}`})`,
      smoke.stderr ?? '',
    );
  }
  fs.rmSync(errorFile, { force: true });
  let info = '';
  try {
    const v = JSON.parse(smoke.stdout);
    info = ` (v${v.version}, ${v.compiler}, simd ${v.simd ?? 'n/a'}, ${v.threads} threads)`;
  } catch {
    // version() output is informational only
  }
  console.log(`${tag} built ${path.relative(root, addonPath)}${info}`);
  return 0;
}

/** Records a failed build: one paragraph on stderr and in build/BUILD_ERROR.txt (with the log tail). */
function fail(reason, output) {
  const paragraph =
    `${tag} the C++ addon was not built: ${reason.replace(/[.\s]+$/, '')}. ` +
    'Proximal still works: @proximal/core falls back to its pure-TypeScript kernels (slower). ' +
    'To build the addon, install CMake ≥ 3.15 and a C++17 compiler (g++ ≥ 8, clang ≥ 7 or Visual Studio 2019+), ' +
    `then run \`${rebuildCommand}\`. Set PROXIMAL_REQUIRE_NATIVE=1 to make this failure fatal, ` +
    'or PROXIMAL_SKIP_NATIVE_BUILD=1 to skip the build.';
  const tail = output.trim().split('\n').slice(-40).join('\n');
  try {
    fs.mkdirSync(buildDir, { recursive: true });
    fs.writeFileSync(
      errorFile,
      `${paragraph}\n${tail ? `\nLast lines of the build output:\n${tail}\n` : ''}`,
    );
  } catch (err) {
    console.error(`${tag} could not write ${errorFile}: ${firstLine(err)}`);
  }
  console.error(`\n${paragraph}\n(details: ${errorFile})\n`);
  return process.env.PROXIMAL_REQUIRE_NATIVE === '1' ? 1 : 0;
}

/** The most informative line(s) of a failed cmake-js run. */
function diagnose(output) {
  // `cmake-js compile` retries a failed build with a clean rebuild: only the last attempt counts.
  const lastAttempt = output.lastIndexOf('INFO CMD CLEAN');
  const lines = (lastAttempt >= 0 ? output.slice(lastAttempt) : output).split('\n').map((l) => l.trim());
  const clip = (text) => (text.length > 400 ? `${text.slice(0, 400)}…` : text);
  // "CMake Error at <file>:<line> (message):" is followed by the message itself (indented lines).
  const cmakeAt = lines.findIndex((l) => /^CMake Error at .*\(message\):?$/.test(l));
  if (cmakeAt >= 0) {
    const body = [];
    for (
      let i = cmakeAt + 1;
      i < lines.length && !/^Call Stack/.test(lines[i]) && !/^CMake Error/.test(lines[i]);
      i++
    ) {
      if (lines[i]) body.push(lines[i]);
    }
    if (body.length) return clip(`CMake error: ${body.join(' ')}`);
  }
  const patterns = [
    /No CMAKE_CXX_COMPILER could be found/,
    /CMake Error/,
    /fatal error/i,
    /: error: /, // compiler diagnostics (file:line:col: error: ...)
    /\berror\b/i,
  ];
  for (const re of patterns) {
    const line = lines.find((l) => re.test(l) && !/^ERROR OMG/.test(l));
    if (line) return clip(line);
  }
  return 'see the build output above';
}

/** Runs a command, mirroring its output to ours and keeping the last 256 KiB of it. */
function runTee(cmd, args, cwd) {
  return new Promise((resolve) => {
    let output = '';
    const keep = (chunk, stream) => {
      stream.write(chunk);
      output += chunk.toString();
      if (output.length > 262144) output = output.slice(-262144);
    };
    let child;
    try {
      child = spawn(cmd, args, { cwd, env: process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (err) {
      resolve({ code: 1, signal: null, output: firstLine(err) });
      return;
    }
    child.stdout.on('data', (c) => keep(c, process.stdout));
    child.stderr.on('data', (c) => keep(c, process.stderr));
    child.on('error', (err) => resolve({ code: 1, signal: null, output: `${output}\n${firstLine(err)}` }));
    child.on('close', (code, signal) => resolve({ code: code ?? 1, signal, output }));
  });
}

/** Whether `cmd args` runs; with its first output line as `version`. */
function probe(cmd, args) {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  if (r.error)
    return { ok: false, error: r.error.code === 'ENOENT' ? `${cmd}: command not found` : r.error.message };
  if (r.status !== 0) return { ok: false, error: `${cmd} ${args.join(' ')} exited with code ${r.status}` };
  return { ok: true, version: (r.stdout || '').split('\n')[0].trim() };
}

function firstLine(err) {
  return (err instanceof Error ? err.message : String(err)).split('\n')[0];
}

/** --tests: configure build-tests/ with the C++ tests, build, run ctest. Returns the exit code. */
async function runCppTests() {
  const steps = [
    ['cmake', ['-S', root, '-B', testsDir, '-DPROXIMAL_BUILD_TESTS=ON', '-DCMAKE_BUILD_TYPE=Release']],
    ['cmake', ['--build', testsDir, '--parallel', jobs]],
    ['ctest', ['--output-on-failure'], testsDir],
  ];
  for (const [cmd, args, cwd] of steps) {
    console.log(`${tag} $ ${cmd} ${args.join(' ')}`);
    const r = spawnSync(cmd, args, { cwd: cwd ?? root, stdio: 'inherit' });
    if (r.error) {
      console.error(
        `${tag} could not run ${cmd}: ${r.error.code === 'ENOENT' ? 'command not found' : r.error.message}`,
      );
      return 1;
    }
    if (r.status !== 0) {
      console.error(`${tag} ${cmd} failed (exit code ${r.status ?? r.signal})`);
      return r.status || 1;
    }
  }
  return 0;
}
