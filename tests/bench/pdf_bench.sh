#!/usr/bin/env bash
# pdf_bench.sh - PDF throughput and memory: N fixture PDFs (seven layouts,
# drawn by tests/tools/mkpdf) converted as one zip bundle, then the same
# for N/4 files, so a flat peak RSS shows that pages and reports are
# released as they are read.  Prints pages/s and reports/s (CPU time).
#   bash tests/bench/pdf_bench.sh BUILD [N]     (a Release build is meant)
set -euo pipefail
build=$1
n=${2:-200}
src=$(cd "$(dirname "$0")/../.." && pwd)
bin="$build/bin/nianbao"
mkpdf="$build/tests/tools/mkpdf"
[ -x "$mkpdf" ] || { echo "pdf_bench: $mkpdf not built (needs cairo)"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
text="$src/tests/data/pdf/qingshi_shenji_2024.txt"
layouts=("" "-l" "-w" "-s 1234 -c" "-b" "-p 17" "-r")
pages=0
mkdir "$tmp/pdf"
for i in $(seq 1 "$n"); do
  # shellcheck disable=SC2086
  ASAN_OPTIONS=detect_leaks=0 "$mkpdf" ${layouts[$((i % 7))]} "$text" "$tmp/pdf/r$i.pdf"
done
if command -v pdfinfo >/dev/null; then
  for f in "$tmp"/pdf/*.pdf; do pages=$((pages + $(pdfinfo "$f" | awk '/^Pages/{print $2}'))); done
fi
run() { # run NAME FILES...: CPU seconds and peak RSS of one conversion
  local name=$1
  shift
  /usr/bin/time -f "%U %S %M" -o "$tmp/time" "$bin" convert -q -j 1 "$@" -t ndjson -o "$tmp/out.ndjson"
  read -r user sys rss <"$tmp/time"
  echo "$name $(wc -l <"$tmp/out.ndjson") $user $sys $rss"
}
(cd "$tmp/pdf" && zip -q ../bundle.zip ./*.pdf)
mapfile -t quarter < <(ls "$tmp"/pdf/*.pdf | head -n $((n / 4)))
{
  run "files_$((n / 4))" "${quarter[@]}"
  run "bundle_$n" "$tmp/bundle.zip"
} | awk -v pages="$pages" -v n="$n" '{
  cpu = $3 + $4; printf "%-12s %4d reports  %6.2f s CPU  %7.1f reports/s", $1, $2, cpu, $2 / (cpu > 0 ? cpu : 1e-9)
  if ($1 ~ /^bundle/ && pages > 0) printf "  %7.1f pages/s", pages / (cpu > 0 ? cpu : 1e-9)
  printf "  peak RSS %d KB\n", $5 }'
