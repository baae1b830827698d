#!/usr/bin/env bash
# fuzz.sh - builds the libFuzzer targets and runs each one.
#   scripts/fuzz.sh [SECONDS] [BUILD]   (default: 10 s each, build-fuzz)
# Seed corpora are made from the project's own fixtures (tests/data,
# examples) and from nianbao's JSON output of them, in BUILD/fuzz/corpus;
# findings go to BUILD/fuzz/findings.  Exit 1 if any target finds a crash,
# a leak, a timeout or a broken invariant.  docs/fuzzing.md.
set -euo pipefail
secs=${1:-10}
build=${2:-build-fuzz}
src=$(cd "$(dirname "$0")/.." && pwd)
if [[ ! -x "$build/fuzz/fuzz_run" ]]; then
  cmake -S "$src" -B "$build" -DCMAKE_C_COMPILER=clang -DCMAKE_BUILD_TYPE=RelWithDebInfo \
        -DNB_SANITIZE=ON -DNB_FUZZ=ON -DNB_BUILD_TESTS=OFF >/dev/null
  cmake --build "$build" -j"$(nproc)" >/dev/null
fi
fz="$build/fuzz"
seeds="$fz/corpus/seeds"
rm -rf "$seeds" && mkdir -p "$seeds" "$fz/findings"
find "$src/tests/data" "$src/examples" -type f -size -256k ! -name '*.md' ! -name '*.py' -exec cp {} "$seeds/" \;
# Word packages are made at test time (tests/data/docx/make_docx.py)
if command -v python3 >/dev/null; then
  python3 "$src/tests/data/docx/make_docx.py" shapes "$seeds" || true
  python3 "$src/tests/data/docx/make_docx.py" report word "$seeds/report_word.docx" 1 || true
  rm -f "$seeds"/*.truth.json
fi
# nianbao's own JSON of the examples: seeds for the json/ndjson/validate targets
"$build/bin/nianbao" convert -q "$src/examples/reports" -t ndjson -o "$seeds/examples.ndjson" || true
"$build/bin/nianbao" convert -q "$src/examples/reports/baisha-ecology-2024.txt" -t json -o "$seeds/one.json" || true
if [[ -s "$seeds/examples.ndjson" ]]; then
  i=0
  while IFS= read -r line; do printf '%s\n' "$line" >"$seeds/report$i.json"; i=$((i + 1)); done <"$seeds/examples.ndjson"
fi
# Small pieces for the text paths: a whole report costs the recogniser tens
# of milliseconds under the sanitizers, a piece of one (a section, a
# table) a few, so these targets run on pieces of at most $small bytes.
small=2048
pieces="$fz/corpus/pieces"
rm -rf "$pieces" && mkdir -p "$pieces"
if command -v python3 >/dev/null; then
  python3 - "$seeds" "$pieces" "$small" <<'EOF'
import os, sys
src, dst, cap = sys.argv[1], sys.argv[2], int(sys.argv[3])
for name in sorted(os.listdir(src)):
    if not name.endswith((".txt", ".md", ".tsv", ".html", ".htm", ".csv")):
        continue
    lines = open(os.path.join(src, name), "rb").read().splitlines(keepends=True)
    piece, n = b"", 0
    for line in lines + [None]:
        if line is None or len(piece) + len(line) > cap:
            if piece:
                open(os.path.join(dst, "%s.%03d" % (name, n)), "wb").write(piece)
                n += 1
            piece = b""
        if line is not None:
            piece += line[:cap]
EOF
fi
# small_target NAME: true for the targets fed pieces
small_target() {
  case "$1" in fuzz_text|fuzz_recognise|fuzz_in_txt|fuzz_in_markdown|fuzz_in_tsv|fuzz_in_html) return 0;; esac
  return 1
}
# A small quarantine and shorter allocation stacks: the same checks, a
# third less CPU per execution (fewer fresh pages, cheaper mallocs).
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:allocator_may_return_null=1:quarantine_size_mb=16:malloc_context_size=10}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
# NB_FUZZ_SEED fixes libFuzzer's seed (scripts/test.sh sets it, so CI's short
# run repeats itself instead of exploring anew); long runs leave it unset.
seed_opt=()
[[ -n "${NB_FUZZ_SEED:-}" ]] && seed_opt=(-seed="$NB_FUZZ_SEED")
# Each target's temp folder goes in a TMPDIR of our own, which must be
# empty again after the target ends: a target that leaves its folder
# behind fills /tmp with one per run.
export TMPDIR="$fz/tmp"
rm -rf "$TMPDIR" && mkdir -p "$TMPDIR"
status=0
for t in "$fz"/fuzz_*; do
  [[ -x "$t" && -f "$t" ]] || continue
  name=$(basename "$t")
  work="$fz/corpus/$name"
  mkdir -p "$work"
  log="$fz/$name.log"
  from=$seeds max_len=8192
  if small_target "$name" && [[ -n $(ls -A "$pieces") ]]; then from=$pieces max_len=$small; fi
  if "$t" "$work" "$from" "${seed_opt[@]}" -dict="$src/tests/fuzz/report.dict" -max_total_time="$secs" \
       -max_len="$max_len" -timeout=60 -rss_limit_mb=2048 -artifact_prefix="$fz/findings/$name-" \
       -print_final_stats=1 >"$log" 2>&1; then
    runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo '?')
    rate=$(grep -o 'stat::average_exec_per_sec: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo '?')
    echo "$name: $runs executions in ${secs}s ($rate/s), no crash"
  else
    echo "$name: FAILED (see $log)"; tail -30 "$log"; status=1
  fi
  if [[ -n $(ls -A "$TMPDIR") ]]; then
    echo "$name: left in its TMPDIR: $(ls -A "$TMPDIR" | head -5 | tr '\n' ' ')"; status=1
    rm -rf "${TMPDIR:?}"/*
  fi
done
exit $status
