import { AtomenvError } from '../errors.js';
import type { StructureFormat } from '../io/formats.js';
import type { ParsedStructure } from '../io/parsedStructure.js';
import { iterateStructures } from '../io/readStructures.node.js';

/** A frame of the input, or the error that stopped it from being read. */
export type FrameItem =
  | { index: number; structure: ParsedStructure; error?: undefined }
  | { index: number; structure?: undefined; error: AtomenvError };

/**
 * Streams the frames of a structure file. A frame that cannot be read is yielded as an error
 * and ends the stream, since the frames after it cannot be located reliably. An error before
 * the first frame (missing file, unknown format, a broken first frame) is thrown.
 */
export async function* framesOf(
  path: string, format: StructureFormat | undefined, position?: { bytesRead: number },
): AsyncGenerator<FrameItem> {
  const frames = iterateStructures(path, format, position);
  try {
    for (let index = 0; ; index++) {
      let next: IteratorResult<ParsedStructure>;
      try {
        next = await frames.next();
      } catch (error) {
        if (index === 0 || !(error instanceof AtomenvError)) throw error;
        yield { index, error };
        return;
      }
      if (next.done === true) return;
      yield { index, structure: next.value };
    }
  } finally {
    // Closes the file when the caller stops early.
    await frames.return(undefined);
  }
}
