// Streaming line batches (plain and gzip, any chunk size), resume helpers and the append-only writer.
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { BufferPool } from "../src/io/buffer-pool.js";
import { lineBounds, readLineBatches, type LineReaderOptions } from "../src/io/lines.js";
import { dropTornTail, replayJsonl } from "../src/io/resume.js";
import { TextSink } from "../src/io/writer.js";
import { InputFileError } from "../src/io/errors.js";

const dir = mkdtempSync(join(tmpdir(), "veritrace-io-"));

async function collect(file: string, options: LineReaderOptions): Promise<Array<[number, string | null]>> {
  const out: Array<[number, string | null]> = [];
  for await (const b of readLineBatches(file, options)) {
    const buf = Buffer.from(b.bytes.buffer, b.bytes.byteOffset, b.bytes.length);
    for (let i = 0; i < b.ends.length; i++) {
      const [s, e] = lineBounds(b, i);
      out.push([b.firstLine + i, b.oversized.includes(i) ? null : buf.toString("utf8", s, e)]);
    }
    options.pool?.give(b.bytes.buffer); // read: the buffer may be filled again
  }
  return out;
}

/** A pool that overwrites every buffer given back: a buffer reused while something still reads it shows. */
class ScribblingPool extends BufferPool {
  override give(buffer: ArrayBufferLike): void {
    new Uint8Array(buffer).fill(0x7a);
    super.give(buffer);
  }
}

describe("readLineBatches", () => {
  it("cuts any file into its lines, whatever the chunk and batch sizes, plain or gzip, pooled buffers or not", async () => {
    let seed = 12345;
    const rnd = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    for (let trial = 0; trial < 300; trial++) {
      const lines: string[] = [];
      const n = Math.floor(rnd() * 30);
      for (let i = 0; i < n; i++) lines.push("x".repeat(Math.floor(rnd() * (rnd() < 0.1 ? 300 : 40))) + "é" + i);
      const trailing = rnd() < 0.5;
      const text = lines.join("\n") + (trailing && n > 0 ? "\n" : "");
      const gz = rnd() < 0.3;
      const file = join(dir, `t${trial}.jsonl${gz ? ".gz" : ""}`);
      writeFileSync(file, gz ? gzipSync(text) : text);
      const startLine = rnd() < 0.3 ? Math.floor(rnd() * 10) + 1 : 1;
      const maxLineBytes = rnd() < 0.5 ? 100 : 1e9;
      const chunkBytes = 1 + Math.floor(rnd() * 64);
      const got = await collect(file, {
        chunkBytes,
        // Half the trials read into pooled buffers that are reused as soon as they are given back.
        pool: rnd() < 0.5 ? new ScribblingPool(chunkBytes, 4) : undefined,
        maxBatchLines: 1 + Math.floor(rnd() * 5),
        maxBatchBytes: 50 + Math.floor(rnd() * 200),
        maxLineBytes,
        startLine,
      });
      const expected: Array<[number, string | null]> = [];
      lines.forEach((l, i) => {
        if (i + 1 >= startLine) expected.push([i + 1, Buffer.byteLength(l) > maxLineBytes ? null : l]);
      });
      expect(got, `trial ${trial}`).toEqual(expected);
    }
  });

  it("detects gzip by content, not by name", async () => {
    const file = join(dir, "named-plain.jsonl");
    writeFileSync(file, gzipSync('{"a":1}\n{"b":2}\n'));
    expect(await collect(file, {})).toEqual([[1, '{"a":1}'], [2, '{"b":2}']]);
  });

  it("names the file of a corrupt gzip stream", async () => {
    const file = join(dir, "corrupt.jsonl.gz");
    const text = Array.from({ length: 2000 }, (_, i) => JSON.stringify({ i, h: ((i * 2654435761) % 4294967296).toString(36) })).join("\n");
    const gz = gzipSync(text);
    writeFileSync(file, gz.subarray(0, gz.length >> 1)); // cut mid-stream
    await expect(collect(file, {})).rejects.toThrow(InputFileError);
    await expect(collect(file, {})).rejects.toThrow(/corrupt\.jsonl\.gz/);
  });

  it("reports a missing file", async () => {
    await expect(collect(join(dir, "nope.jsonl"), {})).rejects.toThrow(/no such file/);
  });
});

describe("resume helpers", () => {
  it("drops a torn last line and replays the complete rows", async () => {
    const file = join(dir, "torn.jsonl");
    writeFileSync(file, '{"i":1}\n{"i":2}\n{"i":3, "tor');
    expect(dropTornTail(file)).toBe(12);
    expect(readFileSync(file, "utf8")).toBe('{"i":1}\n{"i":2}\n');
    const rows: unknown[] = [];
    expect(await replayJsonl(file, (r) => rows.push(r))).toBe(2);
    expect(rows).toEqual([{ i: 1 }, { i: 2 }]);
    expect(await replayJsonl(join(dir, "absent.jsonl"), () => {})).toBe(0);
    expect(existsSync(join(dir, "absent.jsonl"))).toBe(false);
  });

  it("empties a file without any complete line", () => {
    const file = join(dir, "torn-only.jsonl");
    writeFileSync(file, '{"i":1');
    expect(dropTornTail(file)).toBe(6);
    expect(readFileSync(file, "utf8")).toBe("");
  });

  it("TextSink truncates or appends", async () => {
    const file = join(dir, "sink.jsonl");
    writeFileSync(file, "old\n");
    const a = new TextSink(file, { append: true });
    await a.write("more\n");
    await a.close();
    expect(readFileSync(file, "utf8")).toBe("old\nmore\n");
    const b = new TextSink(file);
    await b.write("new\n");
    await b.close();
    expect(readFileSync(file, "utf8")).toBe("new\n");
  });
});
