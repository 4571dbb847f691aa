import { readFileSync } from 'node:fs';
import path from 'node:path';
import { readStructures } from '../../src/io/readStructures.node.js';
import { ACSF, init, type ACSFOptions, type DenseDerivatives } from '../../src/index.js';
import { ROOT } from './runCli.js';

/** ACSF options of a CLI config file (the file without its "descriptor" key). */
export function acsfOfConfig(configPath: string): ACSF {
  const { descriptor: _descriptor, ...options } = JSON.parse(readFileSync(path.join(ROOT, configPath), 'utf8')) as Record<string, unknown>;
  return new ACSF(options as unknown as ACSFOptions);
}

/** What the library API gives for every frame of a file: values and dense derivatives. */
export async function apiResults(
  configPath: string,
  structurePath: string,
  options: { centers?: number[]; derivatives?: boolean; attach?: boolean } = {},
): Promise<{ values: Float64Array; shape: [number, number]; derivatives: DenseDerivatives | null; nAtoms: number }[]> {
  await init();
  const acsf = acsfOfConfig(configPath);
  const frames = await readStructures(path.join(ROOT, structurePath));
  return frames.map((structure) => {
    const nAtoms = structure.numbers.length;
    if (options.derivatives !== true) return { ...acsf.create(structure, { centers: options.centers ?? null }), derivatives: null, nAtoms };
    const result = acsf.derivatives(structure, { centers: options.centers ?? null, attach: options.attach ?? false, layout: 'dense' });
    return { values: result.values, shape: result.shape, derivatives: result.derivatives as DenseDerivatives, nAtoms };
  });
}
