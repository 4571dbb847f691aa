import { AtomenvError } from '../errors.js';
import { isBlank, textLines, type Line } from './lines.js';
import type { ParseContext, ParseOptions } from './parseContext.js';
import type { ParsedStructure } from './parsedStructure.js';

/**
 * Reads one frame. It is a coroutine: each `yield` asks for the next line, which arrives as the
 * value of the `yield` expression (`null` at the end of the input). It returns the frame, or
 * `null` when the input ended before the frame began. The same reader serves whole texts and
 * streams, because the caller pushes the lines in.
 */
export type FrameReader = Generator<void, ParsedStructure | null, Line | null>;

/** Starts a reader for the frame described by the context. */
export type FrameReaderFactory = (context: ParseContext) => FrameReader;

/** Skips blank lines; returns the first other line, or null at the end of the input. */
export function* nextNonBlankLine(): Generator<void, Line | null, Line | null> {
  for (;;) {
    const line = yield;
    if (line === null || !isBlank(line.text)) return line;
  }
}

/** Pushes lines into successive frame readers and hands out each frame as it completes. */
export class FrameFeeder {
  private reader!: FrameReader;
  private frame: number;
  private framesRead = 0;
  private readonly file: string | undefined;

  constructor(
    private readonly startReader: FrameReaderFactory,
    options: ParseOptions = {},
  ) {
    this.file = options.file;
    this.frame = options.firstFrame ?? 0;
    this.startNextFrame();
  }

  /** Feeds one line; returns the frame that this line completes, if any. */
  push(line: Line): ParsedStructure | undefined {
    const step = this.reader.next(line);
    if (!step.done) return undefined;
    if (step.value === null) throw new Error('frame reader ended before the end of the input');
    this.framesRead++;
    this.frame++;
    this.startNextFrame();
    return step.value;
  }

  /** Signals the end of the input; returns a last frame if one was still open. Throws when the input held no frame. */
  finish(): ParsedStructure | undefined {
    const step = this.reader.next(null);
    if (!step.done) throw new Error('frame reader asked for a line after the end of the input');
    if (step.value !== null) this.framesRead++;
    if (this.framesRead === 0) {
      throw new AtomenvError('PARSE_ERROR', 'the input holds no structure', this.file !== undefined ? { file: this.file } : {});
    }
    return step.value ?? undefined;
  }

  private startNextFrame(): void {
    const context: ParseContext = { frame: this.frame, ...(this.file !== undefined ? { file: this.file } : {}) };
    this.reader = this.startReader(context);
    this.reader.next(); // run up to the first request for a line
  }
}

/** Reads every frame of a whole text with the given frame reader. */
export function readAllFrames(text: string, startReader: FrameReaderFactory, options: ParseOptions = {}): ParsedStructure[] {
  const feeder = new FrameFeeder(startReader, options);
  const frames: ParsedStructure[] = [];
  for (const line of textLines(text, options.firstLine ?? 1)) {
    const frame = feeder.push(line);
    if (frame !== undefined) frames.push(frame);
  }
  const last = feeder.finish();
  if (last !== undefined) frames.push(last);
  return frames;
}
