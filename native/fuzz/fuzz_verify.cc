// libFuzzer target over the C++ core (no Node): verify() and canonical() on arbitrary bytes, with the
// default options and with options taken from the input. Built by scripts/fuzz.sh with
// -fsanitize=fuzzer,address,undefined; docs/fuzzing.md says how to run it and read a crash.
//
// Input layout: byte 0 selects the options, the rest is "gold \0 pred" (without a NUL byte the rest is
// cut in half). With VERITRACE_FUZZ_INVARIANTS=1 the target also checks two contracts of the API and
// aborts when one fails: verify() gives the same result when called twice on the same input, and equal
// canonical keys imply a correct verdict (verify.h: "equal keys imply equivalent answers").
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>

#include "veritrace/verify.h"

namespace {

bool g_check_invariants = false;

veritrace::Options options_from(uint8_t selector) {
  veritrace::Options opts;
  opts.float_rounding = selector & 0x0f;  // 0..15 decimals
  opts.strict = (selector & 0x10) == 0;
  opts.allow_set_relation_comp = (selector & 0x20) != 0;
  return opts;
}

[[noreturn]] void invariant_failed(const char* what, std::string_view gold, std::string_view pred) {
  std::fprintf(stderr, "veritrace fuzz invariant failed: %s\n  gold: %.*s\n  pred: %.*s\n", what,
               static_cast<int>(gold.size()), gold.data(), static_cast<int>(pred.size()), pred.data());
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  const char* env = std::getenv("VERITRACE_FUZZ_INVARIANTS");
  g_check_invariants = env != nullptr && std::strcmp(env, "1") == 0;
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const veritrace::Options varied = options_from(data[0]);
  const veritrace::Options defaults;
  std::string_view rest(reinterpret_cast<const char*>(data + 1), size - 1);

  std::string_view gold, pred;
  const size_t nul = rest.find('\0');
  if (nul != std::string_view::npos) {
    gold = rest.substr(0, nul);
    pred = rest.substr(nul + 1);
  } else {
    gold = rest.substr(0, rest.size() / 2);
    pred = rest.substr(rest.size() / 2);
  }

  const veritrace::Result a = veritrace::verify(gold, pred, defaults);
  const veritrace::Result b = veritrace::verify(gold, pred, varied);
  const veritrace::Result c = veritrace::verify(pred, gold, varied);
  const std::string key_gold = veritrace::canonical(gold, defaults);
  const std::string key_pred = veritrace::canonical(pred, defaults);
  (void)veritrace::canonical(rest, varied);
  // The names must exist for every value the engine returns.
  if (!veritrace::status_name(a.status) || !veritrace::method_name(a.method)) __builtin_trap();
  if (!veritrace::status_name(c.status) || !veritrace::method_name(c.method)) __builtin_trap();

  if (g_check_invariants) {
    const veritrace::Result again = veritrace::verify(gold, pred, varied);
    if (again.status != b.status || again.gold != b.gold || again.pred != b.pred) {
      invariant_failed("verify() is not deterministic", gold, pred);
    }
    if (!key_gold.empty() && key_gold == key_pred && a.status != veritrace::Status::Correct &&
        a.status != veritrace::Status::TooComplex) {
      invariant_failed("equal canonical keys but the verdict is not correct", gold, pred);
    }
  }
  return 0;
}
