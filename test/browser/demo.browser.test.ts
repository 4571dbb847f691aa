import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACSF, AtomenvError, SOAP, averageKernel, decodeNpy, init, parseStructures, type DescriptorValues } from '../../src/index.js';
import { DEFAULT_SOAP } from '../../demo/form.js';
import { pca } from '../../demo/pca.js';
import { MAX_HEATMAP_STRUCTURES } from '../../demo/compute.js';
// @ts-expect-error plain JavaScript build script
import { buildDemo, DEMO_EXAMPLE } from '../../scripts/demoBuild.mjs';
// @ts-expect-error plain JavaScript helper shared with the benchmark
import { serveStatic } from '../../scripts/staticServer.mjs';

// Debian's Chromium (.ci/run installs it); playwright-core never downloads a browser.
const CHROMIUM = '/usr/bin/chromium';
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const POSCAR = fileURLToPath(new URL('./fixtures/NaCl_rattled.POSCAR', import.meta.url));
const BATCH = path.resolve(ROOT, '../shared/data/structures/batch_g2_CHNO_972.extxyz');

let browser: Browser;
let server: Server;
let base: string;
let outdir: string;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install Debian's chromium (apt-get install -y chromium)`);
  await init();
  outdir = mkdtempSync(path.join(tmpdir(), 'atomenv-demo-'));
  await buildDemo(outdir);
  ({ server, url: base } = await serveStatic(outdir, null));
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
}, 60000);

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => server?.close(resolve));
  if (outdir !== undefined) rmSync(outdir, { recursive: true, force: true });
});

/** What the page computed, as plain arrays. */
interface PageResult {
  config: Record<string, unknown> & { descriptor: string };
  kernelConfig: Record<string, unknown>;
  shape: [number, number];
  values: number[];
  rowStructure: number[];
  rowAtom: number[];
  kernel: number[];
  kernelStructures: number;
  scores: number[];
}

async function openDemo(errors: string[]): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 1100 } });
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(`${base}/`);
  await page.waitForFunction(() => window.atomenvDemo?.status === 'idle', null, { timeout: 30000 });
  return page;
}

/**
 * Clicks Compute and waits for the run to end; fails with the page's error if it shows one.
 * `rows` (default all) picks the rows of the descriptor matrix to bring over (large inputs).
 */
async function computeOnPage(page: Page, rows: number[] | null = null): Promise<PageResult> {
  await page.click('#compute');
  await page.waitForFunction(() => ['done', 'error'].includes(window.atomenvDemo.status), null, { timeout: 30000 });
  const error = await page.evaluate(() => window.atomenvDemo.error?.message);
  expect(error).toBeUndefined();
  return page.evaluate((picked) => {
    const r = window.atomenvDemo.result!;
    const cols = r.shape[1];
    return {
      config: r.config as unknown as PageResult['config'], kernelConfig: r.kernelConfig as unknown as PageResult['kernelConfig'], shape: r.shape,
      values: picked === null ? Array.from(r.values) : picked.flatMap((row) => Array.from(r.values.subarray(row * cols, (row + 1) * cols))), rowStructure: Array.from(r.rowStructure), rowAtom: Array.from(r.rowAtom),
      kernel: Array.from(r.kernel.values), kernelStructures: r.kernelStructures, scores: Array.from(r.pca.scores),
    };
  }, rows);
}

/** Largest |a − b| over the largest |b|. */
function relativeError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let worst = 0, scale = 0;
  for (let i = 0; i < b.length; i++) {
    worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
    scale = Math.max(scale, Math.abs(b[i]!));
  }
  return worst / scale;
}

/** The per-structure results stacked into one [atoms, features] matrix. */
function stack(results: readonly { values: ArrayLike<number> }[]): Float64Array {
  const out = new Float64Array(results.reduce((n, r) => n + r.values.length, 0));
  let offset = 0;
  for (const r of results) {
    out.set(r.values, offset);
    offset += r.values.length;
  }
  return out;
}

/**
 * Checks the page's numbers against the library run in Node on the same parsed structures
 * (`rows`: the rows of the matrix the page gave, default all).
 */
function expectNodeNumbers(result: PageResult, text: string, file: string, rows: number[] | null = null): void {
  const structures = parseStructures(text, undefined, { file });
  const { descriptor, ...options } = result.config;
  const chosen = descriptor === 'soap' ? new SOAP(options as never) : new ACSF(options as never);
  const node = structures.map((s) => chosen.create(s));
  const atoms = structures.reduce((n, s) => n + s.numbers.length, 0);
  expect(result.shape).toEqual([atoms, node[0]!.shape[1]]);
  expect(result.rowStructure).toEqual(structures.flatMap((s, k) => s.numbers.map(() => k)));
  expect(result.rowAtom).toEqual(structures.flatMap((s) => s.numbers.map((_, a) => a)));
  // Browsers run the relaxed-SIMD build (fused multiply-adds): equal to rounding.
  const values = stack(node);
  const cols = node[0]!.shape[1];
  const picked = rows === null ? values : Float64Array.from(rows.flatMap((row) => Array.from(values.subarray(row * cols, (row + 1) * cols))));
  expect(relativeError(result.values, picked)).toBeLessThan(1e-12);
  const { descriptor: _, ...soapOptions } = result.kernelConfig;
  const soap = new SOAP(soapOptions as never);
  expect(result.kernelStructures).toBe(Math.min(structures.length, MAX_HEATMAP_STRUCTURES));
  const shown = structures.slice(0, result.kernelStructures);
  const kernel = averageKernel(shown.map((s) => soap.create(s) as DescriptorValues), null, { metric: 'dot' });
  expect(relativeError(result.kernel, kernel.values)).toBeLessThan(1e-12);
  // The map is the PCA of the same matrix (up to the rounding of the values); checked on the
  // inputs brought over whole (the PCA of a large matrix takes seconds).
  expect(result.scores.length).toBe(2 * atoms);
  if (rows === null) expect(relativeError(result.scores, pca(values, atoms, cols, 2).scores)).toBeLessThan(1e-8);
}

