#include "compare.h"

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "canonicalize.h"
#include "evaluate.h"
#include "surd.h"

namespace veritrace {
namespace {

constexpr double kRelTolerance = 1e-9;  // numeric evaluation: |a-b| <= 1e-9 * magnitude (see docs)
constexpr int kModPoints = 3;
constexpr int kNumericPoints = 4;

bool is_value_kind(Kind k) {
  switch (k) {
    case Kind::Set: case Kind::Tuple: case Kind::Interval: case Kind::Union: case Kind::Matrix:
    case Kind::Relation: case Kind::Text: case Kind::Ratio: case Kind::Infinity:
      return false;
    default: return true;
  }
}

bool arithmetic_only(const Arena& a, uint32_t n, int depth = 0) {
  if (depth > 400) return false;
  const Node& node = a[n];
  if (!is_value_kind(node.kind)) return false;
  for (uint32_t i = 0; i < node.count; ++i)
    if (!arithmetic_only(a, a.kids[node.first + i], depth + 1)) return false;
  return true;
}

// A decimal literal as written: 0.333, -2.5 (returns the node of the number and its sign).
bool decimal_literal(const Arena& a, uint32_t n, int32_t& decimals) {
  if (a[n].kind == Kind::Neg) n = a.child(n, 0);
  if (a[n].kind == Kind::Number && a[n].decimals >= 0) { decimals = a[n].decimals; return true; }
  return false;
}

std::string lower_ascii(std::string s) {
  for (char& c : s) if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  std::string r;
  for (char c : s) if (c != ' ' && c != '{' && c != '}' && c != '"') r += c;
  return r;
}

class Comparer {
 public:
  Comparer(Arena& a, const Options& o, Budget& b) : a_(a), opt_(o), budget_(b) {}

  Comparison run(uint32_t g, uint32_t p) {
    Verdict v = cmp(g, p, 0);
    if (budget_.exhausted() && v != Verdict::Equal) v = Verdict::TooComplex;
    return Comparison{v, method_};
  }

 private:
  void use(Method m) { if (static_cast<int>(m) > static_cast<int>(method_)) method_ = m; }

