// The `atomenv` command (bundled to dist/cli.js by scripts/bundle.mjs).
import { parseComputeArgs } from './args.js';
import { runCompute } from './compute.js';
import { COMPUTE_HELP, KERNEL_HELP, MAIN_HELP, MD_HELP, PREDICT_HELP, SERVE_HELP } from './help.js';
import { runMd } from './md.js';
import { parseMdArgs } from './mdArgs.js';
import { runPredict } from './predict.js';
import { parsePredictArgs } from './predictArgs.js';
import { runKernel } from './kernel.js';
import { parseKernelArgs } from './kernelArgs.js';
import { describeError, EXIT_USAGE } from './reportError.js';
import { runServe } from './serve.js';
import { parseServeArgs } from './serveArgs.js';
import { UsageError } from './usageError.js';
import { VERSION } from './version.js';

const COMMANDS = 'compute, kernel, serve, predict, md';

/** Runs the CLI on its arguments (without `node` and the script); resolves with the exit code. */
async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case undefined:
      process.stderr.write(MAIN_HELP);
      return EXIT_USAGE;
    case '--help':
    case '-h':
      process.stdout.write(MAIN_HELP);
      return 0;
    case '--version':
    case '-v':
      process.stdout.write(`atomenv ${VERSION}\n`);
      return 0;
    case 'help': {
      const topics: Record<string, string> = { compute: COMPUTE_HELP, kernel: KERNEL_HELP, serve: SERVE_HELP, predict: PREDICT_HELP, md: MD_HELP };
      if (rest.length > 0 && !Object.hasOwn(topics, rest[0]!)) {
        throw new UsageError(`no help for '${rest[0]}': the commands are: ${COMMANDS}`);
      }
      process.stdout.write(rest.length === 0 ? MAIN_HELP : topics[rest[0]!]!);
      return 0;
    }
    case 'compute': {
      const args = parseComputeArgs(rest);
      if (args === null) {
        process.stdout.write(COMPUTE_HELP);
        return 0;
      }
      return runCompute(args);
    }
    case 'kernel': {
      const args = parseKernelArgs(rest);
      if (args === null) {
        process.stdout.write(KERNEL_HELP);
        return 0;
      }
      return runKernel(args);
    }
    case 'serve': {
      const args = parseServeArgs(rest);
      if (args === null) {
        process.stdout.write(SERVE_HELP);
        return 0;
      }
      return runServe(args);
    }
    case 'predict': {
      const args = parsePredictArgs(rest);
      if (args === null) {
        process.stdout.write(PREDICT_HELP);
        return 0;
      }
      return runPredict(args);
    }
    case 'md': {
      const args = parseMdArgs(rest);
      if (args === null) {
        process.stdout.write(MD_HELP);
        return 0;
      }
      return runMd(args);
    }
    default:
      throw new UsageError(
        command.startsWith('-') ? `unknown option '${command}' (see 'atomenv --help')` : `unknown command '${command}' (the commands are: ${COMMANDS}; see 'atomenv --help')`,
      );
  }
}

// A reader that closed the pipe (e.g. `| head`) is not an error; other write errors end the run.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') process.stderr.write(`atomenv: cannot write to stdout: ${error.message}\n`);
  process.exit(error.code === 'EPIPE' ? 0 : 1);
});

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    const { line, exitCode } = describeError(error);
    process.stderr.write(`${line}\n`);
    if (process.env.ATOMENV_DEBUG === '1' && error instanceof Error && error.stack !== undefined) {
      process.stderr.write(`${error.stack}\n`);
    }
    process.exitCode = exitCode;
  },
);
