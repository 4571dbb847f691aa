import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACSF, decodeNpy, init, parseStructures, SOAP, type ACSFOptions, type SOAPOptions } from '../../src/index.js';
import { SERVE_OPTIONS } from '../../src/cli/serveArgs.js';
import { CLI, ROOT, runCli } from '../cli/runCli.js';

const WATER = readFileSync(path.join(ROOT, 'examples/water_64mol.extxyz'), 'utf8');
const SI = readFileSync(path.join(ROOT, 'test/fixtures/poscar/Si_diamond_conventional.poscar'), 'utf8');
const ACSF_CONFIG = JSON.parse(readFileSync(path.join(ROOT, 'examples/acsf.json'), 'utf8')) as Record<string, unknown>;
const SOAP_CONFIG = JSON.parse(readFileSync(path.join(ROOT, 'examples/soap.json'), 'utf8')) as Record<string, unknown>;
const SOAP_SMALL = { descriptor: 'soap', species: ['H', 'O'], rCut: 4, nMax: 3, lMax: 2, sigma: 0.5, periodic: true };
const SI_CONFIG = { descriptor: 'acsf', species: ['Si'], rCut: 4, periodic: true, g2Params: [[0.5, 2]], g4Params: [[0.01, 1, 1]] };
const MAX_BODY = 1_000_000;

/** A running `atomenv serve`. */
interface Server {
  url: string;
  child: ChildProcessByStdio<null, Readable, Readable>;
  stderr: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Spawns the built CLI on a free port of 127.0.0.1 and waits for its "listening" line. */
async function startServer(extra: string[] = []): Promise<Server> {
  const child = spawn(process.execPath, [CLI, 'serve', '--port', '0', '--host', '127.0.0.1', ...extra], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ATOMENV_DEBUG: '' },
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const url = await new Promise<string>((resolve, reject) => {
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
      const match = /listening on (http:\/\/\S+)/.exec(stdout);
      if (match !== null) resolve(match[1]!);
    });
    void exited.then(({ code }) => reject(new Error(`atomenv serve exited with ${code}: ${stderr}`)));
  });
  return { url, child, stderr: () => stderr, exited };
}

