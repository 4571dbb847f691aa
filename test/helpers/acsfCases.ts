import type { ACSFOptions } from '../../src/index.js';

/** DScribe's snake_case ACSF arguments as atomenv's camelCase options. */
export function acsfOptionsFromDscribe(p: Record<string, any>): ACSFOptions {
  return {
    species: p.species,
    rCut: p.r_cut,
    g2Params: p.g2_params ?? null,
    g3Params: p.g3_params ?? null,
    g4Params: p.g4_params ?? null,
    g5Params: p.g5_params ?? null,
    periodic: p.periodic ?? false,
  };
}

/** Flattens nested arrays of numbers (C order). */
export function flat(x: unknown): number[] {
  return Array.isArray(x) ? (x as unknown[]).flatMap(flat) : [x as number];
}
