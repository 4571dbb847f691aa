import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { COMPUTE_OPTIONS } from '../../src/cli/args.js';
import { ROOT, runCli } from './runCli.js';

describe('atomenv help and version', () => {
  it('compute --help mentions every flag, long and short', () => {
    const run = runCli(['compute', '--help']);
    expect(run.code).toBe(0);
    for (const [name, option] of Object.entries(COMPUTE_OPTIONS)) {
      expect(run.stdout).toContain(`--${name}`);
      if ('short' in option) expect(run.stdout).toContain(`-${option.short}, --${name}`);
    }
  });

  it('compute --help explains the config with an ACSF example and both output formats', () => {
    const help = runCli(['compute', '--help']).stdout;
    expect(help).toContain('"descriptor": "acsf"');
    expect(help).toContain('"rCut"');
    expect(help).toContain('frame_offsets');
    expect(help).toContain('OUT.derivatives.npy');
    expect(help).toContain('"failed"');
  });

  it('help compute is compute --help', () => {
    expect(runCli(['help', 'compute']).stdout).toBe(runCli(['compute', '--help']).stdout);
  });

  it('--help names the commands and the other flags', () => {
    const run = runCli(['--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('compute');
    expect(run.stdout).toContain('--version');
    expect(run.stdout).toContain('Exit codes');
  });

  it('no arguments prints the help on stderr and exits 2', () => {
    const run = runCli([]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('Usage:');
  });

  it('--version prints the package version', () => {
    const { version } = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string };
    const run = runCli(['--version']);
    expect(run).toMatchObject({ code: 0, stdout: `atomenv ${version}\n` });
  });
});
