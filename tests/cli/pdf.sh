# pdf.sh - PDF reports end to end, on fixture PDFs drawn at test time by
# tests/tools/mkpdf from the project's own report text: every variant must
# read exactly as the text it was drawn from.  Also: scans and encrypted
# PDFs fail with their reason, and bundles mixing PDF, DOC, WPS, DOCX and
# junk account for every member.
source "$(dirname "$0")/common.bash"

MKPDF=${NB_MKPDF:-}
if [[ -z "$MKPDF" || ! -x "$MKPDF" ]]; then
    echo "skip: tests/tools/mkpdf not built (needs cairo: libcairo2-dev)"
    exit 77
fi
if ! "$NB_BIN" plugins 2>/dev/null | grep -qw pdf; then
    echo "skip: no pdf input plugin built (needs poppler-glib: libpoppler-glib-dev)"
    exit 77
fi
if ! command -v jq >/dev/null 2>&1; then
    echo "skip: jq is needed to compare readings"
    exit 77
fi
SRC="$NB_SOURCE_DIR/tests/data/pdf/qingshi_shenji_2024.txt"

# fontconfig keeps its caches to the end: not the tool's leak to report
mkpdf() { ASAN_OPTIONS=detect_leaks=0 "$MKPDF" "$@"; }

# The facts of a reading: who, when, and every table value.
facts() {
    jq -S '{agency, year, requests, appeals, proactive}' "$1"
}

# variant NAME MKPDF-OPTIONS...: the PDF must read as its text does.
variant() {
    local name=$1
    shift
    checks=$((checks + 1))
    if ! mkpdf "$@" "$SRC" "$T/$name.pdf" "$T/$name.txt" 2>"$T/err"; then
        fail "$name: mkpdf failed: $(cat "$T/err")"
        return
    fi
    nb convert "$T/$name.txt" -t json
    facts "$T/out" >"$T/$name.want"
    nb convert "$T/$name.pdf" -t json
    expect_rc 0 "$name: convert"
    facts "$T/out" >"$T/$name.got"
    if ! diff -q "$T/$name.want" "$T/$name.got" >/dev/null; then
        fail "$name: the PDF reads differently from its text"
        diff "$T/$name.want" "$T/$name.got" | head -20 >&2
    fi
    expect_json "$T/out" .source.format pdf "$name: source format"
}

variant portrait
variant landscape -l
variant turned -r
variant fullwidth -w
variant thousands -s 1234 -c
variant blanks -b
variant split -p 17
variant landscape_split_blank_fullwidth -l -p 9 -b -w
variant turned_large_blank -r -s 1001 -c -b
# the values themselves, not only agreement with the text
nb convert "$T/thousands.pdf" -t json
expect_json "$T/out" .requests.new_received.total 18510 "thousands: 新收 总计 (15 x 1234)"
expect_json "$T/out" .agency "青石县审计局" "thousands: agency"

# A scan has no text layer: failed (not skipped), named, exit 65.
mkpdf -S "$SRC" "$T/scan.pdf"
nb convert "$T/scan.pdf" -t json
expect_rc 65 "scan"
expect_grep "$T/err" "scan.pdf: scanned PDF: no text layer" "scan: reason names the file"
expect_grep "$T/err" "1 failed" "scan: counted as failed"

# A PDF with no page at all is empty, not a scan.
python3 - "$T/zero.pdf" <<'EOF'
import sys
objs = ["<</Type/Catalog/Pages 2 0 R>>", "<</Type/Pages/Kids[]/Count 0>>"]
out, offs = b"%PDF-1.4\n", []
for i, o in enumerate(objs, 1):
    offs.append(len(out))
    out += f"{i} 0 obj{o}endobj\n".encode()
x = len(out)
out += f"xref\n0 {len(objs) + 1}\n0000000000 65535 f \n".encode()
out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offs)
out += f"trailer<</Size {len(objs) + 1}/Root 1 0 R>>\nstartxref\n{x}\n%%EOF\n".encode()
open(sys.argv[1], "wb").write(out)
EOF
nb convert "$T/zero.pdf" -t json
expect_rc 65 "PDF without pages"
expect_grep "$T/err" "zero.pdf: empty PDF: it has no pages" "PDF without pages: reason"

# A PDF that needs a user password.
if command -v qpdf >/dev/null 2>&1; then
    qpdf --encrypt mima owner 256 -- "$T/portrait.pdf" "$T/locked.pdf"
    nb convert "$T/locked.pdf" -t json
    expect_rc 65 "encrypted"
    expect_grep "$T/err" "locked.pdf: encrypted PDF: it needs a user password" "encrypted: reason"
