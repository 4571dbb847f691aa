import { AtomenvError } from '../errors.js';
import { formatExtxyzFrame } from '../io/extxyzWriter.js';
import type { EnergyModel, EnergyResult } from '../potentials/energyModel.js';
import { init } from '../wasm/loader.js';
import { loadEnergyModel } from './energyModels.js';
import { framesOf } from './frames.js';
import type { PredictArgs } from './predictArgs.js';
import { EXIT_FAILURE } from './reportError.js';
import { checkOutputDirectory, fileSink, streamSink } from './textSink.js';
import { writeJson } from './jsonText.js';

/**
 * `atomenv predict`: energies, per-atom energies and forces of every frame of a structure file
 * with a CACE model or an n2p2 potential. JSON output is
 * `{"structures": [{"energy", "atomicEnergies", "forces": [[fx, fy, fz], …], "stress"?}, …]}` with
 * `{"error": {"code", "message"}}` in the place of a frame that failed; extxyz output repeats the
 * frames with `energy` in the comment line and `energies`/`forces` columns. Frames are streamed,
 * so the file can be of any length.
 */
export async function runPredict(args: PredictArgs): Promise<number> {
  const toStdout = args.output === undefined || args.output === '-';
  if (!toStdout) await checkOutputDirectory(args.output!);
  await init();
  const model = await loadEnergyModel(args.model);
  const sink = toStdout ? streamSink(process.stdout) : await fileSink(args.output!);
  let failed = 0;
  let frames = 0;
  try {
    if (args.format === 'json') await sink.write('{"structures":[');
    for await (const item of framesOf(args.input, args.inputFormat)) {
      frames++;
      let outcome: { result: EnergyResult } | { error: AtomenvError };
      if (item.error !== undefined) {
        outcome = { error: item.error };
      } else {
        outcome = predictOne(model, item.structure, item.index);
      }
      if ('error' in outcome) {
        failed++;
        process.stderr.write(`atomenv: ${outcome.error.message}\n`);
      }
      if (args.format === 'json') {
        if (item.index > 0) await sink.write(',\n');
        await writeJson('error' in outcome ? { error: { code: outcome.error.code, message: outcome.error.message } } : jsonEntry(outcome.result), sink);
      } else if (!('error' in outcome)) {
        await sink.write(extxyzEntry(item.structure!, outcome.result));
      }
    }
    if (args.format === 'json') await sink.write(']}\n');
  } finally {
    await sink.close();
  }
  if (failed === 0) return 0;
  process.stderr.write(`atomenv: ${failed} of ${frames} frames failed${frames > failed ? '; the others are in the output' : ''}\n`);
  return EXIT_FAILURE;
}

function predictOne(model: EnergyModel, structure: Parameters<EnergyModel['compute']>[0], frame: number): { result: EnergyResult } | { error: AtomenvError } {
  try {
    return { result: model.compute(structure) };
  } catch (error) {
    if (!(error instanceof AtomenvError)) throw error;
    return { error: error.at({ frame }) };
  }
}

function jsonEntry(result: EnergyResult): object {
  const forces: number[][] = [];
  for (let i = 0; i < result.forces.length; i += 3) forces.push([result.forces[i]!, result.forces[i + 1]!, result.forces[i + 2]!]);
  return {
    energy: result.energy,
    atomicEnergies: result.atomicEnergies,
    forces,
    stress: result.stress === undefined || result.stress === null ? undefined : [0, 1, 2].map((r) => Array.from(result.stress!.subarray(3 * r, 3 * r + 3))),
  };
}

function extxyzEntry(structure: Parameters<EnergyModel['compute']>[0], result: EnergyResult): string {
  const info: Record<string, number | string> = { energy: result.energy };
  if (result.stress !== undefined && result.stress !== null) info.stress = Array.from(result.stress, String).join(' ');
  return formatExtxyzFrame(structure, info, { energies: result.atomicEnergies, forces: result.forces });
}
