#!/usr/bin/env bash
# The profile-guided build (scripts/build-pgo.sh) must write exactly what a
# plain build writes: every example, test input and seed (when present) to
# JSON, CSV and validate --json, one file at a time and all together as
# NDJSON at -j 1 and -j 2.  Usage: tests/pgo_same.sh PGO_BUILD PLAIN_BUILD
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
pgo="$1/bin/nianbao" plain="$2/bin/nianbao"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$src"
mapfile -t inputs < <({ find examples tests/data tests/cases -type f \
    \( -name '*.txt' -o -name '*.md' -o -name '*.tsv' -o -name '*.html' -o -name '*.zip' \
       -o -name '*.tar.gz' -o -name '*.json' -o -name '*.docx' -o -name '*.pdf' \) \
    ! -name 'expected*' ! -name 'README*'; ls ../shared/seeds/*.txt 2>/dev/null || true; } | sort)
# Each build's outputs of one command, in its own folder, then compared.
outputs() { # BIN DIR
  mkdir -p "$2"
  local i=0
  for f in "${inputs[@]}"; do
    i=$((i+1))
    "$1" convert -q -t json "$f" -o - >"$2/$i.json" 2>&1 || echo "rc=$?" >>"$2/$i.json"
    "$1" convert -q -t csv "$f" -o - >"$2/$i.csv" 2>&1 || echo "rc=$?" >>"$2/$i.csv"
    "$1" validate --json "$f" >"$2/$i.val" 2>&1 || echo "rc=$?" >>"$2/$i.val"
  done
  "$1" convert -q -j 1 -t ndjson "${inputs[@]}" -o - >"$2/all1.ndjson" 2>/dev/null || true
  "$1" convert -q -j 2 -t ndjson "${inputs[@]}" -o - >"$2/all2.ndjson" 2>/dev/null || true
}
outputs "$pgo" "$tmp/pgo"
outputs "$plain" "$tmp/plain"
if ! diff -r "$tmp/plain" "$tmp/pgo" >"$tmp/diff"; then
  echo "pgo_same: the profile-guided build writes differently:"; head -20 "$tmp/diff"; exit 1
fi
echo "pgo_same: ${#inputs[@]} inputs, outputs identical"
