/** Time before the first draw, so that quick runs show no progress line at all. */
const FIRST_DRAW_MS = 300;
/** Time between redraws. */
const REDRAW_MS = 100;

/**
 * A one-line progress counter on a terminal (frames, atoms, rate), redrawn in place. It draws
 * only when the stream is a TTY, so piped or redirected stderr stays clean.
 */
export class Progress {
  private readonly enabled: boolean;
  private readonly started = performance.now();
  private lastDraw = -Infinity;
  private shown = false;

  constructor(private readonly stream: NodeJS.WriteStream) {
    this.enabled = stream.isTTY === true;
  }

  /** Reports the counts so far; redraws at most every {@link REDRAW_MS}. */
  update(frames: number, atoms: number, failed: number): void {
    if (!this.enabled) return;
    const now = performance.now();
    if (now - this.started < FIRST_DRAW_MS || now - this.lastDraw < REDRAW_MS) return;
    this.lastDraw = now;
    const rate = frames / ((now - this.started) / 1000);
    const failures = failed > 0 ? `, ${failed} failed` : '';
    this.stream.write(`\r\x1b[Katomenv: ${frames} frames${failures}, ${atoms} atoms, ${rate.toFixed(0)} frames/s`);
    this.shown = true;
  }

  /** Removes the progress line (before other messages, and at the end). */
  clear(): void {
    if (!this.shown) return;
    this.stream.write('\r\x1b[K');
    this.shown = false;
  }
}
