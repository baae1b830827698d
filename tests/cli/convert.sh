# convert.sh - `nianbao convert`: formats, stdin/stdout, files, folders,
# failures and the summary line.
source "$(dirname "$0")/common.bash"

GOOD="$DATA/qinghe_shichang_2023.txt"
CELLS="$DATA/liuxi_jiedao_2022.txt"
NOTES="$DATA/meeting_notice.txt"
SUMMARY="1 converted, 0 skipped, 0 failed"

# -t json: one report is one object on stdout; stderr is only the summary.
nb convert "$GOOD" -t json
expect_rc 0 "convert -t json"
cp "$T/out" "$T/one.json"
expect_json "$T/one.json" .agency "清河县市场监督管理局" "json agency"
expect_json "$T/one.json" .year 2023 "json year"
expect_json "$T/one.json" .requests.new_received.total 5 "json 新收 总计"
expect_json "$T/one.json" .requests.new_received.business 2 "json 新收 商业企业"
expect_json "$T/one.json" .requests.carried_forward.natural_person 1 "json 结转下年度 自然人"
expect_json "$T/one.json" .appeals.review.upheld 1 "json 行政复议 结果维持"
expect_json "$T/one.json" .source.format txt "json source format"
checks=$((checks + 1))
[[ $(wc -l <"$T/err") == 1 ]] || { fail "stderr holds more than the summary line"; show; }
expect_grep "$T/err" "nianbao: $SUMMARY" "summary line"

# -o FILE: format from the extension, nothing on stdout, no temp file left.
mkdir "$T/o"
nb convert "$GOOD" -o "$T/o/out.json"
expect_rc 0 "convert -o out.json"
expect_empty "$T/out" "-o out.json: stdout"
expect_json "$T/o/out.json" .requests.new_received.total 5 "-o out.json content"
checks=$((checks + 1))
[[ $(ls -A "$T/o") == "out.json" ]] || fail "-o left other files: $(ls -A "$T/o" | tr '\n' ' ')"
checks=$((checks + 1))
cmp -s "$T/o/out.json" "$T/one.json" || fail "-o out.json differs from the stdout output"

# Overwriting an existing file replaces it whole.
printf 'old contents that are longer than nothing\n%.0s' {1..200} >"$T/o/out.json"
nb convert "$GOOD" -o "$T/o/out.json"
expect_rc 0 "convert -o over an existing file"
checks=$((checks + 1))
cmp -s "$T/o/out.json" "$T/one.json" || fail "-o did not replace the old file exactly"

nb convert "$GOOD" -o "$T/o/out.ndjson"
expect_rc 0 "convert -o out.ndjson"
checks=$((checks + 1))
[[ $(wc -l <"$T/o/out.ndjson") == 1 ]] || fail "-o out.ndjson: not one line"

nb convert "$GOOD" -o "$T/o/out.unknownext"
expect_rc 2 "-o with an unknown extension"
expect_grep "$T/err" "-t" "-o unknown extension asks for -t"
expect_empty "$T/out" "-o unknown extension: stdout"
checks=$((checks + 1))
[[ ! -e "$T/o/out.unknownext" ]] || fail "-o unknown extension created the file"

nb convert "$GOOD" -o "$T/o/out.unknownext" -t ndjson
expect_rc 0 "-t overrides -o's extension"

nb convert "$GOOD"
expect_rc 2 "neither -t nor -o"
expect_grep "$T/err" "-t FORMAT" "no output format: asks for -t"
expect_empty "$T/out" "no output format: stdout"

nb convert "$GOOD" -t nosuchformat
expect_rc 2 "unknown -t"
expect_grep "$T/err" "nosuchformat" "unknown -t is named"

nb convert "$GOOD" -t json -f nosuchformat
expect_rc 2 "unknown -f"

