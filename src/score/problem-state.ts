// One problem's score state, packed (there are hundreds of thousands of problems), and mergeable: the
// board may write states to disk mid-run and later fold the pieces of one problem back together, with the
// same result as if every record had gone into one state.
//
// Per setting slot: the counts n, correct and no-answer; and the first `keep` samples of the setting by
// (index, rank), in one Uint32Array of (index, rank, tag) triples grouped by slot (slots in first-seen
// order) and sorted by (index, rank) within a slot. The tag holds the answer number (0 for none), the slot
// and correctness; each distinct answer string of the problem is stored once.
//
// A piece that does not start at the beginning of the input ("not exact") does not know two offsets: how
// many rows of its problem came before it (added to its ranks when folded) and how many attempts of each
// setting did (added to the arrival indices of samples that gave no index of their own: flagged
// IMPLICIT). While the offset is unknown, an implicit sample can move after an explicit one, so a piece
// only drops a sample when `keep` samples come before it whatever the offset (see prune).
import type { GroupView, Sample } from "./board.js";

/** Sample indices and row numbers within a problem stay below this (grading turns a row with a larger
 *  sample index into invalid input). */
export const RANK_LIMIT = 2 ** 26;
/** Bit 31 of an index word: the index is the sample's arrival within its (problem, setting). */
const IMPLICIT = 2 ** 31;
const INDEX_MASK = IMPLICIT - 1;
/** Settings per problem are few (six in the recipe): a kept sample's setting slot fits a byte of its tag. */
const SLOT_BITS = 256;
/** A tag is (answer number · 256 + slot) · 2 + correct, in 32 bits. */
const ANSWER_LIMIT = 2 ** 23;
/** Past this many distinct answers in one problem (compat keeps every sample), answers are found by a map. */
const ANSWER_SCAN_LIMIT = 32;
/** Words per kept sample: index word, rank (row within the problem), tag. */
const WORDS = 3;

/** Approximate heap bytes of an empty state and of its parts, for the board's memory budget. */
const BASE_BYTES = 360;
const SLOT_BYTES = 40;
const STRING_BYTES = 40;

const slotOf = (tag: number) => (tag >>> 1) & (SLOT_BITS - 1);

export class ProblemState {
  gold: string | null = null;
  rows = 0;
  noReference = 0;
  invalid = 0;
  /** Setting names by slot. */
  readonly settings: string[] = [];
  /** n, correct, no-answer per slot. */
  private readonly counts: number[] = [];
  private samples = new Uint32Array(16 * WORDS);
  private size = 0;
  private rewards: Array<number | null> | null = null;
  /** Distinct answers; answer number i + 1 is answers[i]. */
  private readonly answers: string[] = [];
  private answerIndex: Map<string, number> | null = null;
  /** Approximate heap bytes (for the board's budget; not exact, but grows with what is held). */
  bytes = BASE_BYTES + 16 * WORDS * 4;

  /** `exact`: this state has every record of its problem from the start of the input (offsets are 0). */
  constructor(
    private readonly keep: number,
    public exact: boolean,
  ) {}

  /** One graded attempt. */
  add(setting: string, sample: number | null, correct: boolean, answer: string | null, reward: number | null): void {
    const slot = this.slotFor(setting);
    const counts = this.counts;
    const index = sample ?? counts[3 * slot]; // arrival within (problem, setting) when the trace gives no index
    if (!(Number.isInteger(index) && index >= 0 && index < RANK_LIMIT) || this.rows >= RANK_LIMIT) {
      throw new RangeError(`sample index ${index} or row ${this.rows} of a problem is beyond ${RANK_LIMIT}`);
    }
    const word = sample === null ? index + IMPLICIT : index;
    counts[3 * slot]++;
    if (correct) counts[3 * slot + 1]++;
    if (answer === null) counts[3 * slot + 2]++;
    this.insert(slot, word, this.rows, this.answerNumber(answer), correct, reward);
  }

