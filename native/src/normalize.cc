#include "normalize.h"

#include <cctype>
#include <cstring>
#include <unordered_map>
#include <unordered_set>

namespace veritrace {
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

bool starts_with(std::string_view s, size_t i, std::string_view p) { return s.substr(i, p.size()) == p; }

void trim(std::string& s) {
  size_t b = 0, e = s.size();
  while (b < e && is_space(s[b])) ++b;
  while (e > b && is_space(s[e - 1])) --e;
  s = s.substr(b, e - b);
}

// Index just past the brace group that opens at s[open] == '{', or npos when unbalanced.
size_t match_brace(std::string_view s, size_t open) {
  int depth = 0;
  for (size_t i = open; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 1 < s.size()) { ++i; continue; }
    if (s[i] == '{') ++depth;
    else if (s[i] == '}' && --depth == 0) return i + 1;
  }
  return std::string_view::npos;
}

struct Replacement { std::string_view from; std::string_view to; };

// Unicode spellings mapped to LaTeX (or dropped).
constexpr Replacement kUnicode[] = {
    {"\xE2\x88\x92", "-"},          {"\xC3\x97", "\\times "},  {"\xC3\xB7", "\\div "},
    {"\xE2\x89\xA4", "\\leq "},     {"\xE2\x89\xA5", "\\geq "}, {"\xE2\x89\xA0", "\\neq "},
    {"\xCF\x80", "\\pi "},          {"\xE2\x88\x9E", "\\infty "}, {"\xE2\x88\x9A", "\\sqrt"},
    {"\xC2\xB0", ""},               {"\xE2\x82\xAC", ""},       {"\xC2\xA3", ""},
    {"\xC2\xA5", ""},               {"\xC2\xB2", "^2"},         {"\xC2\xB3", "^3"},
    {"\xC2\xB7", "\\cdot "},        {"\xC2\xB1", "\\pm "},      {"\xC2\xA0", " "},
    {"\xE2\x88\xAA", "\\cup "},     {"\xE2\x88\x88", "\\in "},  {"\xE2\x89\x88", "\\approx "},
    {"\xE2\x80\x89", " "},          {"\xE2\x80\xAF", " "},
};

// Commands that only change presentation: `\cmd{X}` becomes `{X}`.
constexpr std::string_view kFontCommands[] = {
    "mathrm", "mathbf", "textbf", "mathit", "textit", "mathcal", "mathbb", "boldsymbol", "bm",
    "mathsf", "textsf", "mathtt", "texttt", "operatorname", "mathscr", "mathfrak", "emph", "textup",
    "textrm", "hbox", "underline", "overrightarrow", "vec", "widehat", "hat", "bar"};

// Commands dropped entirely (spacing and sizing).
constexpr std::string_view kDropCommands[] = {
    "displaystyle", "textstyle", "scriptstyle", "limits", "nolimits", "big", "Big", "bigg", "Bigg",
    "bigl", "bigr", "Bigl", "Bigr", "biggl", "biggr", "middle", "qquad", "quad", "hfill", "enspace",
    "thinspace", "negthinspace", "medspace", "thickspace", "noindent", "strut", "phantom", "dots",
    "ldots", "cdots"};

// Spellings of one command replaced by another.
constexpr Replacement kAliases[] = {
    {"dfrac", "frac"}, {"tfrac", "frac"}, {"cfrac", "frac"}, {"dbinom", "binom"}, {"tbinom", "binom"},
    {"le", "leq"},     {"ge", "geq"},     {"leqslant", "leq"}, {"geqslant", "geq"}, {"ne", "neq"},
    {"lt", "<"},       {"gt", ">"},       {"textnormal", "text"}, {"mbox", "text"}, {"textrm", "text"},
};

enum class CommandClass { Plain, Drop, Font, Alias, Special };

// One hashed lookup per command instead of scanning the tables.
CommandClass classify(std::string_view name) {
  static const std::unordered_map<std::string_view, CommandClass> kMap = [] {
    std::unordered_map<std::string_view, CommandClass> m;
    for (std::string_view d : kDropCommands) m.emplace(d, CommandClass::Drop);
    for (std::string_view f : kFontCommands) m.emplace(f, CommandClass::Font);
    for (const auto& a : kAliases) m.emplace(a.from, CommandClass::Alias);
    for (std::string_view sp : {"left", "right", "circ", "degree", "n"}) m.emplace(sp, CommandClass::Special);
    return m;
  }();
  auto it = kMap.find(name);
  return it == kMap.end() ? CommandClass::Plain : it->second;
}

std::string_view command_name(std::string_view s, size_t i) {  // s[i] == '\\'
  size_t j = i + 1;
  while (j < s.size() && is_alpha(s[j])) ++j;
  return s.substr(i + 1, j - i - 1);
}

