// Spill files of the score board: sorted runs of encoded problem states (one JSON line per problem, in
// problem-id order), written when the board's memory budget is reached, read back and merged at the end.
// They live in a private temporary folder that is removed when the board is done with them.
import { closeSync, openSync, writeSync } from "node:fs";
import { open } from "node:fs/promises";
import { join } from "node:path";
import { makeTempDir, removeTempDir } from "../io/temp-dirs.js";
import { MinHeap } from "../util/min-heap.js";
import { ProblemState } from "./problem-state.js";

/** Bytes per write when spilling, and per read when merging (many runs may be read at once). */
const WRITE_BYTES = 1 << 20;
const READ_BYTES = 128 << 10;

export class SpillFolder {
  private dir: string | null = null;
  private count = 0;

  constructor(private readonly parent: string) {}

  /** Writes encoded pieces, in id order, to a new run file; returns its path. */
  writeRun(pieces: Iterable<[string, ProblemState]>): string {
    const run = this.openRun();
    try {
      for (const [id, state] of pieces) run.push(state.encode(id));
    } finally {
      run.close();
    }
    return run.path;
  }

  /** writeRun for pieces that come from a merge of other runs. */
  async writeMergedRun(pieces: AsyncIterable<[string, ProblemState]>): Promise<string> {
    const run = this.openRun();
    try {
      for await (const [id, state] of pieces) run.push(state.encode(id));
    } finally {
      run.close();
    }
    return run.path;
  }

  private openRun(): RunWriter {
    this.dir ??= makeTempDir(this.parent, "veritrace-scores-");
    return new RunWriter(join(this.dir, `run-${String(++this.count).padStart(6, "0")}.jsonl`));
  }

  /** Deletes the folder and every run in it. */
  remove(): void {
    if (this.dir !== null) removeTempDir(this.dir);
    this.dir = null;
  }
}

/** Lines to a file, written a megabyte at a time. */
class RunWriter {
  private readonly fd: number;
  private text = "";

  constructor(readonly path: string) {
    this.fd = openSync(path, "w");
  }

  push(line: string): void {
    this.text += line + "\n";
    if (this.text.length >= WRITE_BYTES) this.flush();
  }

  close(): void {
    try {
      this.flush();
    } finally {
      closeSync(this.fd);
    }
  }

  private flush(): void {
    const bytes = Buffer.from(this.text, "utf8");
    this.text = "";
    for (let at = 0; at < bytes.length; ) at += writeSync(this.fd, bytes, at);
  }
}

/** The lines of a run file (UTF-8, newline-terminated), read a small chunk at a time. */
export async function* readRunLines(path: string): AsyncGenerator<string> {
  const handle = await open(path, "r");
  try {
    const chunk = Buffer.allocUnsafe(READ_BYTES);
    let pending: Buffer[] = []; // the start of a line that continues in the next chunk
    for (;;) {
      const { bytesRead } = await handle.read(chunk, 0, READ_BYTES, null);
      if (bytesRead === 0) break;
      let pos = 0;
      for (;;) {
        const nl = chunk.indexOf(10, pos);
        if (nl < 0 || nl >= bytesRead) break;
        if (pending.length > 0) {
          pending.push(chunk.subarray(pos, nl));
          yield Buffer.concat(pending).toString("utf8");
          pending = [];
        } else {
          yield chunk.toString("utf8", pos, nl);
        }
        pos = nl + 1;
      }
      if (pos < bytesRead) pending.push(Buffer.from(chunk.subarray(pos, bytesRead)));
    }
    if (pending.length > 0) throw new Error(`spill file ${path} ends inside a line`);
  } finally {
    await handle.close();
  }
}

/** A sorted source of (problem id, state) pieces; sources are given in input order (earliest first). */
export type PieceSource = AsyncIterator<[string, ProblemState]> | Iterator<[string, ProblemState]>;

/**
 * Merges sorted sources into one stream of (id, state) in id order, folding the pieces of one problem in
 * source order (a problem's rows in an earlier source came before its rows in a later one). `fromStart`:
 * the sources cover the input from its first row, so a problem's first piece has nothing before it.
 */
export async function* mergePieces(sources: PieceSource[], fromStart: boolean): AsyncGenerator<[string, ProblemState]> {
  // The head of each source, by (id, source number).
  type Head = { id: string; state: ProblemState; source: number };
  const heads = new MinHeap<Head>((a, b) => a.id < b.id || (a.id === b.id && a.source < b.source));
  const advance = async (source: number) => {
    const next = await sources[source].next();
    if (next.done) return;
    const [id, state] = next.value;
    heads.push({ id, state, source });
  };
  try {
    for (let i = 0; i < sources.length; i++) await advance(i);
    let previous: string | null = null;
    while (heads.size > 0) {
      const first = heads.pop()!;
      if (previous !== null && !(previous < first.id)) throw new Error(`spill run out of order at problem ${first.id}`);
      previous = first.id;
      const state = first.state;
      if (fromStart) state.exact = true;
      await advance(first.source);
      while (heads.size > 0 && heads.peek()!.id === first.id) {
        const later = heads.pop()!;
        state.absorb(later.state);
        await advance(later.source);
      }
      yield [first.id, state];
    }
  } finally {
    // A merge stopped early closes its sources (and so their files).
    for (const source of sources) await source.return?.();
  }
}

/** The pieces of a run file, decoded. */
export async function* readRun(path: string, keep: number): AsyncGenerator<[string, ProblemState]> {
  for await (const line of readRunLines(path)) yield ProblemState.decode(line, keep);
}
