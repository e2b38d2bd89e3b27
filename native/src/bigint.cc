#include "bigint.h"

#include <algorithm>
#include <cmath>
#include <vector>

namespace veritrace {

BigInt::BigInt(int64_t v) {
  neg_ = v < 0;
  uint64_t m = neg_ ? (~static_cast<uint64_t>(v) + 1) : static_cast<uint64_t>(v);
  while (m) { mag_.push_back(static_cast<uint32_t>(m)); m >>= 32; }
}

void BigInt::trim() {
  while (!mag_.empty() && mag_.back() == 0) mag_.pop_back();
  if (mag_.empty()) neg_ = false;
}

bool BigInt::from_decimal(std::string_view s, BigInt& out) {
  out = BigInt();
  bool neg = false;
  size_t i = 0;
  if (i < s.size() && (s[i] == '-' || s[i] == '+')) { neg = s[i] == '-'; ++i; }
  if (i == s.size()) return false;
  // Consume 9 digits at a time: multiply by 10^k and add.
  while (i < s.size()) {
    uint32_t chunk = 0, scale = 1;
    size_t k = 0;
    for (; k < 9 && i < s.size(); ++k, ++i) {
      char c = s[i];
      if (c < '0' || c > '9') return false;
      chunk = chunk * 10 + static_cast<uint32_t>(c - '0');
      scale *= 10;
    }
    uint64_t carry = chunk;
    for (auto& limb : out.mag_) {
      uint64_t t = static_cast<uint64_t>(limb) * scale + carry;
      limb = static_cast<uint32_t>(t);
      carry = t >> 32;
    }
    if (carry) out.mag_.push_back(static_cast<uint32_t>(carry));
  }
  out.trim();
  out.neg_ = neg && !out.mag_.empty();
  return true;
}

size_t BigInt::bit_length() const {
  if (mag_.empty()) return 0;
  uint32_t top = mag_.back();
  size_t bits = 0;
  while (top) { ++bits; top >>= 1; }
  return (mag_.size() - 1) * 32 + bits;
}

int64_t BigInt::to_int64() const {
  uint64_t m = 0;
  for (size_t i = mag_.size(); i-- > 0;) m = (m << 32) | mag_[i];
  return neg_ ? -static_cast<int64_t>(m) : static_cast<int64_t>(m);
}

double BigInt::frexp_value(int64_t& exp2) const {
  if (mag_.empty()) { exp2 = 0; return 0.0; }
  // Top 64 bits are plenty for a double mantissa.
  size_t n = mag_.size();
  double m = 0;
  size_t take = std::min<size_t>(n, 3);
  for (size_t i = 0; i < take; ++i) m = m * 4294967296.0 + mag_[n - 1 - i];
  int e = 0;
  m = std::frexp(m, &e);
  exp2 = static_cast<int64_t>(e) + static_cast<int64_t>(32 * (n - take));
  return neg_ ? -m : m;
}

double BigInt::to_double() const {
  int64_t e = 0;
  double m = frexp_value(e);
  if (e > 2000) return neg_ ? -HUGE_VAL : HUGE_VAL;
  return std::ldexp(m, static_cast<int>(e));
}

uint64_t BigInt::mod_u64(uint64_t m) const {
  unsigned __int128 r = 0;
  for (size_t i = mag_.size(); i-- > 0;) r = ((r << 32) | mag_[i]) % m;
  return static_cast<uint64_t>(r);
}

uint32_t BigInt::divmod_small(Limbs& a, uint32_t d) {
  uint64_t rem = 0;
  for (size_t i = a.size(); i-- > 0;) {
    uint64_t cur = (rem << 32) | a[i];
    a[i] = static_cast<uint32_t>(cur / d);
    rem = cur % d;
  }
  while (!a.empty() && a.back() == 0) a.pop_back();
  return static_cast<uint32_t>(rem);
}

std::string BigInt::to_string() const {
  if (mag_.empty()) return "0";
  Limbs t = mag_;
  std::vector<uint32_t> chunks;  // base 10^9, little-endian
  while (!t.empty()) chunks.push_back(divmod_small(t, 1000000000u));
  std::string s = neg_ ? "-" : "";
  s += std::to_string(chunks.back());
  char buf[16];
  for (size_t i = chunks.size() - 1; i-- > 0;) {
    snprintf(buf, sizeof buf, "%09u", chunks[i]);
    s += buf;
  }
  return s;
}

int BigInt::cmp_mag(const Limbs& a, const Limbs& b) {
  if (a.size() != b.size()) return a.size() < b.size() ? -1 : 1;
  for (size_t i = a.size(); i-- > 0;)
    if (a[i] != b[i]) return a[i] < b[i] ? -1 : 1;
  return 0;
}

int BigInt::compare_abs(const BigInt& a, const BigInt& b) { return cmp_mag(a.mag_, b.mag_); }

int BigInt::compare(const BigInt& a, const BigInt& b) {
  if (a.neg_ != b.neg_) return a.neg_ ? -1 : 1;
  int c = cmp_mag(a.mag_, b.mag_);
  return a.neg_ ? -c : c;
}

Limbs BigInt::add_mag(const Limbs& a, const Limbs& b) {
  const auto& x = a.size() >= b.size() ? a : b;
  const auto& y = a.size() >= b.size() ? b : a;
  Limbs r(x.size() + 1, 0);
  uint64_t carry = 0;
  for (size_t i = 0; i < x.size(); ++i) {
    uint64_t t = static_cast<uint64_t>(x[i]) + (i < y.size() ? y[i] : 0) + carry;
    r[i] = static_cast<uint32_t>(t);
    carry = t >> 32;
  }
  r[x.size()] = static_cast<uint32_t>(carry);
  while (!r.empty() && r.back() == 0) r.pop_back();
  return r;
}

Limbs BigInt::sub_mag(const Limbs& a, const Limbs& b) {
  Limbs r(a.size(), 0);
  int64_t borrow = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    int64_t t = static_cast<int64_t>(a[i]) - (i < b.size() ? b[i] : 0) - borrow;
    borrow = t < 0;
    r[i] = static_cast<uint32_t>(t + (borrow ? (int64_t{1} << 32) : 0));
  }
  while (!r.empty() && r.back() == 0) r.pop_back();
  return r;
}

