import { AtomenvError } from '../errors.js';
import type { KernelExports } from './kernels.js';

const PAGE = 65536;
/** wasm32 cannot address more than 4 GiB. */
const MAX_BYTES = 4 * 1024 * 1024 * 1024;
/** Resident blocks beyond this many bytes in total are all dropped before a new one is added. */
const RESIDENT_LIMIT = 256 * 1024 * 1024;

/**
 * A bump allocator over the wasm linear memory above the module's static data. Each kernel
 * call lays out its buffers with `alloc` after `reset()`; memory grows as needed. Views must be
 * taken after the last `alloc` of a call, because growing detaches the old ArrayBuffer.
 */
export class Arena {
  private top: number;
  /** Bottom of the per-call region: resident blocks lie between `floor` and `base`. */
  private base: number;
  private readonly floor: number;
  private readonly residents = new Map<string, number>();
  /** Set by releaseMemory(): this arena's instance is no longer the loaded one. */
  private retired = false;

  constructor(private readonly kernels: KernelExports) {
    this.floor = align(kernels.heapBase(), 16);
    this.base = this.floor;
    this.top = this.base;
  }

  /**
   * A block that stays in wasm memory across calls (e.g. a radial-integral table), found by
   * `key`; on first use it is allocated and `fill(ptr)` writes it. Call right after `reset()`.
   * When the resident blocks would exceed 256 MiB they are all dropped first (and rebuilt on use).
   */
  resident(key: string, bytes: number, fill: (ptr: number) => void): number {
    this.checkLive();
    const hit = this.residents.get(key);
    if (hit !== undefined) return hit;
    if (this.top !== this.base) throw new Error('Arena.resident must be called right after reset()');
    if (this.base - this.floor + bytes > RESIDENT_LIMIT) {
      this.residents.clear();
      this.base = this.floor;
      this.top = this.base;
    }
    const ptr = this.alloc(bytes);
    this.base = this.top;
    fill(ptr);
    this.residents.set(key, ptr);
    return ptr;
  }

  reset(): void {
    this.checkLive();
    this.top = this.base;
  }

  /**
   * Marks this arena's runtime as replaced by releaseMemory(): every later reset, alloc or
   * resident throws, so a Runtime object kept from before cannot compute on the old memory.
   */
  retire(): void {
    this.retired = true;
    this.residents.clear();
  }

  private checkLive(): void {
    if (this.retired) {
      throw new AtomenvError('RUNTIME_RELEASED', 'this Runtime was replaced by releaseMemory(): take the current one from await init()');
    }
  }

  /** The current top, to give back everything allocated after it with {@link release}. */
  mark(): number {
    return this.top;
  }

  release(mark: number): void {
    this.top = mark;
  }

  /** Reserves `bytes` (16-byte aligned) and returns its byte offset. */
  alloc(bytes: number): number {
    this.checkLive();
    const ptr = this.top;
    const end = align(ptr + Math.max(0, bytes), 16);
    if (end > MAX_BYTES) {
      throw new AtomenvError('OUT_OF_MEMORY', `a computation needs ${(end / 2 ** 30).toFixed(1)} GiB of wasm memory (the limit is 4 GiB): compute fewer centres or atoms per call (SOAP gradients: or the sparse layout)`);
    }
    const memory = this.kernels.memory;
    const have = memory.buffer.byteLength;
    if (end > have) {
      try {
        memory.grow(Math.ceil((end - have) / PAGE));
      } catch {
        throw new AtomenvError('OUT_OF_MEMORY', `could not grow wasm memory to ${(end / 2 ** 20).toFixed(0)} MiB`);
      }
    }
    this.top = end;
    return ptr;
  }

  /** Reserves room for `data` (at least one element), copies it in and returns its offset. */
  copyIn(data: Int32Array | Float64Array): number {
    const p = this.alloc(data.BYTES_PER_ELEMENT * Math.max(1, data.length));
    if (data instanceof Int32Array) this.i32(p, data.length).set(data);
    else this.f64(p, data.length).set(data);
    return p;
  }

  allocF64(n: number): number {
    return this.alloc(8 * n);
  }

  allocI32(n: number): number {
    return this.alloc(4 * n);
  }

  f64(ptr: number, n: number): Float64Array {
    return new Float64Array(this.kernels.memory.buffer, ptr, n);
  }

  f32(ptr: number, n: number): Float32Array {
    return new Float32Array(this.kernels.memory.buffer, ptr, n);
  }

  i32(ptr: number, n: number): Int32Array {
    return new Int32Array(this.kernels.memory.buffer, ptr, n);
  }
}

function align(x: number, a: number): number {
  return Math.ceil(x / a) * a;
}
