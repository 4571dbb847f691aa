import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseStructures } from '../../src/io/parseStructures.js';
import type { ParsedStructure } from '../../src/io/parsedStructure.js';
import { iterateStructures, readStructures } from '../../src/io/readStructures.node.js';
import { streamStructures } from '../../src/io/streamStructures.js';
import { catchAtomenvError, catchAtomenvErrorAsync } from '../helpers/errors.js';
import { SHARED_DATA } from './testPaths.js';

const BATCH = path.join(SHARED_DATA, 'structures/batch_g2_CHNO_972.extxyz');
const BATCH_TEXT = readFileSync(BATCH, 'utf8');
let tmp: string;

beforeAll(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'atomenv-io-'));
});
afterAll(() => {
  rmSync(tmp, { recursive: true, force: true });
});

async function collect(frames: AsyncIterable<ParsedStructure>): Promise<ParsedStructure[]> {
  const out: ParsedStructure[] = [];
  for await (const frame of frames) out.push(frame);
  return out;
}

/** Yields a text in small pieces and counts how many pieces were taken. */
function chunked(text: string, size: number): { chunks: AsyncIterable<string>; taken: () => number; total: number } {
  let taken = 0;
  async function* chunks(): AsyncGenerator<string> {
    for (let k = 0; k < text.length; k += size) {
      taken++;
      yield text.slice(k, k + size);
    }
  }
  return { chunks: chunks(), taken: () => taken, total: Math.ceil(text.length / size) };
}

/** 1-based number of the first atom line of a frame in an XYZ text, counted by hand. */
function firstAtomLineOfFrame(lines: string[], frame: number): number {
  let countLine = 0;
  for (let f = 0; f < frame; f++) countLine += 2 + Number(lines[countLine]);
  return countLine + 3;
}

describe('readStructures', () => {
  it('reads every shared format through the same entry point', async () => {
    expect((await readStructures(BATCH)).length).toBe(972);
    expect((await readStructures(path.join(SHARED_DATA, 'n2p2/Cu2S_PBE/input.data'))).length).toBe(3);
    expect((await readStructures(path.join(SHARED_DATA, 'structures/mol_CH4.extxyz'), 'extxyz'))[0]!.numbers).toEqual([6, 1, 1, 1, 1]);
  });

  it('throws FILE_NOT_FOUND naming the path', async () => {
    const missing = path.join(tmp, 'missing.extxyz');
    const error = await catchAtomenvErrorAsync(() => readStructures(missing));
    expect(error.code).toBe('FILE_NOT_FOUND');
    expect(error.message).toContain(missing);
    expect(error.location.file).toBe(missing);
  });

  it('throws IO_ERROR for a directory and PARSE_ERROR for an empty file', async () => {
    expect((await catchAtomenvErrorAsync(() => readStructures(tmp))).code).toBe('IO_ERROR');
    const empty = path.join(tmp, 'empty.extxyz');
    writeFileSync(empty, '\n\n');
    const error = await catchAtomenvErrorAsync(() => readStructures(empty));
    expect(error.code).toBe('PARSE_ERROR');
    expect(error.message).toContain('empty');
  });
});

describe('iterateStructures', () => {
  it('gives the same frames as readStructures for the batch file', async () => {
    const streamed = await collect(iterateStructures(BATCH));
    const whole = await readStructures(BATCH);
    expect(streamed.length).toBe(972);
    expect(streamed).toEqual(whole);
  });

  it('streams n2p2 and POSCAR files too', async () => {
    const file = path.join(SHARED_DATA, 'n2p2/H2O_RPBE-D3/input.data');
    expect(await collect(iterateStructures(file))).toEqual(await readStructures(file));
    const poscar = path.join(tmp, 'POSCAR');
    writeFileSync(poscar, 'Cu\n3.6\n1 0 0\n0 1 0\n0 0 1\nCu\n1\nDirect\n0 0 0\n');
    expect((await collect(iterateStructures(poscar))).map((s) => s.numbers)).toEqual([[29]]);
  });

  it('hands out the first frame after reading only the first chunks', async () => {
    const source = chunked(BATCH_TEXT, 64);
    const frames = streamStructures(source.chunks, undefined, { file: 'batch.extxyz' });
    const first = await frames.next();
    expect(first.done).toBe(false);
    expect((first.value as ParsedStructure).info['name']).toBe('CH3CHO');
    expect(source.taken()).toBeLessThan(20);
    const rest = await collect(frames);
    expect(rest.length).toBe(971);
    expect(source.taken()).toBe(source.total);
  });

  it('splits lines across chunk borders and CRLF endings like the whole-text parser', async () => {
    const lines = BATCH_TEXT.split('\n');
    const crlf = lines.slice(0, firstAtomLineOfFrame(lines, 50) - 3).join('\r\n');
    const expected = parseStructures(crlf, 'extxyz');
    for (const size of [1, 7, 4096]) {
      expect(await collect(streamStructures(chunked(crlf, size).chunks))).toEqual(expected);
    }
    expect(expected.length).toBe(50);
  });

  it('reports an error in a later frame with its file line and frame, after yielding the frames before it', async () => {
    const lines = BATCH_TEXT.split('\n');
    const badLine = firstAtomLineOfFrame(lines, 700) + 1; // second atom of frame 700
    const columns = lines[badLine - 1]!.trim().split(/\s+/);
    columns[2] = '1.2.3';
    lines[badLine - 1] = columns.join(' ');
    const file = path.join(tmp, 'bad_batch.extxyz');
    writeFileSync(file, lines.join('\n'));

    let yielded = 0;
    const error = await catchAtomenvErrorAsync(async () => {
      for await (const _ of iterateStructures(file)) yielded++;
    });
    expect(yielded).toBe(700);
    expect(error.code).toBe('PARSE_ERROR');
    expect(error.location).toEqual({ file, line: badLine, frame: 700 });
    expect(error.message).toBe(`${file}, line ${badLine}, frame 700: y coordinate of atom 1 is not a number: '1.2.3'`);
    // the whole-text parser says the same
    expect(catchAtomenvError(() => parseStructures(lines.join('\n'), undefined, { file })).message).toBe(error.message);
  });

  it('throws FILE_NOT_FOUND for a missing file, IO_ERROR for a directory, PARSE_ERROR for an empty file', async () => {
    const missing = path.join(tmp, 'nope.xyz');
    expect((await catchAtomenvErrorAsync(() => collect(iterateStructures(missing)))).code).toBe('FILE_NOT_FOUND');
    expect((await catchAtomenvErrorAsync(() => collect(iterateStructures(tmp)))).code).toBe('IO_ERROR');
    const empty = path.join(tmp, 'empty2.xyz');
    writeFileSync(empty, '');
    expect((await catchAtomenvErrorAsync(() => collect(iterateStructures(empty)))).code).toBe('PARSE_ERROR');
  });

  it('stops reading when the loop breaks', async () => {
    let count = 0;
    for await (const frame of iterateStructures(BATCH)) {
      expect(frame.numbers.length).toBeGreaterThan(0);
      if (++count === 3) break;
    }
    expect(count).toBe(3);
  });
});
