import importedModule from 'atomenv:wasm-module';
import { init as initWith, type InitOptions, type Runtime } from './loader.js';

/**
 * {@link initWith | init} for edge runtimes, which cannot compile wasm from bytes: without
 * `options.module` it instantiates the SIMD module imported next to the bundle.
 */
export function init(options: InitOptions = {}): Promise<Runtime> {
  return initWith({ ...options, module: options.module ?? importedModule });
}

/** The compiled SIMD module the edge bundle imports. */
export const wasmModule: WebAssembly.Module = importedModule;