  Verdict cmp(uint32_t g, uint32_t p, int depth) {
    if (depth > 100 || !budget_.spend()) { budget_.exhaust(); return Verdict::TooComplex; }
    g = prepare(a_, g, budget_);
    p = prepare(a_, p, budget_);
    const Kind gk = a_[g].kind, pk = a_[p].kind;

    if (gk == Kind::Text || pk == Kind::Text) return text_equal(g, p);

    if (gk == Kind::Set || pk == Kind::Set) {
      if (gk == Kind::Set && pk == Kind::Set) return set_equal(g, p, depth);
      uint32_t s = gk == Kind::Set ? g : p, o = gk == Kind::Set ? p : g;
      if (a_[o].kind == Kind::Tuple && a_[s].count == a_[o].count) return ordered_equal(g, p, depth);
      if (a_[s].count >= 1 && a_[o].kind != Kind::Relation) {
        // {a, a} written twice (two boxes with one answer) is still the single answer a.
        for (uint32_t i = 0; i < a_[s].count; ++i) {
          Verdict v = gk == Kind::Set ? cmp(a_.child(s, i), o, depth + 1) : cmp(o, a_.child(s, i), depth + 1);
          if (v != Verdict::Equal) return v;
        }
        return Verdict::Equal;
      }
      if (a_[o].kind == Kind::Relation) {
        uint32_t v = relation_value(a_, o);
        if (v != o) return gk == Kind::Set ? cmp(g, v, depth + 1) : cmp(v, p, depth + 1);
      }
      return Verdict::NotEqual;
    }

    if (gk == Kind::Relation || pk == Kind::Relation) {
      if (gk == Kind::Relation && pk == Kind::Relation) return relation_equal(g, p, depth);
      uint32_t r = gk == Kind::Relation ? g : p, o = gk == Kind::Relation ? p : g;
      uint32_t v = relation_value(a_, r);
      if (v != r) return gk == Kind::Relation ? cmp(v, o, depth + 1) : cmp(o, v, depth + 1);
      if (opt_.allow_set_relation_comp) {
        uint32_t iv = inequality_interval(r);
        if (iv != r) return gk == Kind::Relation ? cmp(iv, o, depth + 1) : cmp(o, iv, depth + 1);
      }
      return Verdict::NotEqual;
    }

    if (gk == Kind::Tuple && pk == Kind::Tuple) return ordered_equal(g, p, depth);
    // A row or column vector written as a tuple.
    if ((gk == Kind::Matrix && pk == Kind::Tuple) || (gk == Kind::Tuple && pk == Kind::Matrix)) {
      uint32_t m = gk == Kind::Matrix ? g : p;
      if ((a_[m].rows == 1 || a_[m].cols == 1) && a_[g].count == a_[p].count) return ordered_equal(g, p, depth);
      return Verdict::NotEqual;
    }
    // A matrix against an expression with no matrix in it (a number, a variable): different kinds of value.
    if ((gk == Kind::Matrix && !has_matrix(p)) || (pk == Kind::Matrix && !has_matrix(g))) return Verdict::NotEqual;
    // Matrix arithmetic written out (A + B, A B): evaluate exactly, then compare entries.
    if (gk == Kind::Matrix || pk == Kind::Matrix) {
      uint32_t gm = gk == Kind::Matrix ? g : matrix_value(g, 0), pm = pk == Kind::Matrix ? p : matrix_value(p, 0);
      if (gm != g || pm != p) {
        if (gm == kNone || pm == kNone) return Verdict::Unknown;
        return cmp(gm, pm, depth + 1);
      }
    }
    if (gk == Kind::Matrix && pk == Kind::Matrix) {
      if (a_[g].rows != a_[p].rows || a_[g].cols != a_[p].cols) return Verdict::NotEqual;
      return ordered_equal(g, p, depth);
    }
    if ((gk == Kind::Tuple && pk == Kind::Interval) || (gk == Kind::Interval && pk == Kind::Tuple)) {
      uint32_t t = gk == Kind::Tuple ? g : p, iv = gk == Kind::Tuple ? p : g;
      if (a_[t].count != 2 || a_[t].op != '(' || a_[iv].op != 0) return Verdict::NotEqual;
      return ordered_equal(g, p, depth);  // (a, b) read as an open interval
    }
    if (gk == Kind::Interval && pk == Kind::Interval) {
      if (a_[g].op != a_[p].op) return Verdict::NotEqual;
      return ordered_equal(g, p, depth);
    }
    if (gk == Kind::Union || pk == Kind::Union) {
      if (gk != pk) return Verdict::NotEqual;
      return set_equal(g, p, depth);
    }
    if (gk == Kind::Ratio && pk == Kind::Ratio) return ordered_equal(g, p, depth);
    if (gk == Kind::Infinity || pk == Kind::Infinity) {
      if (gk == Kind::Infinity && pk == Kind::Infinity) return a_[g].op == a_[p].op ? Verdict::Equal : Verdict::NotEqual;
      // -\infty written as Neg(\infty)
      return infinity_sign(g) != 0 && infinity_sign(g) == infinity_sign(p) ? Verdict::Equal : Verdict::NotEqual;
    }
    if (!is_value_kind(gk) || !is_value_kind(pk)) return Verdict::NotEqual;

    // Percent: "25\%" matches 25 and 0.25.
    if (gk == Kind::Percent || pk == Kind::Percent) {
      Verdict v = expr_equal(g, p);
      if (v == Verdict::Equal) return v;
      uint32_t g2 = gk == Kind::Percent ? a_.child(g, 0) : g, p2 = pk == Kind::Percent ? a_.child(p, 0) : p;
      Verdict w = expr_equal(g2, p2);
      return w == Verdict::Equal ? w : v;
    }
    return expr_equal(g, p);
  }