else
    echo "note: qpdf not installed: encrypted PDF not checked" >&2
fi

# Content before name: a PDF called .txt is a PDF; a damaged one fails.
cp "$T/portrait.pdf" "$T/misnamed.txt"
nb convert "$T/misnamed.txt" -t json
expect_rc 0 "PDF named .txt"
expect_json "$T/out" .source.format pdf "PDF named .txt: read as pdf"
head -c 300 "$T/portrait.pdf" >"$T/cut.pdf"
nb convert "$T/cut.pdf" -t json
expect_rc 65 "truncated PDF"
expect_grep "$T/err" "cut.pdf: not a readable PDF" "truncated PDF: reason"

# Office files by content.  Minimal packages: the names are what counts.
mkdir -p "$T/pkg/word" "$T/pkg/xl" "$T/pkg/_rels"
echo '<?xml version="1.0"?><Types/>' >"$T/pkg/[Content_Types].xml"
echo '<?xml version="1.0"?><Relationships/>' >"$T/pkg/_rels/.rels"
echo '<?xml version="1.0"?><w:document/>' >"$T/pkg/word/document.xml"
echo '<?xml version="1.0"?><workbook/>' >"$T/pkg/xl/workbook.xml"
(cd "$T/pkg" && zip -qX "$T/report.docx" '[Content_Types].xml' _rels/.rels word/document.xml &&
    zip -qX "$T/sheet.xlsx" '[Content_Types].xml' _rels/.rels xl/workbook.xml)
cp "$T/report.docx" "$T/renamed.zip"
nb convert "$T/renamed.zip" -t json
expect_rc 65 "DOCX named .zip"
expect_no_grep "$T/err" "renamed.zip!/" "DOCX named .zip: not opened as an archive"
if ! "$NB_BIN" plugins 2>/dev/null | grep -qw docx; then
    expect_grep "$T/err" "renamed.zip: DOCX reader not built" "DOCX without its reader"
fi
nb convert "$T/sheet.xlsx" -t json
expect_rc 65 "xlsx named on the command line"
expect_grep "$T/err" "sheet.xlsx: not a report: spreadsheet" "xlsx: reason"

# Legacy Word and WPS: OLE2 files fail with the way out.
ole2() { printf '\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1' >"$1"; head -c 1000 /dev/zero >>"$1"; }
ole2 "$T/old.doc"
ole2 "$T/kingsoft.wps"
nb convert "$T/old.doc" "$T/kingsoft.wps" -t json
expect_rc 65 "doc and wps"
expect_grep "$T/err" "old.doc: legacy Word/WPS document (.doc/.wps) not read: save it as DOCX" "doc: advice"
expect_grep "$T/err" "kingsoft.wps: legacy Word/WPS document" "wps: named"
expect_grep "$T/err" "-I doc.convert=soffice" "doc: names the converter route"

