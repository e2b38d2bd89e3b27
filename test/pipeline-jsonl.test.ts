// The pipeline's re-readable JSONL sources: line numbers, CRLF, a missing final newline, gzip by content,
// lines over the cap reported instead of buffered.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fileSource, firstUnreadable, sourceFileName, textSource, type JsonlLine, type JsonlSource } from "../src/pipeline/jsonl.js";

let dir: string;
beforeAll(() => (dir = mkdtempSync(join(tmpdir(), "veritrace-jsonl-"))));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function all(source: JsonlSource): Promise<JsonlLine[]> {
  const out: JsonlLine[] = [];
  for await (const line of source.lines()) out.push(line);
  return out;
}

describe("fileSource", () => {
  it("numbers lines, strips CRLF and reads a last line without newline", async () => {
    const path = join(dir, "a.jsonl");
    writeFileSync(path, '{"a":1}\r\n\r\n{"b":"é"}\n{"c":3}');
    expect(await all(fileSource(path))).toEqual([
      { text: '{"a":1}', lineNumber: 1 },
      { text: "", lineNumber: 2 },
      { text: '{"b":"é"}', lineNumber: 3 },
      { text: '{"c":3}', lineNumber: 4 },
    ]);
    // Re-readable: a second pass sees the same lines.
    expect((await all(fileSource(path))).length).toBe(4);
  });

  it("reads gzip by content and keeps the mode in the file name", async () => {
    const path = join(dir, "high.part_00.jsonl.gz");
    writeFileSync(path, gzipSync('{"x":1}\n{"x":2}\n'));
    expect((await all(fileSource(path))).map((l) => l.text)).toEqual(['{"x":1}', '{"x":2}']);
    expect(sourceFileName(fileSource(path))).toBe("high.part_00.jsonl");
  });

  it("reports a line over the cap with its size and goes on", async () => {
    const path = join(dir, "long.jsonl");
    writeFileSync(path, `{"a":1}\n"${"x".repeat(5000)}"\n{"b":2}\n`);
    const lines = await all(fileSource(path, 1000));
    expect(lines.map((l) => [l.lineNumber, l.tooLong ?? 0, l.text.length])).toEqual([
      [1, 0, 7],
      [2, 5002, 0],
      [3, 0, 7],
    ]);
  });

  it("names unreadable files", () => {
    expect(firstUnreadable([join(dir, "a.jsonl"), join(dir, "missing.jsonl")])).toEqual({ file: join(dir, "missing.jsonl"), reason: "no such file" });
  });
});

describe("textSource", () => {
  it("serves in-memory lines like a file", async () => {
    expect(await all(textSource("medium.jsonl", "1\r\n2\n"))).toEqual([
      { text: "1", lineNumber: 1 },
      { text: "2", lineNumber: 2 },
    ]);
  });
});
