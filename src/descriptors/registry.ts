import { ACSF } from '../acsf/acsf.js';
import { ACSF_OPTION_KEYS, type ACSFOptions } from '../acsf/params.js';
import { SOAP, type SOAPBackward, type SOAPValues, type SOAPWithDerivatives } from '../soap/soap.js';
import { SOAP_OPTION_KEYS, type SOAPOptions } from '../soap/params.js';
import type { DescriptorValues, WithDerivatives } from './results.js';
import { AtomenvError } from '../errors.js';
import type { Structure } from '../structure/structure.js';
import type { EnergyResult } from '../potentials/energyModel.js';
import { CACE } from '../cace/cace.js';
import { CACE_CONFIG_KEYS } from '../cace/modelFile.js';
import { SYMMETRY_FUNCTIONS_OPTION_KEYS, SymmetryFunctions, type SymmetryFunctionsOptions } from '../n2p2/symmetryFunctions.js';
import { N2p2Potential, type PotentialFiles } from '../n2p2/potential.js';

/** What the CLI and the workers need of a descriptor; the descriptor classes have this shape. */
export interface Descriptor {
  readonly numFeatures: number;
  create(structure: Structure, options: { centers?: ArrayLike<number> | null }): DescriptorValues | SOAPValues;
  derivatives(
    structure: Structure,
    options: { centers?: ArrayLike<number> | null; attach?: boolean; layout?: 'dense' | 'sparse' },
  ): WithDerivatives | SOAPWithDerivatives;
  /** ∂L/∂positions (and cell) from ∂L/∂features, for descriptors that have a backward pass. */
  backward?(structure: Structure, dLdFeatures: ArrayLike<number>, options: { centers?: ArrayLike<number> | null }): SOAPBackward;
  /** Energy, atomic energies and forces, for models with a readout (CACE, n2p2 potentials). */
  energy?(structure: Structure): EnergyResult;
}

/** One descriptor that can be built from a config object (`{"descriptor": name, ...}`). */
export interface DescriptorEntry {
  /** Config keys the descriptor accepts (besides `descriptor`). */
  readonly keys: readonly string[];
  /** Builds the descriptor; the options are checked by its constructor. */
  create(options: Record<string, unknown>): Descriptor;
}

/** The descriptors known by config name (CLI config files, worker requests). */
export const DESCRIPTORS: Readonly<Record<string, DescriptorEntry>> = {
  acsf: { keys: ACSF_OPTION_KEYS, create: (options) => new ACSF(options as unknown as ACSFOptions) },
  soap: { keys: SOAP_OPTION_KEYS, create: (options) => new SOAP(options as unknown as SOAPOptions) },
  // `model`: a CACE model file's content (object or JSON text) instead of the options.
  cace: { keys: CACE_CONFIG_KEYS, create: (options) => CACE.fromConfig(options) },
  // `inputNn`: the text of an n2p2 input.nn instead of the options.
  n2p2: {
    keys: [...SYMMETRY_FUNCTIONS_OPTION_KEYS, 'inputNn'],
    create: ({ inputNn, ...options }) =>
      typeof inputNn === 'string' ? SymmetryFunctions.fromInputNn(inputNn) : new SymmetryFunctions(options as unknown as SymmetryFunctionsOptions),
  },
  // An n2p2 potential from its files' texts: symmetry functions as the features, and energies.
  n2p2Potential: { keys: ['files'], create: ({ files }) => potentialDescriptor(new N2p2Potential(files as PotentialFiles)) },
};

/** An n2p2 potential seen as a descriptor: its symmetry functions, plus its energies. */
function potentialDescriptor(potential: N2p2Potential): Descriptor {
  const sf = potential.descriptor;
  return {
    numFeatures: sf.numFeatures,
    create: (structure, options) => sf.create(structure, options),
    derivatives: (structure, options) => sf.derivatives(structure, options),
    energy: (structure) => potential.compute(structure),
  };
}

/**
 * Builds the descriptor `name` from its options. Throws INVALID_PARAMETER for an unknown
 * descriptor or an option key it does not take (a typo such as `r_cut` would otherwise be
 * ignored), and whatever the descriptor's constructor throws.
 */
export function createDescriptor(name: string, options: Record<string, unknown>): Descriptor {
  return descriptorEntry(name, options).create(options);
}

/**
 * The registry entry of descriptor `name` after checking that it exists and takes every key of
 * `options` (the checks of {@link createDescriptor}, without building anything).
 */
export function descriptorEntry(name: string, options: Record<string, unknown>): DescriptorEntry {
  const entry = Object.hasOwn(DESCRIPTORS, name) ? DESCRIPTORS[name] : undefined;
  if (entry === undefined) {
    throw new AtomenvError('INVALID_PARAMETER', `unknown descriptor ${JSON.stringify(name)} (known: ${Object.keys(DESCRIPTORS).join(', ')})`);
  }
  for (const key of Object.keys(options)) {
    if (!entry.keys.includes(key)) {
      throw new AtomenvError('INVALID_PARAMETER', `${name} has no option ${JSON.stringify(key)} (its options: ${entry.keys.join(', ')})`);
    }
  }
  return entry;
}
