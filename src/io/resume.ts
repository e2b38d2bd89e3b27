// Resuming an append-only JSONL output after a crash (even SIGKILL): a torn last line (bytes after the
// last newline) is cut off, then the complete rows are read back, in order, to rebuild the run's state.
import { closeSync, existsSync, fstatSync, openSync, readSync, truncateSync } from "node:fs";
import { readJsonRows } from "./lines.js";

/** Cuts the file after its last newline; returns the number of bytes removed (0 when it was whole). */
export function dropTornTail(path: string): number {
  const fd = openSync(path, "r");
  try {
    const size = fstatSync(fd).size;
    const block = Buffer.alloc(1 << 16);
    let end = size;
    while (end > 0) {
      const start = Math.max(0, end - block.length);
      const n = readSync(fd, block, 0, end - start, start);
      const nl = block.subarray(0, n).lastIndexOf(10);
      if (nl >= 0) {
        const keep = start + nl + 1;
        if (keep < size) truncateSync(path, keep);
        return size - keep;
      }
      end = start;
    }
    if (size > 0) truncateSync(path, 0);
    return size;
  } finally {
    closeSync(fd);
  }
}

/**
 * Reads back the complete JSON rows of an existing output (after dropping a torn tail), calling `onRow`
 * for each in order. Returns the number of rows; 0 when the file does not exist.
 */
export async function replayJsonl(path: string, onRow: (row: any, line: number) => void): Promise<number> {
  if (!existsSync(path)) return 0;
  dropTornTail(path);
  let count = 0;
  for await (const { row, line } of readJsonRows(path, (reason) => `not a complete JSON row (${reason}); cannot resume from it`)) {
    onRow(row, line);
    count++;
  }
  return count;
}