  static constexpr uint32_t kNone = 0xffffffffu;

  // Whether a matrix literal occurs anywhere in n (an explicit stack: no recursion on deep trees).
  bool has_matrix(uint32_t n) const {
    std::vector<uint32_t> stack{n};
    while (!stack.empty()) {
      uint32_t x = stack.back();
      stack.pop_back();
      if (a_[x].kind == Kind::Matrix) return true;
      for (uint32_t i = 0; i < a_[x].count; ++i) stack.push_back(a_.child(x, i));
    }
    return false;
  }

  // An expression over matrix literals (sums, products, scalar multiples) as a matrix of exact
  // numbers, or kNone when it is not one.
  uint32_t matrix_value(uint32_t n, int depth) {
    if (depth > 50 || !budget_.spend()) return kNone;
    const Node node = a_[n];
    auto entry = [&](uint32_t m, uint32_t r, uint32_t c) { return a_.num(a_.child(m, r * a_[m].cols + c)); };
    auto make = [&](uint16_t rows, uint16_t cols, const std::vector<Rational>& vals) {
      std::vector<uint32_t> cells;
      for (const Rational& v : vals) cells.push_back(a_.add_number(v));
      uint32_t m = a_.add(Kind::Matrix, cells);
      a_.nodes[m].rows = rows;
      a_.nodes[m].cols = cols;
      return m;
    };
    switch (node.kind) {
      case Kind::Matrix: {
        std::vector<Rational> vals(node.count);
        for (uint32_t i = 0; i < node.count; ++i)
          if (eval_exact(a_, a_.child(n, i), budget_, vals[i]) != Eval::Ok) return kNone;
        return make(node.rows, node.cols, vals);
      }
      case Kind::Add: case Kind::Mul: {
        uint32_t acc = kNone;
        Rational scalar(1);
        for (uint32_t i = 0; i < node.count; ++i) {
          uint32_t c = a_.child(n, i);
          if (node.kind == Kind::Mul && arithmetic_only(a_, c)) {
            Rational v;
            if (eval_exact(a_, c, budget_, v) != Eval::Ok) return kNone;
            scalar = scalar * v;
            continue;
          }
          uint32_t m = matrix_value(c, depth + 1);
          if (m == kNone) return kNone;
          if (acc == kNone) { acc = m; continue; }
          const Node x = a_[acc], y = a_[m];
          std::vector<Rational> vals;
          if (node.kind == Kind::Add) {
            if (x.rows != y.rows || x.cols != y.cols) return kNone;
            for (uint32_t r = 0; r < x.rows; ++r)
              for (uint32_t k = 0; k < x.cols; ++k) vals.push_back(entry(acc, r, k) + entry(m, r, k));
            acc = make(x.rows, x.cols, vals);
          } else {
            if (x.cols != y.rows) return kNone;
            for (uint32_t r = 0; r < x.rows; ++r)
              for (uint32_t k = 0; k < y.cols; ++k) {
                Rational sum(0);
                for (uint32_t t = 0; t < x.cols; ++t) sum = sum + entry(acc, r, t) * entry(m, t, k);
                vals.push_back(sum);
              }
            acc = make(x.rows, y.cols, vals);
          }
        }
        if (acc == kNone || scalar == Rational(1)) return acc;
        std::vector<Rational> vals;
        for (uint32_t i = 0; i < a_[acc].count; ++i) vals.push_back(a_.num(a_.child(acc, i)) * scalar);
        return make(a_[acc].rows, a_[acc].cols, vals);
      }
      case Kind::Neg: {
        uint32_t m = matrix_value(a_.child(n, 0), depth + 1);
        if (m == kNone) return kNone;
        std::vector<Rational> vals;
        for (uint32_t i = 0; i < a_[m].count; ++i) vals.push_back(-a_.num(a_.child(m, i)));
        return make(a_[m].rows, a_[m].cols, vals);
      }
      default: return kNone;
    }
  }

