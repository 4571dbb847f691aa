import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ACSF, AtomenvError, decodeNpy, init, parseStructures, SOAP, type ACSFOptions, type SOAPOptions } from '../../src/index.js';
import { createHandler, DEFAULT_LIMITS, type ComputeJob, type FetchHandler } from '../../src/serverless/index.js';
import { ROOT } from '../cli/runCli.js';

const WATER = readFileSync(path.join(ROOT, 'examples/water_64mol.extxyz'), 'utf8');
const SI = readFileSync(path.join(ROOT, 'test/fixtures/poscar/Si_diamond_conventional.poscar'), 'utf8');
const ACSF_CONFIG = JSON.parse(readFileSync(path.join(ROOT, 'examples/acsf.json'), 'utf8')) as Record<string, unknown>;
const SOAP_CONFIG = JSON.parse(readFileSync(path.join(ROOT, 'examples/soap.json'), 'utf8')) as Record<string, unknown>;
const SOAP_SMALL = { descriptor: 'soap', species: ['H', 'O'], rCut: 4, nMax: 3, lMax: 2, sigma: 0.5, periodic: true };
const URL_BASE = 'http://localhost';

/** The constructor options of a config (without "descriptor"). */
function options(config: Record<string, unknown>): Record<string, unknown> {
  const { descriptor: _, ...rest } = config;
  return rest;
}

