// Benchmark workloads of ../shared/specs/performance.md, with the peer figures measured there.

/** W3: ACSF "typical" (r_cut 6, 8 G2, 8 G4, species H O, periodic) on the 192-atom water box. */
export const W3 = {
  id: 'W3',
  title: 'ACSF values, water_64mol_192atoms, r_cut 6, 8 G2 + 8 G4, periodic',
  structure: 'data/structures/water_64mol_192atoms.extxyz',
  peer: { name: 'DScribe 2.1.1', usPerEnv: 411 },
  targetUsPerEnv: 20,
  descriptor: {
    species: ['H', 'O'],
    rCut: 6,
    periodic: true,
    g2Params: [0.003214, 0.035711, 0.071421, 0.124987, 0.214264, 0.357106, 0.714213, 1.428426].map((eta) => [eta, 0]),
    g4Params: [
      [0.000357, 1, -1], [0.028569, 1, -1], [0.089277, 1, -1], [0.000357, 2, -1],
      [0.000357, 1, 1], [0.028569, 1, 1], [0.089277, 1, 1], [0.000357, 2, 1],
    ],
  },
};
