// Bundles the library and the CLI with esbuild (ESM), then emits type declarations with tsc.
// Runs after scripts/buildWasm.mjs, which generates src/wasm/binaries.generated.ts: the wasm is
// embedded in every bundle, so none of them needs file access to load it.
import { build } from 'esbuild';
import { spawn } from 'node:child_process';
import { chmod, readFile, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';

const pkg = JSON.parse(await readFile('package.json', 'utf8'));

/**
 * Resolves `atomenv:wasm-module` (src/wasm/wasmModule.d.ts) to an external import of the SIMD
 * build beside the bundle: `./atomenv.simd.wasm` for Cloudflare Workers (workerd), which gives a
 * compiled `WebAssembly.Module`, and `./atomenv.simd.wasm?module` for Vercel Edge (edge-light).
 */
function wasmModuleImport(specifier) {
  return {
    name: 'atomenv-wasm-module',
    setup(b) {
      b.onResolve({ filter: /^atomenv:wasm-module$/ }, () => ({ path: specifier, external: true }));
    },
  };
}

const common = {
  bundle: true,
  format: 'esm',
  legalComments: 'none',
  logLevel: 'warning',
};

const bundles = [
  {
    // Runtime-neutral: no Node built-ins may be reached from here (esbuild fails if one is).
    entryPoints: ['src/index.ts'],
    outfile: 'dist/index.js',
    platform: 'neutral',
    mainFields: ['module', 'main'],
    target: 'es2022',
    packages: 'external',
  },
  {
    // comlink is bundled in: importing it as a package costs a cold start several ms (package
    // lookup, and Node scans its CommonJS build for exports).
    entryPoints: ['src/index.node.ts'],
    outfile: 'dist/index.node.js',
    platform: 'node',
    target: 'node20',
  },
  {
    // The neutral entry for Deno and browsers is dist/index.js; edge runtimes get one that
    // imports the .wasm as a module (they cannot compile wasm from bytes).
    entryPoints: ['src/index.edge.ts'],
    outfile: 'dist/index.workerd.js',
    ...edge('./atomenv.simd.wasm'),
  },
  {
    entryPoints: ['src/index.edge.ts'],
    outfile: 'dist/index.edge-light.js',
    ...edge('./atomenv.simd.wasm?module'),
  },
  {
    // The HTTP handler (`atomenv/serverless`): neutral (Deno, browsers), Node (plus the
    // node:http adapter) and the two edge flavours (default export `{ fetch }`).
    entryPoints: ['src/serverless/index.ts'],
    outfile: 'dist/serverless.js',
    platform: 'neutral',
    mainFields: ['module', 'main'],
    target: 'es2022',
    packages: 'external',
  },
  {
    entryPoints: ['src/serverless/index.node.ts'],
    outfile: 'dist/serverless.node.js',
    platform: 'node',
    target: 'node20',
    packages: 'external',
  },
  {
    entryPoints: ['src/serverless/edge.ts'],
    outfile: 'dist/serverless.workerd.js',
    ...edge('./atomenv.simd.wasm'),
  },
  {
    entryPoints: ['src/serverless/edge.ts'],
    outfile: 'dist/serverless.edge-light.js',
    ...edge('./atomenv.simd.wasm?module'),
  },
  {
    // Self-contained executable.
    entryPoints: ['src/cli/main.ts'],
    outfile: 'dist/cli.js',
    platform: 'node',
    target: 'node20',
    banner: { js: '#!/usr/bin/env node' },
    define: { __ATOMENV_VERSION__: JSON.stringify(pkg.version) },
  },
  {
    // Worker entry points: esbuild does not follow `new Worker(new URL(...))`, so each worker is
    // its own self-contained bundle with a stable name.
    entryPoints: ['workers/descriptor.node.ts'],
    outfile: 'dist/workers/descriptor.node.js',
    platform: 'node',
    target: 'node20',
  },
  {
    // The same worker as CommonJS, which the Node pool starts: a worker thread loads a CommonJS
    // entry several ms sooner than an ES module (no ES module loader to set up in the thread).
    entryPoints: ['workers/descriptor.node.ts'],
    outfile: 'dist/workers/descriptor.node.cjs',
    platform: 'node',
    target: 'node20',
    format: 'cjs',
  },
  {
    entryPoints: ['workers/descriptor.browser.ts'],
    outfile: 'dist/workers/descriptor.browser.js',
    platform: 'browser',
    target: 'es2022',
  },
];

/** Options of an edge bundle: neutral platform, the wasm imported from `wasmPath`. */
function edge(wasmPath) {
  return { platform: 'neutral', mainFields: ['module', 'main'], target: 'es2022', packages: 'external', plugins: [wasmModuleImport(wasmPath)] };
}

// tsc is the slow step: start it first and bundle while it runs.
const declarations = runTsc(['-p', 'tsconfig.build.json']);

const started = performance.now();
try {
  await Promise.all(bundles.map((options) => build({ ...common, ...options })));
} catch {
  // esbuild has already printed the errors.
  console.error('bundle: esbuild failed');
  process.exit(1);
}
await chmod('dist/cli.js', 0o755);
for (const { outfile } of bundles) {
  const { size } = await stat(outfile);
  console.log(`built ${outfile} (${(size / 1024).toFixed(1)} KiB)`);
}
console.log(`bundled in ${(performance.now() - started).toFixed(0)} ms`);

const tsc = await declarations;
if (tsc.code !== 0) {
  process.stderr.write(tsc.output);
  console.error(`bundle: type declaration emit failed (tsc -p tsconfig.build.json exited with ${tsc.code})`);
  process.exit(1);
}
console.log('emitted type declarations to dist/types');

/** Runs the project's tsc; resolves with its exit code and combined output. */
function runTsc(args) {
  const tscBin = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [tscBin, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('close', (code) => resolve({ code: code ?? 1, output }));
    child.on('error', (error) => resolve({ code: 1, output: `${error.message}\n` }));
  });
}
