#pragma once
// The expression tree shared by parse, canonicalize and compare. Nodes live in one arena per
// answer (indices, not pointers) so that a tree is freed in one step and copying is cheap.
#include <cstdint>
#include <string>
#include <vector>

#include "rational.h"

namespace veritrace {

enum class Kind : uint8_t {
  Number,     // exact rational; `decimals` >= 0 when written as a decimal literal
  Symbol,     // name in `text` (x, a_{3}, f')
  Pi, Euler, Imag, Infinity,  // constants; Infinity's sign is in `op` ('+' / '-')
  Add,        // n-ary
  Mul,        // n-ary
  Neg,
  Div,        // binary
  Pow,        // binary
  Root,       // (radicand, index)
  Func,       // named function in `text`, arguments as children (sin, log, f, ...)
  Factorial,
  Abs,
  Binom,      // (n, k)
  PlusMinus,  // (a, b) = a ± b; unary ±b is (0, b)
  Percent,    // x%
  Relation,   // chain: children e0 op1 e1 op2 e2 ..., ops in `ops` (one per link)
  Set,        // {a, b}; `op` = 'b' for a bare list "a, b"
  Tuple,      // (a, b); `op` = '(' or '[' for the bracket used
  Interval,   // (lo, hi); `op` bit 1 = left closed, bit 2 = right closed
  Union,      // n-ary union of sets/intervals
  Matrix,     // rows * cols children, row-major; `rows`/`cols`
  Ratio,      // a : b
  Text,       // a text answer in `text` (lower-cased, single-spaced)
  Opaque,     // a construct the engine cannot evaluate (\sum, \int, ...): compared by its form
};

enum class RelOp : uint8_t { Eq, Neq, Lt, Le, Gt, Ge, Approx, In };

struct Node {
  Kind kind;
  char op = 0;
  int32_t decimals = -1;    // Number: decimals written (trailing zeros removed); -1 when not a decimal
  uint32_t first = 0;       // children: arena.kids[first .. first + count)
  uint32_t count = 0;
  uint32_t value = 0;       // Number: index into arena.numbers; Symbol/Func/Text/Opaque: index into arena.strings
  uint32_t rels = 0;        // Relation: index of first op in arena.relops
  uint16_t rows = 0, cols = 0;
};

struct Arena {
  std::vector<Node> nodes;
  std::vector<uint32_t> kids;
  std::vector<Rational> numbers;
  std::vector<std::string> strings;
  std::vector<RelOp> relops;

  void clear() { nodes.clear(); kids.clear(); numbers.clear(); strings.clear(); relops.clear(); }
  const Node& operator[](uint32_t i) const { return nodes[i]; }
  uint32_t child(uint32_t n, uint32_t k) const { return kids[nodes[n].first + k]; }
  const std::string& str(uint32_t n) const { return strings[nodes[n].value]; }
  const Rational& num(uint32_t n) const { return numbers[nodes[n].value]; }

  uint32_t add(Kind k, const uint32_t* children = nullptr, uint32_t n = 0, char op = 0) {
    Node node;
    node.kind = k;
    node.op = op;
    node.first = static_cast<uint32_t>(kids.size());
    node.count = n;
    kids.insert(kids.end(), children, children + n);
    nodes.push_back(node);
    return static_cast<uint32_t>(nodes.size() - 1);
  }
  uint32_t add(Kind k, const std::vector<uint32_t>& children, char op = 0) {
    return add(k, children.data(), static_cast<uint32_t>(children.size()), op);
  }
  uint32_t add_number(Rational v, int32_t decimals = -1) {
    numbers.push_back(std::move(v));
    uint32_t n = add(Kind::Number);
    nodes[n].value = static_cast<uint32_t>(numbers.size() - 1);
    nodes[n].decimals = decimals;
    return n;
  }
  uint32_t add_named(Kind k, std::string name, const std::vector<uint32_t>& children = {}) {
    strings.push_back(std::move(name));
    uint32_t n = add(k, children);
    nodes[n].value = static_cast<uint32_t>(strings.size() - 1);
    return n;
  }
};

}  // namespace veritrace