  int infinity_sign(uint32_t n) {
    if (a_[n].kind == Kind::Infinity) return a_[n].op == '-' ? -1 : 1;
    if (a_[n].kind == Kind::Neg) return -infinity_sign(a_.child(n, 0));
    return 0;
  }

  Verdict text_equal(uint32_t g, uint32_t p) {
    use(Method::String);
    Budget local(budget_.limits());
    std::string x = a_[g].kind == Kind::Text ? a_.str(g) : print(a_, g, local);
    std::string y = a_[p].kind == Kind::Text ? a_.str(p) : print(a_, p, local);
    return lower_ascii(x) == lower_ascii(y) ? Verdict::Equal : Verdict::NotEqual;
  }

  Verdict ordered_equal(uint32_t g, uint32_t p, int depth) {
    if (a_[g].count != a_[p].count) return Verdict::NotEqual;
    Verdict result = Verdict::Equal;
    for (uint32_t i = 0; i < a_[g].count; ++i) {
      Verdict v = cmp(a_.child(g, i), a_.child(p, i), depth + 1);
      if (v == Verdict::NotEqual) return v;
      if (v != Verdict::Equal) result = v;
    }
    return result;
  }

  // Set equality: every element of each side has an equal element on the other side.
  Verdict set_equal(uint32_t g, uint32_t p, int depth) {
    std::vector<uint32_t> ge = elements(g), pe = elements(p);
    auto covered = [&](const std::vector<uint32_t>& xs, const std::vector<uint32_t>& ys, bool x_is_gold) {
      for (uint32_t x : xs) {
        bool found = false, unknown = false;
        for (uint32_t y : ys) {
          Verdict v = x_is_gold ? cmp(x, y, depth + 1) : cmp(y, x, depth + 1);
          if (v == Verdict::Equal) { found = true; break; }
          if (v != Verdict::NotEqual) unknown = true;
          if (budget_.exhausted()) return Verdict::TooComplex;
        }
        if (!found) return unknown ? Verdict::Unknown : Verdict::NotEqual;
      }
      return Verdict::Equal;
    };
    Verdict v = covered(ge, pe, true);
    return v == Verdict::Equal ? covered(pe, ge, false) : v;
  }

  // Elements of a set; equations that name a value (a = 4) stand for their value.
  std::vector<uint32_t> elements(uint32_t s) {
    std::vector<uint32_t> out;
    for (uint32_t i = 0; i < a_[s].count; ++i) {
      uint32_t e = prepare(a_, a_.child(s, i), budget_);
      e = relation_value(a_, e);
      if (a_[e].kind == Kind::Set && a_[s].kind == Kind::Set) {
        for (uint32_t k = 0; k < a_[e].count; ++k) out.push_back(a_.child(e, k));
      } else {
        out.push_back(e);
      }
    }
    return out;
  }

  // Flips a two-sided relation to "f op 0" with op in {Eq, Neq, Gt, Ge}; returns false otherwise.
  bool as_difference(uint32_t r, uint32_t& diff, RelOp& op) {
    if (a_[r].count != 2) return false;
    op = a_.relops[a_[r].rels];
    uint32_t l = a_.child(r, 0), rt = a_.child(r, 1);
    if (op == RelOp::In || op == RelOp::Approx) return false;
    if (op == RelOp::Lt || op == RelOp::Le) { std::swap(l, rt); op = op == RelOp::Lt ? RelOp::Gt : RelOp::Ge; }
    if (!arithmetic_only(a_, l) || !arithmetic_only(a_, rt)) return false;
    uint32_t neg = a_.add(Kind::Neg, &rt, 1);
    uint32_t pair[2] = {l, neg};
    diff = a_.add(Kind::Add, pair, 2);
    return true;
  }

