import { describe, expect, test } from 'vitest';
import { parseInputNn } from '../../src/n2p2/inputNn.js';

// n2p2's Mode::setupSymmetryFunctionScaling picks the scaling type in this order: scale alone →
// SCALE; center alone → CENTER; scale and center → SCALECENTER; only then
// scale_symmetry_functions_sigma → SCALESIGMA. So the sigma keyword is ignored next to either of
// the other two (center + sigma was read as SCALESIGMA).
const base = ['number_of_elements 1', 'elements H', 'cutoff_type 1', 'global_hidden_layers_short 0', 'global_nodes_short', 'global_activation_short l', 'symfunction_short H 2 H 0.1 0 4'];

describe('scaling keywords: n2p2 precedence', () => {
  const cases: [string[], string][] = [
    [[], 'none'],
    [['scale_symmetry_functions'], 'scale'],
    [['center_symmetry_functions'], 'center'],
    [['scale_symmetry_functions', 'center_symmetry_functions'], 'scalecenter'],
    [['scale_symmetry_functions_sigma'], 'scalesigma'],
    [['scale_symmetry_functions_sigma', 'center_symmetry_functions'], 'center'],
    [['scale_symmetry_functions_sigma', 'scale_symmetry_functions'], 'scale'],
    [['scale_symmetry_functions_sigma', 'scale_symmetry_functions', 'center_symmetry_functions'], 'scalecenter'],
  ];
  for (const [keywords, type] of cases) {
    test(`${keywords.join(' + ') || 'none'} → ${type}`, () => {
      expect(parseInputNn([...base, ...keywords].join('\n')).scaling.type).toBe(type);
    });
  }
});
