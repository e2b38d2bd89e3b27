// Pass 1 of the pipeline commands runs over batches of lines, in the calling thread or in piscina worker
// threads; results come back in input order (grade's `inOrder`), so the thread count never changes the
// output. A bounded number of batches is in flight, so memory does not grow with the input.
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Piscina } from "piscina";
import { sourceFileName, type JsonlSource } from "./jsonl.js";

export { inOrder } from "../grade/pool.js";

export interface BatchRunner<B, R> {
  run(batch: B): Promise<R>;
  /** How many batches may be in flight. */
  concurrency: number;
  close(): Promise<void>;
}

/**
 * @param worker compiled worker module name in dist/pipeline ("bucket-worker", "filter-worker")
 * @param inline the same function, for threads 0
 */
export function batchRunner<B, R>(worker: string, inline: (batch: B) => Promise<R>, threads: number): BatchRunner<B, R> {
  if (threads <= 0) return { run: inline, concurrency: 1, close: async () => {} };
  const pool = new Piscina({ filename: workerFile(worker), minThreads: threads, maxThreads: threads, idleTimeout: 60_000 });
  return {
    run: (batch) => pool.run(batch) as Promise<R>,
    concurrency: threads * 2 + 1,
    close: () => pool.destroy(),
  };
}

/** The compiled worker (dist/pipeline/<name>.js), also when this module runs from src/ under tsx. */
function workerFile(name: string): string {
  const here = import.meta.url;
  const url = here.endsWith(".ts") ? new URL(`../../dist/pipeline/${name}.js`, here) : new URL(`./${name}.js`, here);
  const path = fileURLToPath(url);
  if (!existsSync(path)) throw new Error(`pipeline worker not built: ${path} is missing (run npm run build:ts)`);
  return path;
}

export const BATCH_LINES = 256;
export const BATCH_CHARS = 8 << 20;

export interface LineBatch {
  /** The source as named by the caller (audit rows). */
  source: string;
  /** File name as parseTrace wants it (mode, sample). */
  fileName: string;
  lines: Array<{ text: string; lineNumber: number; tooLong?: number }>;
}

/** Non-blank lines of the sources in batches (each batch within one source). */
export async function* lineBatches(sources: JsonlSource[]): AsyncGenerator<LineBatch> {
  for (const source of sources) {
    let lines: LineBatch["lines"] = [];
    let chars = 0;
    for await (const line of source.lines()) {
      if (line.text.trim() === "" && !line.tooLong) continue;
      lines.push(line);
      chars += line.text.length;
      if (lines.length >= BATCH_LINES || chars >= BATCH_CHARS) {
        yield { source: source.name, fileName: sourceFileName(source), lines };
        lines = [];
        chars = 0;
      }
    }
    if (lines.length > 0) yield { source: source.name, fileName: sourceFileName(source), lines };
  }
}
