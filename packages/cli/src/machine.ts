import { cpus, totalmem } from 'node:os';

/** Facts about this machine, recorded with every run and benchmark. */
export function machineInfo(): {
  cpus: string;
  cpuCount: number;
  memoryGiB: number;
  node: string;
  platform: string;
} {
  const c = cpus();
  return {
    cpus: c[0]?.model ?? 'unknown',
    cpuCount: c.length,
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
  };
}
