// What the report shows, independent of the files it came from (inputs.ts builds it from summary.json,
// plan.json and audit.jsonl). Every string here is untrusted data and is escaped when rendered.

/** One row of the six-setting table (high/medium/low × with/without tool, then "all"). */
export interface SettingRow {
  /** Display name, e.g. "high · with tool" or "all". */
  label: string;
  mode: string | null;
  tool: boolean | null;
  /** The k of this row's maj@k and pass@k. */
  k: number | null;
  pass1: number | null;
  majK: number | null;
  passK: number | null;
  noAnswer: number | null;
  traces: number;
}

/** pass@k and maj@k for one setting at each k. */
export interface KCurve {
  label: string;
  points: Array<{ k: number; passAtK: number | null; majAtK: number | null }>;
}

/** Per-problem pass rates of one setting (c/n of each problem with at least one attempt there). */
export interface PassRates {
  label: string;
  rates: number[];
  /** Attempts per problem when every problem of the setting has the same number (rates are then c/n). */
  samples: number | null;
}

/** Token lengths of one reasoning mode: traces per bucket (the last bucket may be "over the largest edge"). */
export interface ModeLengths {
  mode: string;
  /** Counts aligned with LengthSection.bins. */
  counts: number[];
}

export interface LengthSection {
  /** Bucket upper edges in tokens, ascending. */
  edges: number[];
  /** Bin labels, e.g. "≤16K", "16K–32K", ...; one more than edges when over-length traces are counted. */
  bins: string[];
  modes: ModeLengths[];
  /** Extra figures worth showing as "name: value" (traces per stage, cost ratio, ...). */
  facts: Array<{ name: string; value: string }>;
}

export interface AuditSection {
  /** Counts of decisions, grouped as the audit rows group them. */
  counts: Array<{ rule: string; outcome: string; count: number }>;
  /** Headline counts (problems in, dropped as trivial, answers filled/kept/replaced, ...). */
  facts: Array<{ name: string; value: string }>;
  /** Traces kept (answer matches the final reference) and dropped, per setting (keep_correct rows). */
  keptBySetting: Array<{ label: string; kept: number; dropped: number }>;
  /** The trivial filter's own pass rates (trivial rows), one per problem; empty when the audit has none. */
  trivialRates: number[];
  /** Attempts behind each trivial rate when every problem had the same number, else null. */
  trivialSamples: number | null;
  /** The threshold the filter used (from its trivial rows), or null. */
  trivialThreshold: number | null;
}

export interface ReportModel {
  title: string;
  /** The files the report was made from (shown in the header). */
  sources: Array<{ role: string; path: string }>;
  /** The k of the table's pass@k and maj@k columns when every row has the same; null: per row (SettingRow.k). */
  k: number | null;
  settings: SettingRow[];
  /** Rows of the graded dump by status (summary.totals), as "name: value". */
  totals: Array<{ name: string; value: string }>;
  passRates: PassRates[];
  /** Pass rate above which a problem is dropped as trivial (the filter's default 0.8). */
  trivialThreshold: number;
  curves: KCurve[];
  /** null: plan.json not provided. */
  lengths: LengthSection | null;
  /** null: audit.jsonl not provided. */
  audit: AuditSection | null;
  /** Problems that the inputs flagged while reading (e.g. unreadable optional rows), shown on the page. */
  warnings: string[];
}