  /**
   * Folds in the state of the same problem's later rows (every row of `later` came after every row of
   * this one): counts add up, its ranks and implicit indices move past this state's, its samples are kept
   * by the rule of this state.
   */
  absorb(later: ProblemState): void {
    if (this.gold === null) this.gold = later.gold;
    const rankOffset = this.rows;
    this.noReference += later.noReference;
    this.invalid += later.invalid;
    // Per slot of `later`: this state's slot and the implicit-index offset (attempts seen here so far).
    const slots = later.settings.map((s) => this.slotFor(s));
    const offsets = slots.map((slot) => this.counts[3 * slot]);
    const s = later.samples;
    for (let i = 0; i < later.size; i++) {
      const word = s[i * WORDS];
      const tag = s[i * WORDS + 2];
      const from = slotOf(tag);
      const number = Math.floor(tag / 2 / SLOT_BITS);
      const moved = word >= IMPLICIT ? word + offsets[from] : word;
      const rank = s[i * WORDS + 1] + rankOffset;
      if ((moved & INDEX_MASK) >= RANK_LIMIT || rank >= RANK_LIMIT) throw new RangeError(`a problem has more than ${RANK_LIMIT} rows`);
      const answer = number === 0 ? null : later.answers[number - 1];
      this.insert(slots[from], moved, rank, this.answerNumber(answer), (tag & 1) === 1, later.rewards?.[i] ?? null);
    }
    later.settings.forEach((_, from) => {
      for (let j = 0; j < 3; j++) this.counts[3 * slots[from] + j] += later.counts[3 * from + j];
    });
    this.rows += later.rows;
  }

  /** A setting's figures with its first `keep` samples, in order (for a state that is exact). */
  view(setting: string): GroupView {
    const slot = this.settings.indexOf(setting);
    const s = this.samples;
    const samples: Sample[] = [];
    for (let i = 0; i < this.size && samples.length < this.keep; i++) {
      const tag = s[i * WORDS + 2];
      if (slotOf(tag) !== slot) continue;
      const number = Math.floor(tag / 2 / SLOT_BITS);
      samples.push({
        index: s[i * WORDS] & INDEX_MASK,
        rank: s[i * WORDS + 1],
        correct: (tag & 1) === 1,
        answer: number === 0 ? null : this.answers[number - 1],
        reward: this.rewards?.[i] ?? null,
      });
    }
    const c = this.counts;
    return { n: c[3 * slot], correct: c[3 * slot + 1], noAnswer: c[3 * slot + 2], samples };
  }

  /** The state as JSON text (one line), for the board's spill files. */
  encode(id: string): string {
    return JSON.stringify([
      id,
      this.gold,
      this.rows,
      this.noReference,
      this.invalid,
      this.settings,
      this.counts,
      Array.from(this.samples.subarray(0, this.size * WORDS)),
      this.answers,
      this.rewards,
    ]);
  }

  /** Reads back `encode`'s text: the id and the state (never exact: a piece of the run). */
  static decode(line: string, keep: number): [string, ProblemState] {
    const [id, gold, rows, noReference, invalid, settings, counts, samples, answers, rewards] = JSON.parse(line);
    const p = new ProblemState(keep, false);
    p.gold = gold;
    p.rows = rows;
    p.noReference = noReference;
    p.invalid = invalid;
    p.settings.push(...settings);
    p.counts.push(...counts);
    p.samples = Uint32Array.from(samples);
    p.size = samples.length / WORDS;
    p.answers.push(...answers);
    if (answers.length > ANSWER_SCAN_LIMIT) p.answerIndex = new Map(p.answers.map((a, i) => [a, i]));
    p.rewards = rewards;
    return [id, p];
  }

  private slotFor(setting: string): number {
    let slot = this.settings.indexOf(setting);
    if (slot < 0) {
      if (this.settings.length >= SLOT_BITS) throw new RangeError(`more than ${SLOT_BITS} settings in one problem`);
      slot = this.settings.push(setting) - 1;
      this.counts.push(0, 0, 0);
      this.bytes += SLOT_BYTES + setting.length;
    }
    return slot;
  }

