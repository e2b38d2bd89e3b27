// Append-only text output with backpressure: one write per batch of lines, awaiting 'drain' when the
// stream's buffer is full, so memory stays bounded however fast verdicts are produced.
import { createWriteStream, type WriteStream } from "node:fs";
import { once } from "node:events";

export class TextSink {
  private readonly stream: WriteStream;
  private failure: Error | null = null;

  /** `append`: keep the file's contents and write after them (resume); otherwise truncate. */
  constructor(readonly path: string, options: { append?: boolean } = {}) {
    this.stream = createWriteStream(path, { flags: options.append ? "a" : "w" });
    this.stream.on("error", (err) => (this.failure = err));
  }

  async write(text: string | Uint8Array): Promise<void> {
    if (this.failure) throw this.failure;
    if (text.length === 0) return;
    if (!this.stream.write(text)) {
      // once() rejects on 'error' while it waits for 'drain', and removes its listeners either way.
      await once(this.stream, "drain").catch(() => {});
      if (this.failure) throw this.failure;
    }
  }

  async close(): Promise<void> {
    if (this.failure) throw this.failure;
    this.stream.end();
    await once(this.stream, "finish");
  }
}