bool ends_with_digit(const std::string& s) {
  size_t e = s.size();
  while (e > 0 && s[e - 1] == ' ') --e;
  return e > 0 && is_digit(s[e - 1]);
}

bool overescaped(std::string_view name) {
  static const std::unordered_set<std::string_view> kNames{
      "boxed", "fbox", "frac", "dfrac", "tfrac", "cfrac", "sqrt", "text", "textbf", "mathrm", "mathbf", "left",
      "right", "cdot", "times", "div", "pi", "infty", "le", "ge", "leq", "geq", "lt", "gt", "neq", "ne", "in",
      "cup", "cap", "pm", "mp", "circ", "degree", "binom", "dbinom", "sin", "cos", "tan", "log", "ln", "exp",
      "quad", "qquad", "approx", "overline", "begin", "end", "alpha", "beta", "gamma", "theta", "lambda", "mu",
      "sigma", "omega", "varphi", "phi", "dots", "ldots", "cdots", "mathbb", "displaystyle"};
  return kNames.count(name) != 0;
}

// One pass over the text: rewrites commands, Unicode and separators.
std::string rewrite(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 8);
  for (size_t i = 0; i < s.size();) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c >= 0x80) {
      bool done = false;
      for (const auto& r : kUnicode) {
        if (starts_with(s, i, r.from)) { out += r.to; i += r.from.size(); done = true; break; }
      }
      if (!done) out += s[i++];
      continue;
    }
    if (c == '\\') {
      // "\\frac" in a doubly escaped dump is \frac; "\\" before other letters stays a row break.
      if (i + 2 < s.size() && s[i + 1] == '\\' && is_alpha(s[i + 2]) && overescaped(command_name(s, i + 1))) {
        ++i;
        continue;
      }
      if (i + 1 >= s.size()) { ++i; continue; }  // trailing backslash
      char n = s[i + 1];
      if (n == '!' ) { i += 2; continue; }
      if (n == ',' || n == ';' || n == ':' || n == '>' || n == ' ') {
        // Thin space between digits is a thousands separator; elsewhere a space.
        bool digits = !out.empty() && is_digit(out.back()) && i + 2 < s.size() && is_digit(s[i + 2]);
        if (!digits) out += ' ';
        i += 2;
        continue;
      }
      if (n == '$') { i += 2; continue; }
      if (n == '%') { out += '%'; i += 2; continue; }
      if (!is_alpha(n)) { out += s[i]; out += n; i += 2; continue; }
      std::string_view name = command_name(s, i);
      size_t after = i + 1 + name.size();
      bool handled = false;
      CommandClass cls = classify(name);
      if (cls == CommandClass::Plain) {  // most commands (\frac, \sqrt, \pi): copied as they are
        out.append(s.substr(i, after - i));
        i = after;
        continue;
      }
      if (cls == CommandClass::Drop) { out += ' '; i = after; continue; }
      if (name == "left" || name == "right") {
        i = after;
        if (i < s.size() && (s[i] == '.' )) ++i;  // \left. and \right. are invisible
        continue;
      }
      if (name == "circ" || name == "degree") {  // ^\circ, ^{\circ}: degrees are dropped
        while (!out.empty() && (out.back() == '^' || out.back() == '{' || out.back() == ' ')) {
          char b = out.back();
          out.pop_back();
          if (b == '^') break;
        }
        i = after;
        if (i < s.size() && s[i] == '}') ++i;
        continue;
      }
      for (std::string_view f : kFontCommands)
        if (name == f) { i = after; handled = true; break; }
      if (handled) {
        while (i < s.size() && s[i] == ' ') ++i;
        if (i < s.size() && s[i] == '{') {
          // \textbf{meters} is text; \mathrm{e} and \mathbf{v} are the symbol inside.
          size_t close = match_brace(s, i);
          size_t letters = 0;
          bool words = close != std::string_view::npos;
          for (size_t k = i + 1; words && k + 1 < close; ++k) {
            if (is_alpha(s[k])) ++letters;
            else if (s[k] != ' ' && s[k] != '(' && s[k] != ')') words = false;
          }
          if (words && letters >= 2) out += "\\text";
        } else {
          out += ' ';
        }
        continue;
      }
      if (name == "n" ) { out += ' '; i = after; continue; }  // a literal "\n" left by double escaping
      for (const auto& a : kAliases)
        if (name == a.from) {
          if (a.to[0] == '<' || a.to[0] == '>') out += a.to;
          else { out += '\\'; out += a.to; }
          i = after;
          handled = true;
          break;
        }
      if (handled) continue;
      out.append(s.substr(i, after - i));
      i = after;
      continue;
    }
    if (c == '{' && ends_with_digit(out)) {                             // 1{,}000 and "14 {, }916"
      size_t k = i + 1;
      while (k < s.size() && s[k] == ' ') ++k;
      if (k < s.size() && s[k] == ',') {
        ++k;
        while (k < s.size() && s[k] == ' ') ++k;
        if (k < s.size() && s[k] == '}') {
          while (!out.empty() && out.back() == ' ') out.pop_back();
          i = k + 1;
          while (i < s.size() && s[i] == ' ') ++i;
          continue;
        }
      }
    }
    if (c == ',' && starts_with(s, i, ",\\!")) { i += 3; continue; }  // 56,\!017: thousands
    if (c == '$') { out += ' '; ++i; continue; }                        // inner math delimiters
    if (c == '~') { out += ' '; ++i; continue; }
    out += static_cast<char>(c);
    ++i;
  }
  return out;
}

