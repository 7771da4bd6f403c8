export type { CgOptions, CgResult } from './cg.js';
export { conjugateGradient } from './cg.js';
export type { CgFisherOptions, FisherOptions } from './fvp.js';
export {
  conjugateGradientFisher,
  conjugateGradientFisherAsync,
  conjugateGradientFisherReference,
  fisherVectorProduct,
  fisherVectorProductAsync,
  fisherVectorProductReference,
} from './fvp.js';
export type { GsdeDistributions, GsdeShape } from './gsde.js';
export {
  GSDE_EPSILON,
  GsdeFisher,
  gaussianLogProb,
  gaussianMeanKl,
  gsdeDistributions,
  gsdeLogStdSize,
  gsdeSigma,
  gsdeStd,
  gsdeSurrogateAndKl,
} from './gsde.js';
export type { LineSearchOptions, SurrogateAndKlArgs } from './kl.js';
export {
  meanKl,
  meanKlAsync,
  meanKlReference,
  policyLogProbs,
  surrogateAndKl,
  surrogateAndKlAsync,
  surrogateAndKlReference,
} from './kl.js';
export type { MlpPolicy, MlpPolicyShape, PolicyHead } from './policy.js';
export { policyParamCount } from './policy.js';
