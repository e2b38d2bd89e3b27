// The summary JSON, written and read problem by problem, in memory that does not grow with the number of
// problems. The bytes are exactly those of `JSON.stringify(summarize(...), null, 2) + "\n"`.
//
// Layout of that text (indent 2): the head ("format", "options", "totals", "settings"), then
//   "problems": [
//       {                 <- each problem: JSON.stringify(p, null, 2), every line indented 4 more spaces
//         ...
//       },
//       ...
//     ]
//   }
// Since "settings" comes before "problems" but depends on every problem, the problems' text waits in a
// temporary file until the last problem has been seen.
import { renameSync } from "node:fs";
import { open, readFile, type FileHandle } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { StringDecoder } from "node:string_decoder";
import { InputFileError, jsonError, openInput, readInput } from "../io/errors.js";
import { readSmallLines } from "../io/small-lines.js";
import { makeTempDir, removeTempDir, trackTemp, untrackTemp } from "../io/temp-dirs.js";
import { TextSink } from "../io/writer.js";
import { MinHeap } from "../util/min-heap.js";
import type { ProblemScore, ScoreOptions } from "./board.js";
import {
  addTotals,
  checkMergeable,
  emptyTotals,
  overlapError,
  scoreOptionsOf,
  SUMMARY_FORMAT,
  SummaryBuilder,
  type Summary,
  type SummaryHead,
  type Totals,
} from "./summary.js";

/** Receives the summary's text in order; a returned promise is awaited before the next chunk (backpressure). */
export type TextOut = (text: string) => Promise<void> | void;

export interface WriteSummaryOptions {
  /** Where the temporary file of the problems' text goes (a fresh directory in it, removed at the end). Default: the OS temp dir. */
  tmpDir?: string;
  /** Bytes of text gathered before each write to the temporary file (its buffer). Default 1 MiB. */
  chunkBytes?: number;
}

const PROBLEMS_OPEN = '  "problems": [';
const EMPTY_TAIL = "[]\n}";

const ELEMENT_BEFORE = '{\n  "problems": [\n';
const ELEMENT_AFTER = "\n  ]\n}";

/** The text of one problem as an element of the summary's "problems" array (indented, no separator). */
export function problemText(p: ProblemScore): string {
  // Stringified inside the same nesting as in the summary, so that V8 indents it (faster than adding
  // four spaces after every line break of JSON.stringify(p, null, 2)); then cut out.
  return JSON.stringify({ problems: [p] }, null, 2).slice(ELEMENT_BEFORE.length, -ELEMENT_AFTER.length);
}

/** The summary's text up to its "problems" array, or the whole text when there are no problems. */
function headText(head: SummaryHead, empty: boolean): string {
  const text = JSON.stringify({ ...head, problems: [] }, null, 2);
  if (!text.endsWith(EMPTY_TAIL)) throw new Error("summary: the head does not end with its problems array");
  return empty ? text + "\n" : text.slice(0, -EMPTY_TAIL.length) + "[\n";
}

/**
 * Writes the summary of `problems` (in strictly increasing id order) to `sinks`, in order, and returns its
 * head. `totals` may be a function, called once every problem has been consumed (when the totals are only
 * known then). The text is byte-identical to `JSON.stringify(summarize(problems, totals, options), null, 2) + "\n"`.
 */
export async function writeSummary(
  problems: AsyncIterable<ProblemScore> | Iterable<ProblemScore>,
  totals: Totals | (() => Totals),
  options: ScoreOptions,
  sinks: TextOut[],
  { tmpDir = tmpdir(), chunkBytes = 1 << 20 }: WriteSummaryOptions = {},
): Promise<SummaryHead> {
  const builder = new SummaryBuilder(options);
  const emit = async (text: string) => {
    for (const sink of sinks) await sink(text);
  };
  const spill = new Spill(tmpDir, chunkBytes);
  try {
    let count = 0;
    for await (const p of problems) {
      builder.add(p);
      if (count++ > 0) await spill.append(",\n");
      await spill.append(problemText(p));
    }
    const head = builder.finish(typeof totals === "function" ? totals() : totals);
    await emit(headText(head, count === 0));
    if (count === 0) return head;
    await spill.replay(Math.min(chunkBytes, EMIT_BYTES), emit);
    await emit("\n  ]\n}\n");
    return head;
  } finally {
    await spill.dispose();
  }
}

