// The public API: names only. Each line re-exports one layer (DESIGN.md "Interfaces").
export type * from "./types.js";
