import { AtomenvError } from '../errors.js';
import { Arena } from './arena.js';
import type { KernelExports } from './kernels.js';
import { RELAXED_WASM_BASE64, SIMD_WASM_BASE64 } from './binaries.generated.js';

/** Options of {@link init}. */
export interface InitOptions {
  /**
   * An already compiled module (e.g. `import wasm from 'atomenv/wasm/simd.wasm'` in Cloudflare
   * Workers or Vercel Edge, which cannot compile wasm from bytes). When given, no bytes are
   * compiled.
   */
  module?: WebAssembly.Module;
  /**
   * Which build to use when atomenv compiles the module itself: `'auto'` (default) picks the
   * relaxed-SIMD build when `WebAssembly.validate` accepts it, else plain SIMD. In Node 20,
   * whose V8 validates relaxed SIMD only behind `--experimental-wasm-relaxed-simd`, an explicit
   * `'relaxed'` turns that flag on for the process (see the Node entry's `init`).
   */
  simd?: 'auto' | 'relaxed' | 'simd';
}

/** What {@link init} loaded. */
export interface Runtime {
  readonly kernels: KernelExports;
  readonly arena: Arena;
  readonly module: WebAssembly.Module;
  /** `'relaxed'` or `'simd'` when atomenv chose the build; `'external'` for a given module. */
  readonly variant: 'relaxed' | 'simd' | 'external';
}

let runtime: Runtime | null = null;
let pending: Promise<Runtime> | null = null;

/** (func (param v128 v128) (result v128) local.get 0 local.get 1 i8x16.relaxed_swizzle): valid only where relaxed SIMD is. */
const RELAXED_SIMD_PROBE = Uint8Array.of(
  0, 97, 115, 109, 1, 0, 0, 0, 1, 7, 1, 96, 2, 123, 123, 1, 123, 3, 2, 1, 0, 10, 11, 1, 9, 0, 32, 0, 32, 1, 253, 128, 2, 11,
);

/** Whether this runtime validates relaxed-SIMD code (Chromium, Node ≥ 22; Node 20 only with its V8 flag). */
export function relaxedSimdSupported(): boolean {
  return WebAssembly.validate(RELAXED_SIMD_PROBE);
}

function decodeBase64(b64: string): Uint8Array<ArrayBuffer> {
  // Node's Buffer decodes natively (the loop below costs ~2 ms while V8 still interprets it).
  const nodeBuffer = (globalThis as { Buffer?: { from(s: string, encoding: 'base64'): Uint8Array } }).Buffer;
  if (nodeBuffer !== undefined) return new Uint8Array(nodeBuffer.from(b64, 'base64'));
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** The wasm bytes of a build, e.g. to post to a worker or to save for an edge runtime. */
export function wasmBytes(variant: 'relaxed' | 'simd'): Uint8Array<ArrayBuffer> {
  return decodeBase64(variant === 'relaxed' ? RELAXED_WASM_BASE64 : SIMD_WASM_BASE64);
}

async function load(options: InitOptions): Promise<Runtime> {
  if (typeof WebAssembly === 'undefined') {
    throw new AtomenvError('WASM_UNAVAILABLE', 'this JavaScript runtime has no WebAssembly');
  }
  let module = options.module;
  let variant: Runtime['variant'] = 'external';
  if (module === undefined) {
    const want = options.simd ?? 'auto';
    // A 34-byte probe decides 'auto' (validating the whole relaxed build cost ~2.5 ms at start-up).
    const useRelaxed = want === 'relaxed' || (want === 'auto' && relaxedSimdSupported());
    try {
      module = await WebAssembly.compile(wasmBytes(useRelaxed ? 'relaxed' : 'simd'));
    } catch (error) {
      if (!(error instanceof WebAssembly.CompileError)) throw error;
      throw new AtomenvError('WASM_UNAVAILABLE', `this runtime cannot run the ${useRelaxed ? 'relaxed-SIMD' : 'SIMD'} wasm build (WebAssembly SIMD is required): ${error.message}`);
    }
    variant = useRelaxed ? 'relaxed' : 'simd';
  }
  const instance = await WebAssembly.instantiate(module, kernelImports());
  return runtimeOf(instance, module, variant);
}

/** What the kernels import: only `env.abort` (AssemblyScript's assertion failures). */
function kernelImports(): WebAssembly.Imports {
  return {
    env: {
      abort(_msg: number, _file: number, line: number, col: number): never {
        throw new Error(`atomenv wasm aborted at ${line}:${col}`);
      },
    },
  };
}

function runtimeOf(instance: WebAssembly.Instance, module: WebAssembly.Module, variant: Runtime['variant']): Runtime {
  const kernels = instance.exports as unknown as KernelExports;
  return { kernels, arena: new Arena(kernels), module, variant };
}

/**
 * Loads and instantiates the wasm kernels once; later calls return the same runtime
 * (idempotent; after {@link releaseMemory}, the fresh one). After it resolves, descriptor `create` and `derivatives` calls are synchronous.
 */
export async function init(options: InitOptions = {}): Promise<Runtime> {
  if (runtime !== null) return runtime;
  if (pending === null) {
    pending = load(options).then(
      (r) => (runtime = r),
      (e: unknown) => {
        pending = null;
        throw e;
      },
    );
  }
  return pending;
}

/** The loaded runtime (after {@link releaseMemory}: the new one), or null before {@link init} has resolved. */
export function currentRuntime(): Runtime | null {
  return runtime;
}

/**
 * The loaded runtime; throws NOT_INITIALIZED before {@link init} has resolved. After
 * {@link releaseMemory} it is the new instance's: take it per call, never keep it across calls.
 */
export function getRuntime(): Runtime {
  if (runtime === null) {
    throw new AtomenvError('NOT_INITIALIZED', 'call `await init()` before computing descriptors');
  }
  return runtime;
}

/**
 * Gives the wasm memory back: WebAssembly memory only grows, so after one very large structure
 * (SOAP on 300 000 atoms takes 1–4 GiB) a long-lived process would keep that footprint. This
 * replaces the loaded runtime by a fresh instance of the same compiled module (synchronous, no
 * recompilation, ~0.1 ms), whose memory is the module's initial 64 KiB; the old memory
 * becomes garbage. Descriptor objects made before (SOAP, ACSF, CACE, SymmetryFunctions, n2p2
 * potentials) keep working unchanged: they look up the runtime on every call and rebuild what
 * they keep in wasm memory (SOAP's radial tables) on first use. Costs the next call that rebuild
 * and the memory growth again.
 *
 * A no-op before {@link init} has resolved. Afterwards `getRuntime()`, `init()` and
 * `currentRuntime()` return the new runtime; a `Runtime` object kept from before is retired:
 * its arena throws `RUNTIME_RELEASED` instead of computing on the old memory (and holding it
 * keeps that memory alive). For a pool, see `Pool.releaseMemory`.
 */
export function releaseMemory(): void {
  const old = runtime;
  if (old === null) return;
  runtime = runtimeOf(new WebAssembly.Instance(old.module, kernelImports()), old.module, old.variant);
  // The settled promise of the first init() holds the old runtime (and with it the old memory).
  pending = null;
  old.arena.retire();
}
