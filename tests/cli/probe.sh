# probe.sh - detection agrees with decoding: a report whose name says
# nothing (.dat) is recognised from its content in every encoding the
# decoder reads (UTF-8 with a BOM, UTF-16 LE/BE with a BOM, GB18030), and
# gives the same values as the same bytes named .txt.  Before, probes saw
# only raw bytes, so a UTF-16 report named r16.dat was "unknown format".
source "$(dirname "$0")/common.bash"

if ! command -v iconv >/dev/null 2>&1 || ! command -v jq >/dev/null 2>&1; then
    echo "skip: iconv or jq is not installed" >&2
    exit 77
fi

SRC="$DATA/qinghe_shichang_2023.txt"
D="$T/in"
mkdir -p "$D"
{ printf '\xef\xbb\xbf'; cat "$SRC"; } >"$D/u8bom"
{ printf '\xff\xfe'; iconv -f UTF-8 -t UTF-16LE "$SRC"; } >"$D/u16le"
{ printf '\xfe\xff'; iconv -f UTF-8 -t UTF-16BE "$SRC"; } >"$D/u16be"
iconv -f UTF-8 -t GB18030 "$SRC" >"$D/gb"

values() { # the report without its source block, as one line of JSON
    jq -cS 'del(.source)' "$1"
}

for f in u8bom u16le u16be gb; do
    cp "$D/$f" "$T/$f.txt"
    cp "$D/$f" "$T/$f.dat"
    nb convert "$T/$f.txt" -t json -o "$T/$f.txt.json"
    expect_rc 0 "$f named .txt converts"
    nb convert "$T/$f.dat" -t json -o "$T/$f.dat.json"
    expect_rc 0 "$f named .dat is detected from its content"
    checks=$((checks + 1))
    [[ -s "$T/$f.dat.json" && "$(values "$T/$f.dat.json")" == "$(values "$T/$f.txt.json")" ]] ||
        fail "$f: .dat and .txt give different reports"
    expect_json "$T/$f.dat.json" '.source.format' "txt" "$f named .dat is read by the txt reader"
done

# Binary content is still detected by its magic bytes, not as text.
printf '\x89PNG\r\n\x1a\n' >"$T/pic.dat"
nb convert "$T/pic.dat" -t json -o "$T/pic.json"
expect_grep "$T/err" "unknown format" "binary content without a reader stays unknown"

finish
