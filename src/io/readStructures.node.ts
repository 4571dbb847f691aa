import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { AtomenvError } from '../errors.js';
import type { StructureFormat } from './formats.js';
import type { ParsedStructure } from './parsedStructure.js';
import { parseStructures } from './parseStructures.js';
import { streamStructures } from './streamStructures.js';

/**
 * Reads every structure in a file (format from `format`, else the file name, else the content).
 * Throws FILE_NOT_FOUND for a missing file, IO_ERROR for other read failures, and the parse
 * errors of {@link parseStructures}.
 */
export async function readStructures(path: string, format?: StructureFormat): Promise<ParsedStructure[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw fileError(error, path);
  }
  return parseStructures(text, format, { file: path });
}

/**
 * Streams the structures of a file frame by frame (extxyz, xyz, n2p2; a POSCAR is one frame),
 * reading it in chunks rather than whole. Errors as in {@link readStructures}, with the line
 * numbers of the file. Breaking out of the loop closes the file. `position.bytesRead`, when
 * given, follows the bytes read (for progress).
 */
export async function* iterateStructures(
  path: string, format?: StructureFormat, position?: { bytesRead: number },
): AsyncGenerator<ParsedStructure> {
  const stream = createReadStream(path, { encoding: 'utf8' });
  try {
    for await (const frame of streamStructures(stream as AsyncIterable<string>, format, { file: path })) {
      // Bytes read so far (ahead of the frame by up to one read chunk): for progress and ETA.
      if (position !== undefined) position.bytesRead = stream.bytesRead;
      yield frame;
    }
  } catch (error) {
    throw fileError(error, path);
  } finally {
    stream.destroy();
  }
}

/** Maps a Node file-system error to an {@link AtomenvError}; passes atomenv errors through. */
function fileError(error: unknown, path: string): unknown {
  if (error instanceof AtomenvError) return error;
  const code = (error as NodeJS.ErrnoException | null)?.code;
  if (code === 'ENOENT') return new AtomenvError('FILE_NOT_FOUND', 'file not found', { file: path });
  const reason = error instanceof Error ? error.message : String(error);
  return new AtomenvError('IO_ERROR', `cannot read the file: ${reason}`, { file: path });
}
