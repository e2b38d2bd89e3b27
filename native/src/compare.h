#pragma once
// Step 5: compare two prepared answers (gold, pred) that live in one arena.
#include "budget.h"
#include "expr.h"
#include "veritrace/verify.h"

namespace veritrace {

enum class Verdict : uint8_t { Equal, NotEqual, Unknown, TooComplex };

struct Comparison {
  Verdict verdict = Verdict::Unknown;
  Method method = Method::String;
};

Comparison compare(Arena& arena, uint32_t gold, uint32_t pred, const Options& options, Budget& budget);

}  // namespace veritrace
