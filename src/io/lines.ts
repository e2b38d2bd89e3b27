// Streaming JSONL input: reads a file (plain or gzip) in large chunks and cuts it into batches of whole
// lines, as raw bytes. Nothing is decoded here: the bytes go to worker threads, which decode and parse
// them, so the reading thread only looks for newlines (memchr speed). A file is never held in memory
// whole; a line longer than `maxLineBytes` is dropped (and reported as such) rather than buffered.
import { createReadStream, openSync, readSync, closeSync } from "node:fs";
import { createGunzip } from "node:zlib";
import { pipeline, Transform, type Readable } from "node:stream";
import { BufferPool } from "./buffer-pool.js";
import { InputFileError, openInput } from "./errors.js";

/** Whole lines of one file, packed: line i is bytes[start(i), ends[i]) with start(i) = ends[i-1] + 1. */
export interface LineBatch {
  /** The file as named by the caller. */
  file: string;
  /** 1-based number of the batch's first line in its file. */
  firstLine: number;
  bytes: Uint8Array;
  ends: Uint32Array;
  /** Indices (in this batch) of lines longer than maxLineBytes: their bytes are left out (empty). */
  oversized: number[];
}

export interface LineReaderOptions {
  /** Lines before this 1-based number are skipped without being batched (resume). Default 1. */
  startLine?: number;
  maxBatchBytes?: number;
  maxBatchLines?: number;
  /** Lines longer than this are reported, not buffered. Default 256 MiB. */
  maxLineBytes?: number;
  /** Called with the number of bytes read from disk (compressed bytes for .gz), for progress. */
  onRead?: (bytes: number) => void;
  chunkBytes?: number;
  /**
   * Buffers to read into and to copy batches into (then chunks are pool.size bytes). Chunks that are not
   * handed over whole go back to the pool here; the caller gives back each batch's buffer when done.
   */
  pool?: BufferPool;
}

export const DEFAULT_BATCH_BYTES = 4 << 20;
export const DEFAULT_BATCH_LINES = 1024;
export const DEFAULT_MAX_LINE_BYTES = 256 << 20;

/** True when the file starts with the gzip magic bytes (whatever its name). */
export function isGzipFile(path: string): boolean {
  let fd: number;
  try {
    fd = openSync(path, "r");
  } catch (err: any) {
    throw new InputFileError(path, null, err?.code === "ENOENT" ? "no such file" : `cannot open (${err?.code ?? err})`);
  }
  try {
    const head = Buffer.alloc(2);
    const n = readSync(fd, head, 0, 2, 0);
    return n === 2 && head[0] === 0x1f && head[1] === 0x8b;
  } catch (err: any) {
    throw new InputFileError(path, null, `cannot read (${err?.code ?? err})`);
  } finally {
    closeSync(fd);
  }
}

/** The file's bytes, decompressed when it is gzip (by content, not by name). */
export function openByteStream(path: string, options: { chunkBytes?: number; onRead?: (bytes: number) => void } = {}): Readable {
  const gz = isGzipFile(path);
  const raw = createReadStream(path, { highWaterMark: options.chunkBytes ?? 1 << 20 });
  const stages: Array<NodeJS.ReadableStream | NodeJS.ReadWriteStream> = [raw];
  const onRead = options.onRead;
  if (onRead) {
    // Counts the bytes read from disk (before decompression), for progress.
    stages.push(
      new Transform({
        transform(chunk: Buffer, _encoding, done) {
          onRead(chunk.length);
          done(null, chunk);
        },
      }),
    );
  }
  if (gz) stages.push(createGunzip({ chunkSize: 256 << 10 }));
  if (stages.length === 1) return raw;
  // pipeline forwards an error of any stage to the last one (and so to its reader).
  return pipeline(stages as unknown as [NodeJS.ReadableStream, NodeJS.ReadWriteStream], () => {}) as unknown as Readable;
}

/**
 * Chunks of a plain file read straight into fresh buffers, each chunk ending at a newline: the bytes after
 * the last newline are copied to the front of the next buffer, so a chunk owns its whole buffer and a
 * batch made of one chunk is handed to a worker without any copy. A buffer that fills without a newline is
 * yielded as it is (the long line continues in the next chunk), so no line is ever buffered here whole.
 */
