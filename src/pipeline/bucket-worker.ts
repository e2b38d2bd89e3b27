// Worker thread of `bucketize` (piscina): measures one batch of lines (measure.ts).
import { measureBatch } from "./measure.js";

export default measureBatch;
