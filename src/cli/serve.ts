import { createServer } from 'node:http';
import { AtomenvError } from '../errors.js';
import { createHandler } from '../serverless/handler.js';
import { createNodeListener } from '../serverless/nodeListener.js';
import type { ServeArgs } from './serveArgs.js';
import { serveCompute } from './serveCompute.js';

/** How long in-flight requests may take to finish after SIGINT/SIGTERM before their connections are cut. */
const SHUTDOWN_GRACE_MS = 10_000;

/**
 * `atomenv serve`: the serverless handler on Node's http server. Prints one "listening" line on
 * stdout (with the actual port, for --port 0), serves until SIGINT or SIGTERM, then stops
 * accepting connections, lets in-flight requests finish and resolves with exit code 0.
 */
export async function runServe(args: ServeArgs): Promise<number> {
  const { compute, note, close } = serveCompute(args.workers);
  if (note !== null) process.stderr.write(`atomenv serve: ${note}\n`);
  const report = (error: unknown): void => {
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`atomenv serve: internal error: ${message}\n`);
    if (process.env.ATOMENV_DEBUG === '1' && error instanceof Error && error.stack !== undefined) process.stderr.write(`${error.stack}\n`);
  };
  const handler = createHandler({
    compute,
    limits: args.limits,
    onError: report,
    health: () => {
      const { rss, heapUsed, external, arrayBuffers } = process.memoryUsage();
      return { memory: { rss, heapUsed, external, arrayBuffers }, workers: args.workers ?? 0 };
    },
  });
  const server = createServer(createNodeListener(handler, { onError: report }));

  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      reject(new AtomenvError('IO_ERROR', `cannot listen on ${args.host}:${args.port}: ${error.code ?? error.message}`));
    });
    server.listen(args.port, args.host, resolve);
  });
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : args.port;
  const host = args.host.includes(':') ? `[${args.host}]` : args.host;
  process.stdout.write(`atomenv serve: listening on http://${host}:${port} (POST /v1/compute, GET /v1/health)\n`);

  return new Promise<number>((resolve) => {
    const stop = (signal: NodeJS.Signals): void => {
      process.stderr.write(`atomenv serve: ${signal}: finishing in-flight requests and stopping\n`);
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      // Keep-alive connections become idle when their last response is sent: close them then.
      const sweep = setInterval(() => server.closeIdleConnections(), 100).unref();
      setTimeout(() => server.closeAllConnections(), SHUTDOWN_GRACE_MS).unref();
      server.close(() => {
        clearInterval(sweep);
        void close().then(() => resolve(0));
      });
      server.closeIdleConnections();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