# stdin: no input and "-" both read it; -f is honoured.
nb_in "$GOOD" convert -f txt -t ndjson
expect_rc 0 "stdin with -f txt"
expect_json "$T/out" .source.path "<stdin>" "stdin source path"
expect_json "$T/out" .requests.new_received.total 5 "stdin content"
cp "$T/out" "$T/stdin.ndjson"
cat "$GOOD" | "$NB_BIN" convert -f txt -t ndjson >"$T/out" 2>"$T/err"
rc=$?
expect_rc 0 "a pipe on stdin"
checks=$((checks + 1))
cmp -s "$T/out" "$T/stdin.ndjson" || fail "pipe and redirected stdin differ"
nb_in "$GOOD" convert -t ndjson -
expect_rc 0 "'-' as input, content probe"
expect_json "$T/out" .source.format txt "'-' detected as txt by content"
nb_in "$CELLS" convert -t ndjson - "$GOOD"
expect_rc 0 "'-' among files"
checks=$((checks + 1))
[[ $(wc -l <"$T/out") == 2 ]] || { fail "'-' plus a file: expected two lines"; show; }
expect_json <(head -n1 "$T/out") .requests.new_received.total 2 "stdin report comes first"

# Several inputs: one array, in the order given.
nb convert -t json "$GOOD" "$CELLS"
expect_rc 0 "two inputs to json"
cp "$T/out" "$T/two.json"
expect_json "$T/two.json" length 2 "two reports make an array"
expect_json "$T/two.json" '.[1].year' 2022 "array order follows the arguments"

# A missing input is named and fails the run (66, input missing) but the
# others convert; a missing input beats unreadable ones (65).
nb convert -t ndjson "$T/missing.txt" "$GOOD"
expect_rc 66 "a missing input"
expect_grep "$T/err" "failed $T/missing.txt" "the missing input is named"
expect_grep "$T/err" "1 converted, 0 skipped, 1 failed" "the run completes"
expect_grep "$T/out" "清河县市场监督管理局" "the other input is converted"
nb convert -t ndjson "$NOTES" "$T/missing.txt"
expect_rc 66 "a missing input and one with no report"

# An input with no report in it.
nb convert -t json "$NOTES"
expect_rc 65 "an input that holds no report"
expect_grep "$T/err" "failed $NOTES: no report found" "no report: message names the file"

# A folder: sorted order, hidden files skipped and named, sub-folders walked.
mkdir -p "$T/dir/sub"
cp "$GOOD" "$T/dir/b_qinghe.txt"
cp "$CELLS" "$T/dir/a_liuxi.txt"
cp "$GOOD" "$T/dir/.hidden.txt"
cp "$CELLS" "$T/dir/sub/c_liuxi.txt"
nb convert -t ndjson "$T/dir"
expect_rc 0 "a folder of inputs"
checks=$((checks + 1))
order=$(json_query "$T/out" .source.path 2>/dev/null | sed "s|$T/dir/||" | tr '\n' ' ')
if command -v jq >/dev/null; then
    [[ "$order" == "a_liuxi.txt b_qinghe.txt sub/c_liuxi.txt " ]] || fail "folder order: $order"
fi
expect_grep "$T/err" "skipped $T/dir/.hidden.txt: hidden file" "hidden files are named"
expect_grep "$T/err" "3 converted, 1 skipped, 0 failed" "folder summary"

# A folder with no file in it or below it is named: a mistyped path says
# more than "0 converted".  A folder with files says nothing of the kind,
# nor does one whose only file is a named skip.
mkdir -p "$T/none/sub" "$T/onlyhidden"
cp "$GOOD" "$T/onlyhidden/.x.txt"
nb convert -t ndjson "$T/none"
expect_rc 0 "an empty folder"
expect_grep "$T/err" "nianbao: $T/none: no files in this folder or below it" "an empty folder is named"
nb convert -t ndjson -j 2 "$T/none" "$GOOD"
expect_rc 0 "an empty folder beside a report"
expect_grep "$T/err" "$T/none: no files in this folder or below it" "an empty folder beside a report is named"
expect_grep "$T/err" "$SUMMARY" "the report beside an empty folder is converted"
nb convert -t ndjson "$T/dir" "$T/onlyhidden"
expect_no_grep "$T/err" "no files in this folder" "folders with files are not called empty"

