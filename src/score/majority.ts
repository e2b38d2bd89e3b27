// Majority voting over final answers. Votes are grouped by the engine's equivalence (`\frac12`, `0.5` and
// `1/2` are one vote class) unless NeMo-Skills compatibility asks for raw strings. Missing answers (null)
// cast no vote and are counted apart.
//
// Tie rule (deterministic, reported): among the classes with the most votes, the class whose first member
// comes earliest in the given order wins. Under `compat: "nemo-skills"` the lexicographically smallest
// answer wins instead, as NeMo-Skills' `sorted(majority_answer_list)[0]` does.
import { groupEquivalent } from "../verify/index.js";

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
