// Reference answers joined by problem id (--gold answers.jsonl). A row names its problem as trace rows do
// (uuid, problem_id, id, else a hash of its problem text) and its answer as `expected_answer`, `answer`
// or `gold`. A reference from this file takes precedence over the one in the trace row.
import { InputFileError } from "../io/errors.js";
import { lineBounds, readLineBatches } from "../io/lines.js";
import { problemIdOf } from "../traces/index.js";

const ANSWER_KEYS = ["expected_answer", "answer", "gold"] as const;

export async function loadGold(file: string): Promise<Map<string, string>> {
  const gold = new Map<string, string>();
  for await (const batch of readLineBatches(file)) {
    const buf = Buffer.from(batch.bytes.buffer, batch.bytes.byteOffset, batch.bytes.byteLength);
    for (let i = 0; i < batch.ends.length; i++) {
      const line = batch.firstLine + i;
      if (batch.oversized.includes(i)) throw new InputFileError(file, line, "line too long");
      const [s, e] = lineBounds(batch, i);
      const text = buf.toString("utf8", s, e).trim();
      if (text === "") continue;
      let row: any;
      try {
        row = JSON.parse(text);
      } catch (err) {
        throw new InputFileError(file, line, `malformed JSON: ${err instanceof Error ? err.message : err}`);
      }
      if (row === null || typeof row !== "object" || Array.isArray(row)) throw new InputFileError(file, line, "not a JSON object");
      const id = problemIdOf(row);
      if (id === null || id === undefined) throw new InputFileError(file, line, "no problem id (uuid, problem_id, id or problem)");
      const key = ANSWER_KEYS.find((k) => row[k] !== undefined && row[k] !== null);
      if (key === undefined) throw new InputFileError(file, line, `no answer (${ANSWER_KEYS.join(", ")})`);
      const answer = typeof row[key] === "string" ? row[key] : JSON.stringify(row[key]);
      if (gold.has(String(id)) && gold.get(String(id)) !== answer) {
        throw new InputFileError(file, line, `problem ${id} has two different answers`);
      }
      gold.set(String(id), answer);
    }
  }
  return gold;
}
