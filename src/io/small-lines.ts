// Lines of a plain file through a small buffer (64 KiB reads by default), for readers of which many may be
// open at once (a merge of hundreds of summaries): unlike readLineBatches, which reads megabytes ahead for
// throughput, this holds one read chunk plus the current line. Lines are cut at "\n" bytes, which never
// occur inside a UTF-8 sequence, so each line decodes on its own.
import { openInput, readInput } from "./errors.js";

export interface SmallLine {
  /** The line's text without its "\n" (a "\r" before it is kept). */
  text: string;
  /** 1-based line number, counted from `start`. */
  line: number;
  /** Byte offset just after this line's "\n" (or the end of the file): where the next line starts. */
  end: number;
}

export interface SmallLineOptions {
  /** Byte offset to start reading at (the start of a line). Default 0. */
  start?: number;
  /** Size of each read. Default 64 KiB. */
  chunkBytes?: number;
}

/** The file's lines, in order; the file is closed when the loop ends, however it ends. */
export async function* readSmallLines(file: string, options: SmallLineOptions = {}): AsyncGenerator<SmallLine> {
  const chunkBytes = options.chunkBytes ?? 64 << 10;
  const handle = await openInput(file);
  try {
    let position = options.start ?? 0;
    let line = 0;
    // `buf[0, filled)` holds unread bytes; it grows only while one line is longer than a chunk.
    let buf = Buffer.allocUnsafe(chunkBytes);
    let filled = 0;
    let lineStart = position; // file offset of buf[0]
    for (;;) {
      if (buf.length - filled < chunkBytes / 2) {
        const bigger = Buffer.allocUnsafe(Math.max(buf.length * 2, filled + chunkBytes));
        buf.copy(bigger, 0, 0, filled);
        buf = bigger;
      }
      const bytesRead = await readInput(handle, file, buf, filled, position);
      position += bytesRead;
      const scanFrom = filled;
      filled += bytesRead;
      const view = buf.subarray(0, filled);
      let from = 0;
      let nl = view.indexOf(10, scanFrom);
      while (nl >= 0) {
        yield { text: view.toString("utf8", from, nl), line: ++line, end: lineStart + nl + 1 };
        from = nl + 1;
        nl = view.indexOf(10, from);
      }
      if (bytesRead === 0) {
        if (filled > 0) yield { text: buf.toString("utf8", 0, filled), line: ++line, end: lineStart + filled };
        return;
      }
      // Keep the unfinished line at the front; shrink back once a long line has passed.
      const rest = filled - from;
      if (from > 0) {
        if (buf.length > chunkBytes && rest < chunkBytes / 2) {
          const small = Buffer.allocUnsafe(chunkBytes);
          buf.copy(small, 0, from, filled);
          buf = small;
        } else buf.copy(buf, 0, from, filled);
      }
      lineStart += from;
      filled = rest;
    }
  } finally {
    await handle.close();
  }
}
