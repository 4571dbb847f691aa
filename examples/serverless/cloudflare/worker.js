// Cloudflare Workers. Wrangler resolves 'atomenv/serverless' with the "workerd" condition to the
// edge build, which imports atomenv.simd.wasm as a compiled module (Workers cannot compile wasm
// from bytes). Deploy: npm install atomenv && npx wrangler deploy
import { createHandler } from 'atomenv/serverless';

// The default limits (DEFAULT_LIMITS: 2 MiB body, 5000 atoms, 2^20 output values, 500 000
// neighbour pairs, ...) are sized for a 128 MB isolate; lower them for plans with little CPU
// time per request.
const handler = createHandler({ limits: { maxAtoms: 5000 } });

export default {
  fetch(request) {
    return handler(request);
  },
};
