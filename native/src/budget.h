#pragma once
// Limits that keep every call bounded in time and memory without signals. Each step of the
// pipeline checks the budget it consumes; past a limit the verdict is TooComplex.
#include <cstddef>
#include <cstdint>

namespace veritrace {

struct Limits {
  size_t max_input_bytes = 20000;     // a bare answer longer than this is TooComplex
  size_t max_nodes = 20000;           // expression tree size per side
  int max_depth = 600;                // parser recursion (each bracket level costs a few frames)
  uint16_t max_tree_depth = 200;      // depth of the expression tree (bounds every recursive walk)
  int max_bracket_depth = 100;        // nesting of (), [], {}, \\{\\}, environments
  size_t max_digits = 5000;           // digits in one number literal
  size_t max_bits = 70000;            // bits of any exact intermediate (2^65536 fits; 10^(10^10) does not)
  uint64_t max_factorial = 3000;      // n! with n above this is TooComplex
  int max_plus_minus = 4;             // a ± b expands to 2^k alternatives
  size_t max_set_elements = 512;
  int64_t max_steps = 2000000;        // arithmetic steps per pair
};

class Budget {
 public:
  explicit Budget(const Limits& limits) : limits_(limits), steps_left_(limits.max_steps) {}
  const Limits& limits() const { return limits_; }
  /** Spends `n` steps; false (and exhausted) once the budget is gone. */
  bool spend(int64_t n = 1) {
    steps_left_ -= n;
    if (steps_left_ < 0) exhausted_ = true;
    return !exhausted_;
  }
  bool bits_ok(size_t bits) {
    if (bits > limits_.max_bits) exhausted_ = true;
    return !exhausted_;
  }
  /** Charges a big-number operation on operands of `bits_a` and `bits_b` bits: rational arithmetic
      reduces by a gcd, whose cost grows with the product of the operands' limb counts. */
  bool charge(size_t bits_a, size_t bits_b) {
    int64_t la = static_cast<int64_t>(bits_a / 32 + 1), lb = static_cast<int64_t>(bits_b / 32 + 1);
    return spend(la * lb * 16);
  }
  void exhaust() { exhausted_ = true; }
  bool exhausted() const { return exhausted_; }

 private:
  Limits limits_;
  int64_t steps_left_;
  bool exhausted_ = false;
};

}  // namespace veritrace
