// Node 20: node server.mjs (or simply: npx atomenv serve --port 8080).
// The Fetch handler on node:http; PORT=0 picks a free port.
import { createServer } from 'node:http';
import { createHandler, createNodeListener } from 'atomenv/serverless';

const server = createServer(createNodeListener(createHandler()));
server.listen(Number(process.env.PORT ?? 8080), '127.0.0.1', () => {
  console.log(`listening on http://127.0.0.1:${server.address().port}`);
});
for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, () => server.close());