async function* plainChunks(path: string, readBytes: number, onRead?: (bytes: number) => void, pool?: BufferPool): AsyncGenerator<Buffer> {
  const fresh = () => Buffer.from((pool ? pool.take() : new ArrayBuffer(readBytes)) as ArrayBuffer);
  const handle = await openInput(path);
  try {
    let view = fresh();
    let filled = 0;
    for (;;) {
      const { bytesRead } = await handle.read(view, filled, view.length - filled, null);
      onRead?.(bytesRead);
      if (bytesRead === 0) {
        if (filled > 0) {
          ownedChunks.set(view.buffer, filled);
          yield view.subarray(0, filled);
        }
        return;
      }
      filled += bytesRead;
      if (filled < view.length) continue; // fill the buffer before cutting it
      const last = view.lastIndexOf(10, filled - 1);
      const next = fresh();
      const cut = last < 0 ? filled : last + 1;
      view.copy(next, 0, cut, filled);
      ownedChunks.set(view.buffer, cut);
      yield view.subarray(0, cut);
      view = next;
      filled -= cut;
    }
  } finally {
    await handle.close();
  }
}

/** Buffers yielded by plainChunks, with the chunk's length: a batch that is exactly such a chunk takes its buffer over. */
const ownedChunks = new WeakMap<ArrayBufferLike, number>();

/** Batches of whole lines of one file, in order. */
export async function* readLineBatches(file: string, options: LineReaderOptions = {}): AsyncGenerator<LineBatch> {
  const startLine = options.startLine ?? 1;
  const maxBytes = options.maxBatchBytes ?? DEFAULT_BATCH_BYTES;
  const maxLines = options.maxBatchLines ?? DEFAULT_BATCH_LINES;
  const maxLine = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
  const pool = options.pool;

  let lineNo = 1; // number of the line being read
  // The batch being built: byte pieces, their total length, line ends, oversized indices.
  let parts: Uint8Array[] = [];
  let size = 0;
  let ends: number[] = [];
  let oversized: number[] = [];
  let batchFirst = 0;
  // The line in progress across chunks.
  let partial: Uint8Array[] = [];
  let partialLen = 0;
  let partialTooLong = false;

  const takeBatch = (): LineBatch => {
    let bytes: Uint8Array;
    if (parts.length === 1 && parts[0].byteOffset === 0 && ownedChunks.get(parts[0].buffer) === parts[0].length) {
      bytes = parts[0]; // the whole of a plain-file chunk: its buffer moves to the worker as it is
      ownedChunks.delete(parts[0].buffer);
    } else {
      // A standalone buffer (transferable to a worker), from the pool when it fits.
      bytes = pool && size <= pool.size ? new Uint8Array(pool.take() as ArrayBuffer, 0, size) : new Uint8Array(size);
      let at = 0;
      for (const p of parts) {
        bytes.set(p, at);
        at += p.length;
      }
    }
    const batch: LineBatch = { file, firstLine: batchFirst, bytes, ends: Uint32Array.from(ends), oversized };
    parts = [];
    size = 0;
    ends = [];
    oversized = [];
    return batch;
  };
  // A line of `length` bytes (newline included) whose bytes are (or will be) in `parts`.
  const addLine = (length: number) => {
    if (ends.length === 0) batchFirst = lineNo;
    size += length;
    ends.push(size - 1);
  };
  // A line too long to keep: an empty placeholder, flagged.
  const addOversized = () => {
    parts.push(NEWLINE);
    addLine(1);
    oversized.push(ends.length - 1);
  };

  const chunks: AsyncIterable<Buffer> = isGzipFile(file)
    ? (openByteStream(file, { chunkBytes: options.chunkBytes, onRead: options.onRead }) as AsyncIterable<Buffer>)
    : plainChunks(file, pool?.size ?? options.chunkBytes ?? maxBytes, options.onRead, pool);
  try {
    for await (const chunk of chunks) {
      let pos = 0;
      let runStart = 0; // start of this chunk's complete lines not yet pushed to `parts`
      const flushRun = () => {
        if (runStart < pos) parts.push(chunk.subarray(runStart, pos));
        runStart = pos;
      };
      for (;;) {
        const nl = chunk.indexOf(10, pos);
        if (nl < 0) break;
        const skip = lineNo < startLine;
        if (partialLen > 0 || partialTooLong) {
          // This newline ends a line that began in an earlier chunk (pos is 0 here).
          const length = partialLen + (nl - pos) + 1;
          if (!skip) {
            if (partialTooLong || length - 1 > maxLine) addOversized();
            else {
              for (const p of partial) parts.push(p);
              parts.push(chunk.subarray(pos, nl + 1));
              addLine(length);
            }
          }
          partial = [];
          partialLen = 0;
          partialTooLong = false;
          runStart = nl + 1;
        } else if (skip || nl - pos > maxLine) {
          flushRun();
          if (!skip) addOversized();
          runStart = nl + 1;
        } else {
          addLine(nl - pos + 1); // its bytes stay in the run until the next flush
        }
        pos = nl + 1;
        lineNo++;
        if (ends.length > 0 && (ends.length >= maxLines || size >= maxBytes)) {
          flushRun();
          yield takeBatch();
        }
      }
      flushRun();
      // The rest of the chunk begins a line that continues in the next chunk.
      if (pos < chunk.length) {
        const rest = chunk.length - pos;
        if (partialTooLong || partialLen + rest > maxLine) {
          partial = [];
          partialTooLong = true;
        } else {
          partial.push(chunk.subarray(pos));
        }
        partialLen += rest;
      }
      // End batches with a plain-file chunk, so that a batch is one whole chunk (handed over without a copy).
      if (ends.length > 0 && ownedChunks.has(chunk.buffer)) yield takeBatch();
      // A chunk whose lines were copied into batches, with nothing left pointing into it, is free again.
      if (pool && ownedChunks.has(chunk.buffer) && parts.length === 0 && partial.length === 0) {
        ownedChunks.delete(chunk.buffer);
        pool.give(chunk.buffer);
      }
    }
  } catch (err: any) {
    if (err instanceof InputFileError) throw err;
    throw new InputFileError(file, lineNo, `cannot read: ${err?.message ?? err}`);
  }
  // A last line without a final newline.
  if ((partialLen > 0 || partialTooLong) && lineNo >= startLine) {
    if (partialTooLong) addOversized();
    else {
      for (const p of partial) parts.push(p);
      parts.push(NEWLINE);
      addLine(partialLen + 1);
    }
  }
  if (ends.length > 0) yield takeBatch();
}

