#!/usr/bin/env bash
# Runs the CLI over the bundled examples and the seeds (when present) under
# valgrind; any error or definite leak fails.  Usage: tests/valgrind.sh BUILD
set -euo pipefail
build=$1
src=$(cd "$(dirname "$0")/.." && pwd)
bin="$build/bin/nianbao"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
vg=(valgrind --quiet --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite
    --track-origins=yes)
inputs=("$src/examples/reports")
[ -d "$src/../shared/seeds" ] && inputs+=("$src/../shared/seeds")
# Word reports (libarchive + libxml2): two producer styles, made here
if command -v python3 >/dev/null; then
  for style in word layout; do
    python3 "$src/tests/data/docx/make_docx.py" report "$style" "$tmp/$style.docx" 7
    inputs+=("$tmp/$style.docx")
  done
fi
n=0
for fmt in json ndjson csv xlsx html; do
  [ -e "$build/plugins/nianbao-out-$fmt.so" ] || continue
  "${vg[@]}" "$bin" convert -q "${inputs[@]}" -o "$tmp/out.$fmt" || { echo "valgrind: convert -t $fmt failed"; exit 1; }
  n=$((n+1))
done
"${vg[@]}" "$bin" validate -v "${inputs[@]}" >/dev/null || [ $? -eq 1 ] || { echo "valgrind: validate failed"; exit 1; }
n=$((n+1))
# One agency's years in one run: readings kept, the hold-back window,
# cross-year settling; with -j 2 (reading on the workers) and --isolate
# (forked children read and valgrind checks them too: a child's error
# fails its input, so the run exits 65).
xy=("$src"/tests/data/xyear/*.txt)
"${vg[@]}" "$bin" convert -q -j 2 "${xy[@]}" -o "$tmp/xy.ndjson" || { echo "valgrind: cross-year -j 2 failed"; exit 1; }
"${vg[@]}" "$bin" convert -q --isolate "${xy[@]}" -o "$tmp/xy.csv" ||
  { echo "valgrind: cross-year --isolate failed"; exit 1; }
n=$((n+2))
# Copies of one agency-year at -j 2: the writing thread adds each copy's
# duplicate finding and frees it before the worker frees the report.
mkdir "$tmp/copies"
for i in 1 2 3 4 5 6 7 8; do cp "$src/examples/reports/qingshan-culture-2023.txt" "$tmp/copies/c$i.txt"; done
"${vg[@]}" "$bin" convert -q -j 2 "$tmp/copies" -o "$tmp/copies.ndjson" ||
  { echo "valgrind: copies at -j 2 failed"; exit 1; }
[ "$(grep -o '"R-X-DUPLICATE"' "$tmp/copies.ndjson" | wc -l)" -eq 7 ] ||
  { echo "valgrind: copies at -j 2 lost their duplicate findings"; exit 1; }
n=$((n+1))
# A PDF through poppler (glib keeps deliberate "still reachable" memory;
# only definite leaks count), drawn by the test tool when both are built.
if [ -e "$build/plugins/nianbao-in-pdf.so" ] && [ -x "$build/tests/tools/mkpdf" ]; then
  ASAN_OPTIONS=detect_leaks=0 "$build/tests/tools/mkpdf" -b -p 30 \
    "$src/tests/data/pdf/qingshi_shenji_2024.txt" "$tmp/report.pdf"
  "${vg[@]}" "$bin" convert -q "$tmp/report.pdf" -o "$tmp/pdf.json" || { echo "valgrind: convert PDF failed"; exit 1; }
  n=$((n+1))
fi
echo "valgrind: $n passed, 0 failed"