  Verdict relation_equal(uint32_t g, uint32_t p, int depth) {
    const Node& gn = a_[g];
    const Node& pn = a_[p];
    if (gn.count == 2 && pn.count == 2 && a_.relops[gn.rels] == RelOp::In && a_.relops[pn.rels] == RelOp::In)
      return cmp(a_.child(g, 1), a_.child(p, 1), depth + 1);
    uint32_t gd, pd;
    RelOp go, po;
    if (as_difference(g, gd, go) && as_difference(p, pd, po) && go == po) {
      Verdict v = proportional(gd, pd, go == RelOp::Gt || go == RelOp::Ge);
      if (v == Verdict::Equal) return v;
    }
    uint32_t gv = relation_value(a_, g), pv = relation_value(a_, p);
    if (gv != g && pv != p) return cmp(gv, pv, depth + 1);
    return Verdict::NotEqual;
  }

  // x >= 5 -> [5, oo), x < 3 -> (-oo, 3) (only when allow_set_relation_comp).
  uint32_t inequality_interval(uint32_t r) {
    if (a_[r].count != 2) return r;
    RelOp op = a_.relops[a_[r].rels];
    uint32_t l = a_.child(r, 0), rt = a_.child(r, 1);
    if (a_[l].kind != Kind::Symbol) {
      if (a_[rt].kind != Kind::Symbol) return r;
      std::swap(l, rt);
      op = op == RelOp::Lt ? RelOp::Gt : op == RelOp::Le ? RelOp::Ge : op == RelOp::Gt ? RelOp::Lt
         : op == RelOp::Ge ? RelOp::Le : op;
    }
    uint32_t pos = a_.add(Kind::Infinity, nullptr, 0, '+'), neg = a_.add(Kind::Infinity, nullptr, 0, '-');
    switch (op) {
      case RelOp::Gt: case RelOp::Ge: {
        uint32_t ends[2] = {rt, pos};
        return a_.add(Kind::Interval, ends, 2, op == RelOp::Ge ? 1 : 0);
      }
      case RelOp::Lt: case RelOp::Le: {
        uint32_t ends[2] = {neg, rt};
        return a_.add(Kind::Interval, ends, 2, op == RelOp::Le ? 2 : 0);
      }
      default: return r;
    }
  }

