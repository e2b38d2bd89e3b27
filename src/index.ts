// The public API: names only. Each line re-exports one layer (DESIGN.md "Interfaces").
export type * from "./types.js";
export { extractAnswer, finalPart, looksLikeResponse, type ExtractOptions } from "./extract/index.js";
