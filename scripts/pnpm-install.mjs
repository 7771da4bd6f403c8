// Installs the workspace with the pinned pnpm and a frozen lockfile.
import { pnpm } from './pnpm.mjs';

process.exit(pnpm(['install', '--frozen-lockfile']));