  // ---------------------------------------------------------------- expressions
  Verdict expr_equal(uint32_t g, uint32_t p) {
    if (!arithmetic_only(a_, g) || !arithmetic_only(a_, p)) return Verdict::Unknown;
    Rational gv, pv;
    Eval ge = eval_exact(a_, g, budget_, gv);
    Eval pe = eval_exact(a_, p, budget_, pv);
    if (ge == Eval::TooComplex || pe == Eval::TooComplex) return Verdict::TooComplex;
    int32_t decimals;
    if (ge == Eval::Ok && pe == Eval::Ok) {
      use(Method::Exact);
      if (gv == pv) return Verdict::Equal;
      // Decimal rule against a value no finite decimal can write (1/3 vs 0.333333).
      if (decimal_literal(a_, p, decimals) && !gv.is_terminating_decimal()) return decimal_matches_exact(gv, pv, decimals);
      if (decimal_literal(a_, g, decimals) && !pv.is_terminating_decimal()) return decimal_matches_exact(pv, gv, decimals);
      return Verdict::NotEqual;
    }
    if (ge == Eval::Undefined && pe == Eval::Undefined) return Verdict::Unknown;

    std::vector<std::string> gs, ps;
    collect_symbols(a_, g, gs);
    collect_symbols(a_, p, ps);
    SymbolEnv genv, penv;
    if (!opt_.strict && gs != ps && gs.size() == ps.size()) { genv.ranked = &gs; penv.ranked = &ps; }

    if (gs.empty() && ps.empty()) {
      // Sums of square roots compare exactly; a decimal against a surd goes to the decimal rule below.
      Surd gsd, psd;
      Eval sa = eval_surd(a_, g, budget_, gsd), sb = eval_surd(a_, p, budget_, psd);
      if (sa == Eval::TooComplex || sb == Eval::TooComplex) return Verdict::TooComplex;
      if (sa == Eval::Ok && sb == Eval::Ok) {
        use(Method::Exact);
        if (gsd == psd) return Verdict::Equal;
        bool decimal_vs_surd = (decimal_literal(a_, p, decimals) && !gsd.is_rational()) ||
                               (decimal_literal(a_, g, decimals) && !psd.is_rational());
        if (!decimal_vs_surd) return Verdict::NotEqual;
      }
      // Constants with other irrational parts: decimal rule, then numeric evaluation.
      Numeric gn, pn;
      Eval a = eval_numeric(a_, g, genv, budget_, gn), b = eval_numeric(a_, p, penv, budget_, pn);
      if (a == Eval::TooComplex || b == Eval::TooComplex) return Verdict::TooComplex;
      if (a != Eval::Ok || b != Eval::Ok) return a == Eval::Undefined || b == Eval::Undefined ? Verdict::NotEqual : Verdict::Unknown;
      use(Method::Numeric);
      if (decimal_literal(a_, p, decimals) && ge != Eval::Ok) return decimal_matches(gn, pn, decimals);
      if (decimal_literal(a_, g, decimals) && pe != Eval::Ok) return decimal_matches(pn, gn, decimals);
      return close(gn, pn) ? Verdict::Equal : Verdict::NotEqual;
    }

    // Rational functions: exact modular evaluation at seeded points.
    Verdict mod = modular_equal(g, p, genv, penv);
    if (mod != Verdict::Unknown) return mod;
    return numeric_equal(g, p, genv, penv);
  }

  Verdict decimal_matches_exact(const Rational& exact, const Rational& dec, int32_t decimals) {
    use(Method::Numeric);
    if (decimals < opt_.float_rounding) return Verdict::NotEqual;
    // |exact - dec| <= 1/2 * 10^-decimals, exactly
    if (decimals > 4000) return Verdict::TooComplex;
    Rational diff = (exact - dec).abs();
    Rational half(BigInt(1), BigInt(2) * BigInt(10).pow(static_cast<uint64_t>(decimals)));
    return Rational::compare(diff, half) <= 0 ? Verdict::Equal : Verdict::NotEqual;
  }

  Verdict decimal_matches(const Numeric& exact, const Numeric& dec, int32_t decimals) {
    if (std::abs(exact.value.imag()) > 1e-12 * std::abs(exact.value)) return Verdict::NotEqual;
    if (decimals < opt_.float_rounding) return close(exact, dec) ? Verdict::Equal : Verdict::NotEqual;
    double half = 0.5 * std::pow(10.0, -decimals);
    double slack = 4e-16 * std::abs(exact.value.real()) + 1e-15 * exact.scale;
    return std::abs(exact.value.real() - dec.value.real()) <= half + slack ? Verdict::Equal : Verdict::NotEqual;
  }

  bool close(const Numeric& x, const Numeric& y) {
    double mag = std::max({std::abs(x.value), std::abs(y.value), x.scale, y.scale});
    return std::abs(x.value - y.value) <= kRelTolerance * mag;
  }

