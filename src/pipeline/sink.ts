// Buffered line output for the pipeline's files: lines are gathered into ~1 MiB writes, and a full stream
// buffer is awaited ('drain'), so memory stays bounded and a stream error surfaces at the next write.
import { createWriteStream, type WriteStream } from "node:fs";

const FLUSH_BYTES = 1 << 20;

export class LineSink {
  private readonly stream: WriteStream;
  private failure: Error | null = null;
  private buffer: string[] = [];
  private buffered = 0;

  constructor(readonly path: string) {
    this.stream = createWriteStream(path);
    this.stream.on("error", (err) => (this.failure ??= err));
  }

  /** Appends one line (a newline is added). */
  async writeLine(line: string): Promise<void> {
    this.buffer.push(line, "\n");
    this.buffered += line.length + 1;
    if (this.buffered >= FLUSH_BYTES) await this.flush();
  }

  private async flush(): Promise<void> {
    if (this.failure) throw this.failure;
    if (this.buffered === 0) return;
    const text = this.buffer.join("");
    this.buffer = [];
    this.buffered = 0;
    if (!this.stream.write(text)) {
      await new Promise<void>((resolve) => {
        const done = () => {
          this.stream.off("drain", done);
          this.stream.off("error", done);
          resolve();
        };
        this.stream.on("drain", done);
        this.stream.on("error", done);
      });
    }
    if (this.failure) throw this.failure;
  }

  async close(): Promise<void> {
    await this.flush();
    await new Promise<void>((resolve) => this.stream.end(resolve));
    if (this.failure) throw this.failure;
  }
}
