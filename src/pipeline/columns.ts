// Growable typed-array columns: the per-trace state that pass 1 keeps for pass 2 costs a few bytes a trace
// instead of an object per trace (docs/pipeline.md "Memory bound").
type TypedArray = Int8Array | Uint8Array | Int32Array | Uint32Array | Float64Array;
type TypedArrayCtor<T extends TypedArray> = { new (length: number): T };

export class Column<T extends TypedArray> {
  private data: T;
  length = 0;
  constructor(private readonly ctor: TypedArrayCtor<T>, initial = 1024) {
    this.data = new ctor(initial);
  }
  push(value: number): void {
    if (this.length === this.data.length) {
      const bigger = new this.ctor(this.data.length * 2);
      (bigger as any).set(this.data);
      this.data = bigger;
    }
    this.data[this.length++] = value;
  }
  get(index: number): number {
    return this.data[index]!;
  }
  set(index: number, value: number): void {
    this.data[index] = value;
  }
  /** A view of the filled part (shares memory). */
  view(): T {
    return this.data.subarray(0, this.length) as T;
  }
}
