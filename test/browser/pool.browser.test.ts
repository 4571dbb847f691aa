import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Server } from 'node:http';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { SOAP, init } from '../../src/index.js';
import { readShared } from '../helpers/shared.js';
// @ts-expect-error plain JavaScript helper shared with the benchmark
import { serveStatic } from '../../scripts/staticServer.mjs';

// Debian's Chromium (.ci/run installs it); playwright-core never downloads a browser.
const CHROMIUM = '/usr/bin/chromium';
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SHARED = path.resolve(ROOT, '../shared');

let browser: Browser;
let server: Server;
let base: string;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install Debian's chromium (apt-get install -y chromium)`);
  await init();
  ({ server, url: base } = await serveStatic(ROOT, SHARED));
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
}, 60000);

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => server?.close(resolve));
});

it('in headless Chromium: the library and a 2-Web-Worker pool give the Node numbers (screenshot saved)', async () => {
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(`${base}/test/browser/fixtures/pool.html`);
  await page.waitForFunction(() => (window as unknown as { atomenvResult?: unknown }).atomenvResult !== undefined, null, { timeout: 60000 });
  const result = (await page.evaluate(() => (window as unknown as { atomenvResult: unknown }).atomenvResult)) as {
    error?: string; variant: string; shape: number[]; main: number[]; pool: number[][];
  };
  expect(result.error).toBeUndefined();
  expect(errors).toEqual([]);
  // Browsers validate relaxed SIMD, so `init()` picks that build there.
  expect(result.variant).toBe('relaxed');
  const water = readShared('data/structures/water_64mol_192atoms.extxyz')[0]!;
  const node = new SOAP({ species: ['H', 'O'], rCut: 4, nMax: 4, lMax: 4, sigma: 0.5, periodic: true }).create(water);
  expect(result.shape).toEqual(node.shape);
  // The relaxed build fuses multiply-adds: equal to rounding, not bit for bit.
  const scale = Math.max(...Array.from(node.values, Math.abs));
  for (const values of [result.main, ...result.pool]) {
    expect(values.length).toBe(node.values.length);
    let worst = 0;
    for (let i = 0; i < values.length; i++) worst = Math.max(worst, Math.abs(values[i]! - node.values[i]!));
    expect(worst / scale).toBeLessThan(1e-12);
  }
  expect(result.pool[0]).toEqual(result.pool[1]); // text parsed in the worker = structure object
  const shots = path.join(ROOT, 'test-results');
  mkdirSync(shots, { recursive: true });
  await page.screenshot({ path: path.join(shots, 'browser-pool.png') });
  await page.close();
}, 120000);
