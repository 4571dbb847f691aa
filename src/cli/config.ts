import { readFile } from 'node:fs/promises';
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
    return { name: descriptor, descriptor: createDescriptor(descriptor, options), config: { ...config, descriptor } };
  } catch (error) {
    throw error instanceof AtomenvError ? error.at({ file: path }) : error;
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