// Outer wrappers: $..$, \(..\), \[..\], \boxed{..} spanning the whole text; trailing punctuation.
void strip_wrappers(std::string& s) {
  for (int round = 0; round < 8; ++round) {
    trim(s);
    std::string before = s;
    while (!s.empty() && (s.back() == '.' || s.back() == ';' || (s.back() == ',' && s.size() > 1))) {
      s.pop_back();
      trim(s);
    }
    while (s.size() >= 2 && s[s.size() - 1] == '\\' && s[s.size() - 2] != '\\') { s.pop_back(); trim(s); }
    while (s.size() >= 2 && s.compare(s.size() - 2, 2, "\\\\") == 0) { s.resize(s.size() - 2); trim(s); }
    size_t b = 0, e = s.size();
    while (b < e && s[b] == '$') ++b;
    while (e > b && s[e - 1] == '$') --e;
    s = s.substr(b, e - b);
    trim(s);
    if (s.size() >= 4 && (s.compare(0, 2, "\\(") == 0 || s.compare(0, 2, "\\[") == 0) &&
        (s.compare(s.size() - 2, 2, "\\)") == 0 || s.compare(s.size() - 2, 2, "\\]") == 0))
      s = s.substr(2, s.size() - 4);
    for (const char* box : {"\\boxed", "\\fbox"}) {
      size_t n = std::strlen(box);
      if (s.compare(0, n, box) == 0) {
        size_t open = n;
        while (open < s.size() && s[open] == ' ') ++open;
        if (open < s.size() && s[open] == '{' && match_brace(s, open) == s.size())
          s = s.substr(open + 1, s.size() - open - 2);
      }
    }
    trim(s);
    if (s == before) break;
  }
}

// Percent spelled as a word after a number: "28 percent" -> "28%".
void percent_words(std::string& s) {
  for (const char* w : {"percentage", "percent", "pct"}) {
    size_t n = std::strlen(w);
    for (size_t pos = s.find(w); pos != std::string::npos; pos = s.find(w, pos + 1)) {
      size_t b = pos;
      while (b > 0 && s[b - 1] == ' ') --b;
      bool after_number = b > 0 && (is_digit(s[b - 1]) || s[b - 1] == '}');
      bool word_end = pos + n >= s.size() || !is_alpha(s[pos + n]);
      if (after_number && word_end) { s.replace(b, pos + n - b, "%"); pos = b; }
    }
  }
}

bool all_digits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) if (!is_digit(c)) return false;
  return true;
}

// In "(12,102)" or "[1,000, 2]" the comma separates coordinates, not thousands.
bool inside_brackets(const std::string& s, size_t i) {
  size_t b = i;
  while (b > 0 && s[b - 1] == ' ') --b;
  if (b > 0 && (s[b - 1] == '(' || s[b - 1] == '[' || s[b - 1] == '{')) return true;
  size_t e = i;
  while (e < s.size() && (is_digit(s[e]) || s[e] == ',')) ++e;
  while (e < s.size() && s[e] == ' ') ++e;
  return e < s.size() && (s[e] == ')' || s[e] == ']');
}

