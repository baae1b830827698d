# usage.sh - errors a person can act on, -v, validate's file:line, and the
# progress line that stays on one line.
source "$(dirname "$0")/common.bash"

GOOD="$DATA/qinghe_shichang_2023.txt"
BAD="$DATA/yanqiao_zhen_2023_unbalanced.txt"

# one_line_error WHAT CMD: exit 2, stdout empty, stderr exactly two lines:
# "nianbao: ..." and "Try 'nianbao CMD --help'."
one_line_error() {
    expect_rc 2 "$1"
    expect_empty "$T/out" "$1: stdout"
    checks=$((checks + 1))
    local n first last
    n=$(wc -l <"$T/err")
    first=$(head -n1 "$T/err")
    last=$(tail -n1 "$T/err")
    if [[ $n != 2 || $first != "nianbao: "* || $last != "Try 'nianbao ${2:+$2 }--help'." ]]; then
        fail "$1: not one message line plus the hint"
        show
    fi
}

# did_you_mean WHAT SUGGESTION CMD ARGS...
did_you_mean() {
    local what=$1 sug=$2 cmd=$3
    shift 3
    nb "$@"
    one_line_error "$what" "$cmd"
    expect_grep "$T/err" "did you mean '$sug'?" "$what: suggests $sug"
}

did_you_mean "command typo" convert "" convrt "$GOOD"
did_you_mean "swapped letters in a command" validate "" valdiate "$GOOD"
did_you_mean "long option typo" --output convert convert "$GOOD" --ouput x.json
did_you_mean "long option typo with a value" --strict convert convert "$GOOD" -t json --strct
did_you_mean "output format typo" json convert convert "$GOOD" -t jsno
did_you_mean "input format typo" txt convert convert "$GOOD" -f tx -t json
did_you_mean "validate -f typo" markdown validate validate -f markdwn "$GOOD"
did_you_mean "output option key typo" provenance convert convert "$GOOD" -t json -O provenace
expect_grep "$T/err" "valid options:" "an unknown option key lists the valid ones"
did_you_mean "input option key typo" name_charset convert convert "$GOOD" -t json -I archive.name_charst=BIG5
did_you_mean "input option plugin typo" archive convert convert "$GOOD" -t json -I archiv.name_charset=BIG5
nb convert "$GOOD" -t json -I name_charset=BIG5
one_line_error "an input option without its plugin" convert
expect_grep "$T/err" "PLUGIN.key=value" "says the form -I takes"
# A value an input plugin refuses is the user's to change, like a wrong
# key: exit 2 before any output, not a failure of every input it reads.
(cd "$T" && cp "$GOOD" r.txt && zip -q opts.zip r.txt)
for j in 1 2; do
    nb convert -j "$j" "$T/opts.zip" -t json -I archive.name_charset=NO-SUCH-CHARSET -o "$T/opts.json"
    one_line_error "an unknown archive.name_charset (-j $j)" convert
    expect_grep "$T/err" "archive.name_charset: unknown character set 'NO-SUCH-CHARSET'" "name_charset: names the value"
    checks=$((checks + 1))
    [[ ! -e "$T/opts.json" ]] || fail "an unknown archive.name_charset: output written"
done
nb convert "$GOOD" "$T/opts.zip" -t json -I archive.name_charset=GBK -o "$T/opts.json"
expect_rc 0 "a known archive.name_charset"
# checked before any input, whether or not an input of its format comes
rm -f "$T/opts.json"
nb convert "$GOOD" -t json -I html.spans=sideways -o "$T/opts.json"
one_line_error "a value html refuses, with no HTML input" convert
expect_grep "$T/err" "html.spans must be grid or cells, not 'sideways'" "html.spans: names the value"
checks=$((checks + 1))
[[ ! -e "$T/opts.json" ]] || fail "a refused html.spans: output written"
# An output option value the plugin refuses: the reason, not "failed to
# initialise" (which is for a broken plugin, 69).
nb convert "$GOOD" -t csv -O encoding=gb18030 -O bom=true -o "$T/opts.csv"
one_line_error "a CSV option pair the writer refuses" convert
expect_grep "$T/err" "nianbao: csv: option bom=true is for UTF-8" "CSV option pair: the reason"
expect_no_grep "$T/err" "failed to initialise" "CSV option pair: not a broken plugin"
# validate takes -I too, checked the same way
nb validate "$T/opts.zip" -I archive.name_charset=NO-SUCH-CHARSET
one_line_error "validate: an unknown archive.name_charset" validate
nb validate "$T/opts.zip" -I archive.name_charset=GBK
expect_rc 0 "validate: a known archive.name_charset"
did_you_mean "pipeline typo" ndjson run run ndjsn "$GOOD"
did_you_mean "plugins flag typo" --json plugins plugins --jsn

