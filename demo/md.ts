// The molecular-dynamics panel: loads an n2p2 potential and a start structure (the water
// potential from the server's shared data, or files from disk), runs MD in its own Web Worker
// (demo/mdWorker.ts) and draws the atoms and energies live, one draw per animation frame.
import { AtomenvError, BOHR_IN_ANGSTROM, HARTREE_IN_EV, elementSymbol, parseStructures, type ParsedStructure } from '../src/index.js';
import { AtomView, EnergyChart } from './mdCharts.js';
import { appendSamples } from './mdHistory.js';
import type { MDReply, MDRequest, MDSample, MDSettings, MDStartStructure, MDUnits } from './mdProtocol.js';

/** Where the server puts the water potential (H2O_RPBE-D3, Bohr and Hartree) when it has the shared data. */
const WATER_FOLDER = 'shared/data/n2p2/H2O_RPBE-D3/';
const WATER_FILES = ['input.nn', 'scaling.data', 'weights.001.data', 'weights.008.data'];
/** Redraw the energy chart at most this often while running (ms); the atoms follow every frame. */
const ENERGY_REDRAW_MS = 150;
/** Keep at most this many samples: beyond, every other one is dropped and the stride doubles. */
const MAX_SAMPLES = 20_000;

/** What the MD panel exposes on `window.atomenvDemo.md` (for tests and the curious). */
export interface MDPanelState {
  status: 'checking' | 'idle' | 'loading' | 'ready' | 'running' | 'pausing' | 'paused' | 'error';
  /** Whether the server has the water potential (null while checking). */
  waterAvailable: boolean | null;
  /** What was loaded: "H2O_RPBE-D3 …" or the file names. */
  source?: string;
  atoms?: number;
  /** Å per length unit and eV per energy unit of the potential. */
  units?: MDUnits;
  /** Potential energy of the start structure in eV. */
  startEnergy?: number;
  /** Last step done and its time (fs). */
  step: number;
  time: number;
  /**
   * Energies (eV), temperature (K) and time (fs) of every `sampleStride`-th step, step 0 first
   * (every step until the run passes MAX_SAMPLES steps, then thinned by halves).
   */
  energies: MDSample[];
  sampleStride: number;
  /** Settings of the current run (as sent to the worker). */
  settings?: MDSettings;
  /** Wall time per step in the worker (ms). */
  msPerStep?: number;
  /** Chunks of steps received from the worker, and atom frames drawn (fewer when the worker is ahead). */
  framesReceived: number;
  framesDrawn: number;
  error?: { code: string; message: string };
  charts: { atoms?: unknown; energy?: unknown };
}

const $ = <T extends HTMLElement>(id: string): T => {
  const element = document.getElementById(id);
  if (element === null) throw new Error(`demo: #${id} is missing from the page`);
  return element as T;
};

/** The start structure as plain data for the worker. */
function startStructure(parsed: ParsedStructure): MDStartStructure {
  return {
    numbers: Array.from(parsed.numbers),
    positions: Array.from(parsed.positions),
    cell: parsed.cell === undefined ? null : parsed.cell.map((row) => Array.from(row)),
    pbc: parsed.pbc,
  };
}

