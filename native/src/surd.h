#pragma once
// Exact arithmetic on sums of square roots with rational coefficients, q_1 + q_2 sqrt(m_2) + ...,
// m square-free: decides \sqrt{8} = 2\sqrt2, \frac{1}{\sqrt2} = \frac{\sqrt2}{2}, (\sqrt2+\sqrt3)^2 =
// 5+2\sqrt6 exactly, and 2^{1000}\sqrt2+1 != 2^{1000}\sqrt2 where doubles cannot tell.
#include <cstdint>
#include <string>
#include <vector>

#include "budget.h"
#include "evaluate.h"
#include "expr.h"

namespace veritrace {

struct Surd {
  /** (square-free radicand, coefficient), sorted by radicand, no zero coefficients; radicand 1 is the rational part. */
  std::vector<std::pair<int64_t, Rational>> terms;
  bool is_rational() const { return terms.empty() || (terms.size() == 1 && terms[0].first == 1); }
  friend bool operator==(const Surd& a, const Surd& b) { return a.terms == b.terms; }
  std::string to_string() const;
};

/** Ok when the constant expression is such a sum; NotRational when it is something else (\pi, nested roots). */
Eval eval_surd(const Arena& a, uint32_t node, Budget& budget, Surd& out);

/** sqrt of a non-negative rational as k/q sqrt(m). */
Eval eval_sqrt(const Rational& r, Budget& budget, Surd& out);

}  // namespace veritrace
