// Deno / Deno Deploy: deno run --allow-net main.ts (locally), or deploy this file.
// Deno resolves 'npm:atomenv/serverless' with the "deno" condition to the runtime-neutral build,
// which compiles its embedded wasm on the first request.
import { createHandler } from 'npm:atomenv/serverless';

Deno.serve({ port: Number(Deno.env.get('PORT') ?? 8080) }, createHandler());
