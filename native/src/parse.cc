#include "parse.h"

#include <string>
#include <vector>

namespace veritrace {
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

std::string lower(std::string_view s) {
  std::string r;
  r.reserve(s.size());
  bool space = false;
  for (char c : s) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') { space = !r.empty(); continue; }
    if (space) { r += ' '; space = false; }
    r += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  }
  return r;
}

std::string_view trim_view(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\n' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\n' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool is_separator_text(std::string_view t) {
  t = trim_view(t);
  return t == "and" || t == "or" || t == "," || t == "und" || t == "et" || t.empty();
}

// Names of one-letter functions applied with parentheses: f(x), g(2), P(x).
bool is_function_letter(std::string_view name) {
  return name.size() == 1 && std::string_view("fghFGHPQW").find(name[0]) != std::string_view::npos;
}

class Parser {
 public:
  Parser(std::vector<Token>& toks, Arena& arena, const Limits& limits)
      : t_(toks), a_(arena), limits_(limits) {}

  ParseResult run() {
    ParseResult r;
    uint32_t root = top();
    if (!failed() && peek().type != Tok::End) fail(ParseError::Syntax);
    r.root = root;
    r.error = error_;
    return r;
  }

 private:
  // ---- token access ----
  const Token& peek(size_t k = 0) const { return t_[std::min(pos_ + k, t_.size() - 1)]; }
  Token next() { Token tok = peek(); if (pos_ < t_.size() - 1) ++pos_; return tok; }
  bool is_op(const Token& t, char c) const { return t.type == Tok::Op && t.text.size() == 1 && t.text[0] == c; }
  bool is_cmd(const Token& t, std::string_view n) const { return t.type == Tok::Cmd && t.text == n; }
  bool accept_op(char c) { if (is_op(peek(), c)) { next(); return true; } return false; }
  bool expect(Tok type) {
    if (peek().type == type) { next(); return true; }
    fail(ParseError::Syntax);
    return false;
  }
  void fail(ParseError e) {
    if (error_ == ParseError::None || e == ParseError::TooComplex) error_ = e;
  }
  bool failed() const { return error_ != ParseError::None; }
  uint32_t dummy() { return a_.add_number(Rational(0)); }
  bool node_budget() {
    if (a_.nodes.size() > limits_.max_nodes) { fail(ParseError::TooComplex); return false; }
    return true;
  }

  struct DepthGuard {
    Parser& p;
    bool ok;
    explicit DepthGuard(Parser& parser) : p(parser), ok(++parser.depth_ <= parser.limits_.max_depth) {
      if (!ok) p.fail(ParseError::TooComplex);
    }
    ~DepthGuard() { --p.depth_; }
  };

  // ---- lists: "a, b; c and d" ----
  bool at_list_end(Tok closer1, Tok closer2) const {
    Tok ty = peek().type;
    return ty == Tok::End || ty == closer1 || ty == closer2;
  }
  bool at_separator() const {
    const Token& k = peek();
    return k.type == Tok::Comma || k.type == Tok::Semicolon || k.type == Tok::Sep ||
           (k.type == Tok::Text && is_separator_text(k.text));
  }

  // Parses items until one of the closers; records the separators seen.
  std::vector<uint32_t> list(Tok closer1, Tok closer2, bool& saw_comma, bool& saw_semicolon, bool& saw_word,
                             std::vector<size_t>* semicolon_groups = nullptr) {
    std::vector<uint32_t> items;
    saw_comma = saw_semicolon = saw_word = false;
    while (!failed()) {
      while (at_separator()) {
        Tok ty = peek().type;
        if (ty == Tok::Comma) saw_comma = true;
        else if (ty == Tok::Semicolon) {
          saw_semicolon = true;
          if (semicolon_groups) semicolon_groups->push_back(items.size());
        } else saw_word = true;
        next();
      }
      if (at_list_end(closer1, closer2)) break;
      uint32_t item = relation();
      if (failed()) break;
      items.push_back(item);
      if (items.size() > limits_.max_set_elements) { fail(ParseError::TooComplex); break; }
      if (at_list_end(closer1, closer2)) break;
      if (!at_separator()) {  // an item must end at a separator or a closer
        fail(ParseError::Syntax);
        break;
      }
    }
    return items;
  }

  uint32_t top() {
    bool comma, semi, word;
    std::vector<size_t> groups;
    std::vector<uint32_t> items = list(Tok::End, Tok::End, comma, semi, word, &groups);
    if (failed()) return 0;
    if (items.empty()) { fail(ParseError::Syntax); return 0; }
    if (items.size() == 1) return items[0];
    if (semi && comma && !groups.empty()) {
      // "p=5,q=2; p=7,q=2": semicolons separate solutions, commas their coordinates.
      std::vector<uint32_t> tuples;
      size_t start = 0;
      groups.push_back(items.size());
      for (size_t g : groups) {
        if (g <= start) continue;
        std::vector<uint32_t> part(items.begin() + start, items.begin() + g);
        tuples.push_back(part.size() == 1 ? part[0] : a_.add(Kind::Tuple, part, '('));
        start = g;
      }
      if (tuples.size() == 1) return tuples[0];
      return a_.add(Kind::Set, tuples, 'b');
    }
    return a_.add(Kind::Set, items, 'b');
  }

  // ---- relations: a = b = c, x \in S, a < b <= c ----
  uint32_t relation() {
    DepthGuard g(*this);
    if (!g.ok) return dummy();
    uint32_t first = ratio();
    if (failed() || peek().type != Tok::Rel) return first;  // the common case: no relation, no allocation
    std::vector<uint32_t> parts{first};
    std::vector<RelOp> ops;
    while (!failed() && peek().type == Tok::Rel) {
      std::string_view r = next().text;
      RelOp op = r == "=" ? RelOp::Eq : r == "!=" ? RelOp::Neq : r == "<" ? RelOp::Lt : r == "<=" ? RelOp::Le
               : r == ">" ? RelOp::Gt : r == ">=" ? RelOp::Ge : r == "~" ? RelOp::Approx : RelOp::In;
      ops.push_back(op);
      parts.push_back(ratio());
    }
    if (ops.empty()) return parts[0];
    uint32_t n = a_.add(Kind::Relation, parts);
    a_.nodes[n].rels = static_cast<uint32_t>(a_.relops.size());
    a_.relops.insert(a_.relops.end(), ops.begin(), ops.end());
    return n;
  }

  uint32_t ratio() {
    uint32_t a = set_ops();
    if (!failed() && is_op(peek(), ':')) {
      std::vector<uint32_t> parts{a};
      while (!failed() && accept_op(':')) parts.push_back(set_ops());
      return a_.add(Kind::Ratio, parts);
    }
    return a;
  }

  uint32_t set_ops() {
    uint32_t a = additive();
    if (failed() || !is_cmd(peek(), "cup")) {
      if (!failed() && (is_cmd(peek(), "cap") || is_cmd(peek(), "setminus"))) {
        std::string name(next().text);
        uint32_t b = additive();
        return a_.add_named(Kind::Func, "\\" + name, {a, b});
      }
      return a;
    }
    std::vector<uint32_t> parts{a};
    while (!failed() && is_cmd(peek(), "cup")) {
      next();
      parts.push_back(additive());
    }
    return a_.add(Kind::Union, parts);
  }

  // ---- arithmetic ----
  uint32_t additive() {
    uint32_t first = unary_term();
    {
      const Token& k = peek();
      if (failed() || !(is_op(k, '+') || is_op(k, '-') || is_cmd(k, "pm") || is_cmd(k, "mp"))) return first;
    }
    std::vector<uint32_t> terms{first};
    while (!failed() && node_budget()) {
      const Token& k = peek();
      if (is_op(k, '+')) { next(); terms.push_back(unary_term()); }
      else if (is_op(k, '-')) { next(); uint32_t t = unary_term(); terms.push_back(a_.add(Kind::Neg, &t, 1)); }
      else if (is_cmd(k, "pm") || is_cmd(k, "mp")) {
        bool minus = k.text == "mp";
        next();
        uint32_t t = unary_term();
        if (minus) t = a_.add(Kind::Neg, &t, 1);
        uint32_t lhs = terms.size() == 1 ? terms[0] : a_.add(Kind::Add, terms);
        uint32_t pair[2] = {lhs, t};
        terms.assign(1, a_.add(Kind::PlusMinus, pair, 2));
      } else break;
    }
    return terms.size() == 1 ? terms[0] : a_.add(Kind::Add, terms);
  }

  uint32_t unary_term() {
    DepthGuard g(*this);
    if (!g.ok) return dummy();
    const Token& k = peek();
    if (is_op(k, '-')) { next(); uint32_t t = unary_term(); return a_.add(Kind::Neg, &t, 1); }
    if (is_op(k, '+')) { next(); return unary_term(); }
    if (is_cmd(k, "pm") || is_cmd(k, "mp")) {
      next();
      uint32_t pair[2] = {a_.add_number(Rational(0)), unary_term()};
      return a_.add(Kind::PlusMinus, pair, 2);
    }
    return term();
  }

  bool starts_factor(const Token& k) const {
    switch (k.type) {
      case Tok::Number: case Tok::Ident: case Tok::Func: case Tok::LParen: case Tok::LBrace: case Tok::Begin:
        return true;
      case Tok::Cmd:
        return k.text == "frac" || k.text == "sqrt" || k.text == "binom" || k.text == "pi" || k.text == "infty" ||
               k.text == "sum" || k.text == "prod" || k.text == "int" || k.text == "lim" || k.text == "overline" ||
               k.text == "dot" || k.text == "e" || k.text == "exp";
      case Tok::Op:
        return k.text == "|" && abs_depth_ == 0;
      default:
        return false;
    }
  }

  uint32_t term() {
    uint32_t first = power();
    {
      const Token& k = peek();
      bool more = is_op(k, '*') || is_op(k, '/') || k.type == Tok::Percent || k.type == Tok::Word ||
                  (k.type == Tok::Text && !is_separator_text(k.text)) || starts_factor(k);
      if (failed() || !more) return first;
    }
    std::vector<uint32_t> factors{first};
    while (!failed() && node_budget()) {
      const Token& k = peek();
      if (is_op(k, '*')) { next(); factors.push_back(power()); continue; }
      if (is_op(k, '/')) {
        next();
        uint32_t d = power();
        uint32_t num = factors.size() == 1 ? factors[0] : a_.add(Kind::Mul, factors);
        uint32_t pair[2] = {num, d};
        factors.assign(1, a_.add(Kind::Div, pair, 2));
        continue;
      }
      if (k.type == Tok::Percent) { next(); uint32_t f = factors.back(); factors.back() = a_.add(Kind::Percent, &f, 1); continue; }
      // Units after a quantity: "35 cm", "10\text{ units}", "64 square feet", "15\text{ cm}^2".
      if ((k.type == Tok::Word || (k.type == Tok::Text && !is_separator_text(k.text))) && has_number(factors)) {
        next();
        if (is_op(peek(), '^')) { next(); if (peek().type == Tok::LBrace) skip_group(); else next(); }
        continue;
      }
      if (k.type == Tok::Number && a_[factors.back()].kind == Kind::Number) {
        // "2 3": two numbers side by side are not a product anyone writes; refuse to guess.
        fail(ParseError::Syntax);
        break;
      }
      if (starts_factor(k)) {
        // Mixed number: 918\frac{1}{2} is 918 + 1/2.
        if (k.type == Tok::Cmd && k.text == "frac" && factors.size() == 1 && is_integer_literal(factors[0]) &&
            next_frac_is_numeric()) {
          uint32_t f = power();
          uint32_t pair[2] = {factors[0], f};
          factors[0] = a_.add(Kind::Add, pair, 2);
          continue;
        }
        factors.push_back(power());
        continue;
      }
      break;
    }
    return factors.size() == 1 ? factors[0] : a_.add(Kind::Mul, factors);
  }

  bool has_number(const std::vector<uint32_t>& factors) const {
    for (uint32_t f : factors) if (contains_number(f, 0)) return true;
    return false;
  }
  bool contains_number(uint32_t n, int depth) const {
    if (depth > 50) return false;
    const Node& node = a_[n];
    if (node.kind == Kind::Number || node.kind == Kind::Pi) return true;
    for (uint32_t k = 0; k < node.count; ++k)
      if (contains_number(a_.kids[node.first + k], depth + 1)) return true;
    return false;
  }
  bool is_integer_literal(uint32_t n) const {
    return a_[n].kind == Kind::Number && a_[n].decimals < 0 && a_.num(n).is_integer();
  }
  bool next_frac_is_numeric() const {
    // \frac { N } { N }
    return peek(1).type == Tok::LBrace && peek(2).type == Tok::Number && peek(3).type == Tok::RBrace &&
           peek(4).type == Tok::LBrace && peek(5).type == Tok::Number && peek(6).type == Tok::RBrace;
  }
  void skip_group() {
    int depth = 0;
    do {
      Tok ty = next().type;
      if (ty == Tok::LBrace) ++depth;
      else if (ty == Tok::RBrace) --depth;
      else if (ty == Tok::End) return;
    } while (depth > 0);
  }

  uint32_t power() {
    DepthGuard g(*this);
    if (!g.ok) return dummy();
    uint32_t base = postfix(primary());
    while (!failed() && is_op(peek(), '^')) {
      next();
      uint32_t e = script_arg();
      uint32_t pair[2] = {base, e};
      base = postfix(a_.add(Kind::Pow, pair, 2));
    }
    return base;
  }

  uint32_t postfix(uint32_t n) {
    while (!failed()) {
      if (is_op(peek(), '!')) { next(); n = a_.add(Kind::Factorial, &n, 1); continue; }
      if (is_op(peek(), '\'')) {
        next();
        if (a_[n].kind == Kind::Symbol) n = a_.add_named(Kind::Symbol, a_.str(n) + "'");
        else n = a_.add_named(Kind::Func, "prime", {n});
        continue;
      }
      break;
    }
    return n;
  }

  // The argument of ^ or _: a braced group, a number, or a single factor (x^-1 in plain text).
  uint32_t script_arg() {
    DepthGuard g(*this);
    if (!g.ok) return dummy();
    const Token& k = peek();
    if (k.type == Tok::LBrace) return group_arg();
    if (is_op(k, '-')) { next(); uint32_t t = script_arg(); return a_.add(Kind::Neg, &t, 1); }
    if (is_op(k, '+')) { next(); return script_arg(); }
    return postfix(primary());
  }

  // { relation } as one argument
  uint32_t group_arg() {
    DepthGuard g(*this);
    if (!g.ok) return dummy();
    if (!expect(Tok::LBrace)) return dummy();
    bool c, s, w;
    std::vector<uint32_t> items = list(Tok::RBrace, Tok::RBrace, c, s, w);
    if (failed()) return dummy();
    expect(Tok::RBrace);
    if (items.empty()) { fail(ParseError::Syntax); return dummy(); }
    return items.size() == 1 ? items[0] : a_.add(Kind::Set, items);
  }

  // Argument of \frac, \sqrt, \binom: a braced group or, unbraced, a single character (\frac12).
  uint32_t latex_arg() {
    DepthGuard g(*this);
    if (!g.ok) return dummy();
    Token& k = t_[pos_];
    if (k.type == Tok::LBrace) return group_arg();
    if (k.type == Tok::Number && k.text.size() > 1 && k.aux.empty() && k.text[0] != '.') {
      // Take one digit; leave the rest as the next token.
      uint32_t n = number_from(k.text.substr(0, 1), {});
      k.text = k.text.substr(1);
      k.space_before = false;
      return n;
    }
    if (k.type == Tok::Number || k.type == Tok::Ident || k.type == Tok::Cmd) return primary();
    fail(ParseError::Syntax);
    return dummy();
  }

  // Raw text of a subscript: a_{37} -> "37", F_{n-k-1} -> "n-k-1", a_3 -> "3".
  std::string subscript_text() {
    std::string s;
    if (peek().type == Tok::LBrace) {
      int depth = 0;
      do {
        Token k = next();
        if (k.type == Tok::LBrace) { if (depth++ > 0) s += '{'; continue; }
        if (k.type == Tok::RBrace) { if (--depth > 0) s += '}'; continue; }
        if (k.type == Tok::End) { fail(ParseError::Syntax); return s; }
        if (k.type == Tok::Cmd || (k.type == Tok::Ident && k.text.size() > 1)) s += '\\';
        s.append(k.text);
      } while (depth > 0 && !failed());
      return s;
    }
    Token k = next();
    if (k.type == Tok::Number) {  // a_37 in LaTeX is a_3 followed by 7; plain text means a_37
      s.append(k.text);
    } else if (k.type == Tok::End) {
      fail(ParseError::Syntax);
    } else {
      s.append(k.text);
    }
    return s;
  }

  uint32_t number_from(std::string_view digits, std::string_view aux) {
    size_t dot = digits.find('.');
    std::string_view ip = dot == std::string_view::npos ? digits : digits.substr(0, dot);
    std::string_view fp = dot == std::string_view::npos ? std::string_view() : digits.substr(dot + 1);
    if (digits.size() > limits_.max_digits || aux.size() > limits_.max_digits) { fail(ParseError::TooComplex); return dummy(); }
    BigInt ten(10), den;
    Rational v;
    if (ip.size() + fp.size() <= 18 && aux.empty()) {
      // Fast path: the value fits an int64 and the denominator is a power of ten below 10^18.
      int64_t n = 0, d = 1;
      for (char ch : ip) n = n * 10 + (ch - '0');
      for (char ch : fp) { n = n * 10 + (ch - '0'); d *= 10; }
      v = fp.empty() ? Rational(n) : Rational(BigInt(n), BigInt(d));
    } else {
      std::string all(ip);
      all.append(fp);
      if (all.empty()) all = "0";
      BigInt n;
      BigInt::from_decimal(all, n);
      den = ten.pow(fp.size());
      v = Rational(n, den);
    }
    int32_t decimals = -1;
    if (dot != std::string_view::npos) {
      size_t f = fp.size();
      while (f > 0 && fp[f - 1] == '0') --f;
      decimals = static_cast<int32_t>(f);
    }
    if (!aux.empty() && (aux[0] == 'e' || aux[0] == 'E')) {
      std::string_view ex = aux.substr(1);
      bool neg = !ex.empty() && ex[0] == '-';
      if (!ex.empty() && (ex[0] == '-' || ex[0] == '+')) ex.remove_prefix(1);
      if (ex.size() > 6) { fail(ParseError::TooComplex); return dummy(); }
      int64_t e = std::stoll(std::string(ex));
      if (e > static_cast<int64_t>(limits_.max_digits)) { fail(ParseError::TooComplex); return dummy(); }
      Rational scale(ten.pow(static_cast<uint64_t>(e)), BigInt(1));
      v = neg ? v / scale : v * scale;
      int32_t fd = decimals < 0 ? 0 : decimals;
      decimals = static_cast<int32_t>(neg ? fd + e : std::max<int64_t>(0, fd - e));
    } else if (!aux.empty()) {
      // Repeating block r after the written digits: x + r / (10^|fp| * (10^|r| - 1))
      BigInt r;
      BigInt::from_decimal(aux, r);
      BigInt block = ten.pow(aux.size()) - BigInt(1);
      v = v + Rational(r, ten.pow(fp.size()) * block);
      decimals = -1;
    }
    return a_.add_number(std::move(v), decimals);
  }

  uint32_t text_node(std::string_view raw) {
    std::string t = lower(trim_view(raw));
    // Multiple-choice letters: "(C)" and "C" are the same answer.
    if (t.size() == 3 && t[0] == '(' && t[2] == ')') t = t.substr(1, 1);
    return a_.add_named(Kind::Text, t);
  }

  uint32_t primary() {
    DepthGuard g(*this);
    if (!g.ok || !node_budget()) return dummy();
    Token k = peek();
    switch (k.type) {
      case Tok::Number: {
        next();
        // A numeral in another base, 204_5 or 4210_{5}: a name, equal only to the same numeral.
        if (k.aux.empty() && is_op(peek(), '_')) {
          next();
          return a_.add_named(Kind::Symbol, std::string(k.text) + "_" + subscript_text());
        }
        return number_from(k.text, k.aux);
      }
      case Tok::Ident: {
        next();
        if (k.text == "e" && !is_op(peek(), '_')) return a_.add(Kind::Euler);
        if (k.text == "i" && !is_op(peek(), '_')) return a_.add(Kind::Imag);
        std::string name(k.text);
        if (accept_op('_')) name += "_" + subscript_text();
        if (peek().type == Tok::LParen && !peek().space_before && is_function_letter(name)) {
          next();
          bool c, s, w;
          std::vector<uint32_t> args = list(Tok::RParen, Tok::RParen, c, s, w);
          expect(Tok::RParen);
          return a_.add_named(Kind::Func, name, args);
        }
        return a_.add_named(Kind::Symbol, name);
      }
      case Tok::Func: return function();
      case Tok::Cmd: return command();
      case Tok::LParen: case Tok::LBrack: return bracketed();
      case Tok::LBrace: {
        next();
        bool c, s, w;
        std::vector<uint32_t> items = list(Tok::RBrace, Tok::RBrace, c, s, w);
        expect(Tok::RBrace);
        if (failed()) return dummy();
        if (items.empty()) return a_.add(Kind::Set);
        if (items.size() == 1) return items[0];
        return a_.add(Kind::Set, items);
      }
      case Tok::LSet: {
        next();
        bool c, s, w;
        std::vector<uint32_t> items = list(Tok::RSet, Tok::RSet, c, s, w);
        expect(Tok::RSet);
        return a_.add(Kind::Set, items);
      }
      case Tok::Op:
        if (k.text == "|") {
          next();
          ++abs_depth_;
          uint32_t inner = additive();
          --abs_depth_;
          if (!accept_op('|')) { fail(ParseError::Syntax); return dummy(); }
          return a_.add(Kind::Abs, &inner, 1);
        }
        break;
      case Tok::Begin: return environment();
      case Tok::Text: {
        next();
        std::string_view raw = trim_view(k.text);
        if (!raw.empty() && is_digit(raw[0])) {  // \text{13}: a number written as text
          bool digits = true;
          for (char ch : raw) digits = digits && (is_digit(ch) || ch == '.');
          if (digits) return number_from(raw, {});
        }
        std::string joined(k.text);
        while (peek().type == Tok::Text || peek().type == Tok::Word) joined += " " + std::string(next().text);
        return text_node(joined);
      }
      case Tok::Word: {
        std::string joined;
        while (peek().type == Tok::Word || peek().type == Tok::Ident || peek().type == Tok::Text ||
               peek().type == Tok::Func || (peek().type == Tok::Sep && !joined.empty())) {
          if (!joined.empty()) joined += ' ';
          joined.append(next().text);
        }
        return text_node(joined);
      }
      default: break;
    }
    fail(ParseError::Syntax);
    return dummy();
  }

  uint32_t function() {
    Token k = next();
    std::string name(k.text);
    if (name == "tg") name = "tan";
    if (name == "ctg") name = "cot";
    if (name == "lg") name = "log10";
    uint32_t base = 0;
    bool has_base = false;
    if (accept_op('_')) {  // \log_2 x
      base = script_arg();
      has_base = true;
    }
    uint32_t power_of = 0;
    bool has_power = false;
    if (accept_op('^')) {  // \sin^2 x
      power_of = script_arg();
      has_power = true;
    }
    std::vector<uint32_t> args;
    if (peek().type == Tok::LParen) {
      next();
      bool c, s, w;
      args = list(Tok::RParen, Tok::RParen, c, s, w);
      expect(Tok::RParen);
    } else if (peek().type == Tok::LBrace) {
      args.push_back(group_arg());
    } else {
      args.push_back(power());
    }
    if (failed()) return dummy();
    if (args.empty()) { fail(ParseError::Syntax); return dummy(); }
    if (has_base) args.push_back(base);
    uint32_t f = a_.add_named(Kind::Func, name, args);
    if (has_power) {
      uint32_t pair[2] = {f, power_of};
      f = a_.add(Kind::Pow, pair, 2);
    }
    return f;
  }

  uint32_t command() {
    Token k = next();
    std::string_view c = k.text;
    if (c == "frac") {
      uint32_t num = latex_arg();
      uint32_t den = latex_arg();
      uint32_t pair[2] = {num, den};
      return a_.add(Kind::Div, pair, 2);
    }
    if (c == "binom") {
      uint32_t n = latex_arg();
      uint32_t r = latex_arg();
      uint32_t pair[2] = {n, r};
      return a_.add(Kind::Binom, pair, 2);
    }
    if (c == "sqrt") {
      uint32_t index = 0;
      bool has_index = false;
      if (peek().type == Tok::LBrack) {
        next();
        index = additive();
        expect(Tok::RBrack);
        has_index = true;
      }
      uint32_t radicand = latex_arg();
      uint32_t pair[2] = {radicand, has_index ? index : a_.add_number(Rational(2))};
      return a_.add(Kind::Root, pair, 2);
    }
    if (c == "pi") return a_.add(Kind::Pi);
    if (c == "e") return a_.add(Kind::Euler);
    if (c == "exp") { --pos_; t_[pos_].type = Tok::Func; return function(); }
    if (c == "infty") return a_.add(Kind::Infinity, nullptr, 0, '+');
    if (c == "emptyset") return a_.add(Kind::Set);
    if (c == "overline" || c == "dot" || c == "mathbb") {
      std::string name = std::string(c) + "{" + subscript_text() + "}";
      return a_.add_named(Kind::Symbol, name);
    }
    if (c == "sum" || c == "prod" || c == "int" || c == "lim" || c == "iint" || c == "oint") {
      // Opaque constructs: compared by their canonical form, never evaluated.
      std::vector<uint32_t> parts;
      if (accept_op('_')) parts.push_back(script_arg()); else parts.push_back(a_.add_named(Kind::Text, ""));
      if (accept_op('^')) parts.push_back(script_arg()); else parts.push_back(a_.add_named(Kind::Text, ""));
      parts.push_back(term());
      return a_.add_named(Kind::Opaque, std::string(c), parts);
    }
    fail(ParseError::Syntax);
    return dummy();
  }

  // ( .. ), [ .. ], and the mixed forms of intervals.
  uint32_t bracketed() {
    Token open = next();
    bool c, s, w;
    std::vector<uint32_t> items = list(Tok::RParen, Tok::RBrack, c, s, w);
    if (failed()) return dummy();
    Token close = peek();
    if (close.type != Tok::RParen && close.type != Tok::RBrack) { fail(ParseError::Syntax); return dummy(); }
    next();
    bool open_round = open.type == Tok::LParen, close_round = close.type == Tok::RParen;
    if (items.empty()) { return a_.add(Kind::Tuple, items, '('); }
    if (items.size() == 1) {
      if (open_round != close_round) { fail(ParseError::Syntax); return dummy(); }
      return items[0];  // grouping
    }
    if (items.size() == 2 && (!open_round || !close_round)) {
      char flags = static_cast<char>((open_round ? 0 : 1) | (close_round ? 0 : 2));
      return a_.add(Kind::Interval, items, flags);
    }
    return a_.add(Kind::Tuple, items, open_round ? '(' : '[');
  }

  uint32_t environment() {
    Token b = next();
    std::string_view env = b.text;
    std::vector<uint32_t> cells;
    size_t cols = 0, row_len = 0, rows = 0;
    bool ragged = false;
    while (!failed()) {
      const Token& k = peek();
      if (k.type == Tok::EndEnv) { next(); break; }
      if (k.type == Tok::End) { fail(ParseError::Syntax); return dummy(); }
      if (k.type == Tok::RowSep) {
        next();
        if (row_len > 0) {
          if (cols == 0) cols = row_len;
          else if (cols != row_len) ragged = true;
          ++rows;
        }
        row_len = 0;
        continue;
      }
      if (is_op(k, '&')) { next(); continue; }
      cells.push_back(relation());
      ++row_len;
      if (cells.size() > limits_.max_set_elements) { fail(ParseError::TooComplex); return dummy(); }
    }
    if (failed()) return dummy();
    if (row_len > 0) {
      if (cols == 0) cols = row_len;
      else if (cols != row_len) ragged = true;
      ++rows;
    }
    bool matrix = env.find("matrix") != std::string_view::npos || env == "array";
    if (!matrix) {
      // align/cases/gathered: the cells as a list
      if (cells.size() == 1) return cells[0];
      return a_.add(Kind::Set, cells, 'b');
    }
    if (ragged || rows == 0) { fail(ParseError::Syntax); return dummy(); }
    uint32_t m = a_.add(Kind::Matrix, cells);
    a_.nodes[m].rows = static_cast<uint16_t>(rows);
    a_.nodes[m].cols = static_cast<uint16_t>(cols);
    if (env == "vmatrix") return a_.add_named(Kind::Func, "det", {m});
    return m;
  }

  std::vector<Token>& t_;
  size_t pos_ = 0;
  Arena& a_;
  const Limits& limits_;
  int depth_ = 0;
  int abs_depth_ = 0;
  ParseError error_ = ParseError::None;
};

}  // namespace