# Nothing close: no guess, still one line and the hint.
nb convert "$GOOD" --zzzzzzzz
one_line_error "unknown option far from every known one" convert
expect_no_grep "$T/err" "did you mean" "no suggestion when nothing is close"
nb convert "$GOOD" -t
one_line_error "an option without its value" convert
expect_grep "$T/err" "'-t' needs a value" "the option lacking a value is named"
nb
one_line_error "no command" ""

# One prefix: getopt's "convert:" never appears on its own.
nb convert --bogus
expect_no_grep "$T/err" "convert: unrecognized" "getopt's own message is not printed"

# -v: one line per report with reader, encoding, template and counts.
nb convert -v -t json "$GOOD" "$DATA/liuxi_jiedao_2022.txt"
expect_rc 0 "convert -v"
checks=$((checks + 1))
[[ $(grep -c "reader txt, encoding [A-Z0-9-]*, template gb20[0-9]*" "$T/err") == 2 ]] ||
    { fail "-v names reader, encoding and template for each report"; show; }
expect_grep "$T/err" "of 2" "-v gives value counts" # "N of 2xx values"
nb convert -t json "$GOOD"
expect_no_grep "$T/err" "reader txt" "without -v no per-report line"

# validate: file:line: before each finding, like a compiler; the JSON
# findings carry the line too.
nb validate "$BAD"
expect_rc 1 "validate with an error finding"
checks=$((checks + 1))
grep -qE "^$(printf '%s' "$BAD" | sed 's/[.[\*^$/]/\\&/g'):[0-9]+: error R-" "$T/out" ||
    { fail "validate prints FILE:LINE: error RULE"; show; }
line=$(grep -oE "^[^ ]*:[0-9]+: error" "$T/out" | head -n1 | sed -E 's/.*:([0-9]+): error/\1/')
checks=$((checks + 1))
[[ -n "$line" ]] && sed -n "${line}p" "$BAD" | grep -q '[0-9]' ||
    fail "the line validate names holds numbers of the table (line $line)"
nb validate --json "$BAD"
expect_json "$T/out" '[.reports[0].diagnostics[] | select(.severity=="error") | .line] | map(. > 0) | all' true \
    "--json findings carry the line"

# Progress at 60 columns: every redraw fits (CJK counted as two columns)
# and shows i/N, a percentage and the time left when the total is known.
if command -v python3 >/dev/null 2>&1; then
    mkdir -p "$T/很长的中文文件夹名称用来检查进度行的宽度/子目录"
    for i in 1 2 3 4 5 6; do
        cp "$GOOD" "$T/很长的中文文件夹名称用来检查进度行的宽度/子目录/清河市场监督管理局政府信息公开年报-$i.txt"
    done
    rc=0
    COLUMNS=60 "$NB_BIN" convert --progress -t json "$T/很长的中文文件夹名称用来检查进度行的宽度" \
        </dev/null >"$T/out" 2>"$T/err" || rc=$?
    expect_rc 0 "convert --progress"
    checks=$((checks + 1))
    python3 - "$T/err" <<'PY' || fail "progress line wider than 59 columns or without i/N"
import re, sys, unicodedata
text = open(sys.argv[1], encoding="utf-8", newline="").read()
draws = [re.sub(r"\x1b\[K", "", d) for d in text.split("\r")]
draws = [d for d in draws if d and not d.startswith("nianbao:")]  # the summary after the last clear
width = lambda s: sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)
assert draws, "no progress drawn"
assert all(width(d) <= 59 and "\n" not in d for d in draws), [d for d in draws if width(d) > 59]
assert any(re.match(r"\d+/6 +\d+% .* left", d) for d in draws), draws
PY
else
    echo "note: python3 absent: progress width not measured" >&2
fi

# A relative NIANBAO_PLUGIN_PATH is named, not dropped in silence.
rc=0
NIANBAO_PLUGIN_PATH=relative/plugins "$NB_BIN" plugins </dev/null >"$T/out" 2>"$T/err" || rc=$?
expect_rc 0 "plugins with a relative NIANBAO_PLUGIN_PATH"
expect_grep "$T/err" "relative/plugins" "the relative plugin path is named"

finish
