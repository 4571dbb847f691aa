/** The raw exports of the atomenv wasm module (pointers are byte offsets into `memory`). */
export interface KernelExports {
  readonly memory: WebAssembly.Memory;
  heapBase(): number;
  buildNeighborList(
    nAtoms: number, pos: number, nCenters: number, centers: number, centerAtom: number,
    cell: number, inv: number, pbcMask: number, grid: number, gridF: number, cutoff: number,
    work: number, offsets: number, index: number, disp: number, capacity: number,
  ): number;
  acsfCompute(
    nCenters: number, centerAtom: number, offsets: number, index: number, disp: number,
    atomSpecies: number, nSpecies: number, params: number, counts: number, rCut: number,
    values: number, nFeatures: number, grad: number, work: number,
  ): number;
  acsfWorkSize(kMax: number, nSpecies: number, counts: number): number;
  scatterPairGradients(
    nCenters: number, offsets: number, rowOfEntry: number, rowOfCenter: number, nFeatures: number,
    grad: number, nRowsOut: number, out: number,
  ): void;
}
