// The demo page: load structures, choose a descriptor, compute in a pool of Web Workers, show a
// PCA map of the atomic environments and a SOAP similarity heat-map, download the .npy; and run
// molecular dynamics with an n2p2 potential in a Web Worker, drawn live (md.ts).
import { AtomenvError, SOAP, createPool, init, type Pool } from '../src/index.js';
import { drawEnvironmentMap, drawSimilarityHeatmap, type MapPoint } from './charts.js';
import { computeDescriptors, type DemoResult } from './compute.js';
import { npyBytes, offerDownload } from './download.js';
import { defaultSOAP, describeConfig, readDescriptor, resetForm, showChosenFields } from './form.js';
import { setupMDPanel, type MDPanelState } from './md.js';
import { pca, type PCAResult } from './pca.js';
import { atomSymbols, loadStructures, type LoadedStructures } from './structures.js';

/** What the page exposes on `window.atomenvDemo` (for tests and the curious). */
export interface DemoState {
  status: 'loading' | 'idle' | 'ready' | 'computing' | 'done' | 'error';
  loaded?: LoadedStructures;
  result?: DemoResult & { pca: PCAResult; elapsedMs: number };
  error?: { code: string; message: string };
  charts: { map?: unknown; heatmap?: unknown };
  /** The .npy bytes of the last download. */
  npy?: Uint8Array;
  /** The molecular-dynamics panel. */
  md?: MDPanelState;
}

declare global {
  interface Window {
    atomenvDemo: DemoState;
  }
}

const EXAMPLE = { url: 'example.extxyz', name: 'chno_24mol.extxyz' };
const WORKERS = Math.max(1, Math.min(globalThis.navigator?.hardwareConcurrency ?? 2, 4));

const $ = <T extends HTMLElement>(id: string): T => {
  const element = document.getElementById(id);
  if (element === null) throw new Error(`demo: #${id} is missing from the page`);
  return element as T;
};
const form = $<HTMLFormElement>('form');
const computeButton = $<HTMLButtonElement>('compute');
const progress = $<HTMLProgressElement>('progress');
const progressText = $('progress-text');
const errorBox = $('error');
const periodicBox = form.elements.namedItem('periodic') as HTMLInputElement;

const state: DemoState = { status: 'loading', charts: {} };
window.atomenvDemo = state;
let pool: Promise<Pool> | null = null;

function setStatus(status: DemoState['status']): void {
  state.status = status;
  document.body.dataset.status = status;
}

function showError(error: unknown): void {
  const code = error instanceof AtomenvError ? error.code : 'ERROR';
  const message = error instanceof Error ? error.message : String(error);
  state.error = { code, message };
  errorBox.textContent = error instanceof AtomenvError ? `${code}: ${message}` : message;
  errorBox.hidden = false;
  setStatus('error');
}

function clearError(): void {
  state.error = undefined;
  errorBox.hidden = true;
  errorBox.textContent = '';
}

/** Parses a file's text; on success the form is ready to compute. */
function useText(text: string, source: string): void {
  clearError();
  state.loaded = undefined;
  state.result = undefined;
  $('results').hidden = true;
  computeButton.disabled = true;
  try {
    const loaded = loadStructures(text, source);
    state.loaded = loaded;
    $('species').textContent = loaded.species.join(', ');
    periodicBox.checked = loaded.periodic;
    $('file-status').textContent =
      `${source}: ${loaded.structures.length} structure${loaded.structures.length === 1 ? '' : 's'}, ${loaded.atoms} atoms` +
      (loaded.periodic ? ', periodic' : '');
    computeButton.disabled = false;
    setStatus('ready');
  } catch (error) {
    $('species').textContent = '–';
    $('file-status').textContent = `${source}: not loaded`;
    showError(error);
  }
}

async function useFile(file: File): Promise<void> {
  useText(await file.text(), file.name);
}

