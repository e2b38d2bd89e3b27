#pragma once
// veritrace core: decides whether a predicted answer equals a reference answer, exactly where
// possible, always within a budget. Plain C++17, no Node types (the N-API binding lives apart).
//
//   veritrace::Options opts;
//   veritrace::Result r = veritrace::verify("\\frac{1}{2}", "0.5", opts);
//   r.status == veritrace::Status::Correct;  r.method == veritrace::Method::Exact;
#include <cstdint>
#include <string>
#include <string_view>

namespace veritrace {

struct Options {
  /** A decimal may match an exact value no finite decimal can write when it writes at least
      this many decimals, correctly rounded (Math-Verify's float_rounding). */
  int float_rounding = 6;
  /** Strict symbol comparison: f(x) and f(y) differ (Math-Verify's strict). */
  bool strict = true;
  /** Compare a relation with a set: `x >= 5` against `[5, \infty)` (Math-Verify's allow_set_relation_comp). */
  bool allow_set_relation_comp = false;
  /** Fill Result::gold / Result::pred. Off on the hot path when only the verdict is needed. */
  bool canonical_forms = true;
};

enum class Status : uint8_t {
  Correct = 0,
  Incorrect = 1,
  NoAnswer = 2,    // the prediction is empty
  Unparsable = 3,  // a side could not be read as an answer
  TooComplex = 4,  // a budget (size, depth, exponent, steps) was exceeded
  Undecided = 5,   // parsed, but the engine cannot decide: hand to the fallback
};

enum class Method : uint8_t {
  String = 0,    // equal as normalized text
  Exact = 1,     // exact arithmetic (big rationals)
  Numeric = 2,   // decimal rule or floating evaluation with a tolerance
  Symbolic = 3,  // expressions in variables: evaluation at seeded random points
};

struct Result {
  Status status = Status::Unparsable;
  Method method = Method::String;
  std::string gold;  // canonical form of the reference ("" when it could not be read)
  std::string pred;  // canonical form of the prediction
};

Result verify(std::string_view gold, std::string_view pred, const Options& options);

/** A key for grouping answers by equivalence: equal keys imply equivalent answers (not conversely). */
std::string canonical(std::string_view answer, const Options& options);

const char* status_name(Status s);
const char* method_name(Method m);

}  // namespace veritrace