// Thousands separators "7,425,000" and decimal commas "1000,99" / "0,111".
void separators(std::string& s) {
  // Whole-text decimal comma: one comma, no other structure.
  {
    std::string_view v = s;
    size_t sign = (!v.empty() && v[0] == '-') ? 1 : 0;
    size_t comma = v.find(',');
    if (comma != std::string_view::npos && v.find(',', comma + 1) == std::string_view::npos) {
      std::string_view a = v.substr(sign, comma - sign), b = v.substr(comma + 1);
      if (all_digits(a) && all_digits(b) && b.size() >= 2 &&
          (b.size() != 3 || a == "0" || a.size() > 3)) {
        s[comma] = '.';
        return;
      }
    }
  }
  // Groups of digits and commas: d{1,3}(,ddd)+ not touching other digits, commas or a point before.
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    if (is_digit(s[i]) && (i == 0 || (!is_digit(s[i - 1]) && s[i - 1] != ',' && s[i - 1] != '.')) &&
        !inside_brackets(s, i)) {
      size_t j = i;
      while (j < s.size() && is_digit(s[j])) ++j;
      size_t lead = j - i, k = j, groups = 0;
      // ",ddd" groups, each followed by a non-digit or the end
      while (k + 3 < s.size() && s[k] == ',' && all_digits(std::string_view(s).substr(k + 1, 3)) &&
             (k + 4 == s.size() || !is_digit(s[k + 4]))) {
        k += 4;
        ++groups;
      }
      if (groups > 0 && lead <= 3 && (k >= s.size() || s[k] != ',')) {
        for (size_t t = i; t < k; ++t) if (s[t] != ',') out += s[t];
        i = k;
        continue;
      }
      out.append(s, i, j - i);
      i = j;
      continue;
    }
    out += s[i++];
  }
  s = std::move(out);
  // "1 000 000": spaces as thousands separators when that is the whole text.
  size_t sp = s.find(' ');
  if (sp != std::string::npos && sp >= 1 && sp <= 3 && all_digits(std::string_view(s).substr(0, sp))) {
    std::string joined;
    size_t i = 0;
    bool ok = true;
    joined.append(s, 0, sp);
    i = sp;
    while (i < s.size()) {
      if (s[i] != ' ' || i + 4 > s.size() || !all_digits(std::string_view(s).substr(i + 1, 3))) { ok = false; break; }
      joined.append(s, i + 1, 3);
      i += 4;
    }
    if (ok) s = joined;
  }
}

// "3128 1/2": a whole number followed by a simple fraction is a mixed number.
void mixed_number(std::string& s) {
  size_t sp = s.find(' ');
  if (sp == std::string::npos) return;
  size_t slash = s.find('/', sp);
  if (slash == std::string::npos) return;
  if (all_digits(std::string_view(s).substr(0, sp)) && all_digits(std::string_view(s).substr(sp + 1, slash - sp - 1)) &&
      all_digits(std::string_view(s).substr(slash + 1)))
    s = "(" + s.substr(0, sp) + "+" + s.substr(sp + 1) + ")";
}

// Text that normalization would leave as it is: plain ASCII math without spaces, separators,
// delimiters or commands, not ending in punctuation, and no percent words.
bool plain(std::string_view s) {
  if (s.empty() || s.back() == '.') return false;
  bool letters = false;
  for (char c : s) {
    if (is_digit(c) || c == '+' || c == '-' || c == '*' || c == '/' || c == '^' || c == '(' || c == ')' ||
        c == '=' || c == '<' || c == '>' || c == '.' || c == '!' || c == '_' || c == '[' || c == ']')
      continue;
    if (is_alpha(c)) { letters = true; continue; }
    return false;
  }
  return !letters || (s.find("pct") == std::string_view::npos && s.find("percent") == std::string_view::npos);
}

}  // namespace

bool valid_utf8(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    size_t n;
    uint32_t cp;
    if (c < 0x80) { ++i; continue; }
    if ((c >> 5) == 0x6) { n = 1; cp = c & 0x1f; }
    else if ((c >> 4) == 0xe) { n = 2; cp = c & 0x0f; }
    else if ((c >> 3) == 0x1e) { n = 3; cp = c & 0x07; }
    else return false;
    for (size_t k = 1; k <= n; ++k) {
      if (i + k >= s.size()) return false;
      unsigned char d = static_cast<unsigned char>(s[i + k]);
      if ((d >> 6) != 0x2) return false;
      cp = (cp << 6) | (d & 0x3f);
    }
    if ((n == 1 && cp < 0x80) || (n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) || cp > 0x10ffff ||
        (cp >= 0xd800 && cp <= 0xdfff))
      return false;
    i += n + 1;
  }
  return true;
}

Normalized normalize(std::string_view input, const Limits& limits) {
  Normalized r;
  if (input.size() > limits.max_input_bytes) { r.error = NormalizeError::TooLong; return r; }
  if (!valid_utf8(input)) { r.error = NormalizeError::InvalidUtf8; return r; }
  if (plain(input)) {  // fast path: nothing to rewrite ("42", "3/4", "x^2+1", "(1,2)" is not plain)
    r.text.assign(input.data(), input.size());
    if (r.text.empty()) r.error = NormalizeError::Empty;
    return r;
  }
  std::string s(input);
  strip_wrappers(s);
  s = rewrite(s);
  strip_wrappers(s);
  percent_words(s);
  separators(s);
  mixed_number(s);
  trim(s);
  if (s.empty()) r.error = NormalizeError::Empty;
  r.text = std::move(s);
  return r;
}

}  // namespace veritrace
