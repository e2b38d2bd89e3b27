// Majority voting over final answers. Votes are grouped by the engine's equivalence (`\frac12`, `0.5` and
// `1/2` are one vote class) unless NeMo-Skills compatibility asks for raw strings. Missing answers (null)
// cast no vote and are counted apart.
//
// Tie rule (deterministic, reported): among the classes with the most votes, the class whose first member
// comes earliest in the given order wins. Under `compat: "nemo-skills"` the lexicographically smallest
// answer wins instead, as NeMo-Skills' `sorted(majority_answer_list)[0]` does.
import { canonicalKey, groupEquivalent, verifyBatch } from "../verify/index.js";

export interface MajorityClass {
  /** The class's representative: the answer text of its first member. */
  answer: string;
  count: number;
  /** Indices (into the input array) of the answers in this class, ascending. */
  members: number[];
}

export interface MajorityResult {
  /** The winning class's representative, or null when no answer cast a vote. */
  answer: string | null;
  /** Votes of the winning class. */
  votes: number;
  /** Votes cast: answers that were not null. */
  total: number;
  /** Missing answers (null), which cast no vote. */
  noAnswer: number;
  /** True when several classes shared the highest vote count (the tie rule then decided). */
  tie: boolean;
  /** Vote classes in order of their first member. */
  classes: MajorityClass[];
  /** Index into `classes` of the winner, or -1. */
  winner: number;
}

export type VoteCompat = "nemo-skills";

export interface MajorityOptions {
  compat?: VoteCompat;
  /** Options passed to the engine's equivalence (ignored under compat). */
  verifyOptions?: Record<string, unknown>;
}

/** Class index per answer (first-seen order, -1 for null): by equivalence, or by raw string under compat. */
export function voteClasses(answers: ReadonlyArray<string | null>, options: MajorityOptions = {}): number[] {
  if (options.compat === "nemo-skills") {
    const seen = new Map<string, number>();
    return answers.map((a) => {
      if (a === null) return -1;
      let id = seen.get(a);
      if (id === undefined) seen.set(a, (id = seen.size));
      return id;
    });
  }
  // Equal strings always share a class: group each distinct answer once (the engine's grouping costs a
  // native call per answer and a verification per pair of classes), then map back.
  const distinct: string[] = [];
  const slot = new Map<string, number>();
  for (const a of answers) if (a !== null && !slot.has(a)) slot.set(a, distinct.push(a) - 1);
  if (distinct.length === 0) return answers.map(() => -1);
  const classes = distinct.length === 1 ? [0] : groupEquivalent(distinct, options.verifyOptions as never);
  return answers.map((a) => (a === null ? -1 : classes[slot.get(a)!]));
}

/** Compares strings by Unicode code point, as Python's `<` on str does (JS `<` compares UTF-16 units). */
export function compareCodePoints(a: string, b: string): number {
  const ia = a[Symbol.iterator]();
  const ib = b[Symbol.iterator]();
  for (;;) {
    const x = ia.next();
    const y = ib.next();
    if (x.done || y.done) return x.done && y.done ? 0 : x.done ? -1 : 1;
    const cx = x.value.codePointAt(0)!;
    const cy = y.value.codePointAt(0)!;
    if (cx !== cy) return cx < cy ? -1 : 1;
  }
}

export function majorityVote(answers: ReadonlyArray<string | null>, options: MajorityOptions = {}): MajorityResult {
  return tally(answers, voteClasses(answers, options), options.compat);
}