ParseResult parse_answer(std::string_view normalized, Arena& arena, const Limits& limits) {
  thread_local std::vector<Token> tokens;
  if (!lex(normalized, tokens, limits.max_nodes)) return ParseResult{0, ParseError::TooComplex};
  // Bracket nesting beyond the depth limit is rejected before recursion starts.
  int depth = 0, max_depth = 0;
  for (const Token& t : tokens) {
    if (t.type == Tok::LParen || t.type == Tok::LBrack || t.type == Tok::LBrace || t.type == Tok::LSet ||
        t.type == Tok::Begin)
      max_depth = std::max(max_depth, ++depth);
    else if (t.type == Tok::RParen || t.type == Tok::RBrack || t.type == Tok::RBrace || t.type == Tok::RSet ||
             t.type == Tok::EndEnv)
      --depth;
  }
  if (max_depth > limits.max_bracket_depth) return ParseResult{0, ParseError::TooComplex};
  size_t first_node = arena.nodes.size();
  Parser p(tokens, arena, limits);
  ParseResult r = p.run();
  if (r.error != ParseError::None) return r;
  // Tree depth, computed bottom-up (children are always created before their parent): chains such
  // as 2^2^2^... are built by loops, not recursion, so the parser's own guard does not see them.
  thread_local std::vector<uint16_t> depth_of;
  depth_of.assign(arena.nodes.size() - first_node, 1);
  for (size_t i = first_node; i < arena.nodes.size(); ++i) {
    const Node& n = arena.nodes[i];
    uint16_t d = 1;
    for (uint32_t k = 0; k < n.count; ++k) {
      uint32_t c = arena.kids[n.first + k];
      if (c >= first_node) d = std::max<uint16_t>(d, static_cast<uint16_t>(depth_of[c - first_node] + 1));
    }
    depth_of[i - first_node] = d;
    if (d > limits.max_tree_depth) return ParseResult{0, ParseError::TooComplex};
  }
  return r;
}

}  // namespace veritrace
