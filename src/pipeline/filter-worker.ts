// Worker thread of `filterProblems` (piscina): scans one batch of lines (scan.ts).
import { scanBatch } from "./scan.js";

export default scanBatch;
