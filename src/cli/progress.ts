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

  /** @param totalBytes size of the input, for the percentage and ETA (null: unknown). */
  constructor(private readonly stream: NodeJS.WriteStream, private readonly totalBytes: number | null = null) {
    this.enabled = stream.isTTY === true;
  }

  /** Reports the counts so far; redraws at most every {@link REDRAW_MS}. */
  update(frames: number, atoms: number, failed: number, bytesRead = 0): void {
    if (!this.enabled) return;
    const now = performance.now();
    if (now - this.started < FIRST_DRAW_MS || now - this.lastDraw < REDRAW_MS) return;
    this.lastDraw = now;
    this.stream.write(`\r\x1b[K${progressLine(frames, atoms, failed, (now - this.started) / 1000, bytesRead, this.totalBytes)}`);
    this.shown = true;
  }

  /** Removes the progress line (before other messages, and at the end). */
  clear(): void {
    if (!this.shown) return;
    this.stream.write('\r\x1b[K');
    this.shown = false;
  }
}

/**
 * The progress text: a bar and percentage of the input read (when its size is known), frames,
 * failures, atoms, frames/s and the time left, estimated from the bytes read so far.
 */
export function progressLine(frames: number, atoms: number, failed: number, seconds: number, bytesRead: number, totalBytes: number | null): string {
  const rate = seconds > 0 ? frames / seconds : 0;
  const failures = failed > 0 ? `, ${failed} failed` : '';
  let head = 'atomenv: ';
  let eta = '';
  if (totalBytes !== null && totalBytes > 0 && bytesRead > 0) {
    const fraction = Math.min(1, bytesRead / totalBytes);
    const width = 20;
    const filled = Math.round(fraction * width);
    head += `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(100 * fraction).toFixed(0).padStart(3)}% `;
    const left = fraction > 0 ? (seconds * (1 - fraction)) / fraction : 0;
    eta = `, ETA ${formatDuration(left)}`;
  }
  return `${head}${frames} frames${failures}, ${atoms} atoms, ${rate.toFixed(0)} frames/s${eta}`;
}

/** m:ss, or h:mm:ss from an hour. */
function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}
