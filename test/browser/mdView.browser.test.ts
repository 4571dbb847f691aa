import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HARTREE_IN_EV, parseStructures } from '../../src/index.js';
import { loadPotential } from '../../src/index.node.js';
import type { MDSample } from '../../demo/mdProtocol.js';
// @ts-expect-error plain JavaScript build script
import { buildDemo } from '../../scripts/demoBuild.mjs';
// @ts-expect-error plain JavaScript helper shared with the benchmark
import { serveStatic } from '../../scripts/staticServer.mjs';

// Debian's Chromium (.ci/run installs it); playwright-core never downloads a browser.
const CHROMIUM = '/usr/bin/chromium';
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SHARED = path.resolve(ROOT, '../shared');
const WATER = path.join(SHARED, 'data/n2p2/H2O_RPBE-D3');

let browser: Browser;
let withShared: { server: Server; url: string };
let withoutShared: { server: Server; url: string };
let outdir: string;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install Debian's chromium (apt-get install -y chromium)`);
  outdir = mkdtempSync(path.join(tmpdir(), 'atomenv-md-'));
  await buildDemo(outdir);
  withShared = await serveStatic(outdir, SHARED);
  withoutShared = await serveStatic(outdir, null);
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
}, 60000);

afterAll(async () => {
  await browser?.close();
  for (const s of [withShared, withoutShared]) if (s !== undefined) await new Promise((resolve) => s.server.close(resolve));
  if (outdir !== undefined) rmSync(outdir, { recursive: true, force: true });
});

async function openDemo(base: string, errors: string[]): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 1100 } });
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(`${base}/`);
  await page.waitForFunction(() => window.atomenvDemo?.md?.waterAvailable !== null && window.atomenvDemo?.md?.waterAvailable !== undefined, null, { timeout: 30000 });
  return page;
}

