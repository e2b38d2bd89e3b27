// A worker thread of the server's verdict pool: verification and grading run here, never on the event loop
// that answers HTTP (a batch of hard pairs takes the symbolic fallback's budget per pair, synchronously).
import { grade, type GradeOptions } from "../grade/index.js";
import { verify, verifyBatch, type VerifyOptions } from "../verify/index.js";

export type VerdictTask =
  | { op: "verify"; gold: string; pred: string; options?: VerifyOptions }
  | { op: "verifyBatch"; pairs: Array<{ gold: string; pred: string }>; options?: VerifyOptions }
  | { op: "grade"; rows: Array<string | object>; options: GradeOptions };

export default async function run(task: VerdictTask): Promise<unknown> {
  switch (task.op) {
    case "verify":
      return verify(task.gold, task.pred, task.options);
    case "verifyBatch":
      return verifyBatch(task.pairs, task.options);
    case "grade": {
      const rows: unknown[] = [];
      // threads: 0 grades in this worker; the pool's size is the server's parallelism.
      for await (const row of grade(task.rows, { ...task.options, threads: 0 })) rows.push(row);
      return rows;
    }
  }
}
