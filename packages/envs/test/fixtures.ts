/**
 * Locates and loads the Gymnasium fixtures committed beside this file (`test/fixtures/gymnasium`,
 * see its README), or those in the folder named by the environment variable PROXIMAL_FIXTURES.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The fixtures folder. */
export function fixturesDir(): string {
  return process.env.PROXIMAL_FIXTURES ?? path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');
}

/** One recorded episode (see fixtures/gymnasium/README.md). */
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
