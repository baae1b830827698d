# xyear.sh - cross-year evidence for glued digit runs (docs/validation.md,
# "Cross-year rules as evidence for glued digit runs").  tests/data/xyear holds
# one invented agency's reports for 2022..2025; the 行政规范性文件 row of
# 2022, 2024 and 2025 is a glued run ("5293", "3099", "1250") that the
# report alone cannot cut.  Read in one run, R-T1-INFORCE-XYEAR settles
# 2022 backward (from 2023's printed 96) and 2024 forward (from 2023); 2025
# breaks the rule under every cut and stays null.  Checked: values, the
# finding that names the deciding rule and file, output order and counts,
# reverse input order, -j, --isolate, stdin, validate, csv, and the window
# bound.
source "$(dirname "$0")/common.bash"

XD="$NB_SOURCE_DIR/tests/data/xyear"
Y22=$XD/qingshi_2022.txt Y23=$XD/qingshi_2023.txt Y24=$XD/qingshi_2024.txt Y25=$XD/qingshi_2025.txt
command -v jq >/dev/null || { echo "xyear.sh: jq is needed (scripts/setup.sh installs it)" >&2; exit 77; }

# docs YEAR-FILTERED NDJSON: "year:issued,repealed,in_force" per report
docs() {
    jq -r 'select(.schema == "nianbao.report/1") |
        "\(.year):\(.proactive.normative_docs | [.issued, .repealed, .in_force] | map(tostring) | join(","))"' "$1" |
        tr '\n' ' '
}

expect_docs() { # expect_docs FILE EXPECTED WHAT
    checks=$((checks + 1))
    local got
    got=$(docs "$1")
    [[ "$got" == "$2" ]] || fail "$3: got \"$got\", expected \"$2\""
}

ALL="2022:5,2,93 2023:4,1,96 2024:3,0,99 2025:null,null,null "

# Alone, each glued row stays null.
nb convert "$Y22" -t ndjson
expect_rc 0 "2022 alone"
expect_docs "$T/out" "2022:null,null,null " "2022 alone stays ambiguous"
expect_no_grep "$T/out" PARSE-XYEAR-DECIDED "2022 alone: nothing decided"

