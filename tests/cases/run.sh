#!/usr/bin/env bash
# run.sh - the golden cases: tests/cases/NAME/ holds one input (input.txt,
# input.md, input.html ...) and expected.json, the facts the output must
# show.  Every leaf of expected.json is compared with the same key path of
# `nianbao convert input -t json` (a null expects null), except "errors":
# the sorted "RULE where" list of the error findings the report gets
# (validation and reading), which must match exactly.  A mismatch prints a
# unified diff of expected against what came out.
#
# usage: run.sh NIANBAO_BINARY [CASE...]   (no CASE: every case)
set -u
bin=${1:?usage: run.sh NIANBAO_BINARY [CASE...]}
shift
here=$(cd "$(dirname "$0")" && pwd)
command -v jq >/dev/null || { echo "run.sh: jq is needed (scripts/setup.sh installs it)" >&2; exit 2; }

# the build's own plugins and formats only
unset NIANBAO_PLUGIN_PATH NIANBAO_FORMATS_PATH NIANBAO_PIPELINES_PATH

cases=("$@")
if [ ${#cases[@]} -eq 0 ]; then
  for d in "$here"/*/; do cases+=("$(basename "$d")"); done
fi

# The output restricted to the expected's leaves, plus the error list.
project='
  def errs: [.diagnostics[]? | select(.severity == "error" and (.skipped | not)) | "\(.rule) \(.where)"] | unique;
  . as $out
  | reduce ($exp | paths(scalars or . == null) | select(.[0] != "errors")) as $p
      ({}; setpath($p; $out | getpath($p)))
  | if $exp | has("errors") then .errors = ($out | errs) else . end'

errfile=$(mktemp)
trap 'rm -f "$errfile"' EXIT
pass=0 fail=0
for c in "${cases[@]}"; do
  dir=$here/$c
  input=$(ls "$dir"/input.* 2>/dev/null | head -n1)
  if [ -z "$input" ] || [ ! -f "$dir/expected.json" ]; then
    echo "FAIL $c: needs input.* and expected.json"; fail=$((fail + 1)); continue
  fi
  out=$("$bin" convert "$input" -t json 2>"$errfile")
  rc=$?
  if [ $rc -ne 0 ] && [ $rc -ne 1 ]; then
    echo "FAIL $c: nianbao exited $rc: $(cat "$errfile")"
    fail=$((fail + 1)); continue
  fi
  want=$(jq -S '.errors |= (if . then sort else . end) | if .errors == null then del(.errors) else . end' "$dir/expected.json")
  got=$(printf '%s' "$out" | jq -S --argjson exp "$(cat "$dir/expected.json")" "$project")
  if [ "$want" = "$got" ]; then
    pass=$((pass + 1))
  else
    echo "FAIL $c ($(basename "$input")):"
    diff -u --label expected --label got <(printf '%s\n' "$want") <(printf '%s\n' "$got") | sed 's/^/  /'
    fail=$((fail + 1))
  fi
done
echo "cases: $pass passed, $fail failed"
[ $fail -eq 0 ]
