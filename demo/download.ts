import { encodeNpy } from '../src/index.js';

/** The descriptor matrix as .npy bytes (float64, C order, shape [atoms, features]). */
export function npyBytes(values: Float64Array, shape: readonly [number, number]): Uint8Array {
  return encodeNpy(values, shape, 'float64');
}

/** Offers `bytes` to the user as a file download named `name`. */
export function offerDownload(bytes: Uint8Array, name: string): void {
  const url = URL.createObjectURL(new Blob([bytes as Uint8Array<ArrayBuffer>], { type: 'application/octet-stream' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  // The browser has started reading the blob; free it once the click has been handled.
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}