# The opt-in route, with stand-ins for soffice: never a hang, always a reason.
mkdir "$T/bin"
printf '#!/bin/sh\nexec sleep 30\n' >"$T/bin/soffice"
chmod +x "$T/bin/soffice"
start=$SECONDS
PATH="$T/bin:$PATH" nb convert "$T/old.doc" -I doc.convert=soffice -I doc.timeout=1 -t json
expect_rc 65 "soffice overrunning"
expect_grep "$T/err" "old.doc: soffice did not convert it within 1 s" "soffice timeout: reason"
checks=$((checks + 1))
((SECONDS - start < 20)) || fail "soffice timeout: the run waited $((SECONDS - start)) s"
# a stand-in that "converts" by copying a DOCX: the result goes on to the DOCX reader
cat >"$T/bin/soffice" <<SH
#!/bin/sh
while [ \$# -gt 1 ]; do [ "\$1" = --outdir ] && out=\$2; shift; done
cp "$T/report.docx" "\$out/input.docx"
SH
PATH="$T/bin:$PATH" nb convert "$T/old.doc" -I doc.convert=soffice -t json
expect_grep "$T/err" "old.doc!/old.docx" "soffice result handed on as old.docx"
expect_no_grep "$T/err" "legacy Word/WPS document" "soffice result: not failed as .doc"
checks=$((checks + 1))
ls "${TMPDIR:-/tmp}" | grep -q "^nianbao-doc\." && fail "soffice temp directory left behind"

# A bundle as downloaded: GBK member names (Chinese Windows), PDF, DOC, WPS,
# DOCX, a spreadsheet, a picture and a text report side by side.
cp "$T/portrait.pdf" "$T/年报.pdf"
mkdir "$T/gbk"
python3 - "$T" <<'PY'
import os, sys
t = sys.argv[1]
members = [("年报.pdf", "年报.pdf"), ("旧版.doc", "old.doc"), ("金山.wps", "kingsoft.wps"),
           ("报告.docx", "report.docx"), ("统计表.xlsx", "sheet.xlsx"), ("文本.txt", "portrait.txt")]
os.mkdir(os.path.join(t, "gbk").encode() + b"/" + "洪山区".encode("gbk"))
for name, src in members:  # file names in GBK bytes, as Chinese Windows writes them
    path = os.path.join(t, "gbk").encode() + b"/" + "洪山区".encode("gbk") + b"/" + name.encode("gbk")
    with open(path, "wb") as f:
        f.write(open(os.path.join(t, src), "rb").read())
with open(os.path.join(t, "gbk", "logo.png"), "wb") as f:
    f.write(b"\x89PNG\r\n\x1a\n" + b"\0" * 64)
PY
(cd "$T/gbk" && LC_ALL=C zip -qrX "$T/bundle.zip" .)
nb convert "$T/bundle.zip" -t ndjson
expect_rc 65 "bundle with a DOC: exit 65"
expect_grep "$T/out" "bundle.zip!/洪山区/年报.pdf" "bundle: PDF converted (GBK name decoded)"
expect_grep "$T/out" "bundle.zip!/洪山区/文本.txt" "bundle: text converted"
expect_grep "$T/err" "bundle.zip!/洪山区/旧版.doc: legacy Word/WPS document" "bundle: DOC failed with advice"
expect_grep "$T/err" "bundle.zip!/洪山区/金山.wps: legacy Word/WPS" "bundle: WPS failed"
expect_no_grep "$T/err" "bundle.zip!/洪山区/报告.docx: not a report" "bundle: DOCX never 'not a report'"
expect_grep "$T/err" "bundle.zip!/洪山区/统计表.xlsx" "bundle: spreadsheet accounted for"
expect_grep "$T/err" "logo.png: not a report: image" "bundle: picture accounted for"
expect_grep "$T/err" "2 converted" "bundle: PDF and text converted"

# poppler-glib frees its shared tables (GlobalParams) when its last open
# document closes.  The reader keeps one open, so that PDFs read one at a
# time (-j 1) do not each build them again: poppler-data's folders are
# scanned once a run, not once a PDF.
if command -v strace >/dev/null 2>&1 && strace -f -o /dev/null true 2>/dev/null; then
    strace -f -e trace=openat -o "$T/trace" "$NB_BIN" convert -q -j 1 -t ndjson -o "$T/four.ndjson" \
        "$T/portrait.pdf" "$T/landscape.pdf" "$T/turned.pdf" "$T/fullwidth.pdf" </dev/null 2>"$T/err" || true
    expect_grep "$T/four.ndjson" '"format":"pdf"' "four PDFs converted under strace"
    built=$(grep -c 'nameToUnicode"' "$T/trace" || true)
    checks=$((checks + 1))
    [[ "$built" == 1 ]] || fail "poppler's shared tables were built $built times for four PDFs, not once"
else
    echo "note: strace missing or not allowed here: poppler's table builds not counted" >&2
fi

# With -j N, PDF and Word files are read on the worker threads
# (NB_CAP_REENTRANT): every variant above, the failures (scan, cut,
# encrypted), Word reports of three producers, the bundle, and all of them
# again as archive members give the same stdout, stderr and status with
# -j 1, 2 and 5.
mkdir "$T/par"
cp "$T"/*.pdf "$T/report.docx" "$T/bundle.zip" "$T/par/"
for style in word wps layout; do
    python3 "$NB_SOURCE_DIR/tests/data/docx/make_docx.py" report "$style" "$T/$style.docx" 7 >/dev/null ||
        fail "make_docx.py $style failed"
    cp "$T/$style.docx" "$T/par/"
done
tar -czf "$T/par.tar.gz" -C "$T/par" .
run_all par convert "$T/par" "$T/par.tar.gz" -t ndjson
same_for_all par
checks=$((checks + 1))
n=$(grep -c '"schema"' "$T/par.j1.out")
((n >= 2 * 14)) || fail "-j: $n reports from the PDF and Word files, expected at least 28"
expect_grep "$T/par.j1.err" "par.tar.gz!/scan.pdf: scanned PDF" "-j: a failing member is named"

finish