describe('demo page in headless Chromium', () => {
  it('bundled example, SOAP from the form: the Node numbers, a map, a heat-map and a .npy download (screenshot saved)', async () => {
    const errors: string[] = [];
    const page = await openDemo(errors);
    await page.click('#example');
    await page.waitForFunction(() => window.atomenvDemo.status === 'ready');
    expect(await page.textContent('#species')).toBe('H, C, N, O');
    // Parameters other than the defaults, so the test sees the form being read.
    await page.fill('input[name="soap-rCut"]', '4.5');
    await page.fill('input[name="soap-nMax"]', '5');
    await page.fill('input[name="soap-lMax"]', '3');
    await page.fill('input[name="soap-sigma"]', '0.6');
    const result = await computeOnPage(page);
    expect(result.config).toMatchObject({ descriptor: 'soap', species: ['H', 'C', 'N', 'O'], rCut: 4.5, nMax: 5, lMax: 3, sigma: 0.6, periodic: false });
    expect(result.kernelConfig).toEqual(result.config);
    const text = readFileSync(path.join(ROOT, DEMO_EXAMPLE), 'utf8');
    expectNodeNumbers(result, text, 'chno_24mol.extxyz');
    const [atoms, features] = result.shape;
    expect(await page.textContent('#summary')).toContain(`[${atoms}, ${features}]`);

    // Both charts drew on a canvas, with every atom on the map and every pair in the heat-map.
    const charts = await page.evaluate(() => {
      const option = (chart: unknown) => (chart as { getOption(): { series: { type: string; name: string; data: unknown[] }[] } }).getOption();
      const { map, heatmap } = window.atomenvDemo.charts;
      return {
        map: option(map).series.map((s) => ({ type: s.type, name: s.name, points: s.data.length })),
        heatmap: option(heatmap).series.map((s) => ({ type: s.type, cells: s.data.length })),
        canvases: ['map', 'heatmap'].map((id) => {
          const canvas = document.querySelector(`#${id} canvas`) as HTMLCanvasElement | null;
          return canvas === null ? 0 : canvas.width * canvas.height;
        }),
      };
    });
    expect(charts.map.map((s) => s.type)).toEqual(['scatter', 'scatter', 'scatter', 'scatter']);
    expect(charts.map.map((s) => s.name).sort()).toEqual(['C', 'H', 'N', 'O']);
    expect(charts.map.reduce((n, s) => n + s.points, 0)).toBe(atoms);
    expect(charts.heatmap).toEqual([{ type: 'heatmap', cells: 24 * 24 }]);
    expect(charts.canvases.every((area) => area > 0)).toBe(true);
    // The download is the descriptor matrix as .npy.
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download')]);
    expect(download.suggestedFilename()).toBe('chno_24mol.soap.npy');
    const npy = decodeNpy(new Uint8Array(readFileSync(await download.path())));
    expect(npy.dtype).toBe('float64');
    expect(npy.shape).toEqual([atoms, features]);
    expect(Array.from(npy.values)).toEqual(result.values);

    // Hovering a point of the map names its atom and structure.
    const point = await page.evaluate(() => {
      const chart = window.atomenvDemo.charts.map as {
        getOption(): { series: { name: string; data: number[][] }[] };
        convertToPixel(finder: { seriesIndex: number }, value: number[]): number[];
      };
      const series = chart.getOption().series;
      const index = series.findIndex((s) => s.name === 'N');
      const [x, y, row] = series[index]!.data[0]!;
      const [px, py] = chart.convertToPixel({ seriesIndex: index }, [x!, y!]);
      return { px: px!, py: py!, row: row! };
    });
    await page.hover('#map canvas', { position: { x: point.px, y: point.py } });
    const structure = result.rowStructure[point.row]!;
    const names = parseStructures(readFileSync(path.join(ROOT, DEMO_EXAMPLE), 'utf8')).map((s) => s.info.name);
    await expect.poll(() => page.textContent('#map')).toContain(
      `N atom ${result.rowAtom[point.row]} of structure ${structure} (${String(names[structure])})`,
    );

    const shots = path.join(ROOT, 'test-results');
    mkdirSync(shots, { recursive: true });
    await page.screenshot({ path: path.join(shots, 'demo.png'), fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  }, 60000);

  it('ACSF with the default G2/G4 set: the Node numbers, and the heat-map from a default SOAP alongside (said on the page)', async () => {
    const errors: string[] = [];
    const page = await openDemo(errors);
    await page.click('#example');
    await page.waitForFunction(() => window.atomenvDemo.status === 'ready');
    await page.check('input[name="descriptor"][value="acsf"]');
    expect(await page.isVisible('input[name="soap-nMax"]')).toBe(false);
    const result = await computeOnPage(page);
    expect(result.config.descriptor).toBe('acsf');
    expect((result.config.g2Params as unknown[]).length).toBe(8);
    expect((result.config.g4Params as unknown[]).length).toBe(8);
    expect(result.kernelConfig).toEqual({ descriptor: 'soap', species: ['H', 'C', 'N', 'O'], periodic: false, ...DEFAULT_SOAP });
    expectNodeNumbers(result, readFileSync(path.join(ROOT, DEMO_EXAMPLE), 'utf8'), 'chno_24mol.extxyz');
    const note = await page.textContent('#heatmap-note');
    expect(note).toContain('ACSF was chosen');
    expect(note).toContain(`SOAP (r_cut ${DEFAULT_SOAP.rCut} Å, n_max ${DEFAULT_SOAP.nMax}, l_max ${DEFAULT_SOAP.lMax}`);
    expect(errors).toEqual([]);
    await page.close();
  }, 60000);

  it('a POSCAR picked with the file input is periodic and gives the Node numbers', async () => {
    const errors: string[] = [];
    const page = await openDemo(errors);
    await page.setInputFiles('#file', POSCAR);
    await page.waitForFunction(() => window.atomenvDemo.status === 'ready');
    expect(await page.isChecked('input[name="periodic"]')).toBe(true);
    expect(await page.textContent('#species')).toBe('Na, Cl');
    const result = await computeOnPage(page);
    expect(result.config).toMatchObject({ descriptor: 'soap', periodic: true, ...DEFAULT_SOAP });
    expect(result.shape[0]).toBe(8);
    expectNodeNumbers(result, readFileSync(POSCAR, 'utf8'), 'NaCl_rattled.POSCAR');
    expect(result.kernel).toEqual([1]);
    expect(errors).toEqual([]);
    await page.close();
  }, 60000);

  it('the 972-molecule batch: every atom in the matrix and on the map, the heat-map of the first 200 (said on the page)', async () => {
    const errors: string[] = [];
    const page = await openDemo(errors);
    await page.setInputFiles('#file', BATCH);
    await page.waitForFunction(() => window.atomenvDemo.status === 'ready');
    // 6648 × 1500 values: compare a sample of rows (first, middle, last atoms), all else in full.
    const rows = [0, 1, 2, 3331, 3332, 6645, 6646, 6647];
    const result = await computeOnPage(page, rows);
    expect(result.shape).toEqual([6648, 1500]);
    expect(result.kernel.length).toBe(MAX_HEATMAP_STRUCTURES ** 2);
    expectNodeNumbers(result, readFileSync(BATCH, 'utf8'), 'batch_g2_CHNO_972.extxyz', rows);
    expect(await page.textContent('#heatmap-note')).toContain(`the first ${MAX_HEATMAP_STRUCTURES} of the 972 structures`);
    expect(errors).toEqual([]);
    await page.close();
  }, 60000);

  it('a malformed file dropped on the page shows the library error (code, file, line) and cannot be computed', async () => {
    const errors: string[] = [];
    const page = await openDemo(errors);
    const text = '3\nProperties=species:S:1:pos:R:3\nH 0 0 0\nO 0 0\nH 1 0 0\n';
    let expected: AtomenvError | undefined;
    try {
      parseStructures(text, undefined, { file: 'broken.extxyz' });
    } catch (error) {
      expected = error as AtomenvError;
    }
    expect(expected).toBeInstanceOf(AtomenvError);
    const transfer = await page.evaluateHandle((content) => {
      const data = new DataTransfer();
      data.items.add(new File([content], 'broken.extxyz', { type: 'text/plain' }));
      return data;
    }, text);
    await page.dispatchEvent('#drop', 'drop', { dataTransfer: transfer });
    await page.waitForFunction(() => window.atomenvDemo.status === 'error');
    expect(await page.textContent('#error')).toBe(`${expected!.code}: ${expected!.message}`);
    expect(expected!.message).toContain('broken.extxyz, line 4');
    expect(await page.isDisabled('#compute')).toBe(true);
    // A bad parameter is refused with the library's message, before any worker runs.
    await page.click('#example');
    await page.waitForFunction(() => window.atomenvDemo.status === 'ready');
    await page.fill('input[name="soap-nMax"]', '0');
    await page.click('#compute');
    await page.waitForFunction(() => window.atomenvDemo.status === 'error');
    expect(await page.textContent('#error')).toMatch(/^INVALID_PARAMETER: .*nMax/);
    expect(errors).toEqual([]);
    await page.close();
  }, 60000);
});
