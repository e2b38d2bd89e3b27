// Messages and shared-signal layout between fallbackVerify (main side) and its worker thread.
import type { FallbackResult } from "./compare.js";

/** Int32 slots of the shared signal: READY is 1 once the engine is loaded (-1 if it failed); DONE counts replies. */
export const READY_SLOT = 0;
export const DONE_SLOT = 1;
export const SIGNAL_SLOTS = 2;

export interface FallbackRequest {
  id: number;
  gold: string;
  pred: string;
  /** The library's cooperative limit; the main thread's hard limit is the caller's budget. */
  budgetMs: number;
}

export type FallbackReply = { id: number; result: FallbackResult } | { id: -1; error: string };
