import { beforeAll, describe, expect, test } from 'vitest';
import { init } from '../../src/index.js';
import { parseInputNn } from '../../src/n2p2/inputNn.js';
import { N2p2Potential } from '../../src/n2p2/potential.js';
import { expectAtomenvError } from '../helpers/errors.js';

// Per-element network keywords as n2p2's Mode::setupNeuralNetwork (v2.3) applies them:
// - element_activation_short <El> a1 … aL a_out sets the hidden activations only; the output keeps
//   global_activation_short's last letter (its loop stops before the output layer, as the
//   element_nodes_short loop stops before the last hidden layer). atomenv took a_out.
// - element_hidden_layers_short <El> n with n ≠ global_hidden_layers_short leaves the element
//   without global sizes and activations, and the per-element keywords cannot set its last hidden
//   layer nor its output activation: n2p2 rejects it. atomenv built a network from the first n
//   global layers.

beforeAll(async () => {
  await init();
});

const header = (extra: string[]): string => [
  'number_of_elements 2', 'elements H O', 'cutoff_type 1',
  'global_hidden_layers_short 2', 'global_nodes_short 3 2', 'global_activation_short t t l',
  'symfunction_short H 2 O 0.5 0 4', 'symfunction_short H 2 H 0.5 0 4', 'symfunction_short O 2 H 0.3 0 4', ...extra,
].join('\n');

/** Weights of an [inputs, 3, 2, 1] network (the last hidden layer keeps its global size 2). */
function weights(inputs: number, first: number, seed: number): string {
  const n = inputs * first + first + first * 2 + 2 + 2 + 1;
  return Array.from({ length: n }, (_, k) => String(Math.sin(seed + 1.7 * k) * 0.8)).join('\n');
}

describe('per-element network keywords (n2p2 semantics)', () => {
  test('element_activation_short sets the hidden activations; the output stays the global one', () => {
    const s = parseInputNn(header(['element_activation_short H s g t']));
    expect(s.networks[0]!.activations).toEqual(['s', 'g', 'l']);
    expect(s.networks[1]!.activations).toEqual(['t', 't', 'l']);
  });

  test('an element whose output letter differs gives the energy of the global output activation', () => {
    const files = (extra: string[]) => ({ 'input.nn': header(extra), 'weights.001.data': weights(2, 3, 1), 'weights.008.data': weights(1, 3, 2) });
    const water = { symbols: ['O', 'H', 'H'], positions: [0, 0, 0, 1.8, 0, 0, -0.5, 1.7, 0] };
    const plain = new N2p2Potential(files([])).compute(water).energy;
    expect(new N2p2Potential(files(['element_activation_short H t t t'])).compute(water).energy).toBe(plain);
    expect(new N2p2Potential(files(['element_activation_short H t t c'])).compute(water).energy).toBe(plain);
  });

  test('element_nodes_short keeps the last hidden layer at its global size', () => {
    expect(parseInputNn(header(['element_nodes_short O 5 7'])).networks[1]!.hiddenNodes).toEqual([5, 2]);
  });

  test('element_hidden_layers_short equal to the global count changes nothing', () => {
    const s = parseInputNn(header(['element_hidden_layers_short H 2']));
    expect(s.networks[0]).toEqual({ hiddenNodes: [3, 2], activations: ['t', 't', 'l'] });
  });

  for (const n of [0, 1, 3]) {
    test(`element_hidden_layers_short ${n} (global 2): PARSE_ERROR naming the line, as n2p2 cannot set it up`, () => {
      expectAtomenvError(
        () => parseInputNn(header([`element_hidden_layers_short H ${n}`, `element_nodes_short H ${'4 '.repeat(n)}`, `element_activation_short H ${'t '.repeat(n + 1)}`]), 'my.nn'),
        'PARSE_ERROR', 'my.nn, line 10', `element H: ${n} hidden layers`, "global_hidden_layers_short's (2)",
      );
    });
  }
});