/** Text out in pieces of at most this many bytes: strings this small stay in V8's young generation, where
 *  they are cheap to collect (megabyte strings go to the large-object space and cost full collections). */
const EMIT_BYTES = 64 << 10;

/**
 * Text kept as UTF-8 in one buffer, moved to a temporary file (in a fresh directory) each time the buffer
 * fills: each write is awaited, so the file is written no faster than the disk takes it. A text that
 * fits in the buffer never touches the disk.
 */
class Spill {
  private readonly buf: Buffer;
  private used = 0;
  private dir: string | null = null;
  private file: FileHandle | null = null;

  constructor(
    private readonly tmpDir: string,
    bytes: number,
  ) {
    this.buf = Buffer.allocUnsafe(bytes);
  }

  async append(text: string): Promise<void> {
    // A UTF-16 code unit takes at most 3 bytes in UTF-8 (a surrogate pair: 4 for 2).
    if (this.used + 3 * text.length > this.buf.length) {
      await this.flush();
      if (3 * text.length > this.buf.length) return this.save(Buffer.from(text, "utf8"));
    }
    this.used += this.buf.write(text, this.used, "utf8");
  }

  /** Sends everything appended, in order, as text pieces of at most `pieceBytes` bytes. */
  async replay(pieceBytes: number, emit: (text: string) => Promise<void>): Promise<void> {
    const decoder = new StringDecoder("utf8"); // joins a UTF-8 sequence cut by a piece's end
    const send = async (bytes: Buffer) => {
      const text = decoder.write(bytes);
      if (text.length > 0) await emit(text);
    };
    if (this.file === null) {
      for (let at = 0; at < this.used; at += pieceBytes) await send(this.buf.subarray(at, Math.min(this.used, at + pieceBytes)));
    } else {
      await this.flush();
      const piece = this.buf.subarray(0, Math.max(1, Math.min(pieceBytes, this.buf.length)));
      for (let position = 0; ; ) {
        const { bytesRead } = await this.file.read(piece, 0, piece.length, position);
        if (bytesRead === 0) break;
        position += bytesRead;
        await send(piece.subarray(0, bytesRead));
      }
    }
    const rest = decoder.end();
    if (rest.length > 0) await emit(rest);
  }

  /** Closes and removes the temporary file, if there is one. */
  async dispose(): Promise<void> {
    const { file, dir } = this;
    this.file = null;
    this.dir = null;
    try {
      await file?.close();
    } finally {
      if (dir) removeTempDir(dir);
    }
  }

  private async flush(): Promise<void> {
    if (this.used === 0) return;
    await this.save(this.buf.subarray(0, this.used));
    this.used = 0;
  }

  private async save(bytes: Buffer): Promise<void> {
    if (this.file === null) {
      this.dir = makeTempDir(this.tmpDir, "veritrace-summary-");
      this.file = await open(join(this.dir, "problems.json"), "w+");
    }
    for (let off = 0; off < bytes.length; ) off += (await this.file.write(bytes, off, bytes.length - off)).bytesWritten;
  }
}

/**
 * writeSummary to a file (written as `<file>.partial`, renamed into place once whole, removed on failure)
 * and/or to another sink (the CLI's --json on stdout).
 */
