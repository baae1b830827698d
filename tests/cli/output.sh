# output.sh - where output goes: binary formats and terminals, outputs that
# cannot be created, and --strict exit codes.
source "$(dirname "$0")/common.bash"

GOOD="$DATA/qinghe_shichang_2023.txt"
BAD="$DATA/yanqiao_zhen_2023_unbalanced.txt"

# xlsx is binary: refused when stdout is a terminal, unless -o - insists.
# script(1) from util-linux gives the command a pseudo-terminal.
if command -v script >/dev/null 2>&1 && script -qec true /dev/null >/dev/null 2>&1; then
    rc=0
    script -qec "'$NB_BIN' convert '$GOOD' -t xlsx" "$T/tty1" >/dev/null 2>&1 </dev/null || rc=$?
    expect_rc 2 "xlsx to a terminal"
    expect_grep "$T/tty1" "refusing to write binary output to a terminal" "xlsx to a terminal: reason"
    expect_no_grep "$T/tty1" "[Content_Types]" "xlsx to a terminal: no binary written"
    rc=0
    script -qec "'$NB_BIN' convert '$GOOD' -t xlsx -o -" "$T/tty2" >/dev/null 2>&1 </dev/null || rc=$?
    expect_rc 0 "xlsx to a terminal with -o -"
    expect_grep "$T/tty2" "[Content_Types]" "xlsx with -o -: the workbook is written"
    # json is text, so a terminal is fine.
    rc=0
    script -qec "'$NB_BIN' convert '$GOOD' -t json" "$T/tty3" >/dev/null 2>&1 </dev/null || rc=$?
    expect_rc 0 "json to a terminal"
else
    echo "note: script(1) with -e is not available; terminal checks skipped" >&2
fi

# Not a terminal: xlsx on stdout is fine (a pipe or a file).
nb convert "$GOOD" -t xlsx
expect_rc 0 "xlsx to a file on stdout"
checks=$((checks + 1))
[[ $(head -c 2 "$T/out") == "PK" ]] || fail "xlsx on stdout is not a zip"
nb convert "$GOOD" -o "$T/report.xlsx"
expect_rc 0 "xlsx by extension"
checks=$((checks + 1))
[[ $(head -c 2 "$T/report.xlsx") == "PK" ]] || fail "-o report.xlsx is not a zip"

# The output's folder does not exist: 73, and nothing is left behind.
nb convert "$GOOD" -o "$T/no/such/dir/out.json"
expect_rc 73 "output folder missing"
expect_grep "$T/err" "cannot create output" "output folder missing: reason"
expect_grep "$T/err" "$T/no/such/dir/out.json" "output folder missing: the file is named"
expect_empty "$T/out" "output folder missing: stdout"
checks=$((checks + 1))
[[ ! -e "$T/no" ]] || fail "output folder missing: something was created"
nb convert "$GOOD" -o "$T/no/such/dir/out.xlsx"
expect_rc 73 "xlsx output folder missing"

# A run refused before it starts leaves an existing output untouched and
# no temp file beside it.
mkdir "$T/keep"
echo "previous" >"$T/keep/out.json"
nb convert "$GOOD" -o "$T/keep/out.json" -O no_such_option=1
expect_rc 2 "unknown output option"
expect_grep "$T/err" "valid options:" "unknown output option lists the valid ones"
checks=$((checks + 1))
[[ $(cat "$T/keep/out.json") == "previous" && $(ls -A "$T/keep") == "out.json" ]] ||
    fail "a refused run touched the output folder: $(ls -A "$T/keep" | tr '\n' ' ')"
nb convert "$GOOD" -o "$T/keep/out.json" -O provenance=maybe
expect_rc 2 "bool output option with a bad value"
expect_grep "$T/err" "true or false" "bad bool option: reason"

