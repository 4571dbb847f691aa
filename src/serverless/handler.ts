import { type ComputeFn } from './computeJob.js';
import { parseComputeRequest } from './computeRequest.js';
import { errorResponse } from './errorResponse.js';
import { HttpError } from './httpError.js';
import { createInProcessCompute } from './inProcessCompute.js';
import { resolveLimits, type ServerlessLimits } from './limits.js';
import { readJsonBody } from './readJsonBody.js';
import { checkCost, requestCost } from './requestCost.js';
import { arrayJsonResponse, jsonResponse, npyResponse } from './responses.js';
import { structureInput } from './structureInput.js';

/** Options of {@link createHandler}. */
export interface HandlerOptions {
  /** Overrides of {@link DEFAULT_LIMITS}. */
  limits?: Partial<ServerlessLimits>;
  /** How jobs are computed; default: in this thread, loading the wasm once on the first request. */
  compute?: ComputeFn;
  /** A compiled wasm module for the default compute (edge runtimes need one). */
  module?: WebAssembly.Module;
  /** Path prefix of the routes, e.g. `/api` for `/api/v1/compute` (default none). */
  basePath?: string;
  /** Extra fields of the `GET /v1/health` body (e.g. memory use); called per request. */
  health?: () => Record<string, unknown>;
  /** Sees every error answered with a 500 (default: `console.error`); the response never shows it. */
  onError?: (error: unknown) => void;
}

/** A Fetch API handler: what Cloudflare Workers, Deno.serve, edge functions and Node 20 can call. */
export type FetchHandler = (request: Request) => Promise<Response>;

/**
 * The atomenv HTTP API on the standard Fetch API:
 *
 * - `POST /v1/compute`, JSON body `{"config": {"descriptor": ..., ...options}, "structure": text |
 *   object, "format"?: ..., "centers"?: [...]}` → `{"shape": [rows, features], "values": [...]}`,
 *   or `.npy` bytes when `Accept` names `application/octet-stream`.
 * - `GET /v1/health` → 200 `{"status": "ok", "limits": {...}, ...health()}`.
 *
 * Errors are JSON `{"error": {"code", "message"}}`: 400 malformed request, 404 unknown route, 405
 * wrong method, 413 above a limit (body, atoms, output, neighbour pairs, cutoff, nMax), 415 body
 * not JSON, 422 bad config, structure or centres (the AtomenvError code), 500 internal (no
 * details). Config and cost are checked before anything is built or computed.
 */
export function createHandler(options: HandlerOptions = {}): FetchHandler {
  const limits = resolveLimits(options.limits);
  const compute = options.compute ?? createInProcessCompute(options.module === undefined ? {} : { module: options.module });
  const base = (options.basePath ?? '').replace(/\/+$/, '');
  const report = options.onError ?? ((error: unknown) => console.error('atomenv: internal error:', error));

  const routes: Record<string, Record<string, (request: Request) => Promise<Response>>> = {
    [`${base}/v1/compute`]: { POST: computeRoute },
    [`${base}/v1/health`]: { GET: healthRoute, HEAD: healthRoute },
  };

  async function computeRoute(request: Request): Promise<Response> {
    const body = parseComputeRequest(await readJsonBody(request, limits.maxBodyBytes));
    const structure = structureInput(body.structure, body.format, limits.maxAtoms);
    checkCost(requestCost(body.config, structure, body.centers?.length ?? structure.nAtoms), limits);
    const { values, shape } = await compute({ config: body.config, structure, centers: body.centers, maxOutputValues: limits.maxOutputValues });
    return wantsNpy(request) ? npyResponse(values, shape) : arrayJsonResponse(values, shape);
  }

  async function healthRoute(request: Request): Promise<Response> {
    const response = jsonResponse({ status: 'ok', limits, ...options.health?.() });
    return request.method === 'HEAD' ? new Response(null, { status: 200, headers: response.headers }) : response;
  }

  return async (request) => {
    try {
      const path = new URL(request.url).pathname;
      const methods = Object.hasOwn(routes, path) ? routes[path]! : undefined;
      if (methods === undefined) throw new HttpError(404, 'NOT_FOUND', `no route ${path} (the routes: POST ${base}/v1/compute, GET ${base}/v1/health)`);
      const route = Object.hasOwn(methods, request.method) ? methods[request.method]! : undefined;
      if (route === undefined) {
        const allow = Object.keys(methods).join(', ');
        throw new HttpError(405, 'METHOD_NOT_ALLOWED', `${path} takes ${allow}, not ${request.method}`, { allow });
      }
      return await route(request);
    } catch (error) {
      return errorResponse(error, report);
    }
  };
}

/** `.npy` when the client accepts `application/octet-stream` (JSON otherwise). */
function wantsNpy(request: Request): boolean {
  const accept = request.headers.get('accept') ?? '';
  return accept.split(',').some((part) => {
    const [type, ...params] = part.split(';').map((s) => s.trim().toLowerCase());
    return type === 'application/octet-stream' && !params.some((p) => /^q=0(\.0*)?$/.test(p));
  });
}
