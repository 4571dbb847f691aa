import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseStructures } from '../../src/index.js';
import { ROOT, runCli } from './runCli.js';

const H2O = '../shared/data/n2p2/H2O_RPBE-D3';
const dir = mkdtempSync(join(tmpdir(), 'atomenv-md-'));

/** The first frame of the water potential's input.data (Bohr, Hartree). */
function startFile(): string {
  const text = readFileSync(join(ROOT, H2O, 'input.data'), 'utf8');
  const file = join(dir, 'start.data');
  writeFileSync(file, text.split(/(?<=\n\s*end[^\n]*\n)/)[0]!);
  return file;
}

describe('atomenv md', () => {
  it('writes an NVE trajectory whose total energy is conserved and whose step 0 is the predicted energy', () => {
    const start = startFile();
    const out = join(dir, 'nve.extxyz');
    const run = runCli(['md', '--potential', H2O, '--units', 'bohr-hartree', '--dt', '0.25', '--steps', '40', '--every', '10', '-T', '300', '-o', out, start]);
    expect(run.code, run.stderr).toBe(0);
    const frames = parseStructures(readFileSync(out, 'utf8'), 'extxyz');
    expect(frames.map((f) => f.info.step)).toEqual([0, 10, 20, 30, 40]);
    expect(frames.map((f) => f.info.time_fs)).toEqual([0, 2.5, 5, 7.5, 10]);
    expect(frames[0]!.info.temperature_K).toBeCloseTo(300, 6);

    const predicted = JSON.parse(runCli(['predict', '--potential', H2O, start]).stdout) as { structures: { energy: number }[] };
    expect(frames[0]!.info.energy).toBe(predicted.structures[0]!.energy);

    // Velocity Verlet at 0.25 fs: the total energy drifts far less than the kinetic energy moves.
    const total = frames.map((f) => f.info.total_energy as number);
    const kinetic = frames.map((f) => f.info.kinetic_energy as number);
    const drift = Math.max(...total) - Math.min(...total);
    const swing = Math.max(...kinetic) - Math.min(...kinetic);
    expect(swing).toBeGreaterThan(0);
    expect(drift).toBeLessThan(0.05 * swing);
  });

  it('runs the Langevin thermostat reproducibly for a seed', () => {
    const start = startFile();
    const args = ['md', '-p', H2O, '--units', 'bohr-hartree', '--dt', '0.5', '--steps', '4', '--every', '4', '-T', '300', '--thermostat', 'langevin', '--tau', '20', '--seed', '7', start];
    const a = runCli(args);
    const b = runCli(args);
    expect(a.code, a.stderr).toBe(0);
    expect(a.stdout).toBe(b.stdout);
    expect(parseStructures(a.stdout, 'extxyz')).toHaveLength(2);
  });

  it('--workers splits each step across worker threads and follows the same trajectory', () => {
    const start = startFile();
    const args = ['md', '-p', H2O, '--units', 'bohr-hartree', '--dt', '0.5', '--steps', '6', '--every', '3', '-T', '300', start];
    const one = runCli(args);
    const two = runCli([...args, '--workers', '2']);
    expect(one.code, one.stderr).toBe(0);
    expect(two.code, two.stderr).toBe(0);
    const a = parseStructures(one.stdout, 'extxyz');
    const b = parseStructures(two.stdout, 'extxyz');
    expect(a[0]!.numbers.length).toBeGreaterThanOrEqual(128); // large enough to be split
    expect(b.map((f) => f.info.step)).toEqual([0, 3, 6]);
    for (let k = 0; k < a.length; k++) {
      const ea = a[k]!.info.total_energy as number, eb = b[k]!.info.total_energy as number;
      expect(Math.abs(ea - eb)).toBeLessThan(1e-9 * Math.abs(ea));
      const pa = a[k]!.positions as ArrayLike<number>, pb = b[k]!.positions as ArrayLike<number>;
      let d = 0;
      for (let i = 0; i < pa.length; i++) d = Math.max(d, Math.abs(pa[i]! - pb[i]!));
      expect(d).toBeLessThan(1e-9);
    }
  });

  it('rejects bad usage with exit code 2', () => {
    const cases: [string[], RegExp][] = [
      [['md', '-p', H2O, '--steps', '3', 'x.data'], /--dt FS .* is required/],
      [['md', '-p', H2O, '--dt', '1', 'x.data'], /--steps N is required/],
      [['md', '-p', H2O, '--dt', '0', '--steps', '3', 'x.data'], /--dt must be a positive number/],
      [['md', '-p', H2O, '--dt', '1', '--steps', '3', '--thermostat', 'berendsen', 'x.data'], /needs --temperature/],
      [['md', '-p', H2O, '--dt', '1', '--steps', '3', '--units', 'furlongs', 'x.data'], /--units must be one of angstrom-ev, bohr-hartree/],
      [['md', '--dt', '1', '--steps', '3', 'x.data'], /exactly one of --potential DIR/],
      [['md', '-m', 'model.json', '--dt', '1', '--steps', '3', '-w', '2', 'x.data'], /--workers .* needs --potential DIR/],
      [['md', '-p', H2O, '--dt', '1', '--steps', '3', '-w', '0', 'x.data'], /--workers must be a whole number .*atomenv md --help/],
    ];
    for (const [args, message] of cases) {
      const run = runCli(args);
      expect(run.code, args.join(' ')).toBe(2);
      expect(run.stderr).toMatch(message);
    }
  });
});
