/**
 * Deterministic synthetic CACE model files (names and shapes written out from the spec's
 * table in section 9a, independently of src/cace/weights.ts).
 */
export interface SyntheticModelOptions {
  zs?: number[];
  d?: number;
  nRbf?: number;
  K?: number;
  maxL?: number;
  maxNu?: number;
  T?: number;
  mpTypes?: string[];
  embedReceiver?: boolean;
  cutoff?: number;
  cutoffFn?: unknown[];
  readout?: { n_layers: number; n_hidden: number[]; add_linear_nn: boolean } | null;
  avgNumNeighbors?: number;
  seed?: number;
}

function nSymOf(maxL: number, maxNu: number): number {
  let n = 1;
  if (maxNu >= 2) n += maxL;
  if (maxNu >= 3) n += Math.floor((maxL * maxL) / 4);
  if (maxNu >= 4) n += (maxL * (maxL - 1) * (maxL - 2)) / 6;
  return n;
}

export function syntheticModel(o: SyntheticModelOptions = {}): any {
  const zs = o.zs ?? [1, 8];
  const d = o.d ?? 3, nRbf = o.nRbf ?? 6, K = o.K ?? 4, maxL = o.maxL ?? 3, maxNu = o.maxNu ?? 3, T = o.T ?? 1;
  const mpTypes = o.mpTypes ?? ['M', 'Ar', 'Bchi'];
  const cutoff = o.cutoff ?? 4.5;
  const readout = o.readout === undefined ? { n_layers: 3, n_hidden: [8, 4], add_linear_nn: true } : o.readout;
  let state = (o.seed ?? 7) >>> 0;
  const random = (): number => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
  const C = d * d;
  const pre = readout === null ? '' : 'representation.';
  const params: { name: string; shape: number[]; values_c_order: number[] }[] = [];
  const add = (name: string, shape: number[], gen: () => number): void => {
    const n = shape.reduce((a, b) => a * b, 1);
    params.push({ name, shape, values_c_order: Array.from({ length: n }, gen) });
  };
  const sym = (): number => 2 * random() - 1;
  add(`${pre}node_embedding_sender.embedding_weights`, [zs.length, d], sym);
  if (o.embedReceiver ?? true) add(`${pre}node_embedding_receiver.embedding_weights`, [zs.length, d], sym);
  let n = 0;
  add(`${pre}radial_basis.bessel_weights`, [nRbf], () => (++n * Math.PI) / cutoff * (1 + 0.05 * sym()));
  for (let l = 0; l <= maxL; l++) add(`${pre}radial_transform.weights.${l}`, [nRbf, K, C], random);
  const nSym = nSymOf(maxL, maxNu);
  for (let t = 0; t < T; t++) {
    if (mpTypes.includes('M')) for (let l = 0; l <= maxL; l++) add(`${pre}message_passing_list.${t}.0.memory_coef.${l}`, [K, C], () => 0.25 + 0.1 * sym());
    if (mpTypes.includes('Ar')) {
      for (let l = 0; l <= maxL; l++) {
        add(`${pre}message_passing_list.${t}.1.prefactor.${l}`, [K, C], random);
        add(`${pre}message_passing_list.${t}.1.invr0.${l}`, [K, C], () => (random() + 0.5) / cutoff);
      }
    }
    if (mpTypes.includes('Bchi')) {
      add(`${pre}message_passing_list.${t}.2.hnet.0.linear.weight`, [1, K * nSym * C], () => 0.3 * sym());
      add(`${pre}message_passing_list.${t}.2.hnet.0.linear.bias`, [1], sym);
    }
  }
  const nIn = K * nSym * C * (T + 1);
  if (readout !== null) {
    const sizes = [nIn, ...readout.n_hidden, 1];
    for (let i = 0; i + 1 < sizes.length; i++) {
      add(`output_modules.0.outnet.${i}.linear.weight`, [sizes[i + 1]!, sizes[i]!], () => sym() / Math.sqrt(sizes[i]!));
      add(`output_modules.0.outnet.${i}.linear.bias`, [sizes[i + 1]!], () => 0.1 * sym());
    }
    if (readout.add_linear_nn) {
      add('output_modules.0.linear_nn.linear.weight', [1, nIn], () => 0.1 * sym());
      add('output_modules.0.linear_nn.linear.bias', [1], sym);
    }
  }
  const hyperparameters: Record<string, unknown> = {
    zs, n_atom_basis: d, embed_receiver_nodes: o.embedReceiver ?? true, cutoff, n_rbf: nRbf,
    cutoff_fn: o.cutoffFn ?? ['poly', 6], n_radial_basis: K, max_l: maxL, max_nu: maxNu,
    num_message_passing: T, mp_types: T > 0 ? mpTypes : [], readout,
  };
  if (o.avgNumNeighbors !== undefined) hyperparameters.avg_num_neighbors = o.avgNumNeighbors;
  return { hyperparameters, parameters: params };
}