export async function writeSummaryFile(
  problems: AsyncIterable<ProblemScore> | Iterable<ProblemScore>,
  totals: Totals | (() => Totals),
  options: ScoreOptions,
  to: { file?: string; sink?: TextOut; tmpDir?: string },
): Promise<SummaryHead> {
  const partial = to.file ? trackTemp(`${to.file}.partial`) : null;
  const out = partial ? new TextSink(partial) : null;
  const sinks: TextOut[] = [];
  if (out) sinks.push((text) => out.write(text));
  if (to.sink) sinks.push(to.sink);
  let head: SummaryHead;
  try {
    head = await writeSummary(problems, totals, options, sinks, { tmpDir: to.tmpDir });
    await out?.close();
  } catch (err) {
    await out?.close().catch(() => {});
    if (partial) removeTempDir(partial);
    throw err;
  }
  if (partial) {
    renameSync(partial, to.file!);
    untrackTemp(partial);
  }
  return head;
}

export interface SummaryReader {
  head: SummaryHead;
  /** The problems in file order; each loop reads the file again, holding one problem at a time. */
  problems: AsyncIterable<ProblemScore>;
}

/**
 * Reads a summary file: its head at once, its problems as they are iterated. A file in the layout
 * writeSummary (and `JSON.stringify(summary, null, 2)`) writes is read one problem at a time through a
 * small buffer (64 KiB, or one problem if larger), so that many can be open at once. Any other layout of the same JSON (e.g. compacted with `jq -c`) cannot
 * be cut into problems without a streaming JSON parser: it is parsed whole, which takes memory in
 * proportion to the file.
 */
export async function readSummary(file: string): Promise<SummaryReader> {
  const layout = await prettyLayout(file);
  if (!layout) {
    const doc = parseJson(file, await readWhole(file), null) as Summary;
    checkFormat(file, doc);
    if (!Array.isArray(doc.problems)) throw new InputFileError(file, null, 'no "problems" array');
    const { problems, ...head } = doc;
    return { head, problems: { [Symbol.asyncIterator]: () => iterate(problems) } };
  }
  const { head, problemsAt } = layout;
  checkFormat(file, head);
  return {
    head,
    problems: { [Symbol.asyncIterator]: () => (problemsAt === null ? iterate([]) : readProblems(file, problemsAt)) },
  };
}

async function* iterate<T>(items: T[]): AsyncGenerator<T> {
  yield* items;
}

async function readWhole(file: string): Promise<string> {
  try {
    return await readFile(file, "utf8");
  } catch (err: any) {
    throw new InputFileError(file, null, err?.code === "ENOENT" ? "no such file" : `cannot read (${err?.code ?? err})`);
  }
}

/** Parses JSON text that starts at line `firstLine` of `file` (1 when null); an error names the line. */
function parseJson(file: string, text: string, firstLine: number | null): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw jsonError(file, text, err, firstLine);
  }
}

function checkFormat(file: string, doc: any): void {
  if (doc === null || typeof doc !== "object" || doc.format !== SUMMARY_FORMAT) {
    throw new InputFileError(file, null, `not a veritrace summary (format ${JSON.stringify(doc?.format) ?? "missing"})`);
  }
}

interface PrettyLayout {
  head: SummaryHead;
  /** Byte offset of the first problem's line; null for `"problems": []`. */
  problemsAt: number | null;
}

/**
 * The head of a file in the pretty layout, or null when the file is laid out otherwise. In JSON indented
 * by 2, a line starting with exactly two spaces and a quote is a key of the top-level object (strings hold
 * no raw newline), so `  "problems": [` cannot be anything else; the file must also end with that array.
 */
async function prettyLayout(file: string): Promise<PrettyLayout | null> {
  // Compacted JSON is one long line: look at the ends before reading lines, so as not to buffer it twice.
  const { start, tail } = await ends(file);
  if (!start.startsWith("{\n")) return null;
  const lines: string[] = [];
  let found: { at: number; empty: boolean } | null = null;
  for await (const { text, line, end } of readSmallLines(file)) {
    if (line === 1 && text !== "{") return null;
    if (text === PROBLEMS_OPEN || text === '  "problems": []') {
      found = { at: end, empty: text.endsWith("]") };
      break;
    }
    if (text.startsWith('  "problems"')) return null;
    lines.push(text);
  }
  if (!found || !tail.endsWith(found.empty ? '\n  "problems": []\n}' : "\n  ]\n}")) return null;
  // The head's text is a JSON object once the key before "problems" loses its comma and the object closes.
  const last = lines.length - 1;
  if (last < 1 || !lines[last].endsWith(",")) return null;
  lines[last] = lines[last].slice(0, -1);
  const head = parseJson(file, lines.join("\n") + "\n}", null) as SummaryHead;
  return { head, problemsAt: found.empty ? null : found.at };
}