function post(body: unknown, headers: Record<string, string> = {}, pathName = '/v1/compute'): Request {
  return new Request(`${URL_BASE}${pathName}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

async function json(response: Response): Promise<Record<string, unknown>> {
  expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
  return (await response.json()) as Record<string, unknown>;
}

/** Expects an error response with this status and code; returns its message. */
async function expectError(response: Response, status: number, code: string): Promise<string> {
  const body = await json(response);
  expect({ status: response.status, code: (body.error as { code: string }).code }).toEqual({ status, code });
  expect(Object.keys(body)).toEqual(['error']);
  expect(Object.keys(body.error as object).sort()).toEqual(['code', 'message']);
  return (body.error as { message: string }).message;
}

let handler: FetchHandler;
let water: ReturnType<typeof parseStructures>[number];
beforeAll(async () => {
  await init();
  handler = createHandler({ onError: () => undefined });
  water = parseStructures(WATER)[0]!;
});

describe('POST /v1/compute', () => {
  it('ACSF of extxyz text equals the API, as full-precision JSON', async () => {
    const response = await handler(post({ config: ACSF_CONFIG, structure: WATER }));
    expect(response.status).toBe(200);
    const body = await json(response);
    const direct = new ACSF(options(ACSF_CONFIG) as unknown as ACSFOptions).create(water);
    expect(body.shape).toEqual(direct.shape);
    expect(body.values).toEqual(Array.from(direct.values));
  });

  it('SOAP with atom and point centres equals the API', async () => {
    const centers = [0, 5, [1.5, 2.25, 3]];
    const body = await json(await handler(post({ config: SOAP_CONFIG, structure: WATER, centers })));
    const direct = new SOAP(options(SOAP_CONFIG) as unknown as SOAPOptions).create(water, { centers: centers as never });
    expect(body.shape).toEqual([3, direct.shape[1]]);
    expect(body.values).toEqual(Array.from(direct.values));
  });

  it('averaged SOAP gives one row', async () => {
    const body = await json(await handler(post({ config: { ...SOAP_SMALL, average: 'inner' }, structure: WATER })));
    const direct = new SOAP({ ...options(SOAP_SMALL), average: 'inner' } as unknown as SOAPOptions).create(water);
    expect(body.shape).toEqual([1, direct.shape[1]]);
    expect(body.values).toEqual(Array.from(direct.values));
  });

  it('answers .npy bytes for Accept: application/octet-stream (float64, and float32 for a float32 SOAP)', async () => {
    const acsf = await handler(post({ config: ACSF_CONFIG, structure: WATER, centers: [3, 1] }, { accept: 'application/octet-stream' }));
    expect(acsf.status).toBe(200);
    expect(acsf.headers.get('content-type')).toBe('application/octet-stream');
    const a = decodeNpy(new Uint8Array(await acsf.arrayBuffer()));
    const directA = new ACSF(options(ACSF_CONFIG) as unknown as ACSFOptions).create(water, { centers: [3, 1] });
    expect(a).toMatchObject({ dtype: 'float64', shape: directA.shape });
    expect(Array.from(a.values)).toEqual(Array.from(directA.values));

    const config = { ...SOAP_SMALL, dtype: 'float32' };
    const soap = await handler(post({ config, structure: WATER }, { accept: 'application/json;q=0.5, application/octet-stream' }));
    const s = decodeNpy(new Uint8Array(await soap.arrayBuffer()));
    const directS = new SOAP(options(config) as unknown as SOAPOptions).create(water);
    expect(s).toMatchObject({ dtype: 'float32', shape: directS.shape });
    expect(Array.from(s.values)).toEqual(Array.from(directS.values));
  });

  it('float32 SOAP as JSON gives the float32 values exactly', async () => {
    const config = { ...SOAP_SMALL, dtype: 'float32' };
    const body = await json(await handler(post({ config, structure: WATER, centers: [0] })));
    const direct = new SOAP(options(config) as unknown as SOAPOptions).create(water, { centers: [0] });
    expect(body.values).toEqual(Array.from(direct.values));
  });

  it('reads POSCAR text (detected, or with "format") and structure objects', async () => {
    const config = { descriptor: 'acsf', species: ['Si'], rCut: 4, periodic: true, g2Params: [[0.5, 2]], g4Params: [[0.01, 1, 1]] };
    const si = parseStructures(SI, 'poscar')[0]!;
    const direct = new ACSF(options(config) as unknown as ACSFOptions).create(si);
    for (const extra of [{}, { format: 'poscar' }]) {
      const body = await json(await handler(post({ config, structure: SI, ...extra })));
      expect(body.values).toEqual(Array.from(direct.values));
    }
    const object = {
      symbols: si.numbers.map(() => 'Si'),
      positions: Array.from({ length: si.numbers.length }, (_, i) => Array.from(si.positions.subarray(3 * i, 3 * i + 3))),
      cell: si.cell,
      pbc: true,
    };
    const body = await json(await handler(post({ config, structure: object })));
    expect(body.values).toEqual(Array.from(direct.values));
  });

  it('passes validated jobs to a custom compute hook', async () => {
    const jobs: ComputeJob[] = [];
    const custom = createHandler({
      compute: async (job) => {
        jobs.push(job);
        return { values: new Float64Array([1, 2.5]), shape: [1, 2] };
      },
    });
    const body = await json(await custom(post({ config: SOAP_SMALL, structure: WATER, centers: [[0, 0, 0]] })));
    expect(body).toEqual({ shape: [1, 2], values: [1, 2.5] });
    expect(jobs).toHaveLength(1);
    expect(jobs[0]!.config).toEqual(SOAP_SMALL);
    expect(jobs[0]!.centers).toEqual([[0, 0, 0]]);
    expect(jobs[0]!.maxOutputValues).toBe(DEFAULT_LIMITS.maxOutputValues);
    expect(Array.from(jobs[0]!.structure.numbers)).toEqual(water.numbers);
  });

  it('serves the routes under basePath', async () => {
    const prefixed = createHandler({ basePath: '/api/' });
    expect((await prefixed(new Request(`${URL_BASE}/api/v1/health`))).status).toBe(200);
    expect((await prefixed(post({ config: SOAP_SMALL, structure: WATER, centers: [0] }, {}, '/api/v1/compute'))).status).toBe(200);
    await expectError(await prefixed(new Request(`${URL_BASE}/v1/health`)), 404, 'NOT_FOUND');
  });
});

describe('GET /v1/health', () => {
  it('answers 200 with the limits and the extra fields', async () => {
    const h = createHandler({ health: () => ({ memory: { rss: 1 } }) });
    const response = await h(new Request(`${URL_BASE}/v1/health`));
    expect(response.status).toBe(200);
    expect(await json(response)).toEqual({ status: 'ok', limits: { ...DEFAULT_LIMITS }, memory: { rss: 1 } });
    const head = await h(new Request(`${URL_BASE}/v1/health`, { method: 'HEAD' }));
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
  });
});

describe('errors: status and JSON body {"error": {"code", "message"}}', () => {
  it('404 for an unknown route, 405 with Allow for a wrong method', async () => {
    expect(await expectError(await handler(new Request(`${URL_BASE}/v2/compute`)), 404, 'NOT_FOUND')).toContain('POST /v1/compute');
    const get = await handler(new Request(`${URL_BASE}/v1/compute`));
    expect(await expectError(get, 405, 'METHOD_NOT_ALLOWED')).toContain('takes POST, not GET');
    expect(get.headers.get('allow')).toBe('POST');
    const del = await handler(new Request(`${URL_BASE}/v1/health`, { method: 'DELETE' }));
    await expectError(del, 405, 'METHOD_NOT_ALLOWED');
    expect(del.headers.get('allow')).toBe('GET, HEAD');
  });

  it('415 unless the body is declared as JSON', async () => {
    const body = JSON.stringify({ config: ACSF_CONFIG, structure: WATER });
    const none = new Request(`${URL_BASE}/v1/compute`, { method: 'POST', body: new Blob([body]) });
    expect(await expectError(await handler(none), 415, 'UNSUPPORTED_MEDIA_TYPE')).toContain('no Content-Type');
    await expectError(await handler(post(body, { 'content-type': 'text/plain' })), 415, 'UNSUPPORTED_MEDIA_TYPE');
    await expectError(await handler(post(body, { 'content-type': 'application/json; charset=latin1' })), 415, 'UNSUPPORTED_MEDIA_TYPE');
    expect((await handler(post(body, { 'content-type': 'Application/JSON; charset=UTF-8' }))).status).toBe(200);
  });

  it('400 for a body that is not JSON or not a compute request, naming the field', async () => {
    const cases: [unknown, string, string][] = [
      ['{"config": ', 'INVALID_JSON', 'not valid JSON'],
      ['', 'INVALID_JSON', 'empty'],
      [[1, 2], 'INVALID_REQUEST', 'got an array'],
      [{ config: ACSF_CONFIG, structure: WATER, center: [0] }, 'INVALID_REQUEST', 'unknown field "center"'],
      [{ structure: WATER }, 'INVALID_REQUEST', '"config" is required'],
      [{ config: 'acsf', structure: WATER }, 'INVALID_REQUEST', '"config" must be an object'],
      [{ config: { species: ['H'] }, structure: WATER }, 'INVALID_REQUEST', '"config.descriptor"'],
      [{ config: ACSF_CONFIG }, 'INVALID_REQUEST', '"structure" is required'],
      [{ config: ACSF_CONFIG, structure: 42 }, 'INVALID_REQUEST', '"structure" must be'],
      [{ config: ACSF_CONFIG, structure: WATER, format: 'cif' }, 'INVALID_REQUEST', '"format" must be one of'],
      [{ config: ACSF_CONFIG, structure: { symbols: ['H'], positions: [[0, 0, 0]] }, format: 'xyz' }, 'INVALID_REQUEST', 'only applies'],
      [{ config: ACSF_CONFIG, structure: WATER, centers: 3 }, 'INVALID_REQUEST', '"centers" must be an array'],
      [{ config: ACSF_CONFIG, structure: WATER, centers: [0, -1] }, 'INVALID_REQUEST', '"centers[1]"'],
      [{ config: ACSF_CONFIG, structure: WATER, centers: [[0, 0]] }, 'INVALID_REQUEST', '"centers[0]"'],
    ];
    for (const [body, code, words] of cases) {
      expect(await expectError(await handler(post(body)), 400, code)).toContain(words);
    }
    const bad = new Request(`${URL_BASE}/v1/compute`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: new Uint8Array([0x7b, 0xff, 0x7d]) });
    expect(await expectError(await handler(bad), 400, 'INVALID_JSON')).toContain('UTF-8');
  });

  it('422 with the AtomenvError code for a bad config, structure or centres', async () => {
    const cases: [unknown, string, string][] = [
      [{ config: { descriptor: 'mbtr' }, structure: WATER }, 'INVALID_PARAMETER', 'unknown descriptor "mbtr"'],
      [{ config: { ...ACSF_CONFIG, r_cut: 5 }, structure: WATER }, 'INVALID_PARAMETER', 'no option "r_cut"'],
      [{ config: { descriptor: 'soap', species: ['H', 'O'] }, structure: WATER }, 'MISSING_PARAMETER', 'nMax'],
      [{ config: { ...ACSF_CONFIG, species: ['H'] }, structure: WATER }, 'SPECIES_NOT_IN_DESCRIPTOR', 'O'],
      [{ config: ACSF_CONFIG, structure: '3\n\nH 0 0 0\nO 0 0 x\nH 1 0 0\n' }, 'PARSE_ERROR', 'line 4'],
      [{ config: ACSF_CONFIG, structure: 'hello world\n' }, 'UNKNOWN_FORMAT', 'format'],
      [{ config: ACSF_CONFIG, structure: WATER + WATER }, 'INVALID_STRUCTURE', '2 frames'],
      [{ config: ACSF_CONFIG, structure: { symbols: ['H', 'Xx'], positions: [[0, 0, 0], [1, 0, 0]] } }, 'UNKNOWN_ELEMENT', 'Xx'],
      [{ config: ACSF_CONFIG, structure: { symbols: [], positions: [] } }, 'INVALID_STRUCTURE', 'no atoms'],
      [{ config: ACSF_CONFIG, structure: { symbols: 'HH', positions: [[0, 0, 0], [1, 0, 0]] } }, 'INVALID_STRUCTURE', '"symbols"'],
      [{ config: ACSF_CONFIG, structure: { symbols: ['H'], positions: [[null, 0, 0]] } }, 'INVALID_STRUCTURE', '"positions"'],
      [{ config: ACSF_CONFIG, structure: { symbols: ['H'], positions: [0, 0, 0], cell: 5 } }, 'INVALID_STRUCTURE', '"cell"'],
      [{ config: ACSF_CONFIG, structure: { symbols: ['H'], positions: [0, 0, 0], pbc: 'yes' } }, 'INVALID_STRUCTURE', '"pbc"'],
      [{ config: ACSF_CONFIG, structure: WATER, centers: [192] }, 'INVALID_CENTERS', '192'],
      [{ config: ACSF_CONFIG, structure: WATER, centers: [[0, 0, 0]] }, 'INVALID_CENTERS', 'not an atom index'],
    ];
    for (const [body, code, words] of cases) {
      expect(await expectError(await handler(post(body)), 422, code)).toContain(words);
    }
  });

  it('413 above the body, atom and output limits', async () => {
    const small = createHandler({ limits: { maxBodyBytes: 1000, maxAtoms: 100, maxOutputValues: 5000 } });
    const big = JSON.stringify({ config: ACSF_CONFIG, structure: WATER });
    expect(await expectError(await small(post(big)), 413, 'BODY_TOO_LARGE')).toContain('1000 bytes');
    // Without Content-Length: the stream is read up to the limit.
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode(big));
        controller.close();
      },
    });
    const chunked = new Request(`${URL_BASE}/v1/compute`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: stream, duplex: 'half' } as RequestInit);
    await expectError(await small(chunked), 413, 'BODY_TOO_LARGE');

    const atoms = createHandler({ limits: { maxAtoms: 100 } });
    expect(await expectError(await atoms(post({ config: ACSF_CONFIG, structure: WATER })), 413, 'TOO_MANY_ATOMS')).toContain('192 atoms');
    const object = { numbers: Array(101).fill(1), positions: Array.from({ length: 101 }, (_, i) => [i, 0, 0]) };
    await expectError(await atoms(post({ config: ACSF_CONFIG, structure: object })), 413, 'TOO_MANY_ATOMS');

    // Parameters that size the work are checked before anything is built.
    const cost = createHandler({ limits: { maxNeighbourPairs: 10_000, maxCutoff: 8, maxNMax: 6 } });
    const pairs = await expectError(await cost(post({ config: ACSF_CONFIG, structure: WATER })), 413, 'TOO_EXPENSIVE');
    expect(pairs).toMatch(/about \d+ centre–neighbour pairs within 6 Å; this server takes at most 10000/);
    expect((await cost(post({ config: ACSF_CONFIG, structure: WATER, centers: [0, 1, 2] }))).status).toBe(200);
    const far = { ...ACSF_CONFIG, rCut: 9 };
    expect(await expectError(await cost(post({ config: far, structure: WATER, centers: [0] })), 413, 'TOO_EXPENSIVE')).toContain('at most 8 Å');
    const wide = { ...SOAP_SMALL, nMax: 7 };
    expect(await expectError(await cost(post({ config: wide, structure: WATER, centers: [0] })), 413, 'TOO_EXPENSIVE')).toContain('nMax is 7');
    // Absurd sizes are refused at once (nMax 1e308 once ran the server out of memory).
    const absurd = await handler(post({ config: { ...SOAP_SMALL, nMax: 1e308 }, structure: WATER, centers: [0] }));
    await expectError(absurd, 413, 'TOO_EXPENSIVE');
    await expectError(await handler(post({ config: { ...ACSF_CONFIG, rCut: 1e308 }, structure: WATER })), 413, 'TOO_EXPENSIVE');
    // A molecule without a cell: neighbours are bounded by its atoms.
    const molecule = { symbols: ['O', 'H', 'H'], positions: [[0, 0, 0], [0.96, 0, 0], [-0.24, 0.93, 0]] };
    expect((await cost(post({ config: { ...ACSF_CONFIG, periodic: false }, structure: molecule }))).status).toBe(200);

    const output = createHandler({ limits: { maxOutputValues: 5000 } });
    expect(await expectError(await output(post({ config: ACSF_CONFIG, structure: WATER })), 413, 'OUTPUT_TOO_LARGE')).toContain('192 × 42');
    expect((await output(post({ config: ACSF_CONFIG, structure: WATER, centers: [0, 1] }))).status).toBe(200);
    // An averaged SOAP has one row whatever the centres.
    expect((await output(post({ config: { ...SOAP_SMALL, average: 'outer' }, structure: WATER }))).status).toBe(200);
  });

  it('500 says nothing of the error and reports it to onError', async () => {
    const seen: unknown[] = [];
    const failing = createHandler({
      onError: (e) => seen.push(e),
      compute: async () => {
        throw new Error('secret detail at /srv/app.js:1');
      },
    });
    const response = await failing(post({ config: ACSF_CONFIG, structure: WATER }));
    expect(await expectError(response, 500, 'INTERNAL_ERROR')).toBe('internal error');
    expect(seen).toHaveLength(1);
    const notInit = createHandler({ onError: () => undefined, compute: async () => { throw new AtomenvError('WASM_UNAVAILABLE', 'no wasm'); } });
    expect(await expectError(await notInit(post({ config: ACSF_CONFIG, structure: WATER })), 500, 'INTERNAL_ERROR')).toBe('internal error');
  });

  it('rejects limits that are not positive integers', () => {
    expect(() => createHandler({ limits: { maxAtoms: 0 } })).toThrow(/maxAtoms/);
    expect(() => createHandler({ limits: { maxAtom: 5 } as never })).toThrow(/unknown limit/);
    expect(() => createHandler({ limits: { maxCutoff: 0 } })).toThrow(/maxCutoff must be a positive number/);
    expect(createHandler({ limits: { maxCutoff: 7.5 } })).toBeTypeOf('function');
  });
});
