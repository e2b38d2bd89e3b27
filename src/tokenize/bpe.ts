// Byte-pair merging in O(n log n) for long pre-tokens. The npm tokenizers (gpt-tokenizer, js-tiktoken, and
// the tiktoken 1.0.22 WASM build) merge a pre-token by rescanning it after every merge, which is quadratic:
// a run of 100,000 letters without a space takes 20+ s (and 10^6 crashes the WASM build). Reasoning traces
// do contain such runs (base64, digit-free strings, "aaaa…", long rules of "====", runs of spaces or
// newlines), so pre-tokens past a length go through this merge instead.
//
// Same rule as tiktoken's byte_pair_merge: repeatedly merge the adjacent pair of parts whose concatenation
// has the lowest rank, the leftmost pair first on ties. A heap ordered by (rank, start) with lazy
// invalidation finds that pair in O(log n).

/** Ranks of the mergeable byte strings, keyed by the bytes as a latin1 string. */
export class RankTable {
  private readonly ranks = new Map<string, number>();
  /** Longest token in bytes: longer spans need no lookup. */
  private maxBytes = 0;

  /** @param decoder index = rank; value = the token as text (valid UTF-8) or as bytes */
  constructor(decoder: ReadonlyArray<string | readonly number[] | undefined>) {
    const utf8 = new TextEncoder();
    decoder.forEach((value, rank) => {
      if (value === undefined) return;
      const bytes = typeof value === "string" ? utf8.encode(value) : Uint8Array.from(value);
      this.ranks.set(latin1(bytes, 0, bytes.length), rank);
      if (bytes.length > this.maxBytes) this.maxBytes = bytes.length;
    });
  }

  rank(bytes: Uint8Array, start: number, end: number): number | undefined {
    return end - start > this.maxBytes ? undefined : this.ranks.get(latin1(bytes, start, end));
  }
}

function latin1(bytes: Uint8Array, start: number, end: number): string {
  // Short keys (tokens are at most a few hundred bytes): fromCharCode over a subarray is fastest.
  return String.fromCharCode.apply(null, bytes.subarray(start, end) as unknown as number[]);
}

/** A binary min-heap of pair candidates ordered by (rank, start). */
class PairHeap {
  private rank: number[] = [];
  private start: number[] = [];
  private end: number[] = [];
  get size(): number {
    return this.rank.length;
  }
  private less(i: number, j: number): boolean {
    return this.rank[i]! < this.rank[j]! || (this.rank[i] === this.rank[j] && this.start[i]! < this.start[j]!);
  }
  private swap(i: number, j: number): void {
    for (const a of [this.rank, this.start, this.end]) {
      const t = a[i]!;
      a[i] = a[j]!;
      a[j] = t;
    }
  }
  push(rank: number, start: number, end: number): void {
    this.rank.push(rank);
    this.start.push(start);
    this.end.push(end);
    let i = this.rank.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(i, p)) break;
      this.swap(i, p);
      i = p;
    }
  }
  /** Removes the minimum; returns [rank, start, end]. */
  pop(): [number, number, number] {
    const top: [number, number, number] = [this.rank[0]!, this.start[0]!, this.end[0]!];
    const last = this.rank.length - 1;
    this.swap(0, last);
    this.rank.pop();
    this.start.pop();
    this.end.pop();
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < this.rank.length && this.less(l, m)) m = l;
      if (r < this.rank.length && this.less(r, m)) m = r;
      if (m === i) break;
      this.swap(i, m);
      i = m;
    }
    return top;
  }
}

/** Token ranks of one pre-token (its UTF-8 bytes). Every single byte must be in the table. */
export function bytePairMerge(bytes: Uint8Array, table: RankTable): number[] {
  const n = bytes.length;
  if (n === 0) return [];
  const whole = table.rank(bytes, 0, n);
  if (whole !== undefined) return [whole];
  // Parts are [start, next[start]); removed parts are marked dead.
  const next = new Int32Array(n);
  const prev = new Int32Array(n);
  const dead = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    next[i] = i + 1;
    prev[i] = i - 1;
  }
  const heap = new PairHeap();
  const offer = (start: number) => {
    const mid = next[start]!;
    if (mid >= n) return;
    const end = next[mid]!;
    const rank = table.rank(bytes, start, end);
    if (rank !== undefined) heap.push(rank, start, end);
  };
  for (let i = 0; i + 1 < n; i++) offer(i);
  while (heap.size > 0) {
    const [, start, end] = heap.pop();
    // Stale when the left part is gone or either part has changed since the pair was offered.
    const mid = next[start]!;
    if (dead[start] || mid >= n || next[mid] !== end) continue;
    dead[mid] = 1;
    next[start] = end;
    if (end < n) prev[end] = start;
    offer(start);
    if (prev[start]! >= 0) offer(prev[start]!);
  }
  const out: number[] = [];
  for (let i = 0; i < n; i = next[i]!) {
    const rank = table.rank(bytes, i, next[i]!);
    if (rank === undefined) throw new Error("byte-pair merge: a part is not in the rank table");
    out.push(rank);
  }
  return out;
}
