#!/usr/bin/env bash
# A Release build with profile-guided and link-time optimisation (GCC):
# build with instrumentation, convert the project's own examples and test
# inputs in every output format (the training run), build again with the
# profiles.  LTO lets the profiles inline across files: PGO alone gave
# about half of the gain of both.  The result is an ordinary build tree;
# its outputs are byte-for-byte those of a plain build (tests/pgo_same.sh
# checks them in scripts/test.sh), only faster: docs/performance.md, and
# the lead's section of the fourteenth round in docs/performance-history.md.
# Usage: scripts/build-pgo.sh [build-dir [more cmake -D options]]
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build-pgo}
shift || true
jobs=$(nproc 2>/dev/null || echo 2)
# The build's log is shown only when it fails or warns.
quiet_build() {
  if ! cmake --build "$build" -j "$jobs" >"$build/pgo-build.log" 2>&1; then
    cat "$build/pgo-build.log"; exit 1
  fi
  grep -A3 'warning:' "$build/pgo-build.log" || true
}

cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release -DNB_BUILD_TESTS=OFF -DNB_PGO=GEN \
      -DCMAKE_INTERPROCEDURAL_OPTIMIZATION=ON "$@" >/dev/null
quiet_build
find "$build" -name '*.gcda' -delete # profiles of an older build would mislead

# The training inputs: what the project itself ships, in every layout the
# readers take (plain and GBK text, markdown, TSV, HTML, archives, JSON).
mapfile -t inputs < <(find examples tests/data tests/cases -type f \
    \( -name '*.txt' -o -name '*.md' -o -name '*.tsv' -o -name '*.html' -o -name '*.zip' \
       -o -name '*.tar.gz' -o -name '*.json' \) ! -name 'expected*' ! -name 'README*' | sort)
nb="$build/bin/nianbao"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
for _ in 1 2 3; do
  for to in ndjson csv json; do
    "$nb" convert -q -j 1 -t "$to" "${inputs[@]}" -o "$out/o.$to" 2>/dev/null || true
  done
  "$nb" validate "${inputs[@]}" >/dev/null 2>&1 || true
done
"$nb" convert -q -j 2 -t ndjson "${inputs[@]}" -o "$out/o2.ndjson" 2>/dev/null || true
"$nb" convert -q -j 1 "${inputs[@]}" -o "$out/o.xlsx" 2>/dev/null || true

cmake -S . -B "$build" -DNB_PGO=USE >/dev/null
quiet_build
echo "build-pgo: $nb (profile-guided, LTO; trained on ${#inputs[@]} inputs)"