/** The file's first bytes and its last ones (before trailing white space), as latin1 text. */
async function ends(file: string): Promise<{ start: string; tail: string }> {
  const handle = await openInput(file);
  try {
    const { size } = await handle.stat();
    const n = Math.min(size, 256);
    const head = Buffer.alloc(n);
    const tail = Buffer.alloc(n);
    await handle.read(head, 0, n, 0);
    await handle.read(tail, 0, n, size - n);
    return { start: head.toString("latin1"), tail: tail.toString("latin1").trimEnd() };
  } finally {
    await handle.close();
  }
}

const READ_BYTES = 64 << 10;
const OPEN_ELEMENT = Buffer.from("    {\n");
const CLOSE_ELEMENT = Buffer.from("\n    }");
const CLOSE_ARRAY = Buffer.from("  ]\n");

/**
 * The problems of a pretty-layout file, from byte `start` (the first problem's line). A problem runs from
 * a line `    {` to the first line `    }` or `    },` (its own lines are indented deeper, and JSON strings
 * hold no raw newline): found with a byte search, then decoded and parsed on its own. The buffer holds
 * one read (64 KiB) or one problem, whichever is larger.
 */
async function* readProblems(file: string, start: number): AsyncGenerator<ProblemScore> {
  const handle = await openInput(file);
  try {
    let buf = Buffer.allocUnsafe(READ_BYTES);
    let from = 0; // unread bytes: buf[from, filled)
    let filled = 0;
    let base = start; // file offset of buf[0]
    let position = start;
    // Moves the unread bytes to the front and reads more after them; false at the end of the file.
    const more = async (): Promise<boolean> => {
      const rest = filled - from;
      if (rest * 2 >= buf.length) {
        const bigger = Buffer.allocUnsafe(buf.length * 2);
        buf.copy(bigger, 0, from, filled);
        buf = bigger;
      } else if (buf.length > READ_BYTES && rest < READ_BYTES / 2) {
        const small = Buffer.allocUnsafe(READ_BYTES); // a long problem has passed
        buf.copy(small, 0, from, filled);
        buf = small;
      } else buf.copy(buf, 0, from, filled);
      base += from;
      from = 0;
      filled = rest;
      const bytesRead = await readInput(handle, file, buf, filled, position);
      position += bytesRead;
      filled += bytesRead;
      return bytesRead > 0;
    };
    const fail = async (offset: number, detail: string) => new InputFileError(file, await lineAt(file, offset), detail);
    let expectMore = true; // after "},": another problem; after "}": the array's end
    for (let first = true; ; first = false) {
      while (filled - from < OPEN_ELEMENT.length && (await more()));
      const startsWith = (b: Buffer) => filled - from >= b.length && buf.compare(b, 0, b.length, from, from + b.length) === 0;
      if (startsWith(CLOSE_ARRAY)) {
        // The rest (the object's "}") was checked with the head.
        if (expectMore && !first) throw await fail(base + from, "a comma before the end of the problems array");
        return;
      }
      if (!startsWith(OPEN_ELEMENT)) throw await fail(base + from, "expected a problem (a line '    {') in the problems array");
      if (!expectMore) throw await fail(base + from, "a missing comma between problems");
      let scan = from + OPEN_ELEMENT.length - 1;
      let end: number;
      for (;;) {
        end = buf.subarray(0, filled).indexOf(CLOSE_ELEMENT, scan);
        // The byte after the "}" (a comma or a line break) must be there too.
        if (end >= 0 && end + CLOSE_ELEMENT.length + 1 < filled) break;
        const resume = (end >= 0 ? end : Math.max(scan, filled - CLOSE_ELEMENT.length)) - from;
        if (!(await more())) throw await fail(base + from, "the file ends inside a problem");
        scan = from + resume;
      }
      const close = end + CLOSE_ELEMENT.length;
      let p: unknown;
      try {
        p = JSON.parse(buf.toString("utf8", from, close));
      } catch (err) {
        throw await fail(base + from, `invalid JSON: ${err instanceof Error ? err.message : String(err)}`);
      }
      if (p === null || typeof p !== "object" || typeof (p as ProblemScore).problem_id !== "string") {
        throw await fail(base + from, "a problem without a string problem_id");
      }
      expectMore = buf[close] === 0x2c;
      const newline = close + (expectMore ? 1 : 0);
      if (buf[newline] !== 0x0a) throw await fail(base + close, "expected a line break after a problem");
      from = newline + 1;
      yield p as ProblemScore;
    }
  } finally {
    await handle.close();
  }
}