function post(server: Server, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${server.url}/v1/compute`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

async function errorOf(response: Response): Promise<{ status: number; code: string; message: string }> {
  const body = (await response.json()) as { error: { code: string; message: string } };
  return { status: response.status, ...body.error };
}

async function rss(server: Server): Promise<number> {
  const health = (await (await fetch(`${server.url}/v1/health`)).json()) as { memory: { rss: number } };
  return health.memory.rss;
}

function withoutName(config: Record<string, unknown>): Record<string, unknown> {
  const { descriptor: _, ...rest } = config;
  return rest;
}

let server: Server;
const water = parseStructures(WATER)[0]!;
const si = parseStructures(SI, 'poscar')[0]!;
let expected: { acsf: number[]; soapSmall: number[]; soapCenters: number[]; si: number[] };

beforeAll(async () => {
  await init();
  expected = {
    acsf: Array.from(new ACSF(withoutName(ACSF_CONFIG) as unknown as ACSFOptions).create(water).values),
    soapSmall: Array.from(new SOAP(withoutName(SOAP_SMALL) as unknown as SOAPOptions).create(water).values),
    soapCenters: Array.from(new SOAP(withoutName(SOAP_CONFIG) as unknown as SOAPOptions).create(water, { centers: [2, [0.5, 0.5, 0.5]] }).values),
    si: Array.from(new ACSF(withoutName(SI_CONFIG) as unknown as ACSFOptions).create(si).values),
  };
  server = await startServer(['--max-body-bytes', String(MAX_BODY)]);
});

afterAll(async () => {
  if (server.child.exitCode === null) {
    server.child.kill('SIGKILL');
    await server.exited;
  }
});

describe('atomenv serve over HTTP on 127.0.0.1', () => {
  it('answers health and computes the same values as the API (JSON and .npy)', async () => {
    const health = await fetch(`${server.url}/v1/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok', limits: { maxBodyBytes: MAX_BODY, maxAtoms: 5000 }, workers: 0 });

    const acsf = (await (await post(server, { config: ACSF_CONFIG, structure: WATER })).json()) as { shape: number[]; values: number[] };
    expect(acsf.shape).toEqual([192, 42]);
    expect(acsf.values).toEqual(expected.acsf);

    const soap = (await (await post(server, { config: SOAP_CONFIG, structure: WATER, centers: [2, [0.5, 0.5, 0.5]] })).json()) as { values: number[] };
    expect(soap.values).toEqual(expected.soapCenters);

    const npyResponse = await post(server, { config: SI_CONFIG, structure: SI }, { accept: 'application/octet-stream' });
    expect(npyResponse.headers.get('content-type')).toBe('application/octet-stream');
    const npy = decodeNpy(new Uint8Array(await npyResponse.arrayBuffer()));
    expect(npy.shape).toEqual([8, expected.si.length / 8]);
    expect(Array.from(npy.values)).toEqual(expected.si);
  });

  it('answers malformed requests with their 4xx status and JSON error, and keeps serving', async () => {
    expect(await errorOf(await fetch(`${server.url}/nope`))).toMatchObject({ status: 404, code: 'NOT_FOUND' });
    expect(await errorOf(await fetch(`${server.url}/v1/compute`))).toMatchObject({ status: 405, code: 'METHOD_NOT_ALLOWED' });
    expect(await errorOf(await post(server, '{"config":', {}))).toMatchObject({ status: 400, code: 'INVALID_JSON' });
    expect(await errorOf(await post(server, { config: ACSF_CONFIG, structure: WATER }, { 'content-type': 'text/plain' }))).toMatchObject({
      status: 415,
      code: 'UNSUPPORTED_MEDIA_TYPE',
    });
    expect(await errorOf(await post(server, { config: { ...ACSF_CONFIG, rcut: 1 }, structure: WATER }))).toMatchObject({ status: 422, code: 'INVALID_PARAMETER' });
    expect(await errorOf(await post(server, { config: ACSF_CONFIG, structure: WATER.replace('1.67097984', 'abc') }))).toMatchObject({
      status: 422,
      code: 'PARSE_ERROR',
    });
    // Too large, announced by Content-Length and streamed without it.
    const big = JSON.stringify({ config: ACSF_CONFIG, structure: WATER.repeat(120) });
    expect(big.length).toBeGreaterThan(MAX_BODY);
    expect(await errorOf(await post(server, big))).toMatchObject({ status: 413, code: 'BODY_TOO_LARGE' });
    const bytes = new TextEncoder().encode(big);
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let at = 0; at < bytes.length; at += 65536) controller.enqueue(bytes.subarray(at, at + 65536));
        controller.close();
      },
    });
    const chunked = await fetch(`${server.url}/v1/compute`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: stream, duplex: 'half' } as RequestInit);
    expect(await errorOf(chunked)).toMatchObject({ status: 413, code: 'BODY_TOO_LARGE' });
    expect((await fetch(`${server.url}/v1/health`)).status).toBe(200);
    expect(server.stderr()).not.toContain('internal error');
  });

  it('load: 500 requests, 16 at a time, all correct, with bounded memory', async () => {
    const kinds = [
      async () => {
        const r = await post(server, { config: ACSF_CONFIG, structure: WATER });
        expect(r.status).toBe(200);
        expect(((await r.json()) as { values: number[] }).values).toEqual(expected.acsf);
      },
      async () => {
        const r = await post(server, { config: SOAP_SMALL, structure: WATER }, { accept: 'application/octet-stream' });
        expect(Array.from(decodeNpy(new Uint8Array(await r.arrayBuffer())).values)).toEqual(expected.soapSmall);
      },
      async () => {
        const r = await post(server, { config: SI_CONFIG, structure: SI });
        expect(((await r.json()) as { values: number[] }).values).toEqual(expected.si);
      },
      async () => {
        const r = await post(server, { config: SI_CONFIG, structure: WATER });
        expect(await errorOf(r)).toMatchObject({ status: 422, code: 'SPECIES_NOT_IN_DESCRIPTOR' });
      },
    ];
    const samples: number[] = [];
    let next = 0;
    let done = 0;
    const total = 500;
    const worker = async (): Promise<void> => {
      while (next < total) {
        const k = next++;
        await kinds[k % kinds.length]!();
        done++;
        if (k % 50 === 0) samples.push(await rss(server));
      }
    };
    const started = performance.now();
    await Promise.all(Array.from({ length: 16 }, worker));
    const seconds = (performance.now() - started) / 1000;
    samples.push(await rss(server));
    expect(done).toBe(total);
    const MiB = 2 ** 20;
    const firstHalf = Math.max(...samples.slice(0, samples.length >> 1));
    const last = samples[samples.length - 1]!;
    // Bounded: well under an edge isolate's 128 MB of heap plus Node's own ~50 MB, and no growth
    // from the first half of the run to the end (a leak of ~100 KB per request would show).
    expect(Math.max(...samples) / MiB).toBeLessThan(300);
    expect((last - firstHalf) / MiB).toBeLessThan(48);
    console.log(`load: ${total} requests in ${seconds.toFixed(1)} s; RSS MiB ${samples.map((s) => (s / MiB).toFixed(0)).join(' ')}`);
    expect(server.stderr()).not.toContain('internal error');
  }, 30_000);

  it('on SIGTERM finishes the request in flight, then exits 0', async () => {
    const centers = Array.from({ length: 1000 }, (_, i) => i % 192);
    const bytes = new TextEncoder().encode(JSON.stringify({ config: SOAP_CONFIG, structure: WATER, centers }));
    const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    // The body arrives in two parts, with SIGTERM in between: the request is surely in flight.
    let send!: ReadableStreamDefaultController<Uint8Array>;
    const body = new ReadableStream<Uint8Array>({ start: (controller) => void (send = controller) });
    const inFlight = fetch(`${server.url}/v1/compute`, { method: 'POST', headers: { 'content-type': 'application/json' }, body, duplex: 'half' } as RequestInit);
    send.enqueue(bytes.subarray(0, 1000));
    await sleep(150);
    server.child.kill('SIGTERM');
    await sleep(50);
    send.enqueue(bytes.subarray(1000));
    send.close();
    const response = await inFlight;
    expect(response.status).toBe(200);
    const result = (await response.json()) as { shape: number[] };
    expect(result.shape).toEqual([1000, 952]);
    const started = performance.now();
    expect(await server.exited).toEqual({ code: 0, signal: null });
    expect(performance.now() - started).toBeLessThan(3000);
    expect(server.stderr()).toContain('SIGTERM');
    await expect(fetch(`${server.url}/v1/health`)).rejects.toThrow();
  });
});

