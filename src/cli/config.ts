import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { AtomenvError } from '../errors.js';
import { createDescriptor, DESCRIPTORS, type Descriptor } from '../descriptors/registry.js';

/**
 * Reads a descriptor config file, `{"descriptor": "acsf", ...constructor options}`, and builds
 * the descriptor; returns it with its name. Every error is an {@link AtomenvError} naming the
 * file: FILE_NOT_FOUND, IO_ERROR, PARSE_ERROR (malformed JSON), MISSING_PARAMETER,
 * INVALID_PARAMETER.
 */
export async function loadDescriptor(path: string): Promise<{ name: string; descriptor: Descriptor; config: { descriptor: string; [option: string]: unknown } }> {
  const config = await readConfigObject(path);
  const { descriptor, ...options } = config;
  try {
    if (descriptor === undefined) {
      throw new AtomenvError('MISSING_PARAMETER', `the config needs "descriptor" (one of: ${Object.keys(DESCRIPTORS).join(', ')})`);
    }
    if (typeof descriptor !== 'string') {
      throw new AtomenvError('INVALID_PARAMETER', `"descriptor" must be a name such as "acsf", got ${JSON.stringify(descriptor)}`);
    }
    const resolved = await readReferencedFiles(descriptor, options, dirname(path));
    return { name: descriptor, descriptor: createDescriptor(descriptor, resolved), config: { ...resolved, descriptor } };
  } catch (error) {
    throw error instanceof AtomenvError ? error.at({ file: path }) : error;
  }
}

/**
 * Options that name files in a config file are read here, relative to the config's folder, so
 * that the descriptor (and the workers) get their contents: cace's `model` (a model JSON file)
 * and n2p2's `inputNn` (an input.nn).
 */
async function readReferencedFiles(descriptor: string, options: Record<string, unknown>, dir: string): Promise<Record<string, unknown>> {
  const key = descriptor === 'cace' ? 'model' : descriptor === 'n2p2' ? 'inputNn' : null;
  const value = key === null ? undefined : options[key];
  if (key === null || typeof value !== 'string') return options;
  const file = resolve(dir, value);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new AtomenvError(code === 'ENOENT' ? 'FILE_NOT_FOUND' : 'IO_ERROR', `"${key}": cannot read ${value} (${code === 'ENOENT' ? 'not found' : (error as Error).message})`, { file });
  }
  if (key === 'inputNn') return { ...options, inputNn: text };
  try {
    return { ...options, model: JSON.parse(text) as unknown };
  } catch (error) {
    throw new AtomenvError('PARSE_ERROR', `malformed JSON in the CACE model: ${(error as Error).message}`, { file });
  }
}

async function readConfigObject(path: string): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new AtomenvError('FILE_NOT_FOUND', 'config file not found', { file: path });
    throw new AtomenvError('IO_ERROR', `cannot read the config: ${(error as Error).message}`, { file: path });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new AtomenvError('PARSE_ERROR', `malformed JSON in the config: ${(error as Error).message}`, { file: path });
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new AtomenvError('PARSE_ERROR', 'the config must be a JSON object such as {"descriptor": "acsf", "species": ["H", "O"], ...}', { file: path });
  }
  return parsed as Record<string, unknown>;
}
