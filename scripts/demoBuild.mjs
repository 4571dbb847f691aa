// Builds the demo page (demo/) into a folder that any static server can serve: index.html,
// style.css, main.js (the page with the library and ECharts), workers/descriptor.browser.js
// (the pool's Web Worker), mdWorker.js (the MD panel's Web Worker) and example.extxyz (the
// bundled multi-frame example).
import { build } from 'esbuild';
import { existsSync } from 'node:fs';
import { copyFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
/** The bundled example: 24 molecules of the CHNO batch (shared/data/structures). */
export const DEMO_EXAMPLE = 'examples/chno_24mol.extxyz';

/** Builds the demo into `outdir` (absolute, or relative to the project root); returns its path. */
export async function buildDemo(outdir = 'build/demo', { minify = true } = {}) {
  const out = path.resolve(ROOT, outdir);
  if (!existsSync(path.join(ROOT, 'src/wasm/binaries.generated.ts'))) {
    throw new Error('demo: src/wasm/binaries.generated.ts is missing: run `npm run build:wasm` (or `npm run demo`) first');
  }
  await mkdir(path.join(out, 'workers'), { recursive: true });
  const common = { bundle: true, format: 'esm', platform: 'browser', target: 'es2022', minify, legalComments: 'none', logLevel: 'warning' };
  await Promise.all([
    build({ ...common, entryPoints: [path.join(ROOT, 'demo/main.ts')], outfile: path.join(out, 'main.js') }),
    // The worker keeps the name the library's pool expects beside its bundle.
    build({ ...common, entryPoints: [path.join(ROOT, 'workers/descriptor.browser.ts')], outfile: path.join(out, 'workers/descriptor.browser.js') }),
    // The molecular-dynamics panel's own worker (the library and the n2p2 potential).
    build({ ...common, entryPoints: [path.join(ROOT, 'demo/mdWorker.ts')], outfile: path.join(out, 'mdWorker.js') }),
    copyFile(path.join(ROOT, 'demo/index.html'), path.join(out, 'index.html')),
    copyFile(path.join(ROOT, 'demo/style.css'), path.join(out, 'style.css')),
    copyFile(path.join(ROOT, DEMO_EXAMPLE), path.join(out, 'example.extxyz')),
  ]);
  return out;
}
