import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { init, AtomenvError } from '../../src/index.js';
import { CACE } from '../../src/cace/cace.js';
import { catchAtomenvErrorAsync, expectAtomenvError } from '../helpers/errors.js';
import { sharedPath } from '../helpers/shared.js';
import { caceReference, CACE_REFERENCE } from './referenceCases.js';
import type { Descriptor } from '../../src/descriptors/registry.js';
import { syntheticModel } from './helpers/syntheticModel.js';

const { model } = caceReference();
const clone = (x: unknown): any => structuredClone(x);
const water = { symbols: ['O', 'H', 'H'], positions: [[0, 0, 0.12], [0, 0.76, -0.48], [0, -0.76, -0.48]] };

describe('CACE model loading and validation', () => {
  beforeAll(async () => {
    await init();
  });

  it('loads the reference file from a path, from JSON text and from an object alike', async () => {
    const fromPath = await CACE.load(sharedPath(CACE_REFERENCE));
    const fromObject = await CACE.load(model);
    const fromText = await CACE.load(JSON.stringify({ hyperparameters: model.hyperparameters, parameters: model.parameters }));
    const a = fromPath.create(water).values;
    expect(fromObject.create(water).values).toEqual(a);
    expect(fromText.create(water).values).toEqual(a);
    expect(fromPath.numFeatures).toBe(4 * 7 * 4);
    expect(fromPath.params.zs).toEqual([1, 6, 8]);
    expect(fromPath.hasReadout).toBe(false);
  });

  it('the constructor takes camelCase options and weights by name (with or without the representation. prefix)', () => {
    const h = model.hyperparameters;
    const weights: Record<string, number[]> = {};
    for (const p of model.parameters) weights[`representation.${p.name}`] = p.values_c_order;
    const cace = new CACE({
      zs: ['H', 'C', 'O'], nAtomBasis: h.n_atom_basis, cutoff: h.cutoff, radialBasis: { type: 'bessel', n: h.n_rbf },
      cutoffFn: { type: 'poly', p: 6 }, nRadialBasis: h.n_radial_basis, maxL: h.max_l, maxNu: h.max_nu,
      numMessagePassing: 0, embedReceiverNodes: true, weights,
    });
    expect(cace.create(water).values).toEqual(CACE.fromModel(model).create(water).values);
  });

  it('the zs order is the one-hot index: swapping zs and the embedding rows gives the same features', () => {
    const m = clone(model);
    m.hyperparameters.zs = [8, 6, 1];
    for (const p of m.parameters) {
      if (p.name.includes('embedding_weights')) {
        const d = p.shape[1];
        const rows = [0, 1, 2].map((r) => p.values_c_order.slice(r * d, (r + 1) * d));
        p.values_c_order = [...rows[2], ...rows[1], ...rows[0]];
      }
    }
    const a = CACE.fromModel(model).create(water).values;
    const b = CACE.fromModel(m).create(water).values;
    let worst = 0;
    for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
    expect(worst).toBeLessThan(1e-15);
  });

  it('satisfies the Descriptor interface; its config rebuilds it', () => {
    const cace: Descriptor = CACE.fromModel(model);
    const { descriptor, ...options } = (cace as CACE).config;
    expect(descriptor).toBe('cace');
    const again = new CACE(structuredClone(options));
    expect(again.create(water).values).toEqual(cace.create(water, {}).values);
    expect(cace.create(water, { centers: [2, 0] }).shape).toEqual([2, cace.numFeatures]);
    expect(Array.from(cace.create(water, { centers: [2] }).values)).toEqual(Array.from(cace.create(water, {}).values.subarray(2 * cace.numFeatures)));
  });

  it('fromConfig takes the options, or { model } as an object or JSON text', () => {
    const a = CACE.fromModel(model).create(water).values;
    expect(CACE.fromConfig({ model }).create(water).values).toEqual(a);
    expect(CACE.fromConfig({ model: JSON.stringify({ hyperparameters: model.hyperparameters, parameters: model.parameters }) }).create(water).values).toEqual(a);
    const { descriptor: _d, ...options } = CACE.fromModel(model).config;
    expect(CACE.fromConfig(options as Record<string, unknown>).create(water).values).toEqual(a);
    expectAtomenvError(() => CACE.fromConfig({ model: 'model.json' }), 'INVALID_PARAMETER', 'CACE.load');
    expectAtomenvError(() => CACE.fromConfig({ model, cutoff: 4 }), 'INVALID_PARAMETER', 'cutoff');
    expectAtomenvError(() => CACE.fromConfig({ model: '{"hyperparameters": ' }), 'PARSE_ERROR');
  });

  it('atomic_energies (E0 per element) are added to the atomic energies, not the forces', () => {
    const m = syntheticModel({ T: 0 });
    const base = CACE.fromModel(m).energy(water);
    const withE0 = CACE.fromModel({ ...m, atomic_energies: { 1: -13.6, 8: -2040.5 } }).energy(water);
    expect(withE0.atomicEnergies[0]! - base.atomicEnergies[0]!).toBeCloseTo(-2040.5, 9);
    expect(withE0.atomicEnergies[1]! - base.atomicEnergies[1]!).toBeCloseTo(-13.6, 9);
    expect(withE0.energy - base.energy).toBeCloseTo(-2040.5 - 2 * 13.6, 9);
    expect(withE0.forces).toEqual(base.forces);
    expectAtomenvError(() => CACE.fromModel({ ...m, atomic_energies: { 6: 1 } }), 'INVALID_PARAMETER', 'not in zs');
  });

  it('a missing parameter is MISSING_PARAMETER naming it', () => {
    const m = clone(model);
    m.parameters = m.parameters.filter((p: any) => p.name !== 'radial_transform.weights.2');
    expectAtomenvError(() => CACE.fromModel(m), 'MISSING_PARAMETER', 'radial_transform.weights.2', '[6, 4, 4]');
  });

  it('a mis-shaped parameter is INVALID_PARAMETER naming it and both shapes', () => {
    const m = clone(model);
    const p = m.parameters.find((q: any) => q.name === 'node_embedding_sender.embedding_weights');
    p.shape = [2, 3];
    expectAtomenvError(() => CACE.fromModel(m), 'INVALID_PARAMETER', 'node_embedding_sender.embedding_weights', '[2, 3]', '[3, 2]');
    const m2 = clone(model);
    m2.parameters.find((q: any) => q.name === 'radial_transform.weights.0').values_c_order.pop();
    expectAtomenvError(() => CACE.fromModel(m2), 'INVALID_PARAMETER', 'radial_transform.weights.0', '95 values');
    const m3 = clone(model);
    m3.parameters.find((q: any) => q.name === 'radial_basis.bessel_weights').values_c_order[3] = null;
    expectAtomenvError(() => CACE.fromModel(m3), 'INVALID_PARAMETER', 'radial_basis.bessel_weights[3]');
  });

  it('an unknown parameter or hyperparameter is refused by name', () => {
    const m = clone(model);
    m.parameters.push({ name: 'message_passing_list.0.0.memory_coef.0', shape: [4, 4], values_c_order: Array(16).fill(0) });
    expectAtomenvError(() => CACE.fromModel(m), 'INVALID_PARAMETER', 'message_passing_list.0.0.memory_coef.0');
    const m2 = clone(model);
    m2.hyperparameters.max_nu = 5;
    expectAtomenvError(() => CACE.fromModel(m2), 'INVALID_PARAMETER', 'maxNu');
    const m3 = clone(model);
    m3.hyperparameters.atom_embedding_random_seed = [1, 2];
    expectAtomenvError(() => CACE.fromModel(m3), 'INVALID_PARAMETER', 'atom_embedding_random_seed');
    const m4 = clone(model);
    delete m4.hyperparameters.cutoff;
    expectAtomenvError(() => CACE.fromModel(m4), 'MISSING_PARAMETER', 'cutoff');
  });

  it('a full model needs the readout parameters; a descriptor has no energy()', () => {
    const full = syntheticModel();
    full.parameters = full.parameters.filter((p: any) => p.name !== 'output_modules.0.outnet.1.linear.bias');
    expectAtomenvError(() => CACE.fromModel(full), 'MISSING_PARAMETER', 'output_modules.0.outnet.1.linear.bias');
    expectAtomenvError(() => CACE.fromModel(model).energy(water), 'INVALID_PARAMETER', 'no readout');
    expectAtomenvError(() => CACE.fromModel(model).derivatives(water), 'INVALID_PARAMETER', 'energy()');
    const mp = syntheticModel({ T: 1 });
    mp.parameters = mp.parameters.filter((p: any) => !p.name.endsWith('1.invr0.3'));
    expectAtomenvError(() => CACE.fromModel(mp), 'MISSING_PARAMETER', 'representation.message_passing_list.0.1.invr0.3');
  });

  it('bad files: missing path, invalid JSON, no parameters', async () => {
    expect((await catchAtomenvErrorAsync(() => CACE.load('/nonexistent/model.json'))).code).toBe('FILE_NOT_FOUND');
    const dir = mkdtempSync(join(tmpdir(), 'cace-'));
    writeFileSync(join(dir, 'bad.json'), '{"hyperparameters": ');
    expect((await catchAtomenvErrorAsync(() => CACE.load(join(dir, 'bad.json')))).code).toBe('PARSE_ERROR');
    expect((await catchAtomenvErrorAsync(() => CACE.load({ hyperparameters: model.hyperparameters }))).code).toBe('MISSING_PARAMETER');
  });

  it('an element outside zs is SPECIES_NOT_IN_DESCRIPTOR naming the atom', () => {
    const err = (() => {
      try {
        CACE.fromModel(model).create({ symbols: ['O', 'N'], positions: [[0, 0, 0], [1.2, 0, 0]] });
      } catch (e) {
        return e as AtomenvError;
      }
      return null;
    })();
    expect(err?.code).toBe('SPECIES_NOT_IN_DESCRIPTOR');
    expect(err?.message).toContain('atom 1 is N');
  });

  it('feature counts follow K · N_sym · d² · (T + 1) (spec table)', () => {
    const table: [number, number, number][] = [[1, 2, 2], [2, 3, 4], [3, 4, 7], [4, 5, 13], [5, 6, 22], [6, 7, 36]];
    for (const [maxL, n2, n4] of table) {
      const nu2 = CACE.fromModel(syntheticModel({ maxL, maxNu: 2, T: 0, readout: null, K: 1, d: 1 }));
      const nu4 = CACE.fromModel(syntheticModel({ maxL, maxNu: 4, T: 0, readout: null, K: 1, d: 1 }));
      expect([nu2.numFeatures, nu4.numFeatures]).toEqual([n2, n4]);
    }
    expect(CACE.fromModel(syntheticModel({ d: 3, K: 12, maxL: 3, maxNu: 3, T: 1, readout: null })).numFeatures).toBe(1296);
  });
});