BigInt operator+(const BigInt& a, const BigInt& b) {
  BigInt r;
  if (a.neg_ == b.neg_) {
    r.mag_ = BigInt::add_mag(a.mag_, b.mag_);
    r.neg_ = a.neg_;
  } else if (BigInt::cmp_mag(a.mag_, b.mag_) >= 0) {
    r.mag_ = BigInt::sub_mag(a.mag_, b.mag_);
    r.neg_ = a.neg_;
  } else {
    r.mag_ = BigInt::sub_mag(b.mag_, a.mag_);
    r.neg_ = b.neg_;
  }
  r.trim();
  return r;
}

BigInt operator-(const BigInt& a, const BigInt& b) { return a + (-b); }

BigInt operator*(const BigInt& a, const BigInt& b) {
  BigInt r;
  if (a.is_zero() || b.is_zero()) return r;
  r.mag_.assign(a.mag_.size() + b.mag_.size(), 0);
  for (size_t i = 0; i < a.mag_.size(); ++i) {
    uint64_t carry = 0, ai = a.mag_[i];
    if (!ai) continue;
    for (size_t j = 0; j < b.mag_.size(); ++j) {
      uint64_t t = ai * b.mag_[j] + r.mag_[i + j] + carry;
      r.mag_[i + j] = static_cast<uint32_t>(t);
      carry = t >> 32;
    }
    size_t k = i + b.mag_.size();
    while (carry) {
      uint64_t t = static_cast<uint64_t>(r.mag_[k]) + carry;
      r.mag_[k++] = static_cast<uint32_t>(t);
      carry = t >> 32;
    }
  }
  r.neg_ = a.neg_ != b.neg_;
  r.trim();
  return r;
}

