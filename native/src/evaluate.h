#pragma once
// Step 4a: evaluation of expression trees, three ways.
//  - exact:   big rationals, for constant expressions with rational value (2^{100}, 20!, \frac{1}{2^{98}}).
//  - modular: values modulo a 61/62-bit prime at seeded random points, for rational functions in
//             variables ((x+1)^2 vs x^2+2x+1): exact with overwhelming probability.
//  - numeric: complex doubles at seeded random points, for everything else (\sqrt, \pi, trig, logs).
#include <complex>
#include <cstdint>
#include <string>
#include <vector>

#include "budget.h"
#include "expr.h"

namespace veritrace {

enum class Eval : uint8_t { Ok, NotRational, Unsupported, Undefined, TooComplex };

Eval eval_exact(const Arena& a, uint32_t node, Budget& budget, Rational& out);

/** How symbols get their values: by name (strict) or by rank among the side's sorted symbols. */
struct SymbolEnv {
  const std::vector<std::string>* ranked = nullptr;  // non-strict: sorted symbol names of this side
  uint64_t point = 0;                                 // which random point
};

Eval eval_mod(const Arena& a, uint32_t node, uint64_t prime, const SymbolEnv& env, Budget& budget, uint64_t& out);

struct Numeric {
  std::complex<double> value;
  double scale = 0;  // largest magnitude among added terms: the cancellation error is relative to it
};
Eval eval_numeric(const Arena& a, uint32_t node, const SymbolEnv& env, Budget& budget, Numeric& out);

/** Sorted, distinct names of the symbols and unknown functions in a subtree. */
void collect_symbols(const Arena& a, uint32_t node, std::vector<std::string>& out, int depth = 0);

extern const uint64_t kPrimes[2];

}  // namespace veritrace
