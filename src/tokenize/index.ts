// Token counting for length buckets (DESIGN.md "Pipeline"). A counter measures a rendered trace: a list of
// text pieces and special tokens. Special tokens are placed by the renderer, never parsed out of text, so a
// trace that happens to contain the literal string "<|end|>" is counted as the text it is.
//
// Implementations (chosen by measurement, see docs/pipeline.md "Tokenizer"):
//   o200k_harmony          gpt-tokenizer's o200k_harmony (pure JS, fastest of the npm options measured)
//   PATH/tokenizer.json    @huggingface/tokenizers (pure JS port of HF tokenizers), e.g. Qwen
import { readFileSync } from "node:fs";
import { bytePairMerge, RankTable } from "./bpe.js";
import { basename, dirname, join } from "node:path";

/** A piece of a rendered trace: ordinary text, or one special token by name (e.g. "<|start|>"). */
export type Segment = { text: string } | { special: string };

export interface TokenCounter {
  /** "o200k_harmony" or the tokenizer.json path as given. */
  readonly name: string;
  /** The chat template this tokenizer is rendered with by default. */
  readonly template: "harmony" | "chatml";
  /** Tokens of ordinary text (special-token strings inside it are ordinary text for o200k_harmony). */
  countText(text: string): number;
  /** Token ids of ordinary text (for tests and cross-checks). */
  encodeText(text: string): number[];
  /** Id of a special token; throws when the tokenizer does not have it. */
  specialId(token: string): number;
}

/** Tokens of a rendered trace: each text piece on its own (special tokens split text for every BPE
 * tokenizer, so this equals encoding the joined string with those specials allowed) plus one per special. */
export function countSegments(counter: TokenCounter, segments: readonly Segment[]): number {
  let total = 0;
  for (const seg of segments) {
    if ("special" in seg) {
      counter.specialId(seg.special);
      total += 1;
    } else if (seg.text.length > 0) {
      total += counter.countText(seg.text);
    }
  }
  return total;
}

/** Token ids of a rendered trace (slower than countSegments; for tests and inspection). */
export function encodeSegments(counter: TokenCounter, segments: readonly Segment[]): number[] {
  const ids: number[] = [];
  for (const seg of segments) {
    if ("special" in seg) ids.push(counter.specialId(seg.special));
    else if (seg.text.length > 0) for (const id of counter.encodeText(seg.text)) ids.push(id);
  }
  return ids;
}

export const DEFAULT_TOKENIZER = "o200k_harmony";

const cache = new Map<string, Promise<TokenCounter>>();

/** Loads a tokenizer by name ("o200k_harmony") or by the path of a local HF tokenizer.json. Nothing is
 * downloaded: o200k ranks ship inside gpt-tokenizer, a tokenizer.json must exist on disk. */
export function loadTokenizer(spec: string = DEFAULT_TOKENIZER): Promise<TokenCounter> {
  let pending = cache.get(spec);
  if (!pending) {
    pending = spec === "o200k_harmony" ? loadO200kHarmony() : loadTokenizerJson(spec);
    cache.set(spec, pending);
    pending.catch(() => cache.delete(spec));
  }
  return pending;
}

/** A run this long of one pre-token class may make a pre-token whose quadratic merge in gpt-tokenizer
 * costs more than a millisecond; texts that have one are encoded by the O(n log n) merge (bpe.ts). */
export const LONG_RUN = 256;
const LONG_RUN_PATTERN = new RegExp(`[\\p{L}\\p{M}]{${LONG_RUN}}|[^\\s\\p{L}\\p{N}]{${LONG_RUN}}|[\\s/]{${LONG_RUN}}`, "u");

async function loadO200kHarmony(): Promise<TokenCounter> {
  const enc = await import("gpt-tokenizer/encoding/o200k_harmony");
  // Text is always ordinary text: the renderer inserts special tokens itself.
  const ordinary = { allowedSpecial: new Set<string>(), disallowedSpecial: new Set<string>() };
  const special = { allowedSpecial: "all" as const };
  const ids = new Map<string, number>();
  const long = await longPieceEncoder();
  return {
    name: "o200k_harmony",
    template: "harmony",
    countText: (text) => (LONG_RUN_PATTERN.test(text) ? long(text).length : enc.countTokens(text, ordinary)),
    encodeText: (text) => (LONG_RUN_PATTERN.test(text) ? long(text) : enc.encode(text, ordinary)),
    specialId(token) {
      let id = ids.get(token);
      if (id === undefined) {
        const encoded = /^<\|[a-z_0-9]+\|>$/.test(token) ? enc.encode(token, special) : [];
        if (encoded.length !== 1 || encoded[0]! < 199998) throw new Error(`o200k_harmony has no special token ${token}`);
        id = encoded[0]!;
        ids.set(token, id);
      }
      return id;
    },
  };
}

/** o200k encoding with the heap merge for every pre-token (the rank table is built on first use). */
export async function longPieceEncoder(): Promise<(text: string) => number[]> {
  const { O200K_TOKEN_SPLIT_REGEX } = await import("gpt-tokenizer/encodingParams/constants");
  // The same module instance the encoding loaded: index = rank, value = token text or bytes.
  const ranks = (await import("gpt-tokenizer/bpeRanks/o200k_base")).default;
  let table: RankTable | null = null;
  const utf8 = new TextEncoder();
  return (text) => {
    table ??= new RankTable(ranks);
    const ids: number[] = [];
    for (const [piece] of text.matchAll(O200K_TOKEN_SPLIT_REGEX)) {
      for (const id of bytePairMerge(utf8.encode(piece), table)) ids.push(id);
    }
    return ids;
  };
}

async function loadTokenizerJson(path: string): Promise<TokenCounter> {
  if (!path.endsWith(".json")) {
    throw new Error(`unknown tokenizer '${path}': use o200k_harmony or the path of a tokenizer.json`);
  }
  let json: any;
  try {
    json = JSON.parse(readFileSync(path, "utf8"));
  } catch (err: any) {
    throw new Error(`cannot read tokenizer ${path}: ${err?.message ?? err}`);
  }
  if (!json || typeof json !== "object" || !json.model) throw new Error(`${path} is not a tokenizer.json (no "model")`);
  // tokenizer_config.json beside it, when present, carries settings such as the chat special tokens.
  let config: any = {};
  const configPath = join(dirname(path), basename(path).replace(/tokenizer\.json$/, "tokenizer_config.json"));
  if (configPath !== path) {
    try {
      config = JSON.parse(readFileSync(configPath, "utf8"));
    } catch {
      config = {};
    }
  }
  const { Tokenizer } = await import("@huggingface/tokenizers");
  const tok = new Tokenizer(json, config);
  const added = new Map<string, number>();
  for (const t of json.added_tokens ?? []) if (typeof t?.content === "string") added.set(t.content, t.id);
  const opts = { add_special_tokens: false } as const;
  return {
    name: path,
    template: "chatml",
    countText: (text) => tok.encode(text, opts).ids.length,
    encodeText: (text) => tok.encode(text, opts).ids,
    specialId(token) {
      const id = added.get(token);
      if (id === undefined) throw new Error(`${path} has no added token ${token}`);
      return id;
    },
  };
}
