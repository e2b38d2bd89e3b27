#include "canonicalize.h"

#include <algorithm>
#include <vector>

#include "evaluate.h"
#include "surd.h"

namespace veritrace {
namespace {

bool contains_kind(const Arena& a, uint32_t n, Kind k, int depth = 0) {
  if (depth > 400) return false;
  const Node& node = a[n];
  if (node.kind == k) return true;
  for (uint32_t i = 0; i < node.count; ++i)
    if (contains_kind(a, a.kids[node.first + i], k, depth + 1)) return true;
  return false;
}

bool naming(const Arena& a, uint32_t n, int depth) {
  if (depth > 50) return false;
  const Node& node = a[n];
  switch (node.kind) {
    case Kind::Symbol: case Kind::Func: return true;
    case Kind::Abs: case Kind::Ratio: case Kind::Tuple: case Kind::Div: case Kind::Mul:
      for (uint32_t i = 0; i < node.count; ++i)
        if (!naming(a, a.kids[node.first + i], depth + 1)) return false;
      return node.count > 0;
    default: return false;
  }
}

// Expands every \pm into both signs: returns the alternatives (at most 2^max_plus_minus).
void expand_pm(Arena& a, uint32_t n, std::vector<uint32_t>& out, Budget& budget, int depth = 0) {
  if (depth > 300 || !budget.spend()) { out.push_back(n); return; }
  const Node node = a[n];
  if (node.count == 0 || !contains_kind(a, n, Kind::PlusMinus)) { out.push_back(n); return; }
  if (node.kind == Kind::PlusMinus) {
    std::vector<uint32_t> lhs, rhs;
    expand_pm(a, a.child(n, 0), lhs, budget, depth + 1);
    expand_pm(a, a.child(n, 1), rhs, budget, depth + 1);
    if (lhs.size() * rhs.size() * 2 > (1u << budget.limits().max_plus_minus)) {
      budget.exhaust();
      out.push_back(n);
      return;
    }
    for (uint32_t l : lhs)
      for (uint32_t r : rhs) {
        uint32_t plus[2] = {l, r};
        out.push_back(a.add(Kind::Add, plus, 2));
        uint32_t neg = a.add(Kind::Neg, &r, 1);
        uint32_t minus[2] = {l, neg};
        out.push_back(a.add(Kind::Add, minus, 2));
      }
    return;
  }
  // Cartesian product over the children's alternatives.
  std::vector<std::vector<uint32_t>> combos{{}};
  for (uint32_t i = 0; i < node.count; ++i) {
    std::vector<uint32_t> alts;
    expand_pm(a, a.child(n, i), alts, budget, depth + 1);
    std::vector<std::vector<uint32_t>> next;
    for (const auto& c : combos)
      for (uint32_t alt : alts) {
        next.push_back(c);
        next.back().push_back(alt);
      }
    combos.swap(next);
    if (combos.size() > (1u << budget.limits().max_plus_minus)) { budget.exhaust(); out.push_back(n); return; }
  }
  for (const auto& c : combos) {
    uint32_t m = a.add(node.kind, c, node.op);
    Node& nn = a.nodes[m];
    nn.decimals = node.decimals;
    nn.value = node.value;
    nn.rels = node.rels;
    nn.rows = node.rows;
    nn.cols = node.cols;
    out.push_back(m);
  }
}

// Only numbers and arithmetic: the subtrees that exact or surd evaluation can succeed on.
bool is_constant_value(const Arena& a, uint32_t n, int depth) {
  if (depth > 400) return false;
  const Node& node = a[n];
  switch (node.kind) {
    case Kind::Number: return true;
    case Kind::Add: case Kind::Mul: case Kind::Neg: case Kind::Div: case Kind::Pow: case Kind::Root:
    case Kind::Factorial: case Kind::Binom: case Kind::Abs: case Kind::Percent:
      for (uint32_t i = 0; i < node.count; ++i)
        if (!is_constant_value(a, a.kids[node.first + i], depth + 1)) return false;
      return true;
    default: return false;
  }
}

bool is_constant(const Arena& a, uint32_t n) {
  std::vector<std::string> syms;
  collect_symbols(a, n, syms);
  return syms.empty() && !contains_kind(a, n, Kind::Text);
}

}  // namespace

bool is_naming_lhs(const Arena& a, uint32_t lhs) { return naming(a, lhs, 0); }

uint32_t relation_value(Arena& a, uint32_t n) {
  const Node& node = a[n];
  if (node.kind != Kind::Relation) return n;
  uint32_t parts = node.count;
  const RelOp* ops = &a.relops[node.rels];
  uint32_t last = a.child(n, parts - 1);
  if (parts == 2 && ops[0] == RelOp::In) return last;
  bool all_eq = true;
  for (uint32_t i = 0; i + 1 < parts; ++i) all_eq = all_eq && (ops[i] == RelOp::Eq || ops[i] == RelOp::Approx);
  if (!all_eq) return n;
  if (parts >= 3) return last;
  if (is_naming_lhs(a, a.child(n, 0))) return last;
  if (ops[0] == RelOp::Approx) return last;
  // "5 \times 6 \times 4 = 120": a computation ending in its value.
  if (is_constant(a, a.child(n, 0)) && is_constant(a, last)) return last;
  return n;
}

uint32_t prepare(Arena& a, uint32_t n, Budget& budget) {
  const Node node = a[n];
  if (node.kind == Kind::Relation) {
    const RelOp* ops = &a.relops[node.rels];
    // "x = 1/3 \approx 0.33": the approximation after an equation is commentary.
    for (uint32_t i = 1; i + 1 < node.count; ++i) {
      if (ops[i] == RelOp::Approx) {
        std::vector<uint32_t> parts(a.kids.begin() + node.first, a.kids.begin() + node.first + i + 1);
        if (parts.size() == 1) return prepare(a, parts[0], budget);
        std::vector<RelOp> kept(ops, ops + i);
        uint32_t m = a.add(Kind::Relation, parts);
        a.nodes[m].rels = static_cast<uint32_t>(a.relops.size());
        a.relops.insert(a.relops.end(), kept.begin(), kept.end());
        return prepare(a, m, budget);
      }
    }
    if (node.count == 2 && ops[0] == RelOp::Approx && !is_naming_lhs(a, a.child(n, 0)))
      return prepare(a, a.child(n, 0), budget);  // "\frac{\sqrt3}{3} \approx 0.577"
    // a < x < b with constant ends: the interval (a, b).
    if (node.count == 3) {
      RelOp o1 = ops[0], o2 = ops[1];
      bool up = (o1 == RelOp::Lt || o1 == RelOp::Le) && (o2 == RelOp::Lt || o2 == RelOp::Le);
      bool down = (o1 == RelOp::Gt || o1 == RelOp::Ge) && (o2 == RelOp::Gt || o2 == RelOp::Ge);
      uint32_t lo = a.child(n, 0), mid = a.child(n, 1), hi = a.child(n, 2);
      if ((up || down) && is_constant(a, lo) && is_constant(a, hi) && !is_constant(a, mid)) {
        bool lo_closed = up ? o1 == RelOp::Le : o2 == RelOp::Ge;
        bool hi_closed = up ? o2 == RelOp::Le : o1 == RelOp::Ge;
        uint32_t ends[2] = {up ? lo : hi, up ? hi : lo};
        char flags = static_cast<char>((lo_closed ? 1 : 0) | (hi_closed ? 2 : 0));
        // a <= |x| <= b with 0 < a: the two intervals [-b, -a] and [a, b] (x real).
        Rational lv;
        Budget& local = budget;
        if (a[mid].kind == Kind::Abs && a[a.child(mid, 0)].kind == Kind::Symbol &&
            eval_exact(a, ends[0], local, lv) == Eval::Ok && lv.sign() > 0) {
          uint32_t neg_hi = a.add(Kind::Neg, &ends[1], 1), neg_lo = a.add(Kind::Neg, &ends[0], 1);
          uint32_t left_ends[2] = {neg_hi, neg_lo};
          char left_flags = static_cast<char>(((flags & 2) ? 1 : 0) | ((flags & 1) ? 2 : 0));
          uint32_t parts[2] = {a.add(Kind::Interval, left_ends, 2, left_flags), a.add(Kind::Interval, ends, 2, flags)};
          return a.add(Kind::Union, parts, 2);
        }
        return a.add(Kind::Interval, ends, 2, flags);
      }
    }
  }
  if (contains_kind(a, n, Kind::PlusMinus)) {
    std::vector<uint32_t> alts;
    expand_pm(a, n, alts, budget);
    if (alts.size() > 1) {
      // x = a \pm b: the relation's value becomes the set of both.
      if (node.kind == Kind::Relation) {
        std::vector<uint32_t> values;
        for (uint32_t alt : alts) values.push_back(relation_value(a, alt));
        return a.add(Kind::Set, values);
      }
      if (node.kind == Kind::Set || node.kind == Kind::Tuple) {
        // {1 \pm \sqrt5, -2}: flatten each element's alternatives into the set
        std::vector<uint32_t> elems;
        for (uint32_t i = 0; i < node.count; ++i) {
          std::vector<uint32_t> ea;
          expand_pm(a, a.child(n, i), ea, budget);
          elems.insert(elems.end(), ea.begin(), ea.end());
        }
        if (node.kind == Kind::Set) return a.add(Kind::Set, elems, node.op);
      }
      return a.add(Kind::Set, alts);
    }
  }
  return n;
}

std::string print(const Arena& a, uint32_t n, Budget& budget, int depth, bool evaluate) {
  if (depth > 400 || !budget.spend()) return "?";
  bool ev = evaluate;  // once a constant subtree has been evaluated, its parts are printed as written
  const Node& node = a[n];
  auto kid = [&](uint32_t k) { return a.kids[node.first + k]; };
  auto children = [&](bool sorted, bool unique) {
    std::vector<std::string> parts;
    for (uint32_t k = 0; k < node.count; ++k) parts.push_back(print(a, kid(k), budget, depth + 1, ev));
    if (sorted) std::sort(parts.begin(), parts.end());
    if (unique) parts.erase(std::unique(parts.begin(), parts.end()), parts.end());
    return parts;
  };
  auto join = [](const std::vector<std::string>& parts, const char* sep) {
    std::string s;
    for (size_t i = 0; i < parts.size(); ++i) { if (i) s += sep; s += parts[i]; }
    return s;
  };
  switch (node.kind) {
    case Kind::Add: case Kind::Mul: case Kind::Neg: case Kind::Div: case Kind::Pow: case Kind::Factorial:
    case Kind::Binom: case Kind::Abs: case Kind::Root: {
      if (!evaluate || !is_constant_value(a, n, 0)) break;  // with a variable inside, evaluation must fail
      Rational v;
      Budget& local = budget;  // printing shares the call's budget: its work is bounded with the rest
      // Values past ~1,200 digits keep their written form: printing them costs more than it tells.
      Eval e = eval_exact(a, n, local, v);
      if (e == Eval::Ok && v.bit_length() <= 4096) return v.to_string();
      if (e == Eval::Ok) ev = false;
      // Sums of square roots in their normal form: \frac{1}{\sqrt2} and \frac{\sqrt2}{2} share a key.
      Surd sd;
      if (e == Eval::NotRational && eval_surd(a, n, local, sd) == Eval::Ok) return sd.to_string();
      break;
    }
    default: break;
  }
  switch (node.kind) {
    case Kind::Number: return a.num(n).to_string();
    case Kind::Symbol: return a.str(n);
    case Kind::Pi: return "pi";
    case Kind::Euler: return "e";  // a symbol named e cannot occur (e is Euler's number), E can
    case Kind::Imag: return "i";
    case Kind::Infinity: return node.op == '-' ? "-oo" : "oo";
    case Kind::Add: return "(" + join(children(true, false), "+") + ")";
    case Kind::Mul: return "(" + join(children(true, false), "*") + ")";
    case Kind::Neg: return "-" + print(a, kid(0), budget, depth + 1, ev);
    case Kind::Div: return "(" + print(a, kid(0), budget, depth + 1, ev) + "/" + print(a, kid(1), budget, depth + 1, ev) + ")";
    case Kind::Pow: return "(" + print(a, kid(0), budget, depth + 1, ev) + "^" + print(a, kid(1), budget, depth + 1, ev) + ")";
    case Kind::Root: {
      std::string idx = print(a, kid(1), budget, depth + 1, ev);
      // Surds in simplest form: sqrt(8) -> 2*sqrt(2), so that equal surds share a key.
      Rational rad;
      Budget& local = budget;
      if (idx == "2" && eval_exact(a, kid(0), local, rad) == Eval::Ok && rad.is_integer() && rad.sign() > 0 &&
          rad.num.fits_int64()) {
        int64_t m = rad.num.to_int64(), k = 1;
        for (int64_t f = 2; f * f <= m && f < 100000; ++f)
          while (m % (f * f) == 0) { m /= f * f; k *= f; }
        if (m == 1) return std::to_string(k);
        std::string surd = "sqrt(" + std::to_string(m) + ")";
        return k == 1 ? surd : "(" + std::to_string(k) + "*" + surd + ")";
      }
      return idx == "2" ? "sqrt(" + print(a, kid(0), budget, depth + 1, ev) + ")"
                        : "root(" + print(a, kid(0), budget, depth + 1, ev) + "," + idx + ")";
    }
    case Kind::Func: case Kind::Opaque: return a.str(n) + "(" + join(children(false, false), ",") + ")";
    case Kind::Factorial: return "(" + print(a, kid(0), budget, depth + 1, ev) + ")!";
    case Kind::Abs: return "|" + print(a, kid(0), budget, depth + 1, ev) + "|";
    case Kind::Binom: return "binom(" + join(children(false, false), ",") + ")";
    case Kind::PlusMinus: return "(" + print(a, kid(0), budget, depth + 1, ev) + "±" + print(a, kid(1), budget, depth + 1, ev) + ")";
    case Kind::Percent: return print(a, kid(0), budget, depth + 1, ev) + "%";
    case Kind::Relation: {
      static const char* kOps[] = {"=", "!=", "<", "<=", ">", ">=", "~", " in "};
      std::string s = print(a, kid(0), budget, depth + 1, ev);
      for (uint32_t k = 1; k < node.count; ++k)
        s += std::string(kOps[static_cast<int>(a.relops[node.rels + k - 1])]) + print(a, kid(k), budget, depth + 1, ev);
      return s;
    }
    case Kind::Set: return "{" + join(children(true, true), ",") + "}";
    case Kind::Tuple: return "(" + join(children(false, false), ",") + ")";
    case Kind::Interval:
      return std::string((node.op & 1) ? "[" : "(") + print(a, kid(0), budget, depth + 1, ev) + "," +
             print(a, kid(1), budget, depth + 1, ev) + ((node.op & 2) ? "]" : ")");
    case Kind::Union: return join(children(true, true), " U ");
    case Kind::Matrix: {
      std::string s = "[";
      for (uint32_t r = 0; r < node.rows; ++r) {
        s += r ? ",[" : "[";
        for (uint32_t c = 0; c < node.cols; ++c) {
          if (c) s += ",";
          s += print(a, kid(r * node.cols + c), budget, depth + 1, ev);
        }
        s += "]";
      }
      return s + "]";
    }
    case Kind::Ratio: return join(children(false, false), ":");
    case Kind::Text: return "\"" + a.str(n) + "\"";
  }
  return "?";
}

}  // namespace veritrace
