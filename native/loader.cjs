'use strict';
/**
 * Loads the compiled addon (build/Release/proximal_native.node). Never throws: a failed load is
 * reported as `{ addon: null, error }`, so that @proximal/core can fall back to its TypeScript
 * kernels and explain why in `backendInfo()`.
 *
 * Environment:
 *   PROXIMAL_NATIVE_PATH=<file>  load this .node file instead of the package's build
 *   PROXIMAL_DISABLE_NATIVE=1    do not load the addon at all
 */
const fs = require('node:fs');
const path = require('node:path');

const DEFAULT_PATH = path.join(__dirname, 'build', 'Release', 'proximal_native.node');
const BUILD_ERROR_PATH = path.join(__dirname, 'build', 'BUILD_ERROR.txt');
const REBUILD_HINT =
  'build it with `pnpm --filter @proximal/native build` (needs CMake and a C++17 compiler)';
const REQUIRED_FUNCTIONS = ['gae', 'gaeAsync', 'version'];

/** @type {{ addon: object | null, error: string | null, path: string } | undefined} */
let cached;

/** The first paragraph of build/BUILD_ERROR.txt (written by scripts/build.mjs), or null. */
function readBuildError() {
  try {
    const text = fs.readFileSync(BUILD_ERROR_PATH, 'utf8').trim();
    if (!text) return null;
    return `${text.split(/\n\s*\n/)[0].trim()} (full log: ${BUILD_ERROR_PATH})`;
  } catch {
    return null;
  }
}

function attemptLoad() {
  const envPath = process.env.PROXIMAL_NATIVE_PATH;
  const file = envPath ? path.resolve(envPath) : DEFAULT_PATH;
  if (process.env.PROXIMAL_DISABLE_NATIVE === '1') {
    return { addon: null, error: 'disabled by PROXIMAL_DISABLE_NATIVE=1', path: file };
  }
  if (!fs.existsSync(file)) {
    if (envPath) {
      return {
        addon: null,
        error: `PROXIMAL_NATIVE_PATH points to ${file}, which does not exist`,
        path: file,
      };
    }
    const buildError = readBuildError();
    const error =
      `the native addon is not built (${file} does not exist). ` +
      (buildError ? `The last build failed: ${buildError} ` : '') +
      `To use the C++ kernels, ${REBUILD_HINT}.`;
    return { addon: null, error, path: file };
  }
  try {
    const addon = require(file);
    const missing = REQUIRED_FUNCTIONS.filter((name) => typeof addon[name] !== 'function');
    if (missing.length > 0) {
      return {
        addon: null,
        error: `${file} loaded but does not export ${missing.join(', ')}: it is stale or not @proximal/native; rebuild it with \`pnpm --filter @proximal/native build\``,
        path: file,
      };
    }
    return { addon, error: null, path: file };
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    return {
      addon: null,
      error: `failed to load ${file}: ${message.split('\n')[0]}. Rebuild it for this Node.js/platform: ${REBUILD_HINT}.`,
      path: file,
    };
  }
}

/**
 * Loads the addon once and caches the outcome (environment variables are read on the first call).
 * @returns {{ addon: import('./index.js').NativeAddon | null, error: string | null, path: string }}
 */
function loadNative() {
  if (cached === undefined) {
    try {
      cached = attemptLoad();
    } catch (err) {
      // Defensive: attemptLoad handles its own errors, but loadNative must never throw.
      cached = {
        addon: null,
        error: `unexpected error while loading the addon: ${String(err)}`,
        path: DEFAULT_PATH,
      };
    }
  }
  return cached;
}

module.exports = { loadNative, defaultAddonPath: DEFAULT_PATH };