# --quiet: no summary line; failures are still reported.
nb convert -q -t json "$GOOD"
expect_rc 0 "--quiet"
expect_empty "$T/err" "--quiet stderr"
nb convert --quiet -t json "$NOTES"
expect_rc 65 "--quiet with a failure"
expect_grep "$T/err" "no report found" "--quiet still names failures"
expect_no_grep "$T/err" "converted," "--quiet drops the summary"

# Progress is for terminals only: stderr here is a file.
nb convert -t json "$GOOD" "$CELLS"
expect_no_grep "$T/err" $'\r' "no progress when stderr is not a terminal"
expect_no_grep "$T/err" $'\033[K' "no progress escape when stderr is not a terminal"
checks=$((checks + 1))
[[ $(wc -l <"$T/err") == 1 ]] || { fail "two inputs: stderr should be only the summary"; show; }
nb convert --progress -t json "$GOOD" "$CELLS"
expect_grep "$T/err" $'\r' "--progress forces progress"

# Narrative numbers against the table (R-TX-CARRY, carried forward = 1 in
# this report): a count stated for one clause is not taken for the next
# one ("共办理 3 件，结转下一年 1 件" is consistent); a real mismatch is said.
sed 's/上年结转1件。/上年结转1件，共办理 3 件，结转下一年 1 件。/' "$GOOD" >"$T/carry_ok.txt"
nb validate "$T/carry_ok.txt"
expect_no_grep "$T/out" "R-TX-CARRY" "a count of the clause before is not the carried-forward count"
sed 's/上年结转1件。/上年结转1件，其中3件结转至下一年度办理。/' "$GOOD" >"$T/carry_bad.txt"
nb validate "$T/carry_bad.txt"
expect_grep "$T/out" "warning R-TX-CARRY" "a carried-forward count that differs from the table is said"
# the count of the clause before, whatever joins the clauses (the
# narrative is folded, so ，：（ are , : ( and spaces are gone)
for ph in '办结3件、结转下年度1件' '共办理3件：结转下一年1件' '办结3件（结转下一年1件）' '办结3件及结转下一年1件' \
    '办结3件 结转下一年1件' '结转下一年度，新收申请20件' '结转至下一年度：另有20件'; do
    sed "s/上年结转1件。/上年结转1件，$ph。/" "$GOOD" >"$T/carry_join.txt"
    nb validate "$T/carry_join.txt"
    expect_no_grep "$T/out" "R-TX-CARRY" "'$ph': the count before is not the carried-forward count"
done
for ph in '3件申请已结转至下一年度' '另有3件结转到下一年度' '结转下年度办理的申请3件'; do
    sed "s/上年结转1件。/上年结转1件，$ph。/" "$GOOD" >"$T/carry_join.txt"
    nb validate "$T/carry_join.txt"
    expect_grep "$T/out" "warning R-TX-CARRY" "'$ph': a carried-forward count that differs is said"
done

# A note that quotes a few counts is no report: it fails with its reason
# instead of being read badly and blamed with errors.
printf '笔记\n\n- 新收 5 (自然人 3), 上年结转 1, 结转下年度 1; 行政复议 1 (维持).\n' >"$T/note.md"
nb validate "$T/note.md"
expect_rc 65 "a note with counts"
expect_grep "$T/err" "note.md: no report found: a few counts that do not read as a table, and no title, year, agency or section heading" "a note with counts: reason"
expect_no_grep "$T/out" "error R-" "a note with counts: no report errors"
# while a report's tables pasted alone, without title or headings, are read
awk '/^第二十条第（一）项/{p=1} /^五、/{p=0} p' "$GOOD" |
    grep -v -e '^三、收到和处理政府信息公开申请情况' -e '^四、政府信息公开行政复议' >"$T/tables_only.txt"
