import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * Imports a user's module that registers custom environments (with `register` from
 * `@proximal/envs`, the same installation the CLI uses).
 * @returns the module's absolute path.
 * @throws Error naming the flag and the path when the import fails.
 */
export async function importEnvModule(path: string, flag = '--env-module'): Promise<string> {
  const abs = resolve(path);
  if (!existsSync(abs)) throw new Error(`${flag} ${path}: no such file (${abs})`);
  try {
    await import(pathToFileURL(abs).href);
  } catch (e) {
    throw new Error(`${flag} ${path}: importing ${abs} failed: ${(e as Error).message}`);
  }
  return abs;
}
