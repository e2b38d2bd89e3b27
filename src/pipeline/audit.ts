// The audit trail: one JSONL row per decision {problem, rule, inputs, outcome} (DESIGN.md "Pipeline").
import { LineSink } from "./sink.js";

export interface AuditRow {
  problem: string | null;
  rule: string;
  inputs: Record<string, unknown>;
  outcome: string | Record<string, unknown>;
}

/** Writes audit rows to a file (or, with a null path, only counts them), with back-pressure. */
export class AuditWriter {
  private readonly sink: LineSink | null;
  rows = 0;

  constructor(path: string | null) {
    this.sink = path === null ? null : new LineSink(path);
  }

  async write(row: AuditRow): Promise<void> {
    this.rows++;
    // Fixed key order so that the same decisions give the same bytes.
    if (this.sink) await this.sink.writeLine(JSON.stringify({ problem: row.problem, rule: row.rule, inputs: row.inputs, outcome: row.outcome }));
  }

  close(): Promise<void> {
    return this.sink ? this.sink.close() : Promise.resolve();
  }
}