async function compute(): Promise<void> {
  const loaded = state.loaded;
  if (loaded === undefined) return;
  clearError();
  computeButton.disabled = true;
  setStatus('computing');
  progress.value = 0;
  try {
    const descriptor = readDescriptor(form, loaded.species, periodicBox.checked);
    const soap = descriptor instanceof SOAP ? descriptor : defaultSOAP(loaded.species, periodicBox.checked);
    pool ??= createPool({ workers: WORKERS, workerUrl: new URL('./workers/descriptor.browser.js', import.meta.url) });
    const workers = await pool.catch((error: unknown) => {
      pool = null; // try again on the next click
      throw error;
    });
    progressText.textContent = `Computing ${describeConfig(descriptor.config)} in ${workers.size} Web Workers…`;
    const started = performance.now();
    const result = await computeDescriptors(workers, loaded, descriptor, soap, {
      onProgress: (fraction) => {
        progress.value = fraction;
      },
      onPhase: (text) => {
        progressText.textContent = text;
      },
    });
    const [rows, cols] = result.shape;
    progressText.textContent = `PCA of ${rows} environments…`;
    await new Promise((resolve) => setTimeout(resolve, 0));
    const map = pca(result.values, rows, cols, 2);
    const elapsedMs = performance.now() - started;
    state.result = { ...result, pca: map, elapsedMs };
    progressText.textContent =
      `Done in ${elapsedMs.toFixed(0)} ms: descriptors in ${result.workerMs.toFixed(0)} ms in ${workers.size} Web Workers, then the kernel and the PCA.`;
    showResult(loaded, state.result, descriptor === soap ? null : describeConfig(soap.config));
    setStatus('done');
  } catch (error) {
    progressText.textContent = '';
    showError(error);
  } finally {
    computeButton.disabled = state.loaded === undefined;
  }
}

function showResult(loaded: LoadedStructures, result: NonNullable<DemoState['result']>, soapAlongside: string | null): void {
  const [rows, cols] = result.shape;
  $('results').hidden = false;
  $('summary').textContent =
    `${describeConfig(result.config)}: descriptor matrix of shape [${rows}, ${cols}] ` +
    `(${rows} atoms of ${loaded.structures.length} structure${loaded.structures.length === 1 ? '' : 's'} × ${cols} features).`;
  const symbols = atomSymbols(loaded);
  const k = result.pca.scores.length / rows;
  const points: MapPoint[] = [];
  for (let row = 0; row < rows; row++) {
    points.push({ x: result.pca.scores[row * k]!, y: k > 1 ? result.pca.scores[row * k + 1]! : 0, row, element: symbols[row]! });
  }
  const percent = (f: number | undefined) => `${(100 * (f ?? 0)).toFixed(1)} %`;
  state.charts.map = drawEnvironmentMap(
    $('map'), points, [`PC1 (${percent(result.pca.explained[0])})`, `PC2 (${percent(result.pca.explained[1])})`],
    (row) => {
      const s = result.rowStructure[row]!;
      return `${symbols[row]} atom ${result.rowAtom[row]} of structure ${s} (${loaded.names[s]})<br>row ${row} of the matrix`;
    },
  );
  state.charts.heatmap = drawSimilarityHeatmap($('heatmap'), loaded.names.slice(0, result.kernelStructures), result.kernel.values);
  const shown = result.kernelStructures < loaded.structures.length
    ? ` It shows the first ${result.kernelStructures} of the ${loaded.structures.length} structures.`
    : '';
  $('heatmap-note').textContent = (soapAlongside === null
    ? 'From the SOAP vectors computed above.'
    : `ACSF was chosen: the heat-map uses a default ${soapAlongside}, computed alongside.`) + shown;
}

function download(): void {
  const result = state.result;
  if (result === undefined || state.loaded === undefined) return;
  const bytes = npyBytes(result.values, result.shape);
  state.npy = bytes;
  const base = state.loaded.source.replace(/\.[^.]*$/, '') || 'structures';
  offerDownload(bytes, `${base}.${String(result.config.descriptor)}.npy`);
}

function wire(): void {
  resetForm(form);
  const drop = $('drop');
  $<HTMLInputElement>('file').addEventListener('change', (event) => {
    const file = (event.target as HTMLInputElement).files?.[0];
    if (file !== undefined) void useFile(file);
  });
  drop.addEventListener('dragover', (event) => {
    event.preventDefault();
    drop.classList.add('over');
  });
  drop.addEventListener('dragleave', () => drop.classList.remove('over'));
  drop.addEventListener('drop', (event) => {
    event.preventDefault();
    drop.classList.remove('over');
    const file = event.dataTransfer?.files[0];
    if (file !== undefined) void useFile(file);
  });
  $('example').addEventListener('click', async () => {
    try {
      const response = await fetch(new URL(EXAMPLE.url, import.meta.url));
      if (!response.ok) throw new Error(`the example could not be fetched (HTTP ${response.status})`);
      useText(await response.text(), EXAMPLE.name);
    } catch (error) {
      showError(error);
    }
  });
  form.querySelectorAll('input[name="descriptor"]').forEach((radio) => radio.addEventListener('change', () => showChosenFields(form)));
  $('reset').addEventListener('click', () => resetForm(form));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void compute();
  });
  $('download').addEventListener('click', download);
}

wire();
state.md = setupMDPanel();
try {
  const runtime = await init();
  $('footer').textContent = `WebAssembly ${runtime.variant} SIMD · ${WORKERS} Web Workers · atomenv`;
  setStatus('idle');
} catch (error) {
  showError(error);
}