  Verdict modular_equal(uint32_t g, uint32_t p, const SymbolEnv& genv_in, const SymbolEnv& penv_in) {
    int decided = 0;
    for (uint64_t prime : kPrimes) {
      for (int pt = 0; pt < kModPoints * 2 && decided < kModPoints * (prime == kPrimes[0] ? 1 : 2); ++pt) {
        SymbolEnv genv = genv_in, penv = penv_in;
        genv.point = penv.point = static_cast<uint64_t>(pt);
        uint64_t x, y;
        Eval a = eval_mod(a_, g, prime, genv, budget_, x);
        if (a == Eval::TooComplex) return Verdict::TooComplex;
        if (a == Eval::NotRational || a == Eval::Unsupported) return Verdict::Unknown;
        Eval b = eval_mod(a_, p, prime, penv, budget_, y);
        if (b == Eval::TooComplex) return Verdict::TooComplex;
        if (b == Eval::NotRational || b == Eval::Unsupported) return Verdict::Unknown;
        if (a == Eval::Undefined || b == Eval::Undefined) continue;
        use(Method::Symbolic);
        if (x != y) return Verdict::NotEqual;
        ++decided;
      }
    }
    return decided > 0 ? Verdict::Equal : Verdict::Unknown;
  }

  Verdict numeric_equal(uint32_t g, uint32_t p, const SymbolEnv& genv_in, const SymbolEnv& penv_in) {
    int decided = 0;
    for (int pt = 0; pt < kNumericPoints * 2 && decided < kNumericPoints; ++pt) {
      SymbolEnv genv = genv_in, penv = penv_in;
      genv.point = penv.point = static_cast<uint64_t>(100 + pt);
      Numeric x, y;
      Eval a = eval_numeric(a_, g, genv, budget_, x);
      Eval b = eval_numeric(a_, p, penv, budget_, y);
      if (a == Eval::TooComplex || b == Eval::TooComplex) return Verdict::TooComplex;
      if (a == Eval::Unsupported || b == Eval::Unsupported) return Verdict::Unknown;
      if (a == Eval::Undefined || b == Eval::Undefined) continue;
      use(Method::Symbolic);
      if (!close(x, y)) return Verdict::NotEqual;
      ++decided;
    }
    return decided > 0 ? Verdict::Equal : Verdict::Unknown;
  }

  // f and h are proportional (f = c h, c != 0; c > 0 when `positive`), as functions of their symbols.
  Verdict proportional(uint32_t f, uint32_t h, bool positive) {
    std::vector<std::string> fs, hs;
    collect_symbols(a_, f, fs);
    collect_symbols(a_, h, hs);
    if (fs != hs) return Verdict::NotEqual;
    std::complex<double> ratio;
    int decided = 0;
    for (int pt = 0; pt < 8 && decided < 4; ++pt) {
      SymbolEnv env;
      env.point = static_cast<uint64_t>(200 + pt);
      Numeric x, y;
      Eval a = eval_numeric(a_, f, env, budget_, x), b = eval_numeric(a_, h, env, budget_, y);
      if (a == Eval::TooComplex || b == Eval::TooComplex) return Verdict::TooComplex;
      if (a == Eval::Unsupported || b == Eval::Unsupported) return Verdict::Unknown;
      if (a != Eval::Ok || b != Eval::Ok) continue;
      double mag = std::max({std::abs(x.value), x.scale, 1e-300});
      double mag2 = std::max({std::abs(y.value), y.scale, 1e-300});
      bool xz = std::abs(x.value) <= kRelTolerance * mag, yz = std::abs(y.value) <= kRelTolerance * mag2;
      if (xz != yz) return Verdict::NotEqual;
      if (xz) continue;
      std::complex<double> r = x.value / y.value;
      if (decided == 0) {
        ratio = r;
        if (positive && !(r.real() > 0)) return Verdict::NotEqual;
      } else if (std::abs(r - ratio) > 1e-8 * std::abs(ratio)) {
        return Verdict::NotEqual;
      }
      ++decided;
    }
    use(Method::Symbolic);
    return decided > 0 ? Verdict::Equal : Verdict::Unknown;
  }

  Arena& a_;
  const Options& opt_;
  Budget& budget_;
  Method method_ = Method::String;
};

}  // namespace

Comparison compare(Arena& arena, uint32_t gold, uint32_t pred, const Options& options, Budget& budget) {
  Comparer c(arena, options, budget);
  return c.run(gold, pred);
}

}  // namespace veritrace
