// A progress bar on stderr, drawn only when stderr is a terminal (never in pipes, files or CI):
//   [########------------]  41.5%  12,345 traces  1,820 traces/s  151.2 MB/s  ETA 0:42
// Rates are measured from the bar's creation; redraws are limited to 10 per second.

export interface ProgressState {
  /** Work done and total, in bytes of input (compressed bytes for .gz). */
  bytesRead: number;
  bytesTotal: number;
  /** Items finished (traces). */
  rows: number;
}

export interface ProgressBar {
  update(state: ProgressState): void;
  done(): void;
}

const WIDTH = 24;

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return "--:--";
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, "0");
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${ss}` : `${m}:${ss}`;
}

/** The bar's text for a state after `elapsed` seconds (pure; exported for tests). */
export function renderProgress(state: ProgressState, elapsed: number, startRows = 0, startBytes = 0): string {
  const fraction = state.bytesTotal > 0 ? Math.min(1, state.bytesRead / state.bytesTotal) : 0;
  const filled = Math.round(fraction * WIDTH);
  const rate = elapsed > 0 ? (state.rows - startRows) / elapsed : 0;
  const byteRate = elapsed > 0 ? (state.bytesRead - startBytes) / elapsed : 0;
  const eta = byteRate > 0 ? (state.bytesTotal - state.bytesRead) / byteRate : Infinity;
  return (
    `[${"#".repeat(filled)}${"-".repeat(WIDTH - filled)}] ${(100 * fraction).toFixed(1).padStart(5)}%  ` +
    `${state.rows.toLocaleString("en-US")} traces  ${Math.round(rate).toLocaleString("en-US")} traces/s  ` +
    `${(byteRate / 1e6).toFixed(1)} MB/s  ETA ${formatDuration(eta)}`
  );
}

export function progressBar(stream: NodeJS.WriteStream = process.stderr): ProgressBar {
  if (!stream.isTTY) return { update() {}, done() {} };
  const start = Date.now();
  let first: ProgressState | null = null;
  let lastDraw = 0;
  let drawn = false;
  return {
    update(state) {
      first ??= state; // rates count from the first update (a resumed run starts with rows done)
      const now = Date.now();
      if (now - lastDraw < 100) return;
      lastDraw = now;
      drawn = true;
      stream.write(`\r\x1b[2K${renderProgress(state, (now - start) / 1000, first.rows, first.bytesRead)}`);
    },
    done() {
      if (drawn) stream.write("\r\x1b[2K");
    },
  };
}
