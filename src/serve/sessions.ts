// The sessions this instance has seen, for NeMo-Skills' session endpoints (GET /sessions, DELETE /sessions/{id})
// and for closing idle ones. The Python state itself lives in the sandbox; this is bookkeeping only.

export interface SessionInfo {
  created: number; // epoch seconds, as NeMo-Skills reports them
  last_used: number;
  calls: number;
}

interface Entry extends SessionInfo {
  inFlight: number;
  /** The sandbox lost this session's namespace (its pool process died): its next call starts afresh. */
  reset: boolean;
}

export class SessionRegistry {
  private readonly sessions = new Map<string, Entry>();

  /** Records the start of a call; returns true when the session starts from an empty state here. */
  begin(id: string): boolean {
    const now = Date.now() / 1000;
    const known = this.sessions.get(id);
    if (known) {
      const fresh = known.reset;
      known.reset = false;
      known.last_used = now;
      known.calls += 1;
      known.inFlight += 1;
      return fresh;
    }
    this.sessions.set(id, { created: now, last_used: now, calls: 1, inFlight: 1, reset: false });
    return true;
  }

  /** Every session lost its state (the sandbox's pool process was replaced). */
  markAllReset(): void {
    for (const entry of this.sessions.values()) entry.reset = true;
  }

  /** Records the end of a call (the session may have been deleted meanwhile). */
  end(id: string): void {
    const known = this.sessions.get(id);
    if (!known) return;
    known.inFlight = Math.max(0, known.inFlight - 1);
    known.last_used = Date.now() / 1000;
  }

  has(id: string): boolean {
    return this.sessions.has(id);
  }

  delete(id: string): boolean {
    return this.sessions.delete(id);
  }

  get size(): number {
    return this.sessions.size;
  }

  list(): Record<string, SessionInfo & { backend: "ipython"; alive: true }> {
    const out: Record<string, SessionInfo & { backend: "ipython"; alive: true }> = {};
    for (const [id, { created, last_used, calls }] of this.sessions) {
      out[id] = { backend: "ipython", created, last_used, calls, alive: true };
    }
    return out;
  }

  /** Ids of sessions with no call running and none for longer than idleMs. */
  idle(idleMs: number): string[] {
    const cutoff = Date.now() / 1000 - idleMs / 1000;
    return [...this.sessions].filter(([, e]) => e.inFlight === 0 && e.last_used < cutoff).map(([id]) => id);
  }
}
