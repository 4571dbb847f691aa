// The passes of an n2p2 potential over the centres [centreStart, centreEnd) in one call
// (src/n2p2/potential.ts; a part of the centres when a pool splits one structure): centres
// in chunks whose recorded triplet data fit `cacheBytes` (bounds: n2p2 cacheBounds per centre);
// per chunk a values pass that records (n2p2Compute cacheMode 1), each element's network over
// the chunk's centres (energies and ∂E/∂G), and a backward pass that replays (cacheMode 2).
// One call instead of four JavaScript calls per chunk; n2p2Compute and n2p2Networks stay
// separate functions, so V8 switches to their optimised code between chunks of a first call.
import { ldf, ldi, sti } from '../memory';
import { n2p2Networks } from './network';
import { n2p2Compute } from './symmetryFunctions';

/** i32 per element in `nets`: first column, scale offsets, scale factors, layer count, layer table, 0. */
const NET_STRIDE = 6;

/**
 * Energies (raw network outputs per centre at `energy`), ∂E/∂r per atom added to atomGrad (3 per
 * atom) and the virial Σ_e d_e ⊗ ∂E/∂d_e added to `virial` (9; both zeroed by the caller), as
 * n2p2ScatterForces gives them from per-entry gradients, here scattered centre by centre. Arguments as n2p2Compute's, then dEdG (scratch [nCenters][nFeatures]), bounds
 * (f64 per centre), cacheBytes, the networks (`nets`, see NET_STRIDE), normalize, convEnergy,
 * the network scratch, chunkAtoms (i32[nCenters] scratch), and the centres to run: [centreStart,
 * centreEnd) (energies, ∂E/∂r and virial are then those of these centres' energies only).
 */
export function n2p2PotentialPasses(
  nCenters: i32, centerAtom: usize, offsets: usize, index: usize, disp: usize,
  atomElement: usize, atomZ: usize, nElements: i32,
  elements: usize, elementRc: usize, classes: usize, lists: usize, classRc: usize, sfs: usize, groups: usize, angles: usize,
  cutoffType: i32, cutoffAlpha: f64,
  values: usize, nFeatures: i32, work: usize, kMax: i32, maxGroups: i32, nGroups: i32, nAngles: i32, cache: usize,
  edgeFactors: usize, pairStride: usize, slotOfAtom: usize, nAtoms: i32, imageCut2: f64, listColumn: usize,
  runStart: usize, sortedAtom: usize, groupRuns: usize, runRowBase: usize,
  dEdG: usize, atomGrad: usize, virial: usize, bounds: usize, cacheBytes: f64,
  nets: usize, normalize: bool, convEnergy: f64, energy: usize, netScratch: usize, chunkAtoms: usize,
  centreStart: i32, centreEnd: i32,
): void {
  let c0 = centreStart;
  while (c0 < centreEnd) {
    let c1 = c0 + 1;
    let used = ldf(bounds, c0);
    while (c1 < centreEnd && used + ldf(bounds, c1) <= cacheBytes) {
      used += ldf(bounds, c1);
      c1++;
    }
    n2p2Compute(
      nCenters, centerAtom, offsets, index, disp, atomElement, atomZ, nElements,
      elements, elementRc, classes, lists, classRc, sfs, groups, angles, cutoffType, cutoffAlpha,
      values, nFeatures, 0, 0, 0, work, kMax, maxGroups, nGroups, nAngles, c0, c1, 1, cache,
      edgeFactors, pairStride, slotOfAtom, nAtoms, imageCut2, listColumn, runStart, sortedAtom, groupRuns, runRowBase, 0, 0,
    );
    n2p2ChunkNetworks(c0, c1, centerAtom, atomElement, nElements, nets, values, nFeatures, normalize, convEnergy, energy, dEdG, netScratch, chunkAtoms);
    n2p2Compute(
      nCenters, centerAtom, offsets, index, disp, atomElement, atomZ, nElements,
      elements, elementRc, classes, lists, classRc, sfs, groups, angles, cutoffType, cutoffAlpha,
      values, nFeatures, 0, dEdG, 0, work, kMax, maxGroups, nGroups, nAngles, c0, c1, 2, cache,
      edgeFactors, pairStride, slotOfAtom, nAtoms, imageCut2, listColumn, runStart, sortedAtom, groupRuns, runRowBase, atomGrad, virial,
    );
    c0 = c1;
  }
}

/**
 * The networks of centres c0..c1−1: the centres grouped by their atom's element (chunkAtoms:
 * i32 scratch), then each element's network over its group; raw outputs at `energy`, ∂E/∂G at
 * dEdG (n2p2Networks). nets: see NET_STRIDE.
 */
export function n2p2ChunkNetworks(
  c0: i32, c1: i32, centerAtom: usize, atomElement: usize, nElements: i32, nets: usize, values: usize, nFeatures: i32,
  normalize: bool, convEnergy: f64, energy: usize, dEdG: usize, netScratch: usize, chunkAtoms: usize,
): void {
  for (let e = 0; e < nElements; e++) {
    let k = 0;
    for (let c = c0; c < c1; c++) {
      if (ldi(atomElement, ldi(centerAtom, c)) != e) continue;
      sti(chunkAtoms, k++, c);
    }
    if (k == 0) continue;
    const net = nets + (<usize>(e * NET_STRIDE) << 2);
    n2p2Networks(
      k, chunkAtoms, values, nFeatures, ldi(net, 0), <usize>ldi(net, 1), <usize>ldi(net, 2),
      ldi(net, 3), <usize>ldi(net, 4), normalize, convEnergy, energy, dEdG, netScratch,
    );
  }
}
