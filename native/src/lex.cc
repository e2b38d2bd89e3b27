#include "lex.h"

#include <cstring>
#include <unordered_set>

namespace veritrace {
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }


// Keyword sets are hashed once: tokens are looked up for every word and command of every answer.
using WordSet = std::unordered_set<std::string_view>;

bool is_function_name(std::string_view w) {
  static const WordSet kSet{"sin", "cos", "tan", "sec", "csc", "cot", "arcsin", "arccos", "arctan", "arcsec", "arccsc",
                     "arccot", "sinh", "cosh", "tanh", "coth", "sech", "csch", "log", "ln", "lg", "exp", "max",
                     "min", "gcd", "lcm", "det", "sgn", "arsinh", "arcosh", "artanh", "cis", "tg", "ctg"};
  return kSet.count(w) != 0;
}

bool is_unit2(std::string_view w) {
  static const WordSet kSet{"cm", "mm", "km", "kg", "mg", "ft", "yd", "mi", "hr", "ml", "mL", "ms", "kb", "mb", "gb",
                     "GB", "MB", "KB", "lb", "oz", "kW", "km", "dm", "cc", "Hz", "mA", "kJ", "eV", "am", "pm",
                     "AM", "PM", "sq"};
  return kSet.count(w) != 0;
}

// Commands the parser handles by name (everything else with letters becomes a named symbol).
bool is_structural_command(std::string_view w) {
  static const WordSet kSet{"frac", "sqrt", "binom", "pi", "infty", "infinity", "pm", "mp", "cup", "cap", "sum", "prod",
                     "int", "iint", "oint", "lim", "overline", "dot", "cdot", "times", "div", "ast", "setminus",
                     "emptyset", "varnothing", "to", "rightarrow", "Rightarrow", "implies", "iff", "mid",
                     "vert", "Vert", "lvert", "rvert", "lVert", "rVert", "langle", "rangle", "lfloor", "rfloor",
                     "lceil", "rceil", "mathbb", "in", "notin", "leq", "geq", "neq", "approx", "equiv", "sim",
                     "simeq", "cong", "propto", "wedge", "land", "lor", "vee", "cdotp", "colon", "exp", "e"};
  return kSet.count(w) != 0;
}

}  // namespace

