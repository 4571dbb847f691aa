import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The project root (the CLI runs from here, so relative paths resolve as in `npm start`). */
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The built CLI; `npm test` builds it first (pretest). */
export const CLI = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));

/** Shared structure files, relative to the project root. */
export const STRUCTURES = '../shared/data/structures/';

/** This folder's fixtures, relative to the project root. */
export const CLI_FIXTURES = 'test/cli/fixtures/';

/** What a CLI run produced. */
export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `node dist/cli.js ...args` in the project root and waits for it. */
export function runCli(args: string[]): CliRun {
  const run = spawnSync(process.execPath, [CLI, ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    maxBuffer: 512 * 1024 * 1024,
    env: { ...process.env, ATOMENV_DEBUG: '' },
  });
  if (run.error !== undefined) throw run.error;
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

/** The JSON a run printed on stdout. */
export function stdoutJson(run: CliRun): Record<string, unknown> {
  if (run.code !== 0) throw new Error(`atomenv exited with ${run.code}: ${run.stderr}`);
  return JSON.parse(run.stdout) as Record<string, unknown>;
}
