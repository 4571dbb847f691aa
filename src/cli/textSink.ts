import { once } from 'node:events';
import { access, constants, open } from 'node:fs/promises';
import { dirname } from 'node:path';
import { AtomenvError } from '../errors.js';

/** A destination for text written in pieces. */
export interface TextSink {
  write(text: string): Promise<void>;
  close(): Promise<void>;
}

/** A sink that creates (or truncates) a file. Throws IO_ERROR naming the file. */
export async function fileSink(path: string): Promise<TextSink> {
  const fail = (error: unknown): never => {
    throw new AtomenvError('IO_ERROR', `cannot write the file: ${(error as Error).message}`, { file: path });
  };
  const handle = await open(path, 'w').catch(fail);
  return {
    write: async (text) => {
      await handle.write(text).catch(fail);
    },
    close: () => handle.close().catch(fail),
  };
}

/** A sink writing to a stream such as process.stdout, waiting whenever its buffer is full. */
export function streamSink(stream: NodeJS.WritableStream): TextSink {
  return {
    write: async (text) => {
      if (!stream.write(text)) await once(stream, 'drain');
    },
    close: async () => {},
  };
}

/** Fails early, before any work, when the output's directory is missing or read-only. */
export async function checkOutputDirectory(path: string): Promise<void> {
  const dir = dirname(path);
  try {
    await access(dir, constants.W_OK);
  } catch {
    throw new AtomenvError('IO_ERROR', `cannot write the output: directory '${dir}' does not exist or is not writable`, { file: path });
  }
}
