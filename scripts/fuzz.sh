#!/usr/bin/env bash
# Builds the libFuzzer target over the C++ core (clang, -fsanitize=fuzzer,address,undefined) and runs it.
#   scripts/fuzz.sh                         build, then fuzz until the first crash (Ctrl-C to stop)
#   scripts/fuzz.sh -max_total_time=600     any libFuzzer flag is passed through
#   scripts/fuzz.sh --build-only            build only
#   scripts/fuzz.sh path/to/crash-file      replay one input (libFuzzer runs files given as arguments)
# Outputs under fuzz-out/ (git-ignored): corpus/ (grows), artifacts/ (crash-*, timeout-*, leak-*, oom-*).
# docs/fuzzing.md explains how to read a crash.
set -euo pipefail
cd "$(dirname "$0")/.."

CXX_FUZZ="$(bash scripts/install-clang.sh)"
BUILD=build/fuzz
OUT=fuzz-out
mkdir -p "$BUILD" "$OUT/corpus" "$OUT/artifacts"

mapfile -t SOURCES < <(grep -v '^\s*$' native/sources.txt)
BIN="$BUILD/fuzz_verify"
# Rebuild when a source, a header or the target changed.
if [ ! -x "$BIN" ] || [ -n "$(find native/src native/include native/fuzz native/sources.txt -newer "$BIN" -print -quit)" ]; then
  echo "fuzz: building $BIN with $CXX_FUZZ" >&2
  "$CXX_FUZZ" -std=c++17 -g -O1 -fno-omit-frame-pointer \
    -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
    -Inative/include -Inative/src \
    "${SOURCES[@]}" native/fuzz/fuzz_verify.cc -o "$BIN"
fi

SEEDS="$BUILD/seeds"
CASES="${VERITRACE_CASES:-}"
if [ -z "$CASES" ]; then
  for c in ../shared/corpus/verdict_cases.jsonl /work/shared/corpus/verdict_cases.jsonl; do
    if [ -f "$c" ]; then CASES="$c"; break; fi
  done
fi
if [ ! -d "$SEEDS" ] && [ -n "$CASES" ]; then
  node native/fuzz/make-seeds.mjs "$CASES" "$SEEDS"
fi
mkdir -p "$SEEDS"

if [ "${1:-}" = "--build-only" ]; then echo "$BIN"; exit 0; fi

# A file argument means "replay these inputs"; otherwise fuzz with the corpus directories.
for arg in "$@"; do
  if [ -f "$arg" ]; then exec "$BIN" -timeout=10 "$@"; fi
done

export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:allocator_may_return_null=0}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
exec "$BIN" "$OUT/corpus" "$SEEDS" \
  -dict=native/fuzz/latex.dict \
  -artifact_prefix="$OUT/artifacts/" \
  -max_len=16384 -timeout=5 -rss_limit_mb=2048 -malloc_limit_mb=1024 \
  -print_final_stats=1 \
  "$@"