// Knuth, TAOCP vol. 2, 4.3.1, Algorithm D (base 2^32).
void BigInt::divmod(const BigInt& a, const BigInt& b, BigInt& q, BigInt& r) {
  q = BigInt();
  r = BigInt();
  if (cmp_mag(a.mag_, b.mag_) < 0) { r = a; return; }
  if (b.mag_.size() == 1) {
    q.mag_ = a.mag_;
    uint32_t rem = divmod_small(q.mag_, b.mag_[0]);
    if (rem) r.mag_.push_back(rem);
  } else {
    const size_t n = b.mag_.size(), m = a.mag_.size() - n;
    int s = 0;
    for (uint32_t top = b.mag_.back(); !(top & 0x80000000u); top <<= 1) ++s;
    std::vector<uint32_t> v(n), u(a.mag_.size() + 1);
    for (size_t i = n; i-- > 0;)
      v[i] = (b.mag_[i] << s) | (s && i ? static_cast<uint32_t>(static_cast<uint64_t>(b.mag_[i - 1]) >> (32 - s)) : 0);
    u[a.mag_.size()] = s ? static_cast<uint32_t>(static_cast<uint64_t>(a.mag_.back()) >> (32 - s)) : 0;
    for (size_t i = a.mag_.size(); i-- > 0;)
      u[i] = (a.mag_[i] << s) | (s && i ? static_cast<uint32_t>(static_cast<uint64_t>(a.mag_[i - 1]) >> (32 - s)) : 0);
    q.mag_.assign(m + 1, 0);
    const uint64_t B = uint64_t{1} << 32;
    for (size_t j = m + 1; j-- > 0;) {
      uint64_t num = (static_cast<uint64_t>(u[j + n]) << 32) | u[j + n - 1];
      uint64_t qhat = num / v[n - 1], rhat = num % v[n - 1];
      while (qhat >= B || qhat * v[n - 2] > ((rhat << 32) | u[j + n - 2])) {
        --qhat;
        rhat += v[n - 1];
        if (rhat >= B) break;
      }
      int64_t borrow = 0;
      uint64_t carry = 0;
      for (size_t i = 0; i < n; ++i) {
        uint64_t p = qhat * v[i] + carry;
        carry = p >> 32;
        int64_t t = static_cast<int64_t>(u[i + j]) - static_cast<int64_t>(p & 0xffffffffu) - borrow;
        borrow = t < 0;
        u[i + j] = static_cast<uint32_t>(t + (borrow ? static_cast<int64_t>(B) : 0));
      }
      int64_t t = static_cast<int64_t>(u[j + n]) - static_cast<int64_t>(carry) - borrow;
      borrow = t < 0;
      u[j + n] = static_cast<uint32_t>(t + (borrow ? static_cast<int64_t>(B) : 0));
      if (borrow) {  // qhat was one too large: add back
        --qhat;
        uint64_t c = 0;
        for (size_t i = 0; i < n; ++i) {
          uint64_t s2 = static_cast<uint64_t>(u[i + j]) + v[i] + c;
          u[i + j] = static_cast<uint32_t>(s2);
          c = s2 >> 32;
        }
        u[j + n] = static_cast<uint32_t>(static_cast<uint64_t>(u[j + n]) + c);
      }
      q.mag_[j] = static_cast<uint32_t>(qhat);
    }
    r.mag_.assign(n, 0);
    for (size_t i = 0; i < n; ++i)
      r.mag_[i] = (u[i] >> s) | (s ? static_cast<uint32_t>(static_cast<uint64_t>(u[i + 1]) << (32 - s)) : 0);
  }
  q.neg_ = a.neg_ != b.neg_;
  r.neg_ = a.neg_;
  q.trim();
  r.trim();
}

BigInt BigInt::gcd(BigInt a, BigInt b) {
  a.neg_ = b.neg_ = false;
  while (!b.is_zero()) {
    if (a.fits_int64() && b.fits_int64()) {
      uint64_t x = static_cast<uint64_t>(a.to_int64()), y = static_cast<uint64_t>(b.to_int64());
      while (y) { uint64_t t = x % y; x = y; y = t; }
      return BigInt(static_cast<int64_t>(x));
    }
    BigInt q, r;
    divmod(a, b, q, r);
    a = std::move(b);
    b = std::move(r);
    b.neg_ = false;
  }
  return a;
}

BigInt BigInt::pow(uint64_t e) const {
  BigInt result(1), base = *this;
  while (e) {
    if (e & 1) result = result * base;
    e >>= 1;
    if (e) base = base * base;
  }
  return result;
}

BigInt BigInt::shifted_left(size_t bits) const {
  BigInt r;
  if (is_zero()) return r;
  size_t limbs = bits / 32, s = bits % 32;
  r.mag_.assign(limbs, 0);
  uint32_t carry = 0;
  for (uint32_t x : mag_) {
    r.mag_.push_back((x << s) | carry);
    carry = s ? static_cast<uint32_t>(static_cast<uint64_t>(x) >> (32 - s)) : 0;
  }
  if (carry) r.mag_.push_back(carry);
  r.neg_ = neg_;
  r.trim();
  return r;
}

}  // namespace veritrace
