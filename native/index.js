// ESM entry of @proximal/native: the same loader, and the same cached result, as `require`.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const loader = require('./loader.cjs');

export const loadNative = loader.loadNative;
export const defaultAddonPath = loader.defaultAddonPath;
