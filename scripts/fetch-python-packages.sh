#!/usr/bin/env bash
# Fetches the pure-Python packages the sandbox offers (sympy, mpmath) from Debian 13 (trixie) and unpacks
# them into a cache directory. Nothing is installed on the system: apt runs with a private sources list,
# state and cache under .veritrace-cache/apt, and the .deb files are only unpacked with `dpkg -x`.
#
#   scripts/fetch-python-packages.sh [DEST]      (default: $VERITRACE_PYTHON_PACKAGES or .veritrace-cache/python-packages)
#
# Needs apt-get, dpkg-deb and network access to deb.debian.org. Idempotent: exits at once when DEST
# already holds both packages. Other users can point the sandbox at any directory that holds `sympy/`
# and `mpmath/` (see docs/sandbox.md).
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
dest="${1:-${VERITRACE_PYTHON_PACKAGES:-$root/.veritrace-cache/python-packages}}"
packages=(python3-sympy python3-mpmath)
modules=(sympy mpmath)

have_all=1
for m in "${modules[@]}"; do [ -f "$dest/$m/__init__.py" ] || have_all=0; done
if [ "$have_all" = 1 ]; then exit 0; fi

for tool in apt-get dpkg-deb; do
  command -v "$tool" >/dev/null || { echo "fetch-python-packages: '$tool' not found; put sympy/ and mpmath/ into $dest yourself (docs/sandbox.md)" >&2; exit 1; }
done

apt_dir="$root/.veritrace-cache/apt"
mkdir -p "$apt_dir"
# Test files may call this at the same time: one fetches, the others wait and then find the result.
exec 9>"$apt_dir/.lock"
flock 9
have_all=1
for m in "${modules[@]}"; do [ -f "$dest/$m/__init__.py" ] || have_all=0; done
if [ "$have_all" = 1 ]; then exit 0; fi
keyring=/usr/share/keyrings/debian-archive-keyring.gpg
mkdir -p "$apt_dir"/{etc/apt.conf.d,etc/preferences.d,etc/trusted.gpg.d,state/lists/partial,cache/archives/partial,debs,unpacked}
echo "deb [signed-by=$keyring] http://deb.debian.org/debian trixie main" >"$apt_dir/etc/sources.list"
apt_opts=(
  -o "Dir::Etc=$apt_dir/etc" -o "Dir::Etc::SourceList=$apt_dir/etc/sources.list" -o "Dir::Etc::SourceParts=-"
  -o "Dir::State=$apt_dir/state" -o "Dir::State::Lists=$apt_dir/state/lists" -o "Dir::Cache=$apt_dir/cache"
  -o "Dir::State::status=/dev/null" -o "Debug::NoLocking=1" -o "APT::Sandbox::User=$(id -un)" -q
)
apt-get "${apt_opts[@]}" update >&2
(cd "$apt_dir/debs" && rm -f ./*.deb && apt-get "${apt_opts[@]}" download "${packages[@]}" >&2)

rm -rf "$apt_dir/unpacked" && mkdir -p "$apt_dir/unpacked"
for deb in "$apt_dir"/debs/*.deb; do
  echo "fetch-python-packages: unpacking $(basename "$deb")" >&2
  dpkg-deb -x "$deb" "$apt_dir/unpacked"
done

mkdir -p "$dest"
for m in "${modules[@]}"; do
  src="$apt_dir/unpacked/usr/lib/python3/dist-packages/$m"
  [ -f "$src/__init__.py" ] || { echo "fetch-python-packages: $m not found in the downloaded packages" >&2; exit 1; }
  rm -rf "${dest:?}/$m.tmp" && cp -rp "$src" "$dest/$m.tmp" && rm -rf "${dest:?}/$m" && mv "$dest/$m.tmp" "$dest/$m"
done
grep -h '^Version' "$apt_dir"/unpacked/usr/lib/python3/dist-packages/{sympy,mpmath}-*/METADATA 2>/dev/null >&2 || true
echo "fetch-python-packages: ${modules[*]} ready in $dest" >&2
