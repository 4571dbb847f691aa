import { describe, expect, it } from 'vitest';
import { streamLines, textLines, type Line } from '../../src/io/lines.js';
import { parseStructures } from '../../src/io/parseStructures.js';
import { streamStructures } from '../../src/io/streamStructures.js';
import { catchAtomenvErrorAsync } from '../helpers/errors.js';

async function* pieces(text: string, size: number): AsyncGenerator<string> {
  for (let k = 0; k < text.length; k += size) yield text.slice(k, k + size);
}

async function streamed(text: string, size: number): Promise<Line[]> {
  const out: Line[] = [];
  for await (const line of streamLines(pieces(text, size))) out.push(line);
  return out;
}

describe('line splitting', () => {
  const text = '\uFEFFa\r\nb\n\nc\r\nlast';
  const expected = [
    { text: 'a', number: 1 },
    { text: 'b', number: 2 },
    { text: '', number: 3 },
    { text: 'c', number: 4 },
    { text: 'last', number: 5 },
  ];

  it('splits a whole text on LF and CRLF, dropping a byte-order mark', () => {
    expect([...textLines(text)]).toEqual(expected);
    expect([...textLines('x\n', 10)]).toEqual([{ text: 'x', number: 10 }]);
  });

  it('splits a stream the same way, whatever the chunk size', async () => {
    for (const size of [1, 2, 3, 100]) expect(await streamed(text, size)).toEqual(expected);
    expect(await streamed('', 4)).toEqual([]);
  });

  it('numbers an error on a last line without a line ending', async () => {
    const bad = '1\n\nH 0 0 zz';
    const error = await catchAtomenvErrorAsync(async () => {
      for await (const _ of streamStructures(pieces(bad, 3), 'xyz')) {
        // read all
      }
    });
    expect(error.location.line).toBe(3);
    expect(() => parseStructures(bad, 'xyz')).toThrow(/^line 3, frame 0/);
  });
});