# One run, name order: backward (2022) and forward (2024) settled, 2025 not.
nb convert "$Y22" "$Y23" "$Y24" "$Y25" -t ndjson --no-progress
expect_rc 0 "four years in one run"
cp "$T/out" "$T/together.ndjson"
expect_docs "$T/out" "$ALL" "four years in one run"
expect_grep "$T/err" "4 converted, 0 skipped, 0 failed" "counts unchanged"
checks=$((checks + 1))
[[ "$(jq -r 'select(.year == 2022) | .diagnostics[] | select(.rule == "PARSE-XYEAR-DECIDED") |
        select(.where == "proactive.normative_docs.in_force") | .message' "$T/out")" == *R-T1-INFORCE-XYEAR*qingshi_2023.txt* ]] ||
    fail "2022's finding names the rule and the 2023 file"
checks=$((checks + 1))
[[ "$(jq -r 'select(.year == 2022) | .diagnostics[] | select(.where == "proactive.normative_docs.in_force" and
        .rule == "PARSE-XYEAR-DECIDED") | .severity' "$T/out")" == info ]] || fail "the finding is info"
checks=$((checks + 1))
[[ "$(jq -r 'select(.year == 2025) | [.diagnostics[] | select(.rule == "PARSE-XYEAR-DECIDED")] | length' \
    "$T/out")" == 0 ]] || fail "2025: the rule breaks under every cut, nothing decided"

# The glued-run warning ("ambiguous cells left empty") goes once evidence
# has settled the whole row, and stays on the row nothing settled.
glued_at() { # glued_at YEAR: the PARSE-GLUED findings' key paths
    jq -r --argjson y "$1" 'select(.year == $y) | [.diagnostics[] | select(.rule == "PARSE-GLUED") | .where] |
        join(",")' "$T/together.ndjson"
}
checks=$((checks + 1))
[[ "$(glued_at 2022)" == "" ]] || fail "2022: settled row keeps no PARSE-GLUED ($(glued_at 2022))"
checks=$((checks + 1))
[[ "$(glued_at 2025)" == *proactive.normative_docs.* ]] || fail "2025: unsettled row keeps its PARSE-GLUED"

# Reverse order: the same values, the output in the input's order.
nb convert "$Y25" "$Y24" "$Y23" "$Y22" -t ndjson
expect_docs "$T/out" "2025:null,null,null 2024:3,0,99 2023:4,1,96 2022:5,2,93 " "reverse input order"

# Another agency's report and an empty input between the years: held
# entries keep the input order, failures included.
: >"$T/empty.txt"
nb convert "$Y22" "$DATA/qinghe_shichang_2023.txt" "$T/empty.txt" "$Y23" -t ndjson
checks=$((checks + 1))
order=$(jq -r 'if .schema == "nianbao.failure/1" then "fail" else (.source.path | split("/") | last) end' "$T/out" |
    tr '\n' ' ')
[[ "$order" == "qingshi_2022.txt qinghe_shichang_2023.txt fail qingshi_2023.txt " ]] ||
    fail "output order with held reports: $order"
expect_docs <(jq -c 'select(.agency == "青石乡人民政府")' "$T/out") "2022:5,2,93 2023:4,1,96 " "interleaved inputs"
expect_grep "$T/err" "3 converted, 1 skipped, 0 failed" "counts with a held report"

# -j 2 and --isolate: the same bytes as one thread.
nb convert "$Y22" "$Y23" "$Y24" "$Y25" -t ndjson -j 2 --no-progress
checks=$((checks + 1))
cmp -s "$T/out" "$T/together.ndjson" || fail "-j 2 differs from -j 1"
nb convert "$Y22" "$Y23" "$Y24" "$Y25" -t ndjson --isolate=30 --no-progress
checks=$((checks + 1))
cmp -s "$T/out" "$T/together.ndjson" || fail "--isolate differs from a plain run"

# stdin is one input like the others.
nb_in "$Y22" convert - "$Y23" -t ndjson
expect_docs "$T/out" "2022:5,2,93 2023:4,1,96 " "2022 from stdin"

# validate: the decision is shown with --all, the report gets no warning for it.
nb validate --all "$Y22" "$Y23"
expect_grep "$T/out" "PARSE-XYEAR-DECIDED" "validate shows the decision"

# csv: the settled cells are values there too.
nb convert "$Y22" "$Y23" -t csv
checks=$((checks + 1))
got=$(python3 -c '
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], encoding="utf-8")))
print(" ".join(r["proactive.normative_docs.in_force"] for r in rows))' "$T/out")
[[ "$got" == "93 96" ]] || fail "csv in_force: $got"

