// Entry point of the atomenv wasm module: every exported kernel takes byte offsets into
// linear memory (laid out by src/wasm/arena.ts) and never allocates.
export { heapBase } from './memory';
export { buildNeighborList } from './neighbors/cellList';
export { acsfCompute, acsfWorkSize } from './acsf/acsf';
export { scatterPairGradients } from './gradients/scatter';
export { realSphericalHarmonics, realSphericalHarmonicsWithGradients } from './soap/sphericalHarmonics';
export { soapBackward, soapCompute, soapGradients, soapWorkSize } from './soap/soap';
export { soapComputeAllAtoms, soapPairWorkSize, soapSlotPassAboveBytes } from './soap/soap';
export { soapBackwardAllAtoms } from './soap/soap';
export { radialPowerTableBytes, radialTableToPowerBasis } from './soap/radialTable';
export { radialPowerEvaluate, radialPowerEvaluatePair, radialPowerEvaluateTriple } from './soap/radialTable';
export { soapKernelLocal, soapKernelLocalWorkSize } from './similarity/localKernel';
export { soapKernelRematch, soapKernelRematchWorkSize } from './similarity/rematch';
export { soapComputeF32, soapWorkSizeF32 } from './soap/soapF32';
export { soapComputeAllAtomsF32, soapPairWorkSizeF32 } from './soap/soapF32';
export { n2p2Compute, n2p2ScatterForces, n2p2WorkSize } from './n2p2/symmetryFunctions';
export { caceCompute, caceComputeLayers, caceLayersWorkSize, caceWorkSize } from './cace/cace';
export { caceEnergy, caceEnergyWorkSize } from './cace/energy';
export { soapGtoIntegralTable, soapGtoIntegralTableWorkSize } from './soap/gtoIntegralTable';
export { n2p2EdgeFactors, n2p2SlotMapInit, n2p2SortEdgesByElement } from './n2p2/angularEdges';
export { n2p2Networks, n2p2NetworkScratch } from './n2p2/network';
export { n2p2ChunkNetworks, n2p2PotentialPasses } from './n2p2/potentialPasses';
export { lowdinInverseSqrt, lowdinInverseSqrtWorkSize } from './math/inverseSqrtSymmetric';
export { powerSpectrum as soapPowerSpectrum } from './soap/powerSpectrum';
export { powerSpectrumF32 as soapPowerSpectrumF32 } from './soap/powerSpectrumF32';
export { n2p2TriangleBackward, n2p2TriangleEdgeFactors, n2p2TriangleEdgeForces, n2p2TriangleHalfList, n2p2TriangleMoments, n2p2TriangleRecordBytes, n2p2TriangleScratch, n2p2TriangleValues } from './n2p2/angularTriangles';
export { n2p2TrianglePairRadial, n2p2TrianglePairRadialBytes, n2p2TrianglePairRadialScratch } from './n2p2/radialPairs';
export { hasPairWithin } from './neighbors/closePairs';