/** The 1-based line number of a byte offset (for messages only: it reads the file up to there). */
async function lineAt(file: string, offset: number): Promise<number | null> {
  try {
    const handle = await open(file, "r");
    try {
      const buf = Buffer.allocUnsafe(READ_BYTES);
      let line = 1;
      for (let position = 0; position < offset; ) {
        const { bytesRead } = await handle.read(buf, 0, Math.min(buf.length, offset - position), position);
        if (bytesRead === 0) break;
        for (let i = buf.indexOf(10); i >= 0 && i < bytesRead; i = buf.indexOf(10, i + 1)) line++;
        position += bytesRead;
      }
      return line;
    } finally {
      await handle.close();
    }
  } catch {
    return null;
  }
}

export interface SummaryPart {
  /** A name for messages (the file). */
  name: string;
  head: SummaryHead;
  problems: AsyncIterable<ProblemScore>;
}

export interface MergedSummaryStream {
  options: ScoreOptions;
  totals: Totals;
  /** Every part's problems, in id order (a k-way merge: one pending problem per part). */
  problems: AsyncGenerator<ProblemScore>;
}

/**
 * The streaming counterpart of mergeSummaries: checks the parts' heads (format, same options) and sums
 * their totals at once, and merges their problems (each part in id order, as summaries store them) as they
 * are iterated. A problem in two parts, or a part out of order, stops the merge with an error. Feed the
 * result to writeSummary for the merged file.
 */
export function mergeSummaryStreams(parts: SummaryPart[]): MergedSummaryStream {
  if (parts.length === 0) throw new Error("merge: no summaries given");
  const totals = emptyTotals();
  for (const part of parts) {
    checkMergeable(part.head, parts[0].head);
    addTotals(totals, part.head.totals);
  }
  return { options: scoreOptionsOf(parts[0].head), totals, problems: mergeProblems(parts) };
}

async function* mergeProblems(parts: SummaryPart[]): AsyncGenerator<ProblemScore> {
  const iterators = parts.map((part) => part.problems[Symbol.asyncIterator]());
  // The next problem of each part, by problem id.
  const heap = new MinHeap<{ p: ProblemScore; i: number }>((a, b) => a.p.problem_id < b.p.problem_id);
  const next = async (i: number, after: string | null) => {
    const r = await iterators[i].next();
    if (r.done) return;
    if (after !== null && !(after < r.value.problem_id)) {
      throw new Error(`merge: ${parts[i].name}: problems not in strictly increasing id order (${JSON.stringify(r.value.problem_id)} after ${JSON.stringify(after)})`);
    }
    heap.push({ p: r.value, i });
  };
  try {
    for (let i = 0; i < iterators.length; i++) await next(i, null);
    let last: string | null = null;
    while (heap.size > 0) {
      const { p, i } = heap.pop()!;
      if (last !== null && last === p.problem_id) throw overlapError(p.problem_id);
      last = p.problem_id;
      await next(i, p.problem_id);
      yield p;
    }
  } finally {
    // Close the files of parts not read to their end (an error, or a consumer that stopped early).
    await Promise.all(iterators.map((it) => it.return?.()));
  }
}
