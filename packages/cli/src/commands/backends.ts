import { backendInfo } from '@proximal/core';

/** One line naming the kernel backend in use and why native is off when it is. */
export function backendLine(tfBackend: string): { line: string; core: string; coreReason: string | null } {
  const info = backendInfo();
  const core = info.auto;
  const why = info.native.available
    ? `native ${info.native.version ?? ''}`.trim()
    : `js (native unavailable: ${info.native.reason})`;
  return {
    line: `backends: kernels=${why}; tfjs=${tfBackend}; cpu threads=${info.cpuThreads}`,
    core,
    coreReason: info.native.reason,
  };
}
