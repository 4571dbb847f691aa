import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeNpy, encodeNpy } from '../../src/io/npy.js';
import { catchAtomenvError } from '../helpers/errors.js';

const HAS_NUMPY = spawnSync('python3', ['-c', 'import numpy'], { stdio: 'ignore' }).status === 0;

function headerOf(bytes: Uint8Array): { text: string; length: number } {
  const length = bytes[8]! | (bytes[9]! << 8);
  return { text: new TextDecoder('latin1').decode(bytes.subarray(10, 10 + length)), length };
}

describe('encodeNpy', () => {
  it('writes a version 1.0 header padded to 64 bytes', () => {
    const bytes = encodeNpy(new Float64Array([1, 2, 3, 4, 5, 6]), [2, 3]);
    expect(Array.from(bytes.subarray(0, 6))).toEqual([0x93, ...'NUMPY'.split('').map((c) => c.charCodeAt(0))]);
    expect([bytes[6], bytes[7]]).toEqual([1, 0]);
    const { text, length } = headerOf(bytes);
    expect((10 + length) % 64).toBe(0);
    expect(text.startsWith("{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), }")).toBe(true);
    expect(text.endsWith('\n')).toBe(true);
    expect(text.slice(0, -1).trimEnd().length).toBe(text.indexOf('}') + 1); // only spaces pad it
    expect(bytes.length).toBe(10 + length + 6 * 8);
    expect(new DataView(bytes.buffer).getFloat64(10 + length + 8, true)).toBe(2);
  });

  it('writes 1-D and 0-D shapes as Python tuples, and the float32/int32 descr', () => {
    expect(headerOf(encodeNpy(new Float32Array(5), [5])).text).toContain("'descr': '<f4', 'fortran_order': False, 'shape': (5,), }");
    expect(headerOf(encodeNpy(new Int32Array(1), [])).text).toContain("'descr': '<i4', 'fortran_order': False, 'shape': (), }");
  });

  it('throws when the shape does not match the values', () => {
    const error = catchAtomenvError(() => encodeNpy(new Float64Array(5), [2, 3]));
    expect(error.code).toBe('INVALID_PARAMETER');
    expect(() => encodeNpy(new Float64Array(2), [2.5])).toThrow(/non-negative integers/);
    expect(() => encodeNpy(new Float64Array([1.5]), [1], 'int32')).toThrow(/not a 32-bit integer/);
  });
});

describe('encodeNpy → decodeNpy', () => {
  it('round-trips float64 exactly', () => {
    const values = new Float64Array([Math.PI, -1e-300, 1.7976931348623157e308, 0.1 + 0.2, -0, 42]);
    const decoded = decodeNpy(encodeNpy(values, [3, 2]));
    expect(decoded.dtype).toBe('float64');
    expect(decoded.shape).toEqual([3, 2]);
    expect(decoded.values).toEqual(values);
  });

  it('round-trips float32 and converts float64 input to float32', () => {
    const values = new Float32Array([1.5, -2.25, 3.1415927]);
    expect(decodeNpy(encodeNpy(values, [3])).values).toEqual(values);
    const converted = decodeNpy(encodeNpy(new Float64Array([0.1, 0.2]), [1, 2], 'float32'));
    expect(converted.dtype).toBe('float32');
    expect(converted.values).toEqual(new Float32Array([0.1, 0.2]));
  });

  it('round-trips int32 with negative and extreme values', () => {
    const values = new Int32Array([0, -1, 2147483647, -2147483648, 7, 8]);
    const decoded = decodeNpy(encodeNpy(values, [2, 1, 3]));
    expect(decoded).toEqual({ shape: [2, 1, 3], dtype: 'int32', values });
  });

  it('reads a big-endian array and rejects bytes that are not .npy', () => {
    const header = "{'descr': '>i4', 'fortran_order': False, 'shape': (2,), }".padEnd(117, ' ') + '\n';
    const bytes = new Uint8Array(128 + 8);
    bytes.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, 118, 0]);
    bytes.set(new TextEncoder().encode(header), 10);
    bytes.set([0, 0, 1, 0, 0xff, 0xff, 0xff, 0xfe], 128);
    expect(decodeNpy(bytes).values).toEqual(new Int32Array([256, -2]));
    expect(catchAtomenvError(() => decodeNpy(new Uint8Array([1, 2, 3]))).code).toBe('PARSE_ERROR');
    expect(() => decodeNpy(encodeNpy(new Float64Array(4), [4]).subarray(0, 100))).toThrow(/truncated/);
  });
});

describe.skipIf(!HAS_NUMPY)('NumPy interoperability (python3 with numpy)', () => {
  it('numpy loads what encodeNpy writes, and decodeNpy reads what numpy saves', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'atomenv-npy-'));
    try {
      const ours = path.join(dir, 'ours.npy');
      writeFileSync(ours, encodeNpy(new Float64Array([1.5, -2, 3.25, 0.1, 5, 6]), [2, 3]));
      const theirs = path.join(dir, 'theirs.npy');
      const script = [
        'import sys, numpy as np',
        'a = np.load(sys.argv[1])',
        'assert a.dtype == np.float64 and a.shape == (2, 3), (a.dtype, a.shape)',
        'assert a.tolist() == [[1.5, -2.0, 3.25], [0.1, 5.0, 6.0]], a.tolist()',
        'np.save(sys.argv[2], np.arange(12, dtype=np.float32).reshape(3, 4) / 8)',
      ].join('\n');
      const run = spawnSync('python3', ['-c', script, ours, theirs], { encoding: 'utf8' });
      expect(run.stderr).toBe('');
      expect(run.status).toBe(0);
      const decoded = decodeNpy(new Uint8Array(readFileSync(theirs)));
      expect(decoded.shape).toEqual([3, 4]);
      expect(decoded.dtype).toBe('float32');
      expect(Array.from(decoded.values)).toEqual(Array.from({ length: 12 }, (_, k) => k / 8));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
