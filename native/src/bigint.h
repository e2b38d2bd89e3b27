#pragma once
// Arbitrary-size signed integers (sign + magnitude, base 2^32 limbs). Small and self-contained:
// the engine needs exact add/sub/mul/divmod/gcd/pow on numbers of at most a few thousand limbs,
// and every caller checks bit sizes against its budget before growing a number.
#include <cstdint>
#include <string>
#include <string_view>
#include "limbs.h"

namespace veritrace {

class BigInt {
 public:
  BigInt() = default;
  BigInt(int64_t v);  // NOLINT(google-explicit-constructor): small literals read naturally

  /** Parses optional '-' then decimal digits; returns false on any other character. */
  static bool from_decimal(std::string_view digits, BigInt& out);

  bool is_zero() const { return mag_.empty(); }
  bool negative() const { return neg_; }
  bool is_one() const { return !neg_ && mag_.size() == 1 && mag_[0] == 1; }
  int sign() const { return is_zero() ? 0 : (neg_ ? -1 : 1); }
  size_t bit_length() const;
  bool fits_int64() const { return bit_length() <= 62; }
  int64_t to_int64() const;  // only when fits_int64()
  double to_double() const;
  /** Value as mantissa * 2^exp2 with mantissa in [0.5,1): avoids overflow for huge numbers. */
  double frexp_value(int64_t& exp2) const;
  bool is_even() const { return mag_.empty() || (mag_[0] & 1u) == 0; }
  uint64_t mod_u64(uint64_t m) const;  // |this| mod m (caller applies the sign)

  std::string to_string() const;

  BigInt operator-() const { BigInt r = *this; if (!r.is_zero()) r.neg_ = !r.neg_; return r; }
  BigInt abs() const { BigInt r = *this; r.neg_ = false; return r; }
  friend BigInt operator+(const BigInt& a, const BigInt& b);
  friend BigInt operator-(const BigInt& a, const BigInt& b);
  friend BigInt operator*(const BigInt& a, const BigInt& b);
  /** Truncating division (C semantics); b must be non-zero. */
  static void divmod(const BigInt& a, const BigInt& b, BigInt& q, BigInt& r);
  static BigInt gcd(BigInt a, BigInt b);
  static int compare(const BigInt& a, const BigInt& b);
  static int compare_abs(const BigInt& a, const BigInt& b);
  BigInt pow(uint64_t e) const;  // caller bounds the result size
  BigInt shifted_left(size_t bits) const;

  friend bool operator==(const BigInt& a, const BigInt& b) { return a.neg_ == b.neg_ && a.mag_ == b.mag_; }
  friend bool operator!=(const BigInt& a, const BigInt& b) { return !(a == b); }
  friend bool operator<(const BigInt& a, const BigInt& b) { return compare(a, b) < 0; }

 private:
  void trim();
  static Limbs add_mag(const Limbs& a, const Limbs& b);
  static Limbs sub_mag(const Limbs& a, const Limbs& b);  // |a|>=|b|
  static int cmp_mag(const Limbs& a, const Limbs& b);
  static uint32_t divmod_small(Limbs& a, uint32_t d);  // in place, returns remainder

  bool neg_ = false;
  Limbs mag_;  // little-endian limbs, no leading zero limbs
};

}  // namespace veritrace
