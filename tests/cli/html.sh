# html.sh - the findings page: one self-contained file, read back the way
# people see it.  Static checks (no network references, every value of
# every report in the page, as in the csv output) run with python3 alone;
# then headless Chromium loads it: the values are read back from its DOM
# and its screenshot must not be blank.  Without chromium that part skips
# (exit 77) with a message; scripts/setup.sh installs it for CI.
source "$(dirname "$0")/common.bash"

command -v python3 >/dev/null 2>&1 || { echo "skip: python3 is not installed" >&2; exit 77; }
INPUTS=("$DATA/qinghe_shichang_2023.txt" "$DATA/liuxi_jiedao_2022.txt" "$DATA/yanqiao_zhen_2023_unbalanced.txt"
        "$DATA/meeting_notice.txt" "$NB_SOURCE_DIR/examples/bundle.zip")
PAGE="$T/报告.html"

nb convert "${INPUTS[@]}" -o "$PAGE"
expect_rc 65 "convert to html (one input is not a report)"
summary=$(tail -n1 "$T/err")
nb convert "${INPUTS[@]}" -t csv -o "$T/all.csv"
expect_rc 65 "the same inputs to csv"

# Self-contained: nothing is fetched when it opens.
for ref in "http://" "https://" "<script" "<link" "src=" "@import" "url("; do
    expect_no_grep "$PAGE" "$ref" "the page references nothing outside it ($ref)"
done

# check_page FILE WHAT: every value of the csv is in the page under its
# report and key; run counts as on stderr; the flagged cell is marked.
check_page() {
    checks=$((checks + 1))
    python3 - "$1" "$T/all.csv" "$summary" <<'PY' || fail "$2: the page does not hold what the csv holds"
import csv, html.parser, re, sys
page, csvfile, summary = sys.argv[1], sys.argv[2], sys.argv[3]

class Page(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.reports, self.counts, self.cur, self.key, self.cls, self.text = {}, {}, None, None, "", ""
        self.svg_rects, self.count_key = 0, None
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "details" and "report" in (a.get("class") or ""):
            self.cur = self.reports.setdefault(a["data-source"], {})
        elif tag == "td" and "data-key" in a:
            self.key, self.cls, self.text = a["data-key"], a.get("class") or "", ""
        elif tag == "b" and "data-count" in a:
            self.count_key, self.text = a["data-count"], ""
        elif tag == "rect" and a.get("data-year"):
            self.svg_rects += 1
    def handle_data(self, d):
        if self.key or self.count_key:
            self.text += d
    def handle_endtag(self, tag):
        if tag == "td" and self.key:
            self.cur[self.key] = (self.text, self.cls)
            self.key = None
        elif tag == "b" and self.count_key:
            self.counts[self.count_key] = int(self.text)
            self.count_key = None

p = Page()
p.feed(open(page, encoding="utf-8").read())
rows = list(csv.DictReader(open(csvfile, encoding="utf-8", newline="")))
assert len(p.reports) == len(rows) > 0, (len(p.reports), len(rows))
checked = 0
for row in rows:
    got = p.reports[row["source"]]
    for key, want in row.items():
        if "." not in key or want == "":
            continue
        assert key in got, (row["source"], key)
        assert got[key][0] == want, (row["source"], key, got[key][0], want)
        checked += 1
assert checked > 200 * len(rows), checked
m = re.search(r"(\d+) converted, (\d+) skipped, (\d+) failed; (\d+) with errors", summary)
assert m, summary
want = dict(zip(["converted", "skipped", "failed", "with_errors"], map(int, m.groups())))
for k, v in want.items():
    assert p.counts.get(k) == v, (k, p.counts.get(k), v)
bad = [s for s in p.reports if "unbalanced" in s][0]
assert "err" in p.reports[bad]["requests.results_total.natural_person"][1].split()
years = {r["year"] for r in rows}
assert p.svg_rects == len(years), (p.svg_rects, years)
PY
}
check_page "$PAGE" "the html file"

CHROME=$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)
if [[ -z "$CHROME" ]]; then
    echo "skip: chromium is not installed: the page was checked as a file, not in a browser" >&2
    ((failures)) && finish
    exit 77
fi
chrome() {
    local profile
    profile=$(mktemp -d "$T/profile.XXXXXX")
    timeout 120 "$CHROME" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
        --disable-background-networking --disable-component-update --disable-sync --disable-dev-shm-usage \
        --user-data-dir="$profile" "$@" 2>>"$T/chrome.log"
}
rc=0
chrome --dump-dom "file://$PAGE" >"$T/dom.html" || rc=$?
expect_rc 0 "chromium loads the page"
expect_nonempty "$T/dom.html" "chromium's DOM"
check_page "$T/dom.html" "the DOM chromium built"

rc=0
(cd "$T" && chrome --window-size=900,1100 --screenshot="$T/shot.png" "file://$PAGE") >/dev/null || rc=$?
expect_rc 0 "chromium screenshot"
checks=$((checks + 1))
python3 - "$T/shot.png" <<'PY' || fail "the screenshot is blank or unreadable"
import struct, sys, zlib
data = open(sys.argv[1], "rb").read()
assert data[:8] == b"\x89PNG\r\n\x1a\n"
pos, idat, w = 8, b"", 0
while pos < len(data):
    n, kind = struct.unpack(">I4s", data[pos:pos + 8])
    body = data[pos + 8:pos + 8 + n]
    if kind == b"IHDR":
        w, h, depth, ctype = struct.unpack(">IIBB", body[:10])
        assert depth == 8 and ctype in (2, 6), (depth, ctype)
        bpp = 3 if ctype == 2 else 4
    elif kind == b"IDAT":
        idat += body
    pos += 12 + n
raw, stride = zlib.decompress(idat), w * bpp
prev, ink, i = bytearray(stride), 0, 0
for y in range(h):
    f, line = raw[i], bytearray(raw[i + 1:i + 1 + stride])
    i += 1 + stride
    for x in range(stride):  # undo the PNG filter
        a = line[x - bpp] if x >= bpp else 0
        b, c = prev[x], prev[x - bpp] if x >= bpp else 0
        if f == 1: line[x] = (line[x] + a) & 255
        elif f == 2: line[x] = (line[x] + b) & 255
        elif f == 3: line[x] = (line[x] + (a + b) // 2) & 255
        elif f == 4:
            p = a + b - c; pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
    ink += sum(1 for x in range(0, stride, bpp) if min(line[x:x + 3]) < 200)
    prev = line
share = ink / (w * h)
assert share > 0.02, share
print("screenshot: %.1f%% of pixels drawn" % (100 * share))
PY

finish
