import type { MDSample } from './mdProtocol.js';

/** A bounded record of a run's samples: every `stride`-th step, step 0 first. */
export interface SampleHistory {
  samples: MDSample[];
  stride: number;
}

/**
 * Appends the samples of steps that are multiples of the stride; past `max` samples, keeps every
 * other one and doubles the stride (so a long run keeps evenly spaced steps in bounded memory).
 */
export function appendSamples(history: SampleHistory, incoming: readonly MDSample[], max: number): SampleHistory {
  let { samples, stride } = history;
  for (const sample of incoming) if (sample.step % stride === 0) samples.push(sample);
  while (samples.length > max) {
    stride *= 2;
    samples = samples.filter((sample) => sample.step % stride === 0);
  }
  return { samples, stride };
}
