/**
 * atomenv: atomic-environment descriptors for machine-learning interatomic potentials.
 * This entry works in every JavaScript runtime; `atomenv` in Node adds file reading.
 */
export { init, wasmBytes, type InitOptions, type Runtime } from './wasm/loader.js';
export { releaseMemory } from './wasm/loader.js';
export { AtomenvError, type AtomenvErrorCode, type ErrorLocation } from './errors.js';
export type { Structure, Cell, NormalizedStructure } from './structure/structure.js';
export { normalizeStructure } from './structure/structure.js';
export { atomicNumber, elementSymbol } from './structure/elements.js';
export { ACSF, type ACSFCreateOptions, type ACSFDerivativesOptions } from './acsf/acsf.js';
export type { ACSFOptions, ACSFParams } from './acsf/params.js';
export { SOAP, type SOAPCreateOptions, type SOAPValues } from './soap/soap.js';
export type {
  SOAPOptions, SOAPParams, SOAPRadialBasis, SOAPAverage, SOAPCompressionMode, SOAPDtype,
  SOAPWeightingOptions, SOAPCompressionOptions, SOAPCutoffOptions,
} from './soap/params.js';
export type { CenterSpec } from './descriptors/centers.js';
export type { DescriptorValues, WithDerivatives } from './descriptors/results.js';
export type { DenseDerivatives, SparseDerivatives, DerivativesLayout } from './gradients/atomGradients.js';
export { neighborList, type NeighborListOptions } from './neighbors/neighbors.js';
export type { NeighborList } from './neighbors/neighborList.js';
export { parseStructures } from './io/parseStructures.js';
export { detectFormat, type StructureFormat } from './io/formats.js';
export type { ParsedStructure } from './io/parsedStructure.js';
export { encodeNpy, decodeNpy, type NpyDtype, type NpyArray } from './io/npy.js';
export { encodeJsonArray, stringifyJson, type JsonArray } from './io/json.js';
export { localKernel } from './similarity/localKernel.js';
export { averageKernel } from './similarity/averageKernel.js';
export { rematchKernel } from './similarity/rematchKernel.js';
export type { LocalKernelMetric, LocalKernelOptions, GlobalKernelOptions, REMatchKernelOptions } from './similarity/options.js';
export type { EnvironmentFeatures } from './similarity/features.js';
export type { SimilarityMatrix } from './similarity/similarityMatrix.js';
export { createPool, type CreatePoolOptions } from './pool/createPool.js';
export { Pool, type PoolDescriptor, type PoolInput, type PoolItem, type PoolResult, type PoolComputeOptions, type PoolOptions } from './pool/pool.js';
export type { WorkerJob, JobError, JobOutcome, StructureText, DescriptorConfig } from './worker/service.js';
export type { SOAPBackward, SOAPDerivativesOptions, SOAPWithDerivatives } from './soap/soap.js';
export { SymmetryFunctions, type SymmetryFunctionsOptions, type SymmetryFunctionsCreateOptions, type SymmetryFunctionsDerivativesOptions } from './n2p2/symmetryFunctions.js';
export type { SymmetryFunctionSpec, SymmetryFunctionType, CompactSubtype } from './n2p2/symmetryFunctionSpec.js';
export { parseInputNn, type N2p2Settings, type NetworkLayout, type Normalization, type ScalingType, type ActivationLetter } from './n2p2/inputNn.js';
export { parseScalingData, type SymmetryFunctionStatistics } from './n2p2/scalingData.js';
export { parseWeights } from './n2p2/weightsData.js';
export { N2p2Potential, loadPotential, type PotentialFiles, type PotentialResult, type PotentialInputs } from './n2p2/potential.js';
export { runMD, BOHR_IN_ANGSTROM, HARTREE_IN_EV, type MDOptions, type MDState, type MDPotential } from './md/runMD.js';
export { formatExtxyzFrame, type ExtxyzArrays, type ExtxyzInfo } from './io/extxyzWriter.js';
export { atomicMass } from './md/masses.js';
export { CACE, type CACECreateOptions, type CACEAtomicBasis, type CACEEnergy } from './cace/cace.js';
export type { CACEOptions, CACEParams, CACERadialBasis, CACECutoffFn, CACEReadoutOptions, CACEMessageType, CACEWeights } from './cace/options.js';
export type { CACEModelFile } from './cace/modelFile.js';
export { combinePotentialParts, type PotentialPart } from './n2p2/potential.js';
export { SPLIT_MIN_ATOMS, type PoolEnergyModel, type PoolEnergyOptions } from './pool/pool.js';
export { runMDAsync, type AsyncMDPotential, type MDAsyncOptions } from './md/runMD.js';
