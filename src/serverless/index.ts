/**
 * atomenv's HTTP API as a Fetch handler (`Request` → `Response`), for serverless and edge
 * runtimes and Node 20: `POST /v1/compute`, `GET /v1/health`.
 */
export { createHandler, type HandlerOptions, type FetchHandler } from './handler.js';
export { DEFAULT_LIMITS, type ServerlessLimits } from './limits.js';
export { createInProcessCompute, type InProcessComputeOptions } from './inProcessCompute.js';
export { runComputeJob, type ComputeFn, type ComputeJob, type ComputeResult } from './computeJob.js';
export { DescriptorCache } from './descriptorCache.js';
export type { DescriptorConfig, ComputeRequest } from './computeRequest.js';
export { HttpError, type HttpErrorCode } from './httpError.js';
export type { ErrorBody } from './errorResponse.js';
