import { AtomenvError } from '../errors.js';
import { readExtxyzFrame } from './extxyz.js';
import type { StructureFormat } from './formats.js';
import type { FrameReaderFactory } from './frames.js';
import { readN2p2Frame } from './n2p2.js';
import { readPoscarFrame } from './poscar.js';
import { readXyzFrame } from './xyz.js';

const FRAME_READERS: Record<StructureFormat, FrameReaderFactory> = {
  extxyz: readExtxyzFrame,
  xyz: readXyzFrame,
  poscar: readPoscarFrame,
  n2p2: readN2p2Frame,
};

/** The frame reader of a format, shared by the whole-text parsers and the streaming reader. */
export function frameReaderFor(format: StructureFormat): FrameReaderFactory {
  if (!Object.hasOwn(FRAME_READERS, format)) {
    throw new AtomenvError('UNKNOWN_FORMAT', `unknown structure format ${JSON.stringify(format) ?? String(format)} (the formats: ${Object.keys(FRAME_READERS).join(', ')})`);
  }
  return FRAME_READERS[format];
}
