#include "rational.h"

#include <cmath>

namespace veritrace {

void Rational::reduce() {
  if (den.negative()) { num = -num; den = -den; }
  if (num.is_zero()) { den = BigInt(1); return; }
  if (den.is_one()) return;
  BigInt g = BigInt::gcd(num, den);
  if (!g.is_one()) {
    BigInt q, r;
    BigInt::divmod(num, g, q, r);
    num = std::move(q);
    BigInt::divmod(den, g, q, r);
    den = std::move(q);
  }
}

double Rational::to_double() const {
  int64_t en = 0, ed = 0;
  double mn = num.frexp_value(en), md = den.frexp_value(ed);
  int64_t e = en - ed;
  if (e > 2000) return mn < 0 ? -HUGE_VAL : HUGE_VAL;
  if (e < -2000) return 0.0;
  return std::ldexp(mn / md, static_cast<int>(e));
}

bool Rational::is_terminating_decimal() const {
  BigInt d = den, q, r;
  for (int64_t p : {2, 5}) {
    for (;;) {
      BigInt::divmod(d, BigInt(p), q, r);
      if (!r.is_zero()) break;
      d = q;
    }
  }
  return d.is_one();
}

Rational operator+(const Rational& a, const Rational& b) {
  if (a.den == b.den) return Rational(a.num + b.num, a.den);
  return Rational(a.num * b.den + b.num * a.den, a.den * b.den);
}

Rational operator*(const Rational& a, const Rational& b) { return Rational(a.num * b.num, a.den * b.den); }

Rational operator/(const Rational& a, const Rational& b) { return Rational(a.num * b.den, a.den * b.num); }

int Rational::compare(const Rational& a, const Rational& b) { return BigInt::compare(a.num * b.den, b.num * a.den); }

}  // namespace veritrace