  private answerNumber(answer: string | null): number {
    if (answer === null) return 0;
    const answers = this.answers;
    let at = this.answerIndex ? (this.answerIndex.get(answer) ?? -1) : answers.indexOf(answer);
    if (at < 0) {
      if (answers.length + 1 >= ANSWER_LIMIT) throw new RangeError(`more than ${ANSWER_LIMIT} distinct answers in one problem`);
      at = answers.push(answer) - 1;
      this.bytes += STRING_BYTES + 2 * answer.length;
      if (this.answerIndex) this.answerIndex.set(answer, at);
      else if (answers.length > ANSWER_SCAN_LIMIT) this.answerIndex = new Map(answers.map((a, i) => [a, i]));
    }
    return at + 1;
  }

  /** Whether the sample (word, rank) comes after kept sample i (implicit flags aside). */
  private follows(word: number, rank: number, i: number): boolean {
    const index = word & INDEX_MASK;
    const other = this.samples[i * WORDS] & INDEX_MASK;
    return index > other || (index === other && rank > this.samples[i * WORDS + 1]);
  }

  /** Puts a sample in its place within its slot, unless it is certainly not among the first `keep`. */
  private insert(slot: number, word: number, rank: number, answer: number, correct: boolean, reward: number | null): void {
    let from = 0;
    while (from < this.size && slotOf(this.samples[from * WORDS + 2]) !== slot) from++;
    let to = from;
    while (to < this.size && slotOf(this.samples[to * WORDS + 2]) === slot) to++;
    // The common case first: a full slot and a sample after its last one.
    if (this.exact && to - from >= this.keep && this.follows(word, rank, to - 1)) return;
    let at = to;
    while (at > from && !this.follows(word, rank, at - 1)) at--;
    if (this.size * WORDS === this.samples.length) {
      const grown = new Uint32Array((this.size + Math.max(16, this.size >> 2)) * WORDS);
      grown.set(this.samples);
      this.bytes += grown.byteLength - this.samples.byteLength;
      this.samples = grown;
    }
    const t = this.samples;
    t.copyWithin((at + 1) * WORDS, at * WORDS, this.size * WORDS);
    t[at * WORDS] = word;
    t[at * WORDS + 1] = rank;
    t[at * WORDS + 2] = (answer * SLOT_BITS + slot) * 2 + (correct ? 1 : 0);
    if (reward !== null && this.rewards === null) this.rewards = new Array(this.size).fill(null);
    this.rewards?.splice(at, 0, reward);
    this.size++;
    if (to + 1 - from > this.keep) this.prune(from, to + 1);
  }

  /**
   * Drops the samples of slot range [from, to) that cannot be among the first `keep` of their setting.
   * Exact: those after the first `keep`. Otherwise an implicit sample may only move later (its offset is
   * not known yet), so `keep` samples before a sample are certain to stay before it unless the sample is
   * explicit and they are implicit: an explicit sample drops after `keep` explicit ones, an implicit one
   * after any `keep`.
   */
  private prune(from: number, to: number): void {
    const t = this.samples;
    let write = from;
    let explicitBefore = 0;
    for (let read = from; read < to; read++) {
      const implicit = t[read * WORDS] >= IMPLICIT;
      const before = read - from;
      const drop = this.exact || implicit ? before >= this.keep : explicitBefore >= this.keep;
      if (!implicit) explicitBefore++;
      if (drop) continue;
      if (write !== read) {
        t.copyWithin(write * WORDS, read * WORDS, (read + 1) * WORDS);
        if (this.rewards) this.rewards[write] = this.rewards[read];
      }
      write++;
    }
    if (write === to) return;
    t.copyWithin(write * WORDS, to * WORDS, this.size * WORDS);
    this.rewards?.splice(write, to - write);
    this.size -= to - write;
  }
}
