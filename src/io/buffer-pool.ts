// Read buffers, reused. Without this every batch is a fresh 4 MiB buffer, and V8 lets such external
// garbage pile up to about 64 MB per thread before it collects it. Shared buffers (SharedArrayBuffer)
// need not travel: a worker thread reads a batch in place, the reader fills the buffer again once the
// batch's result is in, and the batch is still there to grade in this thread should the worker die.
export class BufferPool {
  private readonly free: ArrayBufferLike[] = [];

  /** `size`: bytes per buffer; `keep`: at most this many free buffers are kept. */
  constructor(
    readonly size: number,
    private readonly keep = 16,
    readonly shared = false,
  ) {}

  /** A buffer of `size` bytes (its contents are whatever was last written in it). */
  take(): ArrayBufferLike {
    return this.free.pop() ?? (this.shared ? new SharedArrayBuffer(this.size) : new ArrayBuffer(this.size));
  }

  /** Hands a buffer back once nothing reads it any more. Buffers of another size or kind are left to the GC. */
  give(buffer: ArrayBufferLike): void {
    if (buffer.byteLength !== this.size || isShared(buffer) !== this.shared || this.free.length >= this.keep) return;
    if (!this.free.includes(buffer)) this.free.push(buffer);
  }
}

export function isShared(buffer: ArrayBufferLike): buffer is SharedArrayBuffer {
  return typeof SharedArrayBuffer !== "undefined" && buffer instanceof SharedArrayBuffer;
}
