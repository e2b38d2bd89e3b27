// POST /verify (one pair or a batch) and POST /grade (a batch of trace rows), answered as JSON.
import type { FastifyInstance } from "fastify";
import { gradeRequestSchema, validate, verifyBatchSchema, verifyPairSchema } from "./schemas.js";

/** The verdict layers the server calls (src/verify and src/grade, in worker threads: src/serve/verdict-engine.ts). */
export interface VerdictEngine {
  verify(gold: string, pred: string, options?: Record<string, unknown>): Promise<unknown>;
  verifyBatch(pairs: Array<{ gold: string; pred: string }>, options?: Record<string, unknown>): Promise<unknown[]>;
  /** One verdict row per input row, in order. */
  grade(rows: Array<string | object>, options: Record<string, unknown>): Promise<unknown[]>;
  close?(): Promise<void>;
}

/** A verification task ran past the server's deadline (it was dropped; the server goes on). */
export class VerdictDeadlineError extends Error {
  override name = "VerdictDeadlineError";
  constructor(readonly deadlineMs: number) {
    super(`verification did not finish within ${deadlineMs} ms; send fewer pairs or rows per request`);
  }
}

export function registerVerdictRoutes(app: FastifyInstance, deps: { engine: VerdictEngine; bodyLimit: number }): void {
  const { engine } = deps;

  app.post("/verify", { bodyLimit: deps.bodyLimit }, async (request, reply) => {
    const body = request.body;
    if (body !== null && typeof body === "object" && "pairs" in body) {
      const parsed = validate(verifyBatchSchema, body);
      if (!parsed.ok) return reply.code(400).send(parsed.failure);
      return { verdicts: await engine.verifyBatch(parsed.value.pairs, parsed.value.options) };
    }
    const parsed = validate(verifyPairSchema, body);
    if (!parsed.ok) return reply.code(400).send(parsed.failure);
    return engine.verify(parsed.value.gold, parsed.value.pred, parsed.value.options);
  });

  app.post("/grade", { bodyLimit: deps.bodyLimit }, async (request, reply) => {
    const parsed = validate(gradeRequestSchema, request.body);
    if (!parsed.ok) return reply.code(400).send(parsed.failure);
    return { rows: await engine.grade(parsed.value.rows, parsed.value.options ?? {}) };
  });
}