bool lex(std::string_view s, std::vector<Token>& out, size_t max_tokens) {
  out.clear();
  bool space = false;
  size_t i = 0;
  auto push = [&](Tok t, std::string_view text, std::string_view aux = {}) {
    out.push_back(Token{t, text, aux, space});
    space = false;
  };
  while (i < s.size()) {
    if (out.size() > max_tokens) return false;
    char c = s[i];
    if (is_space(c)) { space = true; ++i; continue; }
    if (is_digit(c) || (c == '.' && i + 1 < s.size() && is_digit(s[i + 1]))) {
      size_t j = i;
      while (j < s.size() && is_digit(s[j])) ++j;
      if (j < s.size() && s[j] == '.' && (j + 1 >= s.size() || s[j + 1] != '.')) {
        ++j;
        while (j < s.size() && is_digit(s[j])) ++j;
      }
      std::string_view number = s.substr(i, j - i);
      // Repeating decimal: 0.\overline{3}, 0.1\overline{6}
      std::string_view rep;
      static constexpr std::string_view kOverline = "\\overline{";
      if (number.find('.') != std::string_view::npos && s.substr(j, kOverline.size()) == kOverline) {
        size_t k = j + kOverline.size(), d = k;
        while (d < s.size() && is_digit(s[d])) ++d;
        if (d > k && d < s.size() && s[d] == '}') { rep = s.substr(k, d - k); j = d + 1; }
      }
      // e-notation: 1e-3, 2.5E+10 (only when digits follow the exponent marker)
      if (rep.empty() && j < s.size() && (s[j] == 'e' || s[j] == 'E')) {
        size_t k = j + 1;
        if (k < s.size() && (s[k] == '+' || s[k] == '-')) ++k;
        size_t d = k;
        while (d < s.size() && is_digit(s[d])) ++d;
        if (d > k && (d >= s.size() || !is_alpha(s[d]))) {
          push(Tok::Number, number, s.substr(j, d - j));  // aux starting with 'e' marks the exponent
          i = d;
          continue;
        }
      }
      push(Tok::Number, number, rep);
      i = j;
      continue;
    }
    if (is_alpha(c)) {
      size_t j = i;
      while (j < s.size() && is_alpha(s[j])) ++j;
      std::string_view w = s.substr(i, j - i);
      if (is_function_name(w)) push(Tok::Func, w);
      else if (w == "and" || w == "or" || w == "und" || w == "et") push(Tok::Sep, w);
      else if (w == "pi") push(Tok::Cmd, "pi");
      else if (w == "inf" || w == "infty" || w == "infinity" || w == "oo") push(Tok::Cmd, "infty");
      else if (w == "sqrt") push(Tok::Cmd, "sqrt");
      else if (w == "in" && out.size() > 0) push(Tok::Rel, "in");
      else if (w.size() >= 3 || (w.size() == 2 && is_unit2(w))) push(Tok::Word, w);
      else {
        for (size_t k = i; k < j; ++k) push(Tok::Ident, s.substr(k, 1));
      }
      i = j;
      continue;
    }
    if (c == '\\') {
      if (i + 1 >= s.size()) { ++i; continue; }
      char n = s[i + 1];
      if (n == '\\') { push(Tok::RowSep, s.substr(i, 2)); i += 2; continue; }
      if (n == '{') { push(Tok::LSet, s.substr(i, 2)); i += 2; continue; }
      if (n == '}') { push(Tok::RSet, s.substr(i, 2)); i += 2; continue; }
      if (n == '|') { push(Tok::Op, "|"); i += 2; continue; }
      if (!is_alpha(n)) { push(Tok::Bad, s.substr(i, 2)); i += 2; continue; }
      size_t j = i + 1;
      while (j < s.size() && is_alpha(s[j])) ++j;
      std::string_view name = s.substr(i + 1, j - i - 1);
      i = j;
      if (name == "text" || name == "textbf" || name == "mathrm") {
        while (i < s.size() && is_space(s[i])) ++i;
        if (i < s.size() && s[i] == '{') {
          int depth = 0;
          size_t k = i;
          for (; k < s.size(); ++k) {
            if (s[k] == '{') ++depth;
            else if (s[k] == '}' && --depth == 0) break;
          }
          if (k >= s.size()) return false;
          push(Tok::Text, s.substr(i + 1, k - i - 1));
          i = k + 1;
        } else {
          push(Tok::Text, "");
        }
        continue;
      }
      if (name == "begin" || name == "end") {
        while (i < s.size() && is_space(s[i])) ++i;
        std::string_view env;
        if (i < s.size() && s[i] == '{') {
          size_t k = s.find('}', i);
          if (k == std::string_view::npos) return false;
          env = s.substr(i + 1, k - i - 1);
          i = k + 1;
          // \begin{array}{cc}: skip the column specification
          if (name == "begin" && env == "array" && i < s.size() && s[i] == '{') {
            size_t e = s.find('}', i);
            if (e == std::string_view::npos) return false;
            i = e + 1;
          }
        }
        push(name == "begin" ? Tok::Begin : Tok::EndEnv, env);
        continue;
      }
      if (is_function_name(name) || name == "arg") { push(Tok::Func, name); continue; }
      if (name == "leq" ) { push(Tok::Rel, "<="); continue; }
      if (name == "geq") { push(Tok::Rel, ">="); continue; }
      if (name == "neq") { push(Tok::Rel, "!="); continue; }
      if (name == "approx" || name == "simeq" || name == "sim" || name == "cong" || name == "equiv") {
        push(Tok::Rel, "~");
        continue;
      }
      if (name == "in") { push(Tok::Rel, "in"); continue; }
      if (name == "cdot" || name == "times" || name == "ast" || name == "cdotp") { push(Tok::Op, "*"); continue; }
      if (name == "div") { push(Tok::Op, "/"); continue; }
      if (name == "colon") { push(Tok::Op, ":"); continue; }
      if (name == "lvert" || name == "rvert" || name == "vert" || name == "mid") { push(Tok::Op, "|"); continue; }
      if (name == "langle") { push(Tok::LParen, "("); continue; }
      if (name == "rangle") { push(Tok::RParen, ")"); continue; }
      if (name == "infinity") { push(Tok::Cmd, "infty"); continue; }
      if (name == "varnothing") { push(Tok::Cmd, "emptyset"); continue; }
      if (is_structural_command(name)) { push(Tok::Cmd, name); continue; }
      push(Tok::Ident, name);  // Greek letters and unknown commands are named symbols
      continue;
    }
    switch (c) {
      case '(': push(Tok::LParen, s.substr(i, 1)); break;
      case ')': push(Tok::RParen, s.substr(i, 1)); break;
      case '[': push(Tok::LBrack, s.substr(i, 1)); break;
      case ']': push(Tok::RBrack, s.substr(i, 1)); break;
      case '{': push(Tok::LBrace, s.substr(i, 1)); break;
      case '}': push(Tok::RBrace, s.substr(i, 1)); break;
      case ',': push(Tok::Comma, s.substr(i, 1)); break;
      case ';': push(Tok::Semicolon, s.substr(i, 1)); break;
      case '%': push(Tok::Percent, s.substr(i, 1)); break;
      case '<':
      case '>':
        if (i + 1 < s.size() && s[i + 1] == '=') { push(Tok::Rel, s.substr(i, 2)); ++i; }
        else push(Tok::Rel, s.substr(i, 1));
        break;
      case '=':
        if (i + 1 < s.size() && s[i + 1] == '=') ++i;
        push(Tok::Rel, "=");
        break;
      case '!':
        if (i + 1 < s.size() && s[i + 1] == '=') { push(Tok::Rel, "!="); ++i; }
        else push(Tok::Op, "!");
        break;
      case '*':
        if (i + 1 < s.size() && s[i + 1] == '*') { push(Tok::Op, "^"); ++i; }  // x**2
        else push(Tok::Op, "*");
        break;
      case '+': case '-': case '/': case '^': case '_': case '\'': case '|': case '&': case ':':
        push(Tok::Op, s.substr(i, 1));
        break;
      default: push(Tok::Bad, s.substr(i, 1)); break;
    }
    ++i;
  }
  push(Tok::End, {});
  return out.size() <= max_tokens + 1;
}

}  // namespace veritrace