# --strict: 一+二=三(七)+四 broken -> 1; without --strict -> 0.
nb convert "$BAD" -t json
expect_rc 0 "a report with errors, not strict"
cp "$T/out" "$T/bad.json"
expect_grep "$T/bad.json" "R-T2-BALANCE" "the broken balance is reported"
expect_grep "$T/err" "1 with errors" "summary counts reports with errors"
nb convert "$BAD" -t json --strict
expect_rc 1 "--strict with a broken balance"
expect_nonempty "$T/out" "--strict still writes the output"
nb convert "$GOOD" -t json --strict
expect_rc 0 "--strict with a balanced report"
nb convert "$BAD" -t json --strict --no-validate
expect_rc 0 "--strict without validation finds nothing"
nb validate "$BAD"
expect_rc 1 "validate with a broken balance"
nb validate "$GOOD"
expect_rc 0 "validate a balanced report"

# SOURCE_DATE_EPOCH: the workbook's one changing part is fixed, so two
# runs (and -j 1 against -j 2) give the same bytes.
for j in 1 2; do
    SOURCE_DATE_EPOCH=1700000000 "$NB_BIN" convert -q -j "$j" "$GOOD" "$DATA/liuxi_jiedao_2022.txt" \
        -o "$T/sde$j.xlsx" </dev/null 2>"$T/err" || fail "SOURCE_DATE_EPOCH: -j $j failed"
    sleep 1
done
checks=$((checks + 1))
cmp -s "$T/sde1.xlsx" "$T/sde2.xlsx" || fail "SOURCE_DATE_EPOCH: two runs wrote different workbooks"
checks=$((checks + 1))
unzip -p "$T/sde1.xlsx" docProps/core.xml | grep -q "2023-11-14T22:13:20Z" ||
    fail "SOURCE_DATE_EPOCH: the workbook's created time is not the epoch given"
# 0 is an epoch too (written one second later: libxlsxwriter's 0 is "now")
SOURCE_DATE_EPOCH=0 "$NB_BIN" convert -q "$GOOD" -o "$T/sde0.xlsx" </dev/null 2>"$T/err" || fail "SOURCE_DATE_EPOCH=0 failed"
checks=$((checks + 1))
unzip -p "$T/sde0.xlsx" docProps/core.xml | grep -q "1970-01-01T00:00:01Z" ||
    fail "SOURCE_DATE_EPOCH=0: the created time is not 1970"
SOURCE_DATE_EPOCH=yesterday "$NB_BIN" convert -q "$GOOD" -o "$T/sdex.xlsx" </dev/null 2>"$T/err" ||
    fail "SOURCE_DATE_EPOCH=yesterday failed"
expect_grep "$T/err" "SOURCE_DATE_EPOCH is not a number of seconds" "a malformed SOURCE_DATE_EPOCH is said"

# A decimal keeps its digits as printed (report-model.md) in every text
# output and through a chain: 12.50 is not 12.5, 0.00005 is not 5e-05.
for fee in 12.50 0.00005; do
    sed "s/^行政事业性收费\t12\.5\t/行政事业性收费\t$fee\t/" "$GOOD" >"$T/fee.txt"
    checks=$((checks + 1))
    grep -q "^行政事业性收费.$fee" "$T/fee.txt" || fail "fee $fee: the fixture line was not rewritten"
    nb convert "$T/fee.txt" -t ndjson -o "$T/fee.ndjson"
    expect_rc 0 "fee $fee to ndjson"
    expect_grep "$T/fee.ndjson" "\"amount_wan\":$fee}" "fee $fee: ndjson keeps the digits"
    nb convert "$T/fee.ndjson" -t ndjson
    checks=$((checks + 1))
    cmp -s "$T/out" "$T/fee.ndjson" || fail "fee $fee: ndjson -> ndjson is not the same text"
    nb convert "$T/fee.ndjson" -t json
    expect_grep "$T/out" "\"amount_wan\": $fee" "fee $fee: ndjson -> json keeps the digits"
    nb convert "$T/fee.ndjson" -t csv
    expect_grep "$T/out" ",$fee," "fee $fee: ndjson -> csv keeps the digits"
done

finish
