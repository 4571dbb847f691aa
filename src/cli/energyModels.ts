import { CACE } from '../cace/cace.js';
import { AtomenvError } from '../errors.js';
import { loadPotential } from '../n2p2/loadPotential.node.js';
import type { EnergyModel } from '../potentials/energyModel.js';
import type { ModelSource } from './predictArgs.js';

/**
 * Loads the model of `atomenv predict` and `atomenv md`: a CACE model file (JSON with a
 * readout) or an n2p2 potential directory. Errors name the file.
 */
export async function loadEnergyModel(source: ModelSource): Promise<EnergyModel> {
  if (source.kind === 'n2p2') return loadPotential(source.path);
  const cace = await CACE.load(source.path);
  if (!cace.hasReadout) {
    throw new AtomenvError('INVALID_PARAMETER', 'the CACE model has no readout (no Atomwise parameters), so it gives features but no energies: use `atomenv compute` for its features', { file: source.path });
  }
  return { compute: (structure) => cace.energy(structure) };
}