/** Wires the panel and returns its state object (live: the panel updates it). */
export function setupMDPanel(): MDPanelState {
  const md: MDPanelState = { status: 'checking', waterAvailable: null, step: 0, time: 0, energies: [], sampleStride: 1, framesReceived: 0, framesDrawn: 0, charts: {} };
  const form = $<HTMLFormElement>('md-form');
  const buttons = { water: $<HTMLButtonElement>('md-load-water'), files: $<HTMLButtonElement>('md-load-files'), start: $<HTMLButtonElement>('md-start'), pause: $<HTMLButtonElement>('md-pause'), reset: $<HTMLButtonElement>('md-reset') };
  const statusLine = $('md-status');
  const errorBox = $('md-error');
  let worker: Worker | null = null;
  let loaded = false;
  let atomView: AtomView | null = null;
  let energyChart: EnergyChart | null = null;
  let latest: Float64Array | null = null;
  let atomsDirty = false, energyDirty = false;
  let lastEnergyDraw = -Infinity;
  let frame = 0;

  function setStatus(status: MDPanelState['status']): void {
    md.status = status;
    const busy = status === 'loading' || status === 'checking';
    buttons.water.disabled = busy || md.waterAvailable !== true;
    buttons.files.disabled = busy;
    buttons.start.disabled = !loaded || busy || status === 'running' || status === 'pausing';
    buttons.pause.disabled = status !== 'running';
    buttons.reset.disabled = !loaded || busy;
    buttons.start.textContent = status === 'paused' ? 'Resume' : 'Start';
  }

  function showError(error: { code?: string; message: string } | unknown): void {
    const code = error instanceof AtomenvError ? error.code : ((error as { code?: string }).code ?? 'ERROR');
    const message = error instanceof Error ? error.message : String((error as { message?: unknown }).message ?? error);
    md.error = { code, message };
    errorBox.textContent = code === 'ERROR' ? message : `${code}: ${message}`;
    errorBox.hidden = false;
    setStatus('error');
  }

  function clearError(): void {
    md.error = undefined;
    errorBox.hidden = true;
  }

  function send(request: MDRequest): void {
    if (worker === null) {
      worker = new Worker(new URL('./mdWorker.js', import.meta.url), { type: 'module' });
      worker.onmessage = (event: MessageEvent<MDReply>) => onReply(event.data);
      worker.onerror = (event) => {
        event.preventDefault();
        showError(new Error(`the MD worker failed: ${event.message || 'it could not be started'}`));
      };
    }
    worker.postMessage(request);
  }

  /** Draws what came since the last frame: the newest positions only (older ones are dropped). */
  function draw(now: number): void {
    frame = 0;
    if (atomsDirty && latest !== null && atomView !== null) {
      atomView.update(latest);
      atomsDirty = false;
      md.framesDrawn++;
    }
    const running = md.status === 'running' || md.status === 'pausing';
    if (energyDirty && energyChart !== null && (!running || now - lastEnergyDraw >= ENERGY_REDRAW_MS)) {
      energyChart.update(md.energies);
      energyDirty = false;
      lastEnergyDraw = now;
      showProgress();
    }
    if (energyDirty) schedule();
  }

  function schedule(): void {
    if (frame === 0) frame = requestAnimationFrame(draw);
  }

  function showProgress(): void {
    const last = md.energies[md.energies.length - 1];
    if (last === undefined) return;
    const e0 = md.energies[0]!.total;
    const speed = md.msPerStep !== undefined ? ` · ${md.msPerStep.toFixed(1)} ms per step` : '';
    statusLine.textContent =
      `step ${last.step} · t = ${last.time.toFixed(2)} fs · T = ${last.temperature.toFixed(1)} K · ` +
      `E_tot − E₀ = ${(last.total - e0).toExponential(2)} eV${speed}`;
    const first = md.energies[0]!;
    $('md-energy-caption').textContent =
      `Energies: change since step 0 (eV; E_pot(0) = ${first.potential.toFixed(4)} eV, E_kin(0) = ${first.kinetic.toFixed(4)} eV), ` +
      'and temperature (K, right axis), against time.';
  }

  function onReply(reply: MDReply): void {
    switch (reply.type) {
      case 'loaded': {
        loaded = true;
        md.atoms = reply.atoms;
        md.startEnergy = reply.energy;
        md.energies = [];
        md.sampleStride = 1;
        md.step = 0;
        md.time = 0;
        md.framesReceived = 0;
        md.framesDrawn = 0;
        $('md-charts').hidden = false;
        const symbols = reply.numbers.map(elementSymbol);
        atomView = new AtomView($('md-atoms'), symbols, reply.cell, reply.positions);
        energyChart = new EnergyChart($('md-energy'));
        md.charts = { atoms: atomView.chart, energy: energyChart.chart };
        $('md-source').textContent =
          `${md.source}: ${reply.atoms} atoms, E_pot = ${reply.energy.toFixed(4)} eV. Set the temperature, thermostat and time step, then Start.`;
        statusLine.textContent = '';
        setStatus('ready');
        break;
      }
      case 'frame': {
        ({ samples: md.energies, stride: md.sampleStride } = appendSamples({ samples: md.energies, stride: md.sampleStride }, reply.samples, MAX_SAMPLES));
        const last = reply.samples[reply.samples.length - 1];
        if (last !== undefined) {
          md.step = last.step;
          md.time = last.time;
        }
        md.msPerStep = reply.msPerStep;
        md.framesReceived++;
        latest = reply.positions;
        atomsDirty = energyDirty = true;
        schedule();
        break;
      }
      case 'paused':
        if (md.status === 'running' || md.status === 'pausing') {
          setStatus('paused');
          energyDirty = true;
          schedule();
        }
        break;
      case 'reset':
        md.energies = [];
        md.sampleStride = 1;
        md.step = 0;
        md.time = 0;
        latest = reply.positions;
        atomsDirty = true;
        energyChart?.update([]);
        statusLine.textContent = `Back at the start structure (E_pot = ${reply.energy.toFixed(4)} eV).`;
        setStatus('ready');
        schedule();
        break;
      case 'error':
        showError(reply);
        break;
    }
  }

  function load(files: Record<string, string>, parsed: ParsedStructure, units: MDUnits, source: string): void {
    md.source = source;
    md.units = units;
    $('md-source').textContent = `Building the potential in the MD worker…`;
    send({ type: 'load', files, structure: startStructure(parsed), units });
  }

  async function loadWater(): Promise<void> {
    clearError();
    loaded = false;
    setStatus('loading');
    try {
      const base = new URL(WATER_FOLDER, import.meta.url);
      const texts = await Promise.all([...WATER_FILES, 'input.data'].map(async (name) => {
        const response = await fetch(new URL(name, base));
        if (!response.ok) throw new Error(`${name} of the water potential could not be fetched (HTTP ${response.status})`);
        return response.text();
      }));
      const files = Object.fromEntries(WATER_FILES.map((name, k) => [name, texts[k]!]));
      // The first frame of input.data: 64 molecules in a periodic box, in Bohr.
      const structure = parseStructures(texts[WATER_FILES.length]!, 'n2p2', { file: 'input.data' })[0]!;
      load(files, structure, { lengthUnit: BOHR_IN_ANGSTROM, energyUnit: HARTREE_IN_EV }, 'H2O_RPBE-D3 water potential, first frame of input.data');
    } catch (error) {
      showError(error);
    }
  }

  async function loadFromDisk(): Promise<void> {
    clearError();
    const picked = Array.from($<HTMLInputElement>('md-files').files ?? []);
    const structureFile = $<HTMLInputElement>('md-structure').files?.[0];
    try {
      const names = picked.map((f) => f.name);
      const missing = ['input.nn', 'scaling.data'].filter((name) => !names.includes(name));
      if (!names.some((name) => /^weights\.\d{3}\.data$/.test(name))) missing.push('weights.XXX.data');
      if (missing.length > 0) throw new Error(`the potential files are incomplete: pick ${missing.join(', ')} too`);
      if (structureFile === undefined) throw new Error('pick a start structure too');
      loaded = false;
      setStatus('loading');
      const files = Object.fromEntries(await Promise.all(picked.map(async (f) => [f.name, await f.text()] as const)));
      const structure = parseStructures(await structureFile.text(), undefined, { file: structureFile.name })[0]!;
      const units = $<HTMLSelectElement>('md-units').value === 'bohr-hartree'
        ? { lengthUnit: BOHR_IN_ANGSTROM, energyUnit: HARTREE_IN_EV }
        : { lengthUnit: 1, energyUnit: 1 };
      load(files, structure, units, `${structureFile.name} with ${names.join(', ')}`);
    } catch (error) {
      showError(error);
    }
  }

  function readSettings(): MDSettings {
    const value = (name: string) => (form.elements.namedItem(name) as HTMLInputElement | HTMLSelectElement).value;
    const thermostat = value('thermostat');
    return {
      dt: Number(value('dt')),
      temperature: Number(value('temperature')),
      thermostat: thermostat === 'berendsen' || thermostat === 'langevin' ? thermostat : null,
      thermostatTime: Number(value('thermostatTime')),
      seed: 1,
    };
  }

  function start(): void {
    if (!loaded) return;
    clearError();
    md.settings = readSettings();
    setStatus('running');
    send({ type: 'start', settings: md.settings });
  }

  buttons.water.addEventListener('click', () => void loadWater());
  buttons.files.addEventListener('click', () => void loadFromDisk());
  buttons.start.addEventListener('click', start);
  buttons.pause.addEventListener('click', () => {
    setStatus('pausing');
    send({ type: 'pause' });
  });
  buttons.reset.addEventListener('click', () => {
    clearError();
    send({ type: 'reset' });
  });
  // New settings take effect at the next chunk of a running simulation.
  form.addEventListener('change', () => {
    if (md.status === 'running') start();
  });

  // Is the water potential on this server (npm run demo serves ../shared/ when it exists)?
  void fetch(new URL(`${WATER_FOLDER}input.nn`, import.meta.url), { method: 'HEAD' }).then(
    (response) => response.ok,
    () => false,
  ).then((available) => {
    md.waterAvailable = available;
    $('md-water-status').textContent = available
      ? 'H2O_RPBE-D3 (RPBE-D3 water, Bohr and Hartree), start from the 192-atom box of its input.data.'
      : 'The water potential is not available on this server (no shared data folder): pick a potential’s files below.';
    $<HTMLDetailsElement>('md-own').open = !available;
    if (md.status === 'checking') setStatus('idle');
  });
  setStatus('checking');
  return md;
}
