// Sharding by problem: a problem's traces all land in the same shard, so per-problem scores (maj@k,
// pass@k) never need data from another shard. Shard of a problem = FNV-1a (32-bit) of its id's UTF-8
// bytes, modulo the shard count: stable across machines, runs and Node versions.

export interface Shard {
  /** 0-based: 0 ≤ index < count (Slurm's SLURM_ARRAY_TASK_ID, Kubernetes' JOB_COMPLETION_INDEX). */
  index: number;
  count: number;
}

/** Parses "i/N". Throws RangeError with a message fit for a usage error. */
export function parseShard(text: string): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  if (!m) throw new RangeError(`--shard: '${text}' is not of the form i/N (e.g. 0/4)`);
  const index = Number(m[1]);
  const count = Number(m[2]);
  if (count < 1 || index >= count) throw new RangeError(`--shard: need 0 ≤ i < N (got ${index}/${count})`);
  return { index, count };
}

const encoder = new TextEncoder();

export function fnv1a32(text: string): number {
  let h = 0x811c9dc5;
  for (const byte of encoder.encode(text)) {
    h ^= byte;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

export function shardOf(problemId: string, count: number): number {
  return fnv1a32(problemId) % count;
}

/** Whether a line belongs to the shard. Lines naming no problem (malformed JSON) go to shard 0. */
export function inShard(problemId: string | null, shard: Shard | undefined): boolean {
  if (!shard || shard.count === 1) return true;
  if (problemId === null) return shard.index === 0;
  return shardOf(problemId, shard.count) === shard.index;
}
