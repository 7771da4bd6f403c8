/**
 * Locates and loads the shared Gymnasium fixtures (`<repo>/../shared/fixtures`, or the folder in
 * the environment variable PROXIMAL_FIXTURES).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The folder holding pnpm-workspace.yaml, found by walking up from this file. */
export function repoRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (fs.existsSync(path.join(dir, 'pnpm-workspace.yaml'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('pnpm-workspace.yaml not found above the test folder');
    dir = parent;
  }
}

/** The fixtures folder. */
export function fixturesDir(): string {
  return process.env.PROXIMAL_FIXTURES ?? path.resolve(repoRoot(), '../shared/fixtures');
}

/** One recorded episode (see fixtures/README.md). */
export interface FixtureEpisode {
  seed: number;
  initial_state: number[];
  states: number[][];
  actions: (number | number[])[];
  observations: number[][];
  rewards: number[];
  terminated: boolean[];
  truncated: boolean[];
}

/** A fixture file: `gymnasium/<envId>.json`. */
export interface GymnasiumFixture {
  env_id: string;
  gymnasium_version: string;
  episodes: FixtureEpisode[];
}

/**
 * Loads `gymnasium/<envId>.json`.
 * @throws Error naming the path and PROXIMAL_FIXTURES when the file is missing.
 */
export function loadGymnasiumFixture(envId: string): GymnasiumFixture {
  const file = path.join(fixturesDir(), 'gymnasium', `${envId}.json`);
  if (!fs.existsSync(file)) {
    throw new Error(`fixture ${file} not found; set PROXIMAL_FIXTURES to the fixtures folder`);
  }
  return JSON.parse(fs.readFileSync(file, 'utf8')) as GymnasiumFixture;
}
