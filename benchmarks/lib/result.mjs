import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, totalmem } from 'node:os';
import { backendInfo } from '@proximal/core';

/** The machine a benchmark ran on (recorded with every result). */
export function machine() {
  const info = backendInfo();
  return {
    cpu: cpus()[0]?.model ?? 'unknown',
    cpuCount: cpus().length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    nativeAddon: info.native.available ? info.native.version : `unavailable: ${info.native.reason}`,
  };
}

/** Writes `results/<name>.json` next to this folder. */
export async function writeResult(name, data) {
  const dir = new URL('../results/', import.meta.url);
  await mkdir(dir, { recursive: true });
  const file = new URL(`${name}.json`, dir);
  await writeFile(
    file,
    `${JSON.stringify({ benchmark: name, timestamp: new Date().toISOString(), ...data }, null, 2)}\n`,
  );
  console.log(`wrote ${file.pathname}`);
}

/** A speed-up for the console: one decimal, or two significant digits below 0.1 (slow rows). */
export function fmtRatio(x) {
  return x >= 0.1 ? x.toFixed(1) : x.toPrecision(2);
}