/** Builds the vote classes from precomputed class indices (any numbering; renumbered by first member). */
export function tally(answers: ReadonlyArray<string | null>, classOf: ReadonlyArray<number>, compat?: VoteCompat): MajorityResult {
  const byId = new Map<number, MajorityClass>();
  const classes: MajorityClass[] = [];
  let noAnswer = 0;
  answers.forEach((answer, i) => {
    const id = classOf[i];
    if (answer === null || id < 0) {
      noAnswer++;
      return;
    }
    let cls = byId.get(id);
    if (!cls) {
      cls = { answer, count: 0, members: [] };
      byId.set(id, cls);
      classes.push(cls);
    }
    cls.count++;
    cls.members.push(i);
  });
  let winner = -1;
  let tie = false;
  classes.forEach((cls, i) => {
    if (winner < 0 || cls.count > classes[winner].count) {
      winner = i;
      tie = false;
    } else if (cls.count === classes[winner].count) {
      tie = true;
      if (compat === "nemo-skills" && compareCodePoints(cls.answer, classes[winner].answer) < 0) winner = i;
    }
  });
  return {
    answer: winner < 0 ? null : classes[winner].answer,
    votes: winner < 0 ? 0 : classes[winner].count,
    total: answers.length - noAnswer,
    noAnswer,
    tie,
    classes,
    winner,
  };
}

/**
 * Vote classes of the first k answers, for every k of `ks` (ascending), with the result of calling
 * `voteClasses` on each prefix, but verifying each pair of distinct answers once instead of once per k.
 * It follows groupEquivalent's definition: answers with one canonical key share a class, and classes whose
 * first members verify as equal merge (transitively, within the prefix). With the symbolic fallback on,
 * groupEquivalent's own rule (fallback only for up to 16 classes) depends on the prefix, so each prefix
 * is then grouped on its own.
 */
export function prefixVoteClasses(answers: ReadonlyArray<string | null>, ks: readonly number[], options: MajorityOptions = {}): number[][] {
  const fallback = (options.verifyOptions as { fallback?: boolean } | undefined)?.fallback !== false;
  if (options.compat === "nemo-skills" || fallback) return ks.map((k) => voteClasses(answers.slice(0, k), options));
  const verifyOptions = options.verifyOptions as never;
  // Provisional classes by canonical key; the representative of a key is its first answer.
  const keyOf = new Map<string, number>(); // answer text → key index
  const keyIndex = new Map<string, number>(); // canonical key → key index
  const reps: string[] = [];
  const provisional = answers.map((a) => {
    if (a === null) return -1;
    let id = keyOf.get(a);
    if (id === undefined) {
      const key = canonicalKey(a, verifyOptions);
      id = keyIndex.get(key);
      if (id === undefined) keyIndex.set(key, (id = reps.push(a) - 1));
      keyOf.set(a, id);
    }
    return id;
  });
  // Every pair of representatives, verified once.
  const equal: boolean[][] = reps.map(() => []);
  const pairs: Array<{ gold: string; pred: string }> = [];
  const index: Array<[number, number]> = [];
  for (let i = 0; i < reps.length; i++) {
    for (let j = i + 1; j < reps.length; j++) {
      pairs.push({ gold: reps[i], pred: reps[j] });
      index.push([i, j]);
    }
  }
  if (pairs.length > 0) {
    verifyBatch(pairs, verifyOptions).forEach((v, n) => {
      const [i, j] = index[n];
      equal[i][j] = v.status === "correct";
    });
  }
  return ks.map((k) => {
    const prefix = provisional.slice(0, k);
    const present = [...new Set(prefix.filter((c) => c >= 0))].sort((a, b) => a - b);
    const parent = new Map<number, number>(present.map((c) => [c, c]));
    const find = (x: number): number => {
      while (parent.get(x) !== x) x = parent.get(x)!;
      return x;
    };
    for (let a = 0; a < present.length; a++) {
      for (let b = a + 1; b < present.length; b++) {
        const i = present[a];
        const j = present[b];
        if (!equal[i][j]) continue;
        const ri = find(i);
        const rj = find(j);
        if (ri !== rj) parent.set(Math.max(ri, rj), Math.min(ri, rj));
      }
    }
    return prefix.map((c) => (c < 0 ? -1 : find(c)));
  });
}
