#!/usr/bin/env bash
# Installs clang with the libFuzzer and sanitizer runtimes from Debian when they are missing.
# Used by scripts/fuzz.sh; needs root (or sudo) and the Debian archive. Prints the clang++ to use.
set -euo pipefail

# A clang++ can build the fuzzer when it links -fsanitize=fuzzer (libclang_rt.fuzzer is in libclang-rt-*-dev).
can_fuzz() {
  local cxx="$1" tmp
  command -v "$cxx" >/dev/null 2>&1 || return 1
  tmp="$(mktemp -d)"
  printf '#include <cstddef>\n#include <cstdint>\nextern "C" int LLVMFuzzerTestOneInput(const uint8_t*, size_t) { return 0; }\n' >"$tmp/t.cc"
  if "$cxx" -fsanitize=fuzzer,address,undefined "$tmp/t.cc" -o "$tmp/t" >/dev/null 2>&1; then
    rm -rf "$tmp"; return 0
  fi
  rm -rf "$tmp"; return 1
}

find_clang() {
  local cxx
  for cxx in "${CXX_FUZZ:-}" clang++ clang++-19 clang++-18 clang++-17 clang++-16 clang++-15 clang++-14; do
    [ -n "$cxx" ] || continue
    if can_fuzz "$cxx"; then echo "$cxx"; return 0; fi
  done
  return 1
}

if cxx="$(find_clang)"; then echo "$cxx"; exit 0; fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null 2>&1 || { echo "install-clang: need root or sudo to apt-get install clang" >&2; exit 1; }
  SUDO="sudo"
fi
command -v apt-get >/dev/null 2>&1 || { echo "install-clang: no apt-get; install clang with libFuzzer yourself and set CXX_FUZZ" >&2; exit 1; }

echo "install-clang: installing clang from Debian" >&2
$SUDO apt-get update -qq >&2
# The unversioned `clang` package pulls the default version; the runtimes (libclang_rt.fuzzer, asan, ubsan)
# come with it on Debian 12 through libclang-common-N-dev, and in libclang-rt-N-dev on later releases.
ver="$(apt-cache policy clang | sed -n 's/^ *Candidate: *1:\([0-9]*\).*/\1/p')"
pkgs=(clang)
if [ -n "$ver" ] && apt-cache show "libclang-rt-$ver-dev" >/dev/null 2>&1; then pkgs+=("libclang-rt-$ver-dev"); fi
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${pkgs[@]}" >&2

if cxx="$(find_clang)"; then echo "$cxx"; exit 0; fi
echo "install-clang: clang installed but cannot link -fsanitize=fuzzer,address,undefined" >&2
exit 1
