# common.bash - helpers for the end-to-end CLI tests (tests/cli/*.sh).
# Sourced, not run: the .bash suffix keeps it out of the ctest glob.
#
# Each test runs the CLI under test ($NB_BIN, from ctest's environment),
# keeps going after a failed check so one run shows every broken behaviour,
# and exits 1 if any check failed, 77 to skip.

set -u

if [[ -z "${NB_BIN:-}" || ! -x "$NB_BIN" ]]; then
    echo "NB_BIN is not set to the nianbao executable; run through ctest" >&2
    exit 77
fi
: "${NB_SOURCE_DIR:?NB_SOURCE_DIR is not set; run through ctest}"
: "${NB_BUILD_DIR:?NB_BUILD_DIR is not set; run through ctest}"

# The build tree's plugins must be the only ones: a user's own path would
# change what the tests see.
unset NIANBAO_PLUGIN_PATH NIANBAO_FORMATS_PATH NIANBAO_PIPELINES_PATH

DATA="$NB_SOURCE_DIR/tests/data/cli"
T=$(mktemp -d "${TMPDIR:-/tmp}/nbcli.XXXXXX")
trap 'rm -rf "$T"' EXIT
failures=0
checks=0

fail() {
    echo "FAIL: $*" >&2
    failures=$((failures + 1))
}

# nb ARGS...: runs the CLI with stdin from /dev/null; stdout in $T/out,
# stderr in $T/err, exit status in $rc.
nb() {
    rc=0
    "$NB_BIN" "$@" </dev/null >"$T/out" 2>"$T/err" || rc=$?
}

# nb_in FILE ARGS...: the same with stdin from FILE.
nb_in() {
    local in=$1
    shift
    rc=0
    "$NB_BIN" "$@" <"$in" >"$T/out" 2>"$T/err" || rc=$?
}

show() { # the captured streams, for a failure message
    echo "--- exit $rc; stdout:" >&2
    head -c 1500 "$T/out" >&2
    echo "--- stderr:" >&2
    head -c 1500 "$T/err" >&2
    echo "---" >&2
}

expect_rc() { # expect_rc CODE WHAT
    checks=$((checks + 1))
    if [[ "$rc" != "$1" ]]; then
        fail "$2: exit $rc, expected $1"
        show
    fi
}

expect_grep() { # expect_grep FILE FIXED-STRING WHAT
    checks=$((checks + 1))
    if ! grep -qF -- "$2" "$1"; then
        fail "$3: \"$2\" not in $(basename "$1")"
        show
    fi
}

expect_no_grep() { # expect_no_grep FILE FIXED-STRING WHAT
    checks=$((checks + 1))
    if grep -qF -- "$2" "$1"; then
        fail "$3: \"$2\" found in $(basename "$1")"
        show
    fi
}

expect_empty() { # expect_empty FILE WHAT
    checks=$((checks + 1))
    if [[ -s "$1" ]]; then
        fail "$2: $(basename "$1") is not empty"
        show
    fi
}

expect_nonempty() {
    checks=$((checks + 1))
    if [[ ! -s "$1" ]]; then
        fail "$2: $(basename "$1") is empty"
        show
    fi
}

# json_query FILE FILTER: prints the jq filter's result.  Without jq,
# python3 answers plain paths (.a.b, .[0].c, length).  Returns 2 when the
# filter cannot be answered here, 1 when the file is not valid JSON.
json_query() {
    if command -v jq >/dev/null 2>&1; then
        jq -r "$2" "$1" 2>/dev/null || return 1
    elif [[ "$2" =~ ^[][.A-Za-z0-9_]+$ ]] && command -v python3 >/dev/null 2>&1; then
        python3 - "$1" "$2" <<'EOF' || return 1
import json, sys
v = json.load(open(sys.argv[1], encoding="utf-8"))
for part in [p for p in sys.argv[2].split(".") if p]:
    if part == "length":
        v = len(v)
        break
    v = v[int(part[1:-1])] if part.startswith("[") else v[part]
print(v if not isinstance(v, (dict, list)) else json.dumps(v, ensure_ascii=False))
EOF
    else
        return 2
    fi
}

expect_json() { # expect_json FILE FILTER EXPECTED WHAT
    checks=$((checks + 1))
    local got st=0
    got=$(json_query "$1" "$2") || st=$?
    if [[ $st == 2 ]]; then
        echo "note: neither jq nor python3: JSON not checked ($4)" >&2
    elif [[ $st != 0 ]]; then
        fail "$4: $(basename "$1") is not valid JSON"
        show
    elif [[ "$got" != "$3" ]]; then
        fail "$4: $2 is \"$got\", expected \"$3\""
    fi
}

# -j N changes nothing but the speed (jobs.sh, pdf.sh).
# run_all NAME ARGS...: stdout, stderr and status of -j 1, 2 and 5 in $T/NAME.jN
run_all() {
    local name=$1
    shift
    for j in 1 2 5 auto; do # auto: no -j, the run counts the CPUs at its second input
        if [[ $j == auto ]]; then nb "$@" --no-progress; else nb "$@" -j "$j" --no-progress; fi
        mv "$T/out" "$T/$name.j$j.out"
        mv "$T/err" "$T/$name.j$j.err"
        echo "$rc" >"$T/$name.j$j.rc"
    done
}

same_for_all() { # same_for_all NAME
    for j in 2 5 auto; do
        for part in out err rc; do
            checks=$((checks + 1))
            cmp -s "$T/$1.j1.$part" "$T/$1.j$j.$part" || {
                fail "$1: -j $j $part differs from -j 1"
                diff "$T/$1.j1.$part" "$T/$1.j$j.$part" | head -20 >&2
            }
        done
    done
}

finish() {
    if ((failures)); then
        echo "$failures of $checks checks failed" >&2
        exit 1
    fi
    echo "$checks checks passed"
    exit 0
}
