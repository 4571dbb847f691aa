// `npm run demo [-- --port P]`: builds the demo page and serves it on 127.0.0.1 until Ctrl-C.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { buildDemo } from './demoBuild.mjs';
import { serveStatic } from './staticServer.mjs';

let port;
try {
  const { values } = parseArgs({ options: { port: { type: 'string', short: 'p', default: '8080' } } });
  port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be an integer from 0 to 65535, got ${values.port}`);
} catch (error) {
  console.error(`demo: ${error.message}\nusage: npm run demo -- [--port P]`);
  process.exit(2);
}

try {
  const started = performance.now();
  const root = await buildDemo();
  console.log(`demo: built ${root} in ${(performance.now() - started).toFixed(0)} ms`);
  // The shared data folder beside the project (when there is one) gives the MD panel its water
  // potential under /shared/ (GPL data: served from there, never copied into the build).
  const shared = fileURLToPath(new URL('../../shared/', import.meta.url));
  const hasShared = existsSync(shared);
  const { server, url } = await serveStatic(root, hasShared ? shared : null, { port });
  console.log(`demo: serving on ${url}/  (Ctrl-C to stop)`);
  console.log(hasShared ? `demo: /shared/ serves ${shared} (the water potential of the MD panel)` : 'demo: no ../shared/ folder: the MD panel asks for a potential from disk');
  const stop = () => {
    server.close(() => process.exit(0));
    server.closeAllConnections();
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
} catch (error) {
  console.error(`demo: ${error.code === 'EADDRINUSE' ? `port ${port} is in use: pass another with --port` : error.message}`);
  process.exit(1);
}
