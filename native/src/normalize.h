#pragma once
// Step 1: text-level normalization of one bare answer (LaTeX or plain text) before lexing.
// Removes delimiters and wrappers ($..$, \(..\), \boxed{}), presentation-only commands (\left,
// \right, spacing, font commands), currency and degree signs, thousands separators, and maps a
// few Unicode symbols to their LaTeX spelling. Meaning-bearing structure is left to the parser.
#include <string>
#include <string_view>

#include "budget.h"

namespace veritrace {

enum class NormalizeError { None, InvalidUtf8, TooLong, Empty };

struct Normalized {
  std::string text;
  NormalizeError error = NormalizeError::None;
};

Normalized normalize(std::string_view input, const Limits& limits);

/** True when `s` is valid UTF-8. */
bool valid_utf8(std::string_view s);

}  // namespace veritrace
