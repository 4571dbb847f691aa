// `npm run demo [-- --port P]`: builds the demo page and serves it on 127.0.0.1 until Ctrl-C.
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
  const { server, url } = await serveStatic(root, null, { port });
  console.log(`demo: serving on ${url}/  (Ctrl-C to stop)`);
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
