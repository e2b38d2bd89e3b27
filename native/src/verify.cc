// The pipeline: normalize ▸ lex/parse ▸ prepare (canonicalize) ▸ compare, under one budget.
#include "veritrace/verify.h"

#include "budget.h"
#include "canonicalize.h"
#include "compare.h"
#include "expr.h"
#include "normalize.h"
#include "parse.h"

namespace veritrace {
namespace {

struct Side {
  Normalized norm;
  ParseResult parsed;
  bool ok() const { return norm.error == NormalizeError::None && parsed.error == ParseError::None; }
  bool too_complex() const {
    return norm.error == NormalizeError::TooLong || parsed.error == ParseError::TooComplex;
  }
};

Side read_side(std::string_view text, Arena& arena, const Limits& limits) {
  Side s;
  s.norm = normalize(text, limits);
  if (s.norm.error == NormalizeError::None) s.parsed = parse_answer(s.norm.text, arena, limits);
  return s;
}

void parse_side(Side& s, Arena& arena, const Limits& limits) {
  if (s.norm.error == NormalizeError::None) s.parsed = parse_answer(s.norm.text, arena, limits);
}

// Fast path for the commonest pair, two integers ("016" and "16"): the canonical spelling without
// leading zeros, or false when `t` is not an integer of at most max_digits digits.
bool plain_integer(const std::string& t, size_t max_digits, std::string& canonical) {
  size_t i = (!t.empty() && t[0] == '-') ? 1 : 0;
  if (i == t.size() || t.size() - i > max_digits) return false;
  for (size_t k = i; k < t.size(); ++k)
    if (t[k] < '0' || t[k] > '9') return false;
  size_t first = i;
  while (first + 1 < t.size() && t[first] == '0') ++first;
  canonical.clear();
  if (i == 1 && !(first + 1 == t.size() && t[first] == '0')) canonical += '-';
  canonical.append(t, first, std::string::npos);
  return true;
}

std::string canonical_of(Arena& arena, const Side& s, Budget& budget) {
  if (!s.ok()) return std::string();
  // The key of an answer is the value it states: "x = 5" and "5" share one.
  uint32_t root = relation_value(arena, prepare(arena, s.parsed.root, budget));
  return print(arena, prepare(arena, root, budget), budget);
}

}  // namespace

Result verify(std::string_view gold, std::string_view pred, const Options& options) {
  thread_local Arena arena;
  arena.clear();
  Limits limits;
  Budget budget(limits);
  Result r;

  Side g, p;
  g.norm = normalize(gold, limits);
  p.norm = normalize(pred, limits);
  {
    std::string gc, pc;
    if (g.norm.error == NormalizeError::None && p.norm.error == NormalizeError::None &&
        plain_integer(g.norm.text, limits.max_digits, gc) && plain_integer(p.norm.text, limits.max_digits, pc)) {
      r.status = gc == pc ? Status::Correct : Status::Incorrect;
      r.method = g.norm.text == p.norm.text ? Method::String : Method::Exact;
      if (options.canonical_forms) { r.gold = std::move(gc); r.pred = std::move(pc); }
      return r;
    }
  }
  parse_side(g, arena, limits);
  parse_side(p, arena, limits);
  if (options.canonical_forms) {
    r.gold = canonical_of(arena, g, budget);
    r.pred = canonical_of(arena, p, budget);
  }

  if (p.norm.error == NormalizeError::Empty) { r.status = Status::NoAnswer; return r; }
  if (g.too_complex() || p.too_complex()) { r.status = Status::TooComplex; return r; }
  if (g.norm.error != NormalizeError::None || p.norm.error != NormalizeError::None) {
    r.status = Status::Unparsable;
    return r;
  }
  // Identical normalized text is the same answer, whether or not it parses ("f'", "204_5").
  if (g.norm.text == p.norm.text) {
    r.status = Status::Correct;
    r.method = Method::String;
    return r;
  }
  if (!g.ok() || !p.ok()) { r.status = Status::Unparsable; return r; }
  if (budget.exhausted()) { r.status = Status::TooComplex; return r; }

  Budget compare_budget(limits);
  Comparison c = compare(arena, g.parsed.root, p.parsed.root, options, compare_budget);
  r.method = c.method;
  switch (c.verdict) {
    case Verdict::Equal: r.status = Status::Correct; break;
    case Verdict::NotEqual: r.status = Status::Incorrect; break;
    case Verdict::TooComplex: r.status = Status::TooComplex; break;
    case Verdict::Unknown:
      // Same canonical form decides even when the engine cannot evaluate (\sum, \int).
      if (!options.canonical_forms) {
        r.gold = canonical_of(arena, g, budget);
        r.pred = canonical_of(arena, p, budget);
      }
      if (!r.gold.empty() && r.gold == r.pred) { r.status = Status::Correct; r.method = Method::String; }
      else r.status = Status::Undecided;
      if (!options.canonical_forms) { r.gold.clear(); r.pred.clear(); }
      break;
  }
  return r;
}

std::string canonical(std::string_view answer, const Options&) {
  thread_local Arena arena;
  arena.clear();
  Limits limits;
  Budget budget(limits);
  Side s = read_side(answer, arena, limits);
  return canonical_of(arena, s, budget);
}

const char* status_name(Status s) {
  switch (s) {
    case Status::Correct: return "correct";
    case Status::Incorrect: return "incorrect";
    case Status::NoAnswer: return "no_answer";
    case Status::Unparsable: return "unparsable";
    case Status::TooComplex: return "too_complex";
    case Status::Undecided: return "undecided";
  }
  return "?";
}

const char* method_name(Method m) {
  switch (m) {
    case Method::String: return "string";
    case Method::Exact: return "exact";
    case Method::Numeric: return "numeric";
    case Method::Symbolic: return "symbolic";
  }
  return "?";
}

}  // namespace veritrace
