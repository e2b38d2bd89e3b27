// A batch's verdicts as a grading run's main thread needs them: the JSONL text to write, and what scoring
// reads of each row in a few flat arrays. Workers pack; the main thread writes the text as it is and
// feeds the records to the score board. Compared with a thousand row objects per batch, that is less to
// copy between threads and far less garbage for the main thread, which every worker waits on.
import type { ScoreRecord } from "../score/index.js";
import { STATUSES } from "../score/index.js";
import type { GradeStatus, ReasoningMode } from "../types.js";
import type { VerdictRow } from "./types.js";

export interface PackedVerdicts {
  /** The rows as JSONL (JSON.stringify of each row, then a newline), in line order, UTF-8. Bytes, not a
   *  string: a batch's text is a few hundred kilobytes, and V8 keeps strings that large in its large-object
   *  space until a full collection, where a buffer is freed as soon as its (small) handle dies. */
  jsonl: Uint8Array;
  /** Rows in `jsonl`. */
  count: number;
  /** Per row, FIELDS numbers: problem id, mode, sample, status, answer, gold, tool (strings as indices
   *  into `strings`, −1 for null; status as an index into STATUSES). */
  fields: Int32Array;
  /** The batch's distinct strings. */
  strings: string[];
  /** Per row, reward_model_score (NaN when none); null when no row has one. */
  rewards: Float64Array | null;
}

const FIELDS = 7;
const encoder = new TextEncoder();
const STATUS_CODES = new Map<GradeStatus, number>(STATUSES.map((s, i) => [s, i]));

export function packVerdicts(rows: ReadonlyArray<VerdictRow | null>): PackedVerdicts {
  const present = rows.filter((r): r is VerdictRow => r !== null);
  const fields = new Int32Array(present.length * FIELDS);
  const strings: string[] = [];
  const numbers = new Map<string, number>();
  const number = (s: string | null): number => {
    if (s === null) return -1;
    let n = numbers.get(s);
    if (n === undefined) numbers.set(s, (n = strings.push(s) - 1));
    return n;
  };
  let rewards: Float64Array | null = null;
  let text = "";
  present.forEach((row, i) => {
    text += JSON.stringify(row) + "\n";
    const f = i * FIELDS;
    fields[f] = number(row.problem_id);
    fields[f + 1] = number(row.mode);
    fields[f + 2] = row.sample ?? -1;
    fields[f + 3] = STATUS_CODES.get(row.status)!;
    fields[f + 4] = number(row.answer);
    fields[f + 5] = number(row.gold);
    fields[f + 6] = row.tool === true ? 1 : 0;
    if (row.reward_model_score !== undefined) {
      rewards ??= new Float64Array(present.length).fill(NaN);
      rewards[i] = row.reward_model_score;
    }
  });
  return { jsonl: encoder.encode(text), count: present.length, fields, strings, rewards };
}

/**
 * The score records of packed verdicts, in order: the same records recordOf() makes of the rows. One
 * object is reused for every record (the board keeps its strings, never the object).
 */
export function* unpackRecords(p: PackedVerdicts): Generator<Omit<ScoreRecord, "problemId"> & { problemId: string | null }> {
  const { fields, strings, rewards } = p;
  const record = {
    problemId: null as string | null,
    mode: "unknown" as ReasoningMode,
    tool: false,
    sample: null as number | null,
    status: "invalid_input" as GradeStatus,
    answer: null as string | null,
    gold: null as string | null,
    reward: null as number | null,
  };
  const str = (n: number) => (n < 0 ? null : strings[n]);
  for (let i = 0; i < p.count; i++) {
    const f = i * FIELDS;
    record.problemId = str(fields[f]);
    record.mode = (str(fields[f + 1]) ?? "unknown") as ReasoningMode;
    record.sample = fields[f + 2] < 0 ? null : fields[f + 2];
    record.status = STATUSES[fields[f + 3]];
    record.answer = str(fields[f + 4]);
    record.gold = str(fields[f + 5]);
    record.tool = fields[f + 6] === 1;
    record.reward = rewards === null || Number.isNaN(rewards[i]) ? null : rewards[i];
    yield record;
  }
}
