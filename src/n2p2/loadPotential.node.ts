import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AtomenvError } from '../errors.js';
import { init } from '../wasm/loader.js';
import { N2p2Potential, type PotentialFiles } from './potential.js';

/**
 * Loads an n2p2 potential from a directory (`input.nn`, `scaling.data`, `weights.XXX.data`) or
 * from file texts, and initialises the wasm module. Errors name the file and line.
 */
export async function loadPotential(source: string | PotentialFiles): Promise<N2p2Potential> {
  await init();
  if (typeof source !== 'string') return new N2p2Potential(source);
  let names: string[];
  try {
    names = await readdir(source);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException | null)?.code;
    if (code === 'ENOENT') throw new AtomenvError('FILE_NOT_FOUND', 'potential directory not found', { file: source });
    throw new AtomenvError('IO_ERROR', `cannot read the potential directory: ${error instanceof Error ? error.message : String(error)}`, { file: source });
  }
  const wanted = names.filter((n) => n === 'input.nn' || n === 'scaling.data' || /^weights\.\d{3}\.data$/.test(n));
  // Read concurrently: each read is a round trip through libuv's thread pool.
  const texts = await Promise.all(wanted.map(async (name) => {
    try {
      return await readFile(join(source, name), 'utf8');
    } catch (error) {
      throw new AtomenvError('IO_ERROR', `cannot read the file: ${error instanceof Error ? error.message : String(error)}`, { file: join(source, name) });
    }
  }));
  const files: Record<string, string> = {};
  wanted.forEach((name, k) => (files[name] = texts[k]!));
  return new N2p2Potential(files, source);
}
