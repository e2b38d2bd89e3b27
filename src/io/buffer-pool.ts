// Read buffers, reused. A batch's bytes go to a worker thread (transferred, not copied) and come back
// with its result; giving them back here lets the next read fill them again. Without this every batch
// is a fresh 4 MiB ArrayBuffer, and V8 lets such external garbage pile up to about 64 MB per thread
// before it collects it.
export class BufferPool {
  private readonly free: ArrayBuffer[] = [];

  /** `size`: bytes per buffer; `keep`: at most this many free buffers are kept. */
  constructor(
    readonly size: number,
    private readonly keep = 16,
  ) {}

  /** A buffer of `size` bytes (its contents are whatever was last written in it). */
  take(): ArrayBuffer {
    return this.free.pop() ?? new ArrayBuffer(this.size);
  }

  /** Hands a buffer back once nothing reads it any more. Buffers of another size are left to the GC. */
  give(buffer: ArrayBufferLike): void {
    if (buffer instanceof ArrayBuffer && buffer.byteLength === this.size && this.free.length < this.keep) this.free.push(buffer);
  }
}
