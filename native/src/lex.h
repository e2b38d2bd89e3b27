#pragma once
// Step 2: split a normalized answer into tokens. LaTeX commands and plain-text spellings map to
// the same tokens (\leq and <=, \cdot and *, \pi and pi), so the parser sees one language.
#include <cstdint>
#include <string_view>
#include <vector>

namespace veritrace {

enum class Tok : uint8_t {
  End,
  Number,    // text = digits with optional '.', aux = repeating digits (0.\overline{3})
  Ident,     // a one-letter symbol or a named symbol (\alpha, \zzz)
  Func,      // sin, \cos, log, ln, exp, ...
  Word,      // a word of text (three or more letters, or a unit such as cm)
  Text,      // content of \text{...}
  Cmd,       // other commands: frac sqrt binom pi infty pm mp cup cap sum int overline ...
  Begin,     // \begin{env}; text = env
  EndEnv,    // \end{env}
  Op,        // one of + - * / ^ _ ! ' | & : and the relations below (text holds the spelling)
  Rel,       // = < > <= >= != ~= in (text: "=", "<", ">", "<=", ">=", "!=", "~", "in")
  Comma,
  Semicolon,
  Sep,       // "and" / "or" between answers
  LParen, RParen, LBrack, RBrack, LBrace, RBrace, LSet, RSet,
  RowSep,    // \\ (matrix rows)
  Percent,
  Bad,       // a character the grammar has no use for
};

struct Token {
  Tok type;
  std::string_view text;
  std::string_view aux;
  bool space_before = false;
};

/** Tokenizes `s`; returns false when the token count exceeds `max_tokens`. */
bool lex(std::string_view s, std::vector<Token>& out, size_t max_tokens);

}  // namespace veritrace