describe('MD panel of the demo page in headless Chromium', () => {
  it('water potential, NVE at 300 K, dt 0.25 fs: steps advance, E_pot(0) is Node’s, E_tot is conserved, charts drawn (screenshot saved)', async () => {
    const errors: string[] = [];
    const page = await openDemo(withShared.url, errors);
    expect(await page.evaluate(() => window.atomenvDemo.md!.waterAvailable)).toBe(true);
    await page.click('#md-load-water');
    await page.waitForFunction(() => ['ready', 'error'].includes(window.atomenvDemo.md!.status), null, { timeout: 30000 });
    expect(await page.evaluate(() => window.atomenvDemo.md!.error)).toBeUndefined();
    expect(await page.evaluate(() => window.atomenvDemo.md!.atoms)).toBe(192);

    await page.fill('#md-form input[name="temperature"]', '300');
    await page.selectOption('#md-form select[name="thermostat"]', 'none');
    await page.fill('#md-form input[name="dt"]', '0.25');
    await page.click('#md-start');
    await page.waitForFunction(() => window.atomenvDemo.md!.status === 'running');
    expect(await page.isDisabled('#md-start')).toBe(true);
    await page.waitForFunction(() => window.atomenvDemo.md!.step >= 30 || window.atomenvDemo.md!.status === 'error', null, { timeout: 25000, polling: 50 });
    await page.click('#md-pause');
    await page.waitForFunction(() => ['paused', 'error'].includes(window.atomenvDemo.md!.status), null, { timeout: 10000 });
    const md = await page.evaluate(() => {
      const s = window.atomenvDemo.md!;
      return { status: s.status, error: s.error, step: s.step, time: s.time, energies: s.energies, settings: s.settings, startEnergy: s.startEnergy, framesReceived: s.framesReceived, framesDrawn: s.framesDrawn, msPerStep: s.msPerStep };
    });
    expect(md.error).toBeUndefined();
    expect(md.status).toBe('paused');
    expect(md.settings).toEqual({ dt: 0.25, temperature: 300, thermostat: null, thermostatTime: 100, seed: 1 });
    expect(md.step).toBeGreaterThanOrEqual(30);
    // Every step once, in order, at t = step·dt.
    const energies = md.energies as MDSample[];
    expect(energies.map((s) => s.step)).toEqual(Array.from({ length: md.step + 1 }, (_, k) => k));
    for (const s of energies) expect(s.time).toBeCloseTo(s.step * 0.25, 12);
    expect(md.time).toBeCloseTo(md.step * 0.25, 12);
    expect(energies[0]!.temperature).toBeCloseTo(300, 6);

    // Step 0's potential energy is Node's potential.compute of the same start structure.
    const potential = await loadPotential(WATER);
    const start = parseStructures(readFileSync(path.join(WATER, 'input.data'), 'utf8'), 'n2p2')[0]!;
    const node = potential.compute(start).energy * HARTREE_IN_EV;
    expect(Math.abs(energies[0]!.potential - node) / Math.abs(node)).toBeLessThan(1e-10);
    expect(Math.abs(md.startEnergy! - node) / Math.abs(node)).toBeLessThan(1e-10);

    // NVE: kinetic and potential energy exchange, the total stays.
    const e0 = energies[0]!.total;
    const drift = Math.max(...energies.map((s) => Math.abs(s.total - e0)));
    const kinetic = energies.map((s) => s.kinetic);
    const swing = Math.max(...kinetic) - Math.min(...kinetic);
    for (const s of energies) expect(s.total).toBeCloseTo(s.potential + s.kinetic, 9);
    expect(swing).toBeGreaterThan(0.05);
    expect(drift).toBeLessThan(swing / 20);

    // Both charts drew on a canvas: every atom on the x–y view (O and H), four lines of every step.
    const charts = await page.evaluate(() => {
      type Option = { series: { type: string; name: string; data: number[][] }[]; xAxis: { min: number; max: number }[] };
      const option = (chart: unknown) => (chart as { getOption(): Option }).getOption();
      const { atoms, energy } = window.atomenvDemo.md!.charts;
      return {
        atoms: option(atoms).series.map((s) => ({ type: s.type, name: s.name, points: s.data.length, data: s.data })),
        xAxis: option(atoms).xAxis[0]!,
        energy: option(energy).series.map((s) => ({ type: s.type, name: s.name, points: s.data.length })),
        canvases: ['md-atoms', 'md-energy'].map((id) => {
          const canvas = document.querySelector(`#${id} canvas`) as HTMLCanvasElement | null;
          return canvas === null ? 0 : canvas.width * canvas.height;
        }),
      };
    });
    expect(charts.canvases.every((area) => area > 0)).toBe(true);
    const scatter = charts.atoms.filter((s) => s.type === 'scatter');
    expect(scatter.map((s) => [s.name, s.points])).toEqual([['O', 64], ['H', 128]]);
    // Wrapped into the 24.62 Bohr = 13.03 Å box.
    const box = 24.623508 * 0.529177210903;
    for (const s of scatter) for (const [x, y] of s.data) {
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThan(box);
      expect(y).toBeGreaterThanOrEqual(0);
      expect(y).toBeLessThan(box);
    }
    expect(charts.energy.map((s) => s.type)).toEqual(['line', 'line', 'line', 'line']);
    expect(charts.energy.every((s) => s.points === energies.length)).toBe(true);
    // The view follows the run (once per frame at most: never more draws than chunks).
    expect(md.framesDrawn).toBeGreaterThan(0);
    expect(md.framesDrawn).toBeLessThanOrEqual(md.framesReceived);
    expect(await page.textContent('#md-status')).toContain(`step ${md.step}`);
    expect(await page.textContent('#md-start')).toBe('Resume');

    const shots = path.join(ROOT, 'test-results');
    mkdirSync(shots, { recursive: true });
    await page.screenshot({ path: path.join(shots, 'md.png'), fullPage: true });

    // Resuming continues from where it paused; Reset goes back to step 0.
    await page.click('#md-start');
    await page.waitForFunction((n) => window.atomenvDemo.md!.step > n, md.step, { timeout: 10000 });
    await page.click('#md-reset');
    await page.waitForFunction(() => window.atomenvDemo.md!.status === 'ready' && window.atomenvDemo.md!.step === 0, null, { timeout: 10000 });
    expect(await page.evaluate(() => window.atomenvDemo.md!.energies.length)).toBe(0);
    console.log(`MD in the browser: ${md.msPerStep?.toFixed(1)} ms per step (192 atoms), ${md.framesReceived} chunks, ${md.framesDrawn} frames drawn`);
    expect(errors).toEqual([]);
    await page.close();
  }, 60000);

  it('a 3-molecule cluster picked from disk: many steps per chunk, no more atom frames drawn than chunks (the newest only), Langevin runs', async () => {
    const errors: string[] = [];
    const page = await openDemo(withoutShared.url, errors);
    // The first three molecules of the box, without the cell, as extxyz (Bohr).
    const box = parseStructures(readFileSync(path.join(WATER, 'input.data'), 'utf8'), 'n2p2')[0]!;
    const symbols = ['O', 'H', 'H', 'O', 'H', 'H', 'O', 'H', 'H'];
    expect(box.numbers.slice(0, 9)).toEqual(symbols.map((s) => (s === 'O' ? 8 : 1)));
    const lines = symbols.map((s, i) => `${s} ${Array.from(box.positions.subarray(3 * i, 3 * i + 3)).join(' ')}`);
    const cluster = `9\nProperties=species:S:1:pos:R:3\n${lines.join('\n')}\n`;
    await page.setInputFiles('#md-files', ['input.nn', 'scaling.data', 'weights.001.data', 'weights.008.data'].map((f) => path.join(WATER, f)));
    await page.setInputFiles('#md-structure', { name: 'cluster.extxyz', mimeType: 'text/plain', buffer: Buffer.from(cluster) });
    await page.selectOption('#md-units', 'bohr-hartree');
    await page.click('#md-load-files');
    await page.waitForFunction(() => ['ready', 'error'].includes(window.atomenvDemo.md!.status), null, { timeout: 30000 });
    expect(await page.evaluate(() => window.atomenvDemo.md!.error)).toBeUndefined();
    expect(await page.evaluate(() => window.atomenvDemo.md!.atoms)).toBe(9);
    await page.selectOption('#md-form select[name="thermostat"]', 'langevin');
    await page.fill('#md-form input[name="thermostatTime"]', '50');
    await page.click('#md-start');
    await page.waitForFunction(() => window.atomenvDemo.md!.framesReceived >= 40 || window.atomenvDemo.md!.status === 'error', null, { timeout: 20000 });
    await page.click('#md-pause');
    await page.waitForFunction(() => ['paused', 'error'].includes(window.atomenvDemo.md!.status), null, { timeout: 10000 });
    const md = await page.evaluate(() => {
      const s = window.atomenvDemo.md!;
      return { error: s.error, step: s.step, settings: s.settings, samples: s.energies.length, framesReceived: s.framesReceived, framesDrawn: s.framesDrawn, finite: s.energies.every((e) => Number.isFinite(e.total) && e.temperature > 0) };
    });
    expect(md.error).toBeUndefined();
    expect(md.settings).toMatchObject({ thermostat: 'langevin', thermostatTime: 50 });
    expect(md.samples).toBe(md.step + 1);
    expect(md.finite).toBe(true);
    // A 9-atom step takes well under a frame: the worker runs several per chunk…
    expect(md.step / md.framesReceived).toBeGreaterThan(2);
    // …and the page draws at most one atom frame per animation frame, the newest.
    expect(md.framesDrawn).toBeGreaterThan(0);
    expect(md.framesDrawn).toBeLessThanOrEqual(md.framesReceived);
    const shown = await page.evaluate(() => {
      const option = (window.atomenvDemo.md!.charts.atoms as { getOption(): { series: { type: string; data: number[][] }[] } }).getOption();
      return option.series.filter((s) => s.type === 'scatter').reduce((n, s) => n + s.data.length, 0);
    });
    expect(shown).toBe(9);
    console.log(`9-atom cluster: ${md.step} steps in ${md.framesReceived} chunks, ${md.framesDrawn} frames drawn`);
    expect(errors).toEqual([]);
    await page.close();
  }, 60000);

  it('without the shared data: the panel says the water potential is not available, and takes files from disk', async () => {
    const errors: string[] = [];
    const page = await openDemo(withoutShared.url, errors);
    expect(await page.evaluate(() => window.atomenvDemo.md!.waterAvailable)).toBe(false);
    expect(await page.textContent('#md-water-status')).toContain('not available');
    expect(await page.isDisabled('#md-load-water')).toBe(true);
    expect(await page.evaluate(() => (document.getElementById('md-own') as HTMLDetailsElement).open)).toBe(true);
    // Incomplete potential files are refused, naming what is missing.
    await page.setInputFiles('#md-files', [path.join(WATER, 'input.nn'), path.join(WATER, 'weights.001.data')]);
    await page.click('#md-load-files');
    await page.waitForFunction(() => window.atomenvDemo.md!.status === 'error');
    expect(await page.textContent('#md-error')).toContain('pick scaling.data');
    // The four files and input.data, in Bohr and Hartree.
    await page.setInputFiles('#md-files', ['input.nn', 'scaling.data', 'weights.001.data', 'weights.008.data'].map((f) => path.join(WATER, f)));
    await page.setInputFiles('#md-structure', path.join(WATER, 'input.data'));
    await page.selectOption('#md-units', 'bohr-hartree');
    await page.click('#md-load-files');
    await page.waitForFunction(() => ['ready', 'error'].includes(window.atomenvDemo.md!.status), null, { timeout: 30000 });
    expect(await page.evaluate(() => window.atomenvDemo.md!.error)).toBeUndefined();
    expect(await page.evaluate(() => window.atomenvDemo.md!.atoms)).toBe(192);
    // A bad time step is refused by the library, with its message.
    await page.fill('#md-form input[name="dt"]', '-1');
    await page.click('#md-start');
    await page.waitForFunction(() => window.atomenvDemo.md!.status === 'error');
    expect(await page.textContent('#md-error')).toMatch(/^INVALID_PARAMETER: dt must be a positive number/);
    expect(errors).toEqual([]);
    await page.close();
  }, 60000);
});