const NEWLINE = new Uint8Array([10]);

/** The text of line i of a batch (without the newline; a trailing CR is kept: callers decide). */
export function lineBounds(batch: Pick<LineBatch, "ends">, i: number): [start: number, end: number] {
  return [i === 0 ? 0 : batch.ends[i - 1] + 1, batch.ends[i]];
}

/**
 * The rows of a JSONL file, parsed, with their 1-based line numbers. A line that is not JSON ends the read
 * with an InputFileError naming the file and line; `malformed` words its detail for the caller's context.
 */
export async function* readJsonRows(
  file: string,
  malformed: (reason: string) => string = (reason) => `malformed JSON: ${reason}`,
): AsyncGenerator<{ row: unknown; line: number }> {
  const pool = new BufferPool(1 << 20, 2);
  for await (const batch of readLineBatches(file, { pool })) {
    const buf = Buffer.from(batch.bytes.buffer, batch.bytes.byteOffset, batch.bytes.byteLength);
    for (let i = 0; i < batch.ends.length; i++) {
      const [s, e] = lineBounds(batch, i);
      const line = batch.firstLine + i;
      let row: unknown;
      try {
        row = JSON.parse(buf.toString("utf8", s, e));
      } catch (err) {
        throw new InputFileError(file, line, malformed(err instanceof Error ? err.message : String(err)));
      }
      yield { row, line };
    }
    pool.give(batch.bytes.buffer); // the rows are parsed: nothing points into the batch any more
  }
}