describe('atomenv serve flags', () => {
  it('--workers N computes on a worker pool (the same values); SIGINT stops it and its threads', async () => {
    const withWorkers = await startServer(['--workers', '3']);
    try {
      expect(withWorkers.stderr()).toContain('computing on 3 worker threads');
      expect(await (await fetch(`${withWorkers.url}/v1/health`)).json()).toMatchObject({ workers: 3 });
      const r = await post(withWorkers, { config: SI_CONFIG, structure: SI });
      expect(((await r.json()) as { values: number[] }).values).toEqual(expected.si);
      // 48 concurrent requests, a bad one among them: each answered like the in-process server.
      const answers = await Promise.all(
        Array.from({ length: 48 }, (_, i) => post(withWorkers, i === 20 ? { config: SI_CONFIG, structure: { symbols: ['Xe'], positions: [[0, 0, 0]] } } : { config: SI_CONFIG, structure: SI })),
      );
      for (const [i, answer] of answers.entries()) {
        if (i === 20) {
          expect(answer.status).toBe(422);
          expect(((await answer.json()) as { error: { code: string } }).error.code).toBe('SPECIES_NOT_IN_DESCRIPTOR');
        } else {
          expect(((await answer.json()) as { values: number[] }).values).toEqual(expected.si);
        }
      }
    } finally {
      withWorkers.child.kill('SIGINT');
    }
    expect(await withWorkers.exited).toEqual({ code: 0, signal: null });
  });

  it('serve --help names every flag and the routes; help serve is the same; --help lists serve', () => {
    const help = runCli(['serve', '--help']);
    expect(help.code).toBe(0);
    for (const [name, option] of Object.entries(SERVE_OPTIONS)) {
      expect(help.stdout).toContain(`--${name}`);
      if ('short' in option) expect(help.stdout).toContain(`-${option.short}, --${name}`);
    }
    for (const words of ['POST /v1/compute', 'GET  /v1/health', 'application/octet-stream', '413', '422']) expect(help.stdout).toContain(words);
    expect(runCli(['help', 'serve']).stdout).toBe(help.stdout);
    expect(runCli(['--help']).stdout).toContain('atomenv serve --port P');
  });

  it('bad usage exits 2 with one line', () => {
    for (const [args, words] of [
      [[], '--port P is required'],
      [['--port', 'x'], "--port must be an integer from 0 to 65535, got 'x'"],
      [['--port', '0', '--workers', '1000'], '--workers must be an integer from 1 to 256'],
      [['--port', '0', '--max-atoms', '0'], '--max-atoms must be an integer'],
      [['--port', '0', '--threads', '2'], "unknown option '--threads'"],
      [['--port', '0', 'extra'], 'extra'],
    ] as const) {
      const run = runCli(['serve', ...args]);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain(words);
      expect(run.stderr.trim().split('\n')).toHaveLength(1);
    }
  });

  it('a port in use is reported on one line with exit code 1', async () => {
    const busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    const port = (busy.address() as AddressInfo).port;
    const run = runCli(['serve', '--port', String(port)]);
    await new Promise((resolve) => busy.close(resolve));
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^atomenv: cannot listen on 127\.0\.0\.1:\d+: EADDRINUSE\n$/);
  });
});
