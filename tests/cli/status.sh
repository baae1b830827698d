# status.sh - what the run makes of a plugin's status (docs/plugin-abi.md):
# NB_WARN goes on and shows the message, NB_FAILED loses that input or
# report (counted and named) while the run goes on, NB_FATAL stops the run.
# Fixture plugins (tests/plugins/status_in.c, status_out.c) answer with the
# status an option chooses, for input a.txt (b.txt is always fine).
source "$(dirname "$0")/common.bash"

PD="$NB_TEST_PLUGIN_DIR"
IN="$T/in"
mkdir -p "$IN"
cp "$DATA/qinghe_shichang_2023.txt" "$IN/a.txt"
cp "$DATA/liuxi_jiedao_2022.txt" "$IN/b.txt"
count() { grep -c . "$1" 2>/dev/null || echo 0; }

# Input plugins ---------------------------------------------------------------
inp() { nb convert "$IN" -f fixstatus -I fixstatus.status="$1" -I fixstatus.when=a.txt \
        --plugin-dir "$PD" -t ndjson -O failures=false -o "$T/o.ndjson"; }

inp warn
expect_rc 0 "input NB_WARN: the run goes on"
expect_grep "$T/err" "a.txt: fixture says warn" "input NB_WARN: the message is shown with the file"
checks=$((checks + 1)); [[ $(count "$T/o.ndjson") == 2 ]] || fail "input NB_WARN: both reports written"

inp failed
expect_rc 65 "input NB_FAILED: the input counts as failed"
expect_grep "$T/err" "failed $IN/a.txt: fixture says failed" "input NB_FAILED: the input is named"
expect_grep "$T/err" "1 converted, 0 skipped, 1 failed" "input NB_FAILED: the run goes on"
checks=$((checks + 1)); [[ $(count "$T/o.ndjson") == 1 ]] || fail "input NB_FAILED: the other report written"

rm -f "$T/o.ndjson"
inp fatal
checks=$((checks + 1)); ((rc != 0)) || fail "input NB_FATAL: exit status 0"
expect_grep "$T/err" "fixture says fatal" "input NB_FATAL: the message is shown"
expect_no_grep "$T/err" "converted" "input NB_FATAL: the run stops before its summary"
checks=$((checks + 1)); [[ ! -e "$T/o.ndjson" ]] || fail "input NB_FATAL: an output file was committed"

# Output plugins --------------------------------------------------------------
outp() { nb convert "$IN" --plugin-dir "$PD" -t fixstatus -O when=a.txt "$@" -o "$T/o.fix"; }

outp -O write=warn
expect_rc 0 "output write NB_WARN: the run goes on"
expect_grep "$T/err" "a.txt: fixture write says warn" "output write NB_WARN: message with the report"
checks=$((checks + 1)); [[ $(count "$T/o.fix") == 2 ]] || fail "output write NB_WARN: both written"

outp -O write=failed
expect_rc 65 "output write NB_FAILED: the report counts as failed"
expect_grep "$T/err" "failed $IN/a.txt: output fixstatus could not write it" "output write NB_FAILED: named"
expect_grep "$T/err" "1 converted, 0 skipped, 1 failed" "output write NB_FAILED: the run goes on"
checks=$((checks + 1)); [[ $(cat "$T/o.fix") == "$IN/b.txt" ]] || fail "output write NB_FAILED: only b written"

rm -f "$T/o.fix"
outp -O write=fatal
checks=$((checks + 1)); ((rc != 0)) || fail "output write NB_FATAL: exit status 0"
expect_grep "$T/err" "fixture write says fatal" "output write NB_FATAL: the message is shown"
checks=$((checks + 1)); [[ ! -e "$T/o.fix" ]] || fail "output write NB_FATAL: an output file was committed"

cp "$DATA/meeting_notice.txt" "$IN/c.txt"   # not a report: a failure for the output
outp -O failure=failed
expect_rc 65 "output failure() NB_FAILED: the run goes on"
expect_grep "$T/err" "fixture failure says failed" "output failure() NB_FAILED: the message is shown"
checks=$((checks + 1)); [[ $(count "$T/o.fix") == 2 ]] || fail "output failure() NB_FAILED: reports still written"
outp -O failure=fatal
checks=$((checks + 1)); ((rc != 0 && rc != 65)) || fail "output failure() NB_FATAL: exit $rc"
rm -f "$IN/c.txt" "$T/o.fix"

outp -O begin=warn -O end=warn
expect_rc 0 "output begin/end NB_WARN: the run goes on"
expect_grep "$T/err" "fixture begin says warn" "output begin NB_WARN: message"
expect_grep "$T/err" "fixture end says warn" "output end NB_WARN: message"
checks=$((checks + 1)); [[ $(count "$T/o.fix") == 2 ]] || fail "output end NB_WARN: the file is committed"
rm -f "$T/o.fix"
outp -O end=failed
checks=$((checks + 1)); ((rc != 0)) || fail "output end NB_FAILED: exit status 0"
checks=$((checks + 1)); [[ ! -e "$T/o.fix" ]] || fail "output end NB_FAILED: the file was committed"

finish