# The window is bounded (32 reports): with 40 other reports between them,
# 2022 is written before 2023 arrives and stays null; 2024 after 2023 is
# still settled from 2023's snapshot.
mkdir -p "$T/many"
for i in $(seq -w 1 40); do cp "$DATA/qinghe_shichang_2023.txt" "$T/many/r$i.txt"; done
nb convert "$Y22" "$T"/many/*.txt "$Y23" "$Y24" -t ndjson --no-progress
expect_docs <(jq -c 'select(.agency == "青石乡人民政府")' "$T/out") "2022:null,null,null 2023:4,1,96 2024:3,0,99 " \
    "past the window bound"
expect_grep "$T/err" "43 converted" "counts past the window"

# A cross-year finding on a report written earlier in the run (the later
# year read first) is a nianbao.finding/1 record at the end of JSON and
# NDJSON, naming the report it concerns (-O findings=false drops it).  Read
# back, such a record is passed over and the finding made again, so a
# chain gives the same text.  In year order it is the report's own.
sed 's/^二、上年结转政府信息公开申请数量 0 0 0 0 0 0 0$/二、上年结转政府信息公开申请数量 2 0 0 0 0 0 2/' "$Y23" >"$T/carry_2023.txt"
checks=$((checks + 1))
grep -q "^二、上年结转政府信息公开申请数量 2 0" "$T/carry_2023.txt" || fail "carry fixture not made"
findings() { # the finding records of an NDJSON file, one "file rule where expected found" each
    jq -r 'select(.schema == "nianbao.finding/1") |
        "\(.source | split("/") | last) \(.rule) \(.where) \(.expected) \(.found)"' "$1" | tr '\n' ';'
}
CARRY="carry_2023.txt R-T2-CARRY-XYEAR requests.carried_over.natural_person 0 2;"
CARRY+="carry_2023.txt R-T2-CARRY-XYEAR requests.carried_over.total 0 2;"
nb convert "$T/carry_2023.txt" "$Y22" -t ndjson --no-progress
expect_rc 0 "later year first"
cp "$T/out" "$T/carry.ndjson"
checks=$((checks + 1))
[[ "$(findings "$T/out")" == "$CARRY" ]] || fail "finding records: $(findings "$T/out")"
checks=$((checks + 1))
[[ "$(tail -n 1 "$T/out" | jq -r .schema)" == nianbao.finding/1 ]] || fail "finding records do not come last"
nb convert "$T/carry.ndjson" -t ndjson --no-progress
checks=$((checks + 1))
cmp -s "$T/out" "$T/carry.ndjson" || fail "ndjson -> ndjson with finding records is not the same text"
nb convert "$T/carry_2023.txt" "$Y22" -t json --no-progress
checks=$((checks + 1))
[[ "$(jq '[.[] | select(.schema == "nianbao.finding/1")] | length' "$T/out")" == 2 ]] ||
    fail "json: finding records missing from the array"
nb convert "$T/carry_2023.txt" "$Y22" -t ndjson -O findings=false --no-progress
expect_no_grep "$T/out" nianbao.finding/1 "findings=false"
nb convert "$Y22" "$T/carry_2023.txt" -t ndjson --no-progress
expect_no_grep "$T/out" nianbao.finding/1 "year order: no finding record"
checks=$((checks + 1))
[[ "$(jq -r 'select(.year == 2023) | [.diagnostics[] | select(.rule == "R-T2-CARRY-XYEAR")] | length' "$T/out")" == 2 ]] ||
    fail "year order: the finding is not the 2023 report's own"

# The same agency-year twice (a report downloaded twice, under two names):
# the second is told of the first (R-X-DUPLICATE, a warning on it), the
# cross-year checks pair the first only, and -j 2 writes the same.
cp "$Y23" "$T/again_2023.txt"
nb convert "$Y23" "$T/again_2023.txt" "$Y24" -t ndjson --no-progress -j 1
expect_rc 0 "a duplicate agency-year"
cp "$T/out" "$T/dup1.ndjson"
checks=$((checks + 1))
dups=$(jq -r 'select(.schema == "nianbao.report/1") | "\(.source.path | split("/") | last):\([.diagnostics[] |
        select(.rule == "R-X-DUPLICATE") | .severity] | join(","))"' "$T/out" | tr '\n' ' ')
[[ "$dups" == "qingshi_2023.txt: again_2023.txt:warning qingshi_2024.txt: " ]] ||
    fail "R-X-DUPLICATE not on the second alone: $dups"
checks=$((checks + 1))
[[ "$(jq -r 'select(.source.path | endswith("again_2023.txt")) | .diagnostics[] |
        select(.rule == "R-X-DUPLICATE") | .message' "$T/out")" == *qingshi_2023.txt* ]] ||
    fail "R-X-DUPLICATE does not name the first file"
nb convert "$Y23" "$T/again_2023.txt" "$Y24" -t ndjson --no-progress -j 2
checks=$((checks + 1))
cmp -s "$T/out" "$T/dup1.ndjson" || fail "-j 2 differs on a duplicate agency-year"

finish
