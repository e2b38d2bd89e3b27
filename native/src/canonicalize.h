#pragma once
// Step 4b: canonical forms. `prepare` rewrites an answer into the shape that is compared
// (x = 5 -> 5, x \in S -> S, a < x < b -> (a, b), a \pm b -> {a+b, a-b}); `print` spells a
// prepared tree canonically (exact values reduced, commutative operands and sets sorted), which
// is the key used to group equivalent answers.
#include <string>

#include "budget.h"
#include "expr.h"

namespace veritrace {

struct Options;

/** True when a relation's left side names the answer (x, a_3, f(x), |AB|, (p,q), A:B) rather than constraining it. */
bool is_naming_lhs(const Arena& a, uint32_t lhs);

/** The value a relation states (x = 5 -> 5; chains -> last; x \in S -> S), or `node` itself. */
uint32_t relation_value(Arena& a, uint32_t node);

/** Answer-level rewrites shared by compare and print. */
uint32_t prepare(Arena& a, uint32_t node, Budget& budget);

std::string print(const Arena& a, uint32_t node, Budget& budget, int depth = 0, bool evaluate = true);

}  // namespace veritrace
