#pragma once
// Step 3: parse tokens into an expression tree (expr.h). A recursive-descent parser whose depth
// is bounded by Limits::max_depth, so nested input cannot overflow the stack.
#include <string_view>

#include "budget.h"
#include "expr.h"
#include "lex.h"

namespace veritrace {

enum class ParseError { None, Syntax, TooComplex };

struct ParseResult {
  uint32_t root = 0;
  ParseError error = ParseError::None;
};

/** Parses one normalized answer into `arena` (which is not cleared). */
ParseResult parse_answer(std::string_view normalized, Arena& arena, const Limits& limits);

}  // namespace veritrace
