#pragma once
// Exact rationals over BigInt, always reduced with a positive denominator.
#include <string>

#include "bigint.h"

namespace veritrace {

struct Rational {
  BigInt num{0};
  BigInt den{1};

  Rational() = default;
  Rational(int64_t n) : num(n), den(1) {}  // NOLINT(google-explicit-constructor)
  Rational(BigInt n, BigInt d) : num(std::move(n)), den(std::move(d)) { reduce(); }
  /** From a numerator and a positive denominator already coprime (skips the gcd). */
  static Rational reduced(BigInt n, BigInt d) {
    Rational r;
    r.num = std::move(n);
    r.den = std::move(d);
    return r;
  }

  bool is_zero() const { return num.is_zero(); }
  bool is_integer() const { return den.is_one(); }
  int sign() const { return num.sign(); }
  size_t bit_length() const { return num.bit_length() + den.bit_length(); }
  double to_double() const;
  /** "p/q" or "p"; the canonical spelling used in keys. */
  std::string to_string() const { return is_integer() ? num.to_string() : num.to_string() + "/" + den.to_string(); }
  /** True when the value has a finite decimal expansion (denominator 2^a 5^b). */
  bool is_terminating_decimal() const;

  void reduce();
  Rational operator-() const { Rational r = *this; r.num = -r.num; return r; }
  friend Rational operator+(const Rational& a, const Rational& b);
  friend Rational operator-(const Rational& a, const Rational& b) { return a + (-b); }
  friend Rational operator*(const Rational& a, const Rational& b);
  friend Rational operator/(const Rational& a, const Rational& b);  // b != 0
  friend bool operator==(const Rational& a, const Rational& b) { return a.num == b.num && a.den == b.den; }
  friend bool operator!=(const Rational& a, const Rational& b) { return !(a == b); }
  static int compare(const Rational& a, const Rational& b);
  Rational abs() const { Rational r = *this; r.num = r.num.abs(); return r; }
};

}  // namespace veritrace
