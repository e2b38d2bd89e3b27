// The audit trail: one JSONL row per decision {problem, rule, inputs, outcome} (DESIGN.md "Pipeline").
import { createWriteStream, type WriteStream } from "node:fs";

export interface AuditRow {
  problem: string | null;
  rule: string;
  inputs: Record<string, unknown>;
  outcome: string | Record<string, unknown>;
}

/** Writes audit rows to a file (or, with a null path, only counts them). Honours back-pressure. */
export class AuditWriter {
  private readonly stream: WriteStream | null;
  private pending: Promise<void> | null = null;
  rows = 0;

  constructor(path: string | null) {
    this.stream = path === null ? null : createWriteStream(path);
  }

  /** Resolves at once unless the file's buffer is full; awaiting it keeps memory bounded. */
  write(row: AuditRow): Promise<void> | void {
    this.rows++;
    if (!this.stream) return;
    // Fixed key order so that the same decisions give the same bytes.
    const line = JSON.stringify({ problem: row.problem, rule: row.rule, inputs: row.inputs, outcome: row.outcome }) + "\n";
    if (!this.stream.write(line)) {
      this.pending ??= new Promise<void>((resolve) => this.stream!.once("drain", () => ((this.pending = null), resolve())));
      return this.pending;
    }
  }

  close(): Promise<void> {
    const stream = this.stream;
    if (!stream) return Promise.resolve();
    return new Promise((resolve, reject) => {
      stream.once("error", reject);
      stream.end(() => resolve());
    });
  }
}
