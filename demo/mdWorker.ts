// The demo's molecular-dynamics Web Worker (module worker, plain postMessage): builds the n2p2
// potential, then runs MD a chunk of steps at a time, posting every step's energies and the
// positions after each chunk, and takes pause / reset / new settings between chunks.
import { AtomenvError, N2p2Potential, init } from '../src/index.js';
import type { MDReply, MDRequest, MDSettings } from './mdProtocol.js';
import { MDSession } from './mdSession.js';

/** Aim for chunks of about this many ms: a few steps per frame for small systems, one for large. */
const CHUNK_MS = 12;
const MAX_CHUNK_STEPS = 50;

const scope = self as unknown as DedicatedWorkerGlobalScope;
let session: MDSession | null = null;
let settings: MDSettings | null = null;
let running = false;
let looping = false;
let msPerStep = Infinity;

function post(reply: MDReply, transfer: Transferable[] = []): void {
  scope.postMessage(reply, transfer);
}

function postError(error: unknown): void {
  running = false;
  post({
    type: 'error',
    code: error instanceof AtomenvError ? error.code : 'ERROR',
    message: error instanceof Error ? error.message : String(error),
  });
}

/** Runs chunks until paused; yields to the message queue between chunks. */
async function loop(): Promise<void> {
  looping = true;
  try {
    while (running && session !== null && settings !== null) {
      const steps = Number.isFinite(msPerStep) ? Math.max(1, Math.min(MAX_CHUNK_STEPS, Math.round(CHUNK_MS / msPerStep))) : 1;
      const started = performance.now();
      const samples = session.advance(settings, steps);
      msPerStep = (performance.now() - started) / steps;
      const positions = session.positions.slice();
      post({ type: 'frame', samples, positions, msPerStep }, [positions.buffer]);
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
  } catch (error) {
    postError(error);
  } finally {
    looping = false;
  }
  if (session !== null) post({ type: 'paused', step: session.step });
}

scope.onmessage = async (event: MessageEvent<MDRequest>) => {
  const request = event.data;
  try {
    switch (request.type) {
      case 'load': {
        running = false;
        await init();
        const potential = new N2p2Potential(request.files);
        const next = new MDSession(potential, request.structure, request.units);
        const energy = next.potentialEnergy();
        session = next;
        msPerStep = Infinity;
        const positions = session.positions.slice();
        post({ type: 'loaded', atoms: session.numbers.length, numbers: session.numbers, cell: session.cell, positions, energy }, [positions.buffer]);
        break;
      }
      case 'start':
        if (session === null) throw new Error('no potential loaded');
        settings = request.settings;
        running = true;
        if (!looping) void loop();
        break;
      case 'pause':
        running = false;
        break;
      case 'reset': {
        running = false;
        if (session === null) break;
        session.reset();
        const positions = session.positions.slice();
        post({ type: 'reset', positions, energy: session.potentialEnergy() }, [positions.buffer]);
        break;
      }
    }
  } catch (error) {
    postError(error);
  }
};
