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
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:allocator_may_return_null=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
# NB_FUZZ_SEED fixes libFuzzer's seed (scripts/test.sh sets it, so CI's short
# run repeats itself instead of exploring anew); long runs leave it unset.
seed_opt=()
[[ -n "${NB_FUZZ_SEED:-}" ]] && seed_opt=(-seed="$NB_FUZZ_SEED")
status=0
for t in "$fz"/fuzz_*; do
  [[ -x "$t" && -f "$t" ]] || continue
  name=$(basename "$t")
  work="$fz/corpus/$name"
  mkdir -p "$work"
  log="$fz/$name.log"
  if "$t" "$work" "$seeds" "${seed_opt[@]}" -dict="$src/tests/fuzz/report.dict" -max_total_time="$secs" \
       -max_len=8192 -timeout=60 -rss_limit_mb=2048 -artifact_prefix="$fz/findings/$name-" \
       -print_final_stats=1 >"$log" 2>&1; then
    runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo '?')
    echo "$name: $runs executions in ${secs}s, no crash"
  else
    echo "$name: FAILED (see $log)"; tail -30 "$log"; status=1
  fi
done
exit $status
