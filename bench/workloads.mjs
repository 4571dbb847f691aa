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

/** W1's SOAP settings (r_cut 5, n_max 8, l_max 6, σ 0.5, GTO), for the given species and periodicity. */
const soapW1 = (species, periodic) => ({ species, rCut: 5, nMax: 8, lMax: 6, sigma: 0.5, rbf: 'gto', periodic });

/** W1: SOAP values on the 192-atom water box, periodic (952 features). */
export const W1 = {
  id: 'W1',
  title: 'SOAP values, water_64mol_192atoms, r_cut 5, n_max 8, l_max 6, σ 0.5, GTO, periodic',
  structure: 'data/structures/water_64mol_192atoms.extxyz',
  peer: { name: 'DScribe 2.1.1', usPerEnv: 68.8 },
  targetUsPerEnv: 8,
  descriptor: soapW1(['H', 'O'], true),
};

/** W4: W1's settings for H C N O, not periodic, on 972 small molecules (one thread here; the pool comes with the worker issue). */
export const W4 = {
  id: 'W4',
  title: 'SOAP values, batch_g2_CHNO_972 (972 molecules, 6 648 atoms), H C N O, one thread',
  structure: 'data/structures/batch_g2_CHNO_972.extxyz',
  // DScribe: ~245 ms for the whole batch in one process.
  peer: { name: 'DScribe 2.1.1 (1 process)', usPerEnv: (245 * 1000) / 6648 },
  targetUsPerEnv: null,
  descriptor: soapW1(['H', 'C', 'N', 'O'], false),
};

/** W5: W1 on the 1 536-atom water box and its 2×2×1 repeat (6 144 atoms): cost per environment vs size. */
export const W5 = {
  id: 'W5',
  title: 'SOAP values, water_512mol_1536atoms and its 2×2×1 repeat',
  structure: 'data/structures/water_512mol_1536atoms.extxyz',
  peers: { 1536: 109, 6144: 119 },
  descriptor: soapW1(['H', 'O'], true),
};
