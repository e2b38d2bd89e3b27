#include "surd.h"

#include <algorithm>

namespace veritrace {
namespace {

constexpr int64_t kMaxRadicand = 10000000000LL;  // square-free parts beyond this are left to numerics

// n = k^2 m with m square-free; false when n is too large to factor cheaply.
bool square_free(int64_t n, int64_t& k, int64_t& m) {
  if (n <= 0 || n > kMaxRadicand) return false;
  k = 1;
  m = n;
  for (int64_t f = 2; f * f <= m; ++f) {
    while (m % (f * f) == 0) { m /= f * f; k *= f; }
  }
  return true;
}

void add_term(Surd& s, int64_t radicand, const Rational& c) {
  if (c.is_zero()) return;
  auto it = std::lower_bound(s.terms.begin(), s.terms.end(), radicand,
                             [](const std::pair<int64_t, Rational>& t, int64_t r) { return t.first < r; });
  if (it != s.terms.end() && it->first == radicand) {
    it->second = it->second + c;
    if (it->second.is_zero()) s.terms.erase(it);
  } else {
    s.terms.insert(it, {radicand, c});
  }
}

Surd rational(const Rational& r) {
  Surd s;
  add_term(s, 1, r);
  return s;
}

bool multiply(const Surd& x, const Surd& y, Surd& out, Budget& budget) {
  Surd r;
  for (const auto& [m, a] : x.terms)
    for (const auto& [n, b] : y.terms) {
      if (!budget.charge(a.bit_length(), b.bit_length())) return false;
      int64_t g = std::__gcd(m, n);
      __int128 rad = static_cast<__int128>(m / g) * (n / g);
      if (rad > kMaxRadicand) return false;
      Rational c = a * b * Rational(g);
      if (!budget.bits_ok(c.bit_length())) return false;
      add_term(r, static_cast<int64_t>(rad), c);
    }
  out = std::move(r);
  return true;
}

// 1 / x for x = a, q sqrt(m), or a + b sqrt(m) (one radicand besides the rational part).
bool reciprocal(const Surd& x, Surd& out, Budget& budget) {
  if (x.terms.empty()) return false;
  if (x.terms.size() == 1) {
    auto [m, q] = x.terms[0];
    Surd r;
    add_term(r, m, Rational(1) / (q * Rational(m)));  // 1/(q sqrt m) = sqrt m / (q m)
    out = std::move(r);
    return true;
  }
  if (x.terms.size() == 2 && x.terms[0].first == 1) {
    const Rational& a = x.terms[0].second;
    int64_t m = x.terms[1].first;
    const Rational& b = x.terms[1].second;
    Rational norm = a * a - b * b * Rational(m);  // (a + b sqrt m)(a - b sqrt m)
    if (norm.is_zero() || !budget.bits_ok(norm.bit_length())) return false;
    Surd r;
    add_term(r, 1, a / norm);
    add_term(r, m, -b / norm);
    out = std::move(r);
    return true;
  }
  return false;
}

}  // namespace

std::string Surd::to_string() const {
  if (terms.empty()) return "0";
  std::string s;
  for (const auto& [m, c] : terms) {
    if (!s.empty()) s += "+";
    if (m == 1) s += c.to_string();
    else if (c == Rational(1)) s += "sqrt(" + std::to_string(m) + ")";
    else if (c == Rational(-1)) s += "-sqrt(" + std::to_string(m) + ")";
    else s += c.to_string() + "*sqrt(" + std::to_string(m) + ")";
  }
  return terms.size() == 1 ? s : "(" + s + ")";
}

Eval eval_surd(const Arena& a, uint32_t n, Budget& budget, Surd& out) {
  if (!budget.spend()) return Eval::TooComplex;
  const Node& node = a[n];
  auto kid = [&](uint32_t k) { return a.kids[node.first + k]; };
  switch (node.kind) {
    case Kind::Number: out = rational(a.num(n)); return Eval::Ok;
    case Kind::Add: {
      Surd sum, t;
      for (uint32_t k = 0; k < node.count; ++k) {
        Eval e = eval_surd(a, kid(k), budget, t);
        if (e != Eval::Ok) return e;
        for (const auto& [m, c] : t.terms) add_term(sum, m, c);
      }
      out = std::move(sum);
      return Eval::Ok;
    }
    case Kind::Mul: {
      Surd prod = rational(Rational(1)), t;
      for (uint32_t k = 0; k < node.count; ++k) {
        Eval e = eval_surd(a, kid(k), budget, t);
        if (e != Eval::Ok) return e;
        if (!multiply(prod, t, prod, budget)) return budget.exhausted() ? Eval::TooComplex : Eval::NotRational;
      }
      out = std::move(prod);
      return Eval::Ok;
    }
    case Kind::Neg: {
      Eval e = eval_surd(a, kid(0), budget, out);
      if (e == Eval::Ok) for (auto& t : out.terms) t.second = -t.second;
      return e;
    }
    case Kind::Div: {
      Surd x, y, inv;
      Eval e = eval_surd(a, kid(0), budget, x);
      if (e != Eval::Ok) return e;
      e = eval_surd(a, kid(1), budget, y);
      if (e != Eval::Ok) return e;
      if (y.terms.empty()) return Eval::Undefined;
      if (!reciprocal(y, inv, budget) || !multiply(x, inv, out, budget))
        return budget.exhausted() ? Eval::TooComplex : Eval::NotRational;
      return Eval::Ok;
    }
    case Kind::Pow: {
      Rational e;
      Eval s = eval_exact(a, kid(1), budget, e);
      if (s != Eval::Ok) return s == Eval::TooComplex ? s : Eval::NotRational;
      Surd base;
      s = eval_surd(a, kid(0), budget, base);
      if (s != Eval::Ok) return s;
      if (e == Rational(BigInt(1), BigInt(2)) && base.is_rational()) {  // x^{1/2} = sqrt(x)
        Rational r = base.terms.empty() ? Rational(0) : base.terms[0].second;
        return eval_sqrt(r, budget, out);
      }
      if (base.is_rational()) {  // a rational power: exact arithmetic, with its own size bounds
        Rational v;
        Eval x = eval_exact(a, n, budget, v);
        if (x != Eval::Ok) return x;
        out = rational(v);
        return Eval::Ok;
      }
      if (!e.is_integer() || !e.num.fits_int64()) return Eval::NotRational;
      int64_t k = e.num.to_int64();
      if (k < -64 || k > 64) return Eval::NotRational;
      Surd r = rational(Rational(1));
      for (int64_t i = 0; i < (k < 0 ? -k : k); ++i)
        if (!multiply(r, base, r, budget)) return budget.exhausted() ? Eval::TooComplex : Eval::NotRational;
      if (k < 0) {
        Surd inv;
        if (r.terms.empty()) return Eval::Undefined;
        if (!reciprocal(r, inv, budget)) return Eval::NotRational;
        r = std::move(inv);
      }
      out = std::move(r);
      return Eval::Ok;
    }
    case Kind::Root: {
      Rational idx;
      if (eval_exact(a, kid(1), budget, idx) != Eval::Ok || idx != Rational(2)) return Eval::NotRational;
      Surd x;
      Eval e = eval_surd(a, kid(0), budget, x);
      if (e != Eval::Ok) return e;
      if (!x.is_rational()) return Eval::NotRational;  // nested roots: numeric
      return eval_sqrt(x.terms.empty() ? Rational(0) : x.terms[0].second, budget, out);
    }
    case Kind::Percent: {
      Eval e = eval_surd(a, kid(0), budget, out);
      if (e == Eval::Ok) for (auto& t : out.terms) t.second = t.second / Rational(100);
      return e;
    }
    case Kind::Abs: case Kind::Factorial: case Kind::Binom: {
      Rational v;
      Eval e = eval_exact(a, n, budget, v);
      if (e != Eval::Ok) return e;
      out = rational(v);
      return Eval::Ok;
    }
    default:
      return Eval::NotRational;
  }
}

// sqrt(p/q) = sqrt(p q) / q, with p q = k^2 m.
Eval eval_sqrt(const Rational& r, Budget& budget, Surd& out) {
  if (r.sign() < 0) return Eval::NotRational;  // imaginary: left to complex numerics
  out = Surd();
  if (r.is_zero()) return Eval::Ok;
  BigInt pq = r.num * r.den;
  if (!pq.fits_int64()) return Eval::NotRational;
  int64_t k, m;
  if (!square_free(pq.to_int64(), k, m)) return Eval::NotRational;
  if (!budget.spend(64)) return Eval::TooComplex;
  add_term(out, m, Rational(BigInt(k), r.den));
  return Eval::Ok;
}

}  // namespace veritrace
