// JSONL input for the two-pass pipeline commands: a source can be read again (pass 2 streams the same rows
// that pass 1 measured), lines are numbered from 1, and a line longer than the cap is reported instead of
// growing memory without bound.
import { accessSync, constants } from "node:fs";
import { basename } from "node:path";
import { openByteStream } from "../io/index.js";

export interface JsonlLine {
  /** The line as written, without its line end. */
  text: string;
  lineNumber: number;
  /** Set when the line was longer than the cap; `text` is then empty. */
  tooLong?: number;
}

/** A named, re-readable stream of lines (a file, or anything else a library caller provides). */
export interface JsonlSource {
  /** Shown in messages and audit rows; its base name also tells the reasoning mode (high.jsonl, ...). */
  name: string;
  lines(): AsyncIterable<JsonlLine>;
}

export const DEFAULT_MAX_LINE_BYTES = 256 * 1024 * 1024;

export function fileSource(path: string, maxLineBytes = DEFAULT_MAX_LINE_BYTES): JsonlSource {
  return { name: path, lines: () => readLines(path, maxLineBytes) };
}

/** In-memory lines (tests, small library inputs). */
export function textSource(name: string, text: string): JsonlSource {
  return {
    name,
    async *lines() {
      const parts = text.split("\n");
      if (parts[parts.length - 1] === "") parts.pop();
      for (let i = 0; i < parts.length; i++) yield { text: stripCr(parts[i]!), lineNumber: i + 1 };
    },
  };
}

export function toSource(input: string | JsonlSource): JsonlSource {
  return typeof input === "string" ? fileSource(input) : input;
}

/** The file name alone (without .gz), as parseTrace wants it for mode detection. */
export function sourceFileName(source: JsonlSource): string {
  return basename(source.name).replace(/\.gz$/, "");
}

function stripCr(line: string): string {
  return line.endsWith("\r") ? line.slice(0, -1) : line;
}

async function* readLines(path: string, maxLineBytes: number): AsyncGenerator<JsonlLine> {
  // gzip is recognised by content (the example dumps and many released shards are .jsonl.gz).
  const stream = openByteStream(path, { chunkBytes: 1 << 20 });
  let parts: Buffer[] = [];
  let partBytes = 0;
  let overflow = 0; // bytes seen of a line past the cap (the line is then skipped, not stored)
  let lineNumber = 0;
  const finish = (tail: Buffer): JsonlLine => {
    lineNumber++;
    if (overflow > 0 || partBytes + tail.length > maxLineBytes) {
      const size = overflow > 0 ? overflow + tail.length : partBytes + tail.length;
      overflow = 0;
      parts = [];
      partBytes = 0;
      return { text: "", lineNumber, tooLong: size };
    }
    const buf = parts.length === 0 ? tail : Buffer.concat([...parts, tail]);
    parts = [];
    partBytes = 0;
    return { text: stripCr(buf.toString("utf8")), lineNumber };
  };
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    let start = 0;
    for (;;) {
      const nl = chunk.indexOf(10, start);
      if (nl < 0) break;
      yield finish(chunk.subarray(start, nl));
      start = nl + 1;
    }
    if (start < chunk.length) {
      const rest = chunk.subarray(start);
      if (overflow > 0 || partBytes + rest.length > maxLineBytes) {
        overflow += partBytes + rest.length;
        parts = [];
        partBytes = 0;
      } else {
        parts.push(Buffer.from(rest));
        partBytes += rest.length;
      }
    }
  }
  if (partBytes > 0 || overflow > 0) yield finish(Buffer.alloc(0));
}

/** The first file that cannot be read, with the reason, or null when all can. */
export function firstUnreadable(files: readonly string[]): { file: string; reason: string } | null {
  for (const file of files) {
    try {
      accessSync(file, constants.R_OK);
    } catch (err: any) {
      return { file, reason: err?.code === "ENOENT" ? "no such file" : `cannot read (${err?.code ?? err})` };
    }
  }
  return null;
}