nb convert "$T/tables_only.txt" -t json
expect_rc 0 "tables without title or headings"
expect_json "$T/out" .requests.new_received.total 5 "tables without title or headings: read"

# Two reports in one text (a crawler's dump, files joined): each is read
# on its own lines, in order; the second is named by where it starts
# ("file:LINE"), as a stream's items are.  The first's section 六 ends
# where the second begins.
cat "$GOOD" "$CELLS" >"$T/two_reports.txt"
second=$(( $(wc -l <"$GOOD") + 1 ))
nb convert "$T/two_reports.txt" -t json
expect_rc 0 "two reports in one text"
expect_json "$T/out" length 2 "two reports in one text: both read"
expect_json "$T/out" '.[0].agency' "清河县市场监督管理局" "two reports in one text: the first"
expect_json "$T/out" '.[0].requests.new_received.total' 5 "two reports in one text: the first's values"
expect_json "$T/out" '.[0].source.path' "$T/two_reports.txt" "two reports in one text: the first's source"
expect_json "$T/out" '.[1].source.path' "$T/two_reports.txt:$second" "two reports in one text: the second's source and line"
expect_json "$T/out" '.[1].year' 2022 "two reports in one text: the second's year"
expect_json "$T/out" '[.[].diagnostics[] | select(.rule == "PARSE-SECOND-REPORT")] | length' 0 \
    "two reports in one text: nothing left unread"
expect_json "$T/out" '.[0].sections[5].text | contains("街道")' false "two reports in one text: section 六 ends at the second"
expect_grep "$T/err" "2 converted" "two reports in one text: counted as two"
# each reads as its own file does (but for where it came from)
nb convert "$CELLS" -t json
jq -S 'del(.source)' "$T/out" >"$T/cells_alone.json"
nb convert "$T/two_reports.txt" -t json
jq -S '.[1] | del(.source)' "$T/out" >"$T/cells_second.json"
checks=$((checks + 1))
cmp -s "$T/cells_alone.json" "$T/cells_second.json" || { fail "two reports in one text: the second reads as its own file"; show; }
# on standard input with workers (the document handed to a worker whole)
cat "$GOOD" "$CELLS" "$GOOD" >"$T/three_reports.txt"
nb_in "$T/three_reports.txt" convert - -t ndjson -j 2
expect_rc 0 "three reports on standard input"
expect_json <(sed -n 3p "$T/out") .source.path "<stdin>:$(( second + $(wc -l <"$CELLS") ))" \
    "three reports on standard input: the third's line"
# a title and section 一 again that do not make a report: named on the one before
{ cat "$GOOD"; printf '某某局2023年政府信息公开工作年度报告\n一、总体情况\n本年度无其他事项。\n'; } >"$T/two_half.txt"
nb convert "$T/two_half.txt" -t json
expect_rc 0 "a report and the start of another"
expect_json "$T/out" '[.diagnostics[] | select(.rule == "PARSE-SECOND-REPORT") | .severity] | join(",")' warning \
    "a report and the start of another: the rest named"
expect_grep "$T/out" "第 $second 行起像是另一份报告" "a report and the start of another: its line"
# while a line in section 六 that names the report, followed by a numbered
# list, is the report's own text
{ cat "$GOOD"; printf '关于2023年政府信息公开工作年度报告的补充说明\n一、本年度未收取信息处理费。\n二、无其他事项。\n'; } >"$T/one_note.txt"
nb convert "$T/one_note.txt" -t json
expect_json "$T/out" '[.diagnostics[] | select(.rule == "PARSE-SECOND-REPORT")] | length' 0 \
    "a numbered list after a line naming the report: no second report"
expect_json "$T/out" '.sections[5].text | contains("补充说明")' true "a numbered list after a line naming the report: section 六 kept"

finish
