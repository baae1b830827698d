# hostile.sh - hostile inputs (issue 12), each class built here at test
# time: the message names the file and member, the exit code is right, the
# accounting balances, no temp file is left, and the run ends.  `timeout`
# is a guard against hangs (the sanitizer build is slow), not a speed goal.
source "$(dirname "$0")/common.bash"

command -v python3 >/dev/null 2>&1 || { echo "python3 is needed to build the inputs" >&2; exit 77; }

GOOD="$DATA/qinghe_shichang_2023.txt"
LIMIT=60 # seconds: far above any case's time, far below "never ends"

# nbt ARGS...: nb under the hang guard; a timeout is a failure by itself.
nbt() {
    rc=0
    timeout "$LIMIT" "$NB_BIN" "$@" </dev/null >"$T/out" 2>"$T/err" || rc=$?
    checks=$((checks + 1))
    if [[ $rc == 124 ]]; then
        fail "did not finish in ${LIMIT}s: nianbao $*"
    fi
}

# nb_peak ARGS...: nianbao ARGS under the hang guard, stderr in $T/err;
# prints its exit status and its peak RSS in MB (the runs using it write
# their output with -o, so stdout holds only those two numbers).
nb_peak() {
    python3 - "$LIMIT" "$NB_BIN" "$T/err" "$@" <<'EOF' || true
import resource, subprocess, sys
limit, nb, err = sys.argv[1:4]
with open(err, "w") as e:
    r = subprocess.run(["timeout", limit, nb] + sys.argv[4:], stdin=subprocess.DEVNULL, stderr=e).returncode
print(r, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024)
EOF
}

# expect_counts C S F WHAT: the closing line of stderr.
expect_counts() {
    expect_grep "$T/err" "nianbao: $1 converted, $2 skipped, $3 failed" "$4: accounting"
}

# report_with_narrative FILE FILLER: the good report with FILLER written
# into its first section (python: FILLER is a Python expression).
report_with_narrative() {
    python3 - "$GOOD" "$1" "$2" <<'EOF'
import sys
src, dst, expr = sys.argv[1], sys.argv[2], sys.argv[3]
text = open(src, encoding="utf-8").read()
at = text.index("一、总体情况") + len("一、总体情况\n")
open(dst, "w", encoding="utf-8").write(text[:at] + eval(expr) + "\n" + text[at:])
EOF
}

# 1. Validation cost: long sentences, long digit runs, a one-sentence
# bomb member inside a small zip (stopped while it is read).
report_with_narrative "$T/long.txt" "'本年共受理申请5件，其中答复3件，' * 6000"
nbt convert "$T/long.txt" -t json -o "$T/long.json"
expect_rc 0 "one 200 KB sentence"
expect_counts 1 0 0 "one 200 KB sentence"
report_with_narrative "$T/digits.txt" "'共收到申请' + '7' * 100000 + '件。'"
nbt convert "$T/digits.txt" -t json -o "$T/digits.json"
expect_rc 0 "a run of 100000 digits"
expect_counts 1 0 0 "a run of 100000 digits"
report_with_narrative "$T/bomb.txt" "'申请' * 700000"
python3 - "$T/bomb.txt" "$T/bomb.zip" <<'EOF'
import sys, zipfile
with zipfile.ZipFile(sys.argv[2], "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
    z.write(sys.argv[1], "年报.txt")
EOF
nbt convert "$T/bomb.zip" -t json -o "$T/bomb.json"
expect_rc 65 "one-sentence member in a small zip"
expect_grep "$T/err" "bomb.zip!/年报.txt: the archive expands more than 200 times" "bomb member: named, stopped while read"
expect_grep "$T/err" "bomb.zip: expands more than 200 times its size" "bomb member: the container says why the rest is lost"

# 1b. Table rows printed as one long glued digit run each (80 digits):
# every cut into the row's cells is searched, so the search must not
# wander dead branches.  40 such reports in one bundle: this once took
# over two seconds a report, which the hang guard turns into a failure.
python3 - "$GOOD" "$T/glued.tar.gz" <<'EOF'
import io, re, sys, tarfile
rows = []
for line in open(sys.argv[1], encoding="utf-8").read().split("\n"):
    toks = line.split()
    nums = [t for t in toks if re.fullmatch(r"[0-9]+", t)]
    if len(nums) >= 4:
        line = " ".join([t for t in toks if t not in nums] + ["6" * 40 + "0" * 40])
    rows.append(line)
data = "\n".join(rows).encode("utf-8")
with tarfile.open(sys.argv[2], "w:gz") as tar:
    for i in range(40):
        info = tarfile.TarInfo(f"glued/{i:02}.txt")
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))
EOF
nbt convert "$T/glued.tar.gz" -t ndjson -o "$T/glued.ndjson"
expect_rc 0 "40 reports of glued 80-digit rows"
expect_counts 40 0 0 "glued 80-digit rows"
expect_grep "$T/glued.ndjson" "无法唯一拆分" "glued 80-digit rows: the ambiguous cut is said"

# 2. NDJSON bounded by lines.
nbt convert "$GOOD" "$DATA/liuxi_jiedao_2022.txt" -t ndjson -o "$T/two.ndjson"
expect_rc 0 "two reports as NDJSON"
python3 - "$T/two.ndjson" "$T" <<'EOF'
import sys, zipfile
lines = open(sys.argv[1], encoding="utf-8").read().splitlines()
t = sys.argv[2]
def write(name, middle):
    open(f"{t}/{name}", "w", encoding="utf-8").write(lines[0] + "\n" + middle + "\n" + lines[1] + "\n")
write("quote.ndjson", '{"schema":"nianbao.report/1","agency":"unterminated')
write("brace.ndjson", '{"schema":"nianbao.report/1","agency":{"x":1}')
write("junk.ndjson", "}" * 3000 + ",]]\x01")
write("bracket.ndjson", "[[[" + lines[0])  # a '[' after a record opens no array
with zipfile.ZipFile(f"{t}/nd.zip", "w") as z:
    z.write(f"{t}/junk.ndjson", "in/junk.ndjson")
EOF
for c in quote brace junk bracket; do
    nbt convert "$T/$c.ndjson" -t csv -o "$T/$c.csv"
    expect_rc 65 "ndjson $c"
    expect_counts 2 0 1 "ndjson $c: only the bad line is lost"
    expect_grep "$T/err" "failed $T/$c.ndjson:2: record 2: invalid JSON" "ndjson $c: file and line named"
done
nbt convert "$T/nd.zip" -t csv -o "$T/nd.csv"
expect_rc 65 "ndjson in a zip"
expect_counts 2 0 1 "ndjson in a zip"
expect_grep "$T/err" "failed $T/nd.zip!/in/junk.ndjson:2:" "ndjson in a zip: archive, member and line named"
# A failure record that gives no reason still says which record it is.
printf '%s\n' '{"schema":"nianbao.failure/1","source":"a.txt","reason":"cut"}' \
    '{"schema":"nianbao.failure/1","reason":""}' >"$T/noreason.ndjson"
nbt convert "$T/noreason.ndjson" -t ndjson -o "$T/noreason.out"
expect_rc 65 "failure records"
expect_grep "$T/err" "failed a.txt: cut" "failure record: its own source and reason"
expect_grep "$T/err" "failed $T/noreason.ndjson: record 2 ($T/noreason.ndjson:2): a failure record with no reason" "failure record without a reason: named"

# 3. Folder walking: a link to its own folder and links to each other.
mkdir -p "$T/walk/a"
cp "$GOOD" "$T/walk/a/r.txt"
ln -s . "$T/walk/a/self"
ln -s ../b "$T/walk/a/to_b"
mkdir -p "$T/walk/b" && ln -s ../a "$T/walk/b/to_a"
nbt convert "$T/walk" -t csv -o "$T/walk.csv"
expect_rc 0 "symbolic link loops"
expect_counts 1 3 0 "symbolic link loops: each report once"
expect_grep "$T/err" "skipped $T/walk/a/self: folder already read" "link loop: named and skipped"

# 4. Skipped members count against the expansion limits.
python3 - "$T/images.tar.gz" <<'EOF'
import io, sys, tarfile
blob = bytes(6 << 20)
with tarfile.open(sys.argv[1], "w:gz", compresslevel=9) as tar:
    for i in range(20):
        info = tarfile.TarInfo(f"scan{i:02}.png")
        info.size = len(blob)
        tar.addfile(info, io.BytesIO(blob))
EOF
nbt convert "$T/images.tar.gz" -t csv -o "$T/images.csv"
expect_rc 65 "skipped members inflating"
expect_grep "$T/err" "skipping members expanded it more than 100 times" "skipped bomb: stopped"
checks=$((checks + 1))
n=$(grep -c "skipped $T/images.tar.gz!/scan" "$T/err")
((n < 20)) || fail "skipped bomb: all 20 members were inflated ($n)"

# 5. Sums past int64: a warning that names the cell, no wrap-around.
python3 - "$T/two.ndjson" "$T/big.ndjson" <<'EOF'
import json, sys
r = json.loads(open(sys.argv[1], encoding="utf-8").readline())
def big(o):
    if isinstance(o, dict):
        return {k: 999999999999999999 if type(v) is int else big(v) for k, v in o.items()}
    return o
r["requests"] = big(r["requests"])
open(sys.argv[2], "w", encoding="utf-8").write(json.dumps(r, ensure_ascii=False) + "\n")
EOF
nbt validate "$T/big.ndjson"
expect_rc 1 "18-digit figures (their totals are wrong: errors)"
expect_grep "$T/out" "数值过大，合计超出可精确计算的范围" "18-digit figures: overflow said"
expect_no_grep "$T/out" "应为 -" "18-digit figures: no wrapped negative sum"

# 6. Temp files and modes.
mkdir -p "$T/tmp"
rc=0
TMPDIR="$T/tmp" timeout "$LIMIT" "$NB_BIN" convert "$GOOD" -t xlsx -o - 2>"$T/err" </dev/null | head -c 1 >/dev/null
checks=$((checks + 1))
[[ -z $(ls -A "$T/tmp") ]] || fail "xlsx -o - | head: temp file left in TMPDIR: $(ls -A "$T/tmp")"
mkdir -p "$T/sig"
for i in $(seq 1 40); do cp "$GOOD" "$T/sig/r$i.txt"; done
for s in INT TERM; do
    timeout "$LIMIT" "$NB_BIN" convert -q "$T/sig" -o "$T/sig.xlsx" </dev/null 2>/dev/null &
    pid=$!
    sleep 0.5
    kill -s "$s" "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    checks=$((checks + 1))
    [[ -z $(ls -A "$T" | grep '^\.sig\.xlsx\.') ]] || fail "SIG$s: temp output left beside the target"
done
# A zip read from stdin is spooled to a temp copy (a zip needs to seek):
# a run ended by a signal while it spools, or killed outright, leaves no
# copy behind (the copy is unlinked as soon as it is made).
python3 - "$T/sig.zip" "$GOOD" <<'EOF'
import os, sys, zipfile
with zipfile.ZipFile(sys.argv[1], "w") as z:
    z.writestr("logo.png", os.urandom(300000))
    z.write(sys.argv[2], "r1.txt")
    z.write(sys.argv[2], "r2.txt")
EOF
for s in TERM KILL; do
    mkdir -p "$T/spool"
    TMPDIR="$T/spool" "$NB_BIN" convert -q - -t ndjson -o "$T/spool.ndjson" \
        < <({ head -c 200000 "$T/sig.zip"; sleep 5; } 2>/dev/null) 2>/dev/null &
    pid=$!
    sleep 0.5
    kill -s "$s" "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    checks=$((checks + 1))
    [[ -z $(ls -A "$T/spool") ]] || fail "SIG$s while spooling stdin: left in TMPDIR: $(ls -A "$T/spool")"
done
rc=0
TMPDIR="$T/spool" timeout "$LIMIT" "$NB_BIN" convert - -t ndjson -o "$T/spool.ndjson" <"$T/sig.zip" 2>"$T/err" || rc=$?
expect_rc 0 "zip from stdin"
expect_counts 2 1 0 "zip from stdin"
checks=$((checks + 1))
[[ -z $(ls -A "$T/spool") ]] || fail "zip from stdin: left in TMPDIR: $(ls -A "$T/spool")"
# A workbook for stdout is made in TMPDIR first (xlsx needs a file): that
# file is unlinked as soon as it is made, so not even SIGKILL leaves it.
mkdir -p "$T/xo"
TMPDIR="$T/xo" "$NB_BIN" convert -q - -t xlsx >"$T/xo.xlsx" \
    < <({ head -c 200000 "$T/sig.zip"; sleep 5; } 2>/dev/null) 2>/dev/null &
pid=$!
sleep 0.5
kill -s KILL "$pid" 2>/dev/null
wait "$pid" 2>/dev/null
checks=$((checks + 1))
[[ -z $(ls -A "$T/xo") ]] || fail "SIGKILL with xlsx on stdout: left in TMPDIR: $(ls -A "$T/xo")"
rm -rf "${T:?}/xo" && mkdir -p "$T/xo"
rc=0
TMPDIR="$T/xo" timeout "$LIMIT" "$NB_BIN" convert - -t xlsx <"$T/sig.zip" >"$T/xo.xlsx" 2>"$T/err" || rc=$?
expect_rc 0 "zip from stdin to xlsx on stdout"
checks=$((checks + 1))
python3 -c "import sys, zipfile; z = zipfile.ZipFile(sys.argv[1]); sys.exit(z.testzip() is not None)" "$T/xo.xlsx" ||
    fail "xlsx on stdout: not a whole workbook"
checks=$((checks + 1))
[[ -z $(ls -A "$T/xo") ]] || fail "xlsx on stdout: left in TMPDIR: $(ls -A "$T/xo")"
# -o naming a folder is refused before any work, with its reason.
nbt convert "$T/sig" -t ndjson -o "$T/spool"
expect_rc 73 "-o a folder"
expect_grep "$T/err" "nianbao: $T/spool: is a folder: -o names the file to write" "-o a folder: reason"
expect_no_grep "$T/err" "converted" "-o a folder: refused before reading"
# -o naming a symbolic link writes the file it points to, as the shell's
# `>` does; the link stays a link.
mkdir -p "$T/lk/real"
echo old >"$T/lk/real/out.csv"
ln -s real/out.csv "$T/lk/link.csv"
nbt convert -q "$GOOD" -o "$T/lk/link.csv"
expect_rc 0 "-o a symbolic link"
checks=$((checks + 1))
[[ -L "$T/lk/link.csv" ]] || fail "-o a symbolic link: the link was replaced"
expect_grep "$T/lk/real/out.csv" "source,agency,year" "-o a symbolic link: the file it points to is written"
(umask 027 && "$NB_BIN" convert -q "$GOOD" -o "$T/mode.csv" </dev/null 2>/dev/null)
checks=$((checks + 1))
[[ $(stat -c %a "$T/mode.csv") == 640 ]] || fail "umask 027: new output is $(stat -c %a "$T/mode.csv"), not 640"
chmod 600 "$T/mode.csv"
nbt convert -q "$GOOD" -o "$T/mode.csv"
checks=$((checks + 1))
[[ $(stat -c %a "$T/mode.csv") == 600 ]] || fail "replaced output lost its mode 600"

# A device named by -o is written in place, never replaced by a file;
# a write that fails says why.  Private device nodes (root only), so a
# regression cannot replace the system's /dev/null.
if mknod -m 666 "$T/full" c 1 7 2>/dev/null && mknod -m 666 "$T/null" c 1 3 2>/dev/null; then
    nbt convert -q "$GOOD" -t csv -o "$T/full"
    expect_rc 74 "csv to a full device"
    expect_grep "$T/err" "No space left on device" "csv to a full device: the reason"
    checks=$((checks + 1))
    [[ -c "$T/full" ]] || fail "-o FULL-DEVICE replaced the device"
    # a write that fails mid-run (the output's buffer full many times over)
    # names the output, not the plugin that wrote it
    for fmt in ndjson csv html; do
        nbt convert -q "$T/sig" -t "$fmt" -o "$T/full"
        expect_rc 74 "$fmt to a full device mid-run"
        expect_grep "$T/err" "nianbao: $T/full: " "$fmt to a full device mid-run: names the device"
        rc=0
        timeout "$LIMIT" "$NB_BIN" convert -q "$T/sig" -t "$fmt" </dev/null >"$T/full" 2>"$T/err" || rc=$?
        expect_rc 74 "$fmt on a full stdout mid-run"
        expect_grep "$T/err" "nianbao: <stdout>: " "$fmt on a full stdout mid-run: names stdout"
    done
    # what the other commands print must reach stdout too
    for cmd in "validate --json $GOOD" "validate $DATA/yanqiao_zhen_2023_unbalanced.txt" "formats" "plugins --json" "--help"; do
        rc=0
        # shellcheck disable=SC2086
        timeout "$LIMIT" "$NB_BIN" $cmd </dev/null >"$T/full" 2>"$T/err" || rc=$?
        expect_rc 74 "nianbao $cmd on a full stdout"
        expect_grep "$T/err" "nianbao: <stdout>: write error: No space left on device" "nianbao $cmd on a full stdout: said"
    done
    nbt convert -q "$GOOD" -t xlsx -o "$T/null"
    expect_rc 0 "xlsx to a null device"
    checks=$((checks + 1))
    [[ -c "$T/null" ]] || fail "-o NULL-DEVICE replaced the device"
fi

# 7. Outcomes: an empty report is skipped, not failed.
: >"$T/empty.txt"
nbt convert "$T/empty.txt" -t csv -o "$T/empty.csv"
expect_rc 0 "0-byte report"
expect_counts 0 1 0 "0-byte report"
expect_grep "$T/err" "skipped $T/empty.txt: empty file" "0-byte report: reason"

# A small truncated .tar.gz: its whole members are still read.
python3 - "$GOOD" "$DATA/liuxi_jiedao_2022.txt" "$T/cut.tar.gz" <<'EOF'
import io, random, sys, tarfile
buf = io.BytesIO()
with tarfile.open(fileobj=buf, mode="w:gz") as tar:
    tar.add(sys.argv[1], "a/first.txt")
    tar.add(sys.argv[2], "a/second.txt")
    tar.addfile(tarfile.TarInfo("a/third.txt"), io.BytesIO(b""))  # empty: skipped
    info = tarfile.TarInfo("a/last.txt")
    blob = random.Random(7).randbytes(60000)  # does not compress: the cut falls in it
    info.size = len(blob)
    tar.addfile(info, io.BytesIO(blob))
data = buf.getvalue()
open(sys.argv[3], "wb").write(data[: len(data) - 20000])
EOF
nbt convert "$T/cut.tar.gz" -t csv -o "$T/cut.csv"
expect_rc 65 "truncated tar.gz"
expect_grep "$T/err" "nianbao: 2 converted, 1 skipped, 2 failed" "truncated tar.gz: whole members read; the cut one and the rest failed"
expect_grep "$T/err" "failed $T/cut.tar.gz!/a/last.txt: damaged member" "truncated tar.gz: the cut member named"

# One compressed report, no archive around it: read as its one member,
# named without the compression's extension; cut short, it fails as such.
gzip -c "$GOOD" >"$T/one.txt.gz"
xz -c "$GOOD" >"$T/one.md.xz" 2>/dev/null || cp "$T/one.txt.gz" "$T/one.md.xz"
nbt convert "$T/one.txt.gz" "$T/one.md.xz" -t ndjson -o "$T/one.ndjson"
expect_rc 0 "compressed reports"
expect_grep "$T/one.ndjson" "\"path\":\"$T/one.txt.gz!/one.txt\"" "compressed report: named without .gz"
expect_counts 2 0 0 "compressed reports"
python3 - "$T/one.txt.gz" "$T/cutone.txt.gz" <<'EOF'
import sys
data = open(sys.argv[1], "rb").read()
open(sys.argv[2], "wb").write(data[: len(data) // 2])
EOF
nbt convert "$T/cutone.txt.gz" -t ndjson -o "$T/cutone.ndjson"
expect_rc 65 "compressed report cut short"
expect_grep "$T/err" "cutone.txt.gz: damaged or truncated compressed data" "compressed report cut short: reason"

# gzip whose bytes changed (bit rot, a bad copy) but still inflate: only
# the member's CRC-32 tells, which libarchive's gzip filter never checks.
# Stored blocks carry the text as is, so a changed byte changes one
# character of it; a trailer's CRC or length changed alike.
python3 - "$GOOD" "$DATA/liuxi_jiedao_2022.txt" "$T" <<'EOF2'
import io, sys, tarfile, zlib
def gz(data, level):
    c = zlib.compressobj(level, zlib.DEFLATED, 31)
    return c.compress(data) + c.flush()
text = open(sys.argv[1], "rb").read()
rot = bytearray(gz(text, 0))
rot[len(rot) // 2] ^= 0x04               # inside the stored text
open(sys.argv[3] + "/rot.txt.gz", "wb").write(rot)
buf = io.BytesIO()
with tarfile.open(fileobj=buf, mode="w") as tar:
    tar.add(sys.argv[1], "a/first.txt")
    tar.add(sys.argv[2], "a/second.txt")
plain = buf.getvalue()
crc = bytearray(gz(plain, 6)); crc[-8] ^= 0x01  # the trailer's CRC-32
open(sys.argv[3] + "/crc.tar.gz", "wb").write(crc)
size = bytearray(gz(plain, 6)); size[-1] ^= 0x01  # the trailer's length
open(sys.argv[3] + "/size.tar.gz", "wb").write(size)
half = len(plain) // 2                    # two members, then tape padding
open(sys.argv[3] + "/multi.tar.gz", "wb").write(gz(plain[:half], 6) + gz(plain[half:], 1) + bytes(4096))
EOF2
nbt convert "$T/rot.txt.gz" -t ndjson -o "$T/rot.ndjson"
expect_rc 65 "gzip with a changed byte"
expect_counts 0 0 1 "gzip with a changed byte"
expect_grep "$T/err" "failed $T/rot.txt.gz: damaged or truncated compressed data: gzip: its checksum (CRC-32) does not match" \
    "gzip with a changed byte: the checksum named"
nbt convert "$T/crc.tar.gz" -t ndjson -o "$T/crc.ndjson"
expect_rc 65 "tar.gz with a wrong CRC-32"
expect_counts 2 0 1 "tar.gz with a wrong CRC-32: its members read, the archive failed"
expect_grep "$T/err" "failed $T/crc.tar.gz: damaged or truncated compressed data: gzip: its checksum (CRC-32) does not match: some bytes are wrong; the members read from it may hold wrong bytes" \
    "tar.gz with a wrong CRC-32: the archive is named and its members called unchecked"
nbt convert "$T/size.tar.gz" -t ndjson -o "$T/size.ndjson"
expect_rc 65 "tar.gz with a wrong length"
expect_grep "$T/err" "failed $T/size.tar.gz: damaged or truncated compressed data: gzip: its length does not match" \
    "tar.gz with a wrong length: named"
nbt convert "$T/multi.tar.gz" -t ndjson -o "$T/multi.ndjson"
expect_rc 0 "tar.gz in two gzip members, padded"
expect_counts 2 0 0 "tar.gz in two gzip members, padded"
# What follows a tar's end marker is inflated to reach the gzip trailer,
# but not without end: 80 MB of zeros after it (100 KB packed) stop there.
python3 - "$GOOD" "$T/tail.tar.gz" <<'EOF2'
import io, sys, tarfile, zlib
buf = io.BytesIO()
with tarfile.open(fileobj=buf, mode="w") as tar:
    tar.add(sys.argv[1], "a/first.txt")
c = zlib.compressobj(9, zlib.DEFLATED, 31)
out = c.compress(buf.getvalue())
zeros = bytes(1 << 20)
for _ in range(80):
    out += c.compress(zeros)
open(sys.argv[2], "wb").write(out + c.flush())
EOF2
nbt convert "$T/tail.tar.gz" -t ndjson -o "$T/tail.ndjson"
expect_rc 65 "tar.gz with a bomb after its end"
expect_counts 1 0 1 "tar.gz with a bomb after its end"
expect_grep "$T/err" "of data after the archive's end (decompression bomb?)" "tar.gz with a bomb after its end: said"
rc=0 # the same from a pipe: no file to read twice
cat "$T/crc.tar.gz" | timeout "$LIMIT" "$NB_BIN" convert - -t ndjson -o "$T/crcin.ndjson" 2>"$T/err" || rc=$?
expect_rc 65 "tar.gz with a wrong CRC-32 on stdin"
expect_grep "$T/err" "failed <stdin>: damaged or truncated compressed data: gzip: its checksum" "on stdin: named"

# A gzip layer under another compression (rot.txt.gz gzipped again, or
# packed with xz) is checked too: it is read as a member of its own, so
# its path names both layers.  libarchive's gzip filter took such a layer
# before and the changed byte went through as text.
gzip -c "$T/rot.txt.gz" >"$T/rot.txt.gz.gz"
gzip -c "$T/one.txt.gz" >"$T/two.txt.gz.gz"
nbt convert "$T/rot.txt.gz.gz" "$T/two.txt.gz.gz" -t ndjson -o "$T/twice.ndjson"
expect_rc 65 "gzip in gzip, the inner one changed"
expect_counts 1 0 1 "gzip in gzip, the inner one changed"
expect_grep "$T/err" "failed $T/rot.txt.gz.gz!/rot.txt.gz: damaged or truncated compressed data: gzip: its checksum (CRC-32) does not match" \
    "gzip in gzip: the inner layer's checksum named"
expect_grep "$T/twice.ndjson" "\"path\":\"$T/two.txt.gz.gz!/two.txt.gz!/two.txt\"" "gzip in gzip: both layers in the path"
if xz -c "$T/rot.txt.gz" >"$T/rot.txt.gz.xz" 2>/dev/null; then
    nbt convert "$T/rot.txt.gz.xz" -t ndjson -o "$T/xzgz.ndjson"
    expect_rc 65 "gzip in xz, changed"
    expect_grep "$T/err" "failed $T/rot.txt.gz.xz!/rot.txt.gz: damaged or truncated compressed data: gzip: its checksum" \
        "gzip in xz: the gzip layer's checksum named"
fi

# The same cut tar.gz inside a zip: what the archive reader says of it
# names it by its whole path, the zip's name first.
(cd "$T" && zip -q "$T/outer.zip" cut.tar.gz)
nbt convert "$T/outer.zip" -t csv -o "$T/outer.csv"
expect_rc 65 "truncated tar.gz in a zip"
expect_grep "$T/err" "nianbao: archive: $T/outer.zip!/cut.tar.gz: damaged or truncated compressed data" "truncated tar.gz in a zip: the warning names the zip"
expect_grep "$T/err" "failed $T/outer.zip!/cut.tar.gz!/a/last.txt: damaged member" "truncated tar.gz in a zip: the cut member named"

# A zip whose directory lists many entries sharing one data block.
python3 - "$GOOD" "$T/shared.zip" <<'EOF'
import io, struct, sys, zipfile
buf = io.BytesIO()
with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
    z.writestr("r00.txt", open(sys.argv[1], "rb").read())
b = buf.getvalue()
cd, eo = b.find(b"PK\x01\x02"), b.find(b"PK\x05\x06")
entries = b"".join(b[cd:eo].replace(b"r00.txt", b"r%02d.txt" % i) for i in range(12))
end = bytearray(b[eo:])
struct.pack_into("<HHII", end, 8, 12, 12, len(entries), cd)
open(sys.argv[2], "wb").write(b[:cd] + entries + bytes(end))
EOF
nbt convert "$T/shared.zip" -t csv -o "$T/shared.csv"
expect_rc 65 "zip entries sharing data"
expect_counts 1 0 1 "zip entries sharing data"
expect_grep "$T/err" "shared.zip!/(zip directory): 11 of the 12 entries the zip's directory lists were not read" \
    "zip entries sharing data: the unread entries counted"

# A zip that sets the UTF-8 flag (bit 11) on names stored in GBK: a folder,
# a report inside it, a real UTF-8 name and a GBK image name.
python3 - "$GOOD" "$T/flag.zip" <<'EOF'
import struct, sys, zipfile
body = open(sys.argv[1], "rb").read()
names = [("甲局/".encode("gbk"), b""), ("甲局/二〇二三年报.txt".encode("gb18030"), body),
         ("乙局年报.txt".encode("utf-8"), body), ("封面图.png".encode("gbk"), b"\x89PNG....")]
def placeholder(i, raw):  # as long as the name, unique, "/" kept for the folder
    d = raw.endswith(b"/")
    return bytes([65 + i]) * (len(raw) - d) + b"/" * d
with zipfile.ZipFile(sys.argv[2], "w", zipfile.ZIP_DEFLATED) as z:
    for i, (raw, data) in enumerate(names):
        z.writestr(placeholder(i, raw).decode(), data)
b = bytearray(open(sys.argv[2], "rb").read())
for i, (raw, _) in enumerate(names):  # same length: every offset stays right
    b = b.replace(placeholder(i, raw), raw)
for sig, at in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
    i = b.find(sig)
    while i >= 0:
        struct.pack_into("<H", b, i + at, struct.unpack_from("<H", b, i + at)[0] | 0x800)
        i = b.find(sig, i + 4)
open(sys.argv[2], "wb").write(bytes(b))
EOF
nbt convert "$T/flag.zip" -t csv -o "$T/flag.csv"
expect_rc 0 "UTF-8 flag on GBK names"
expect_counts 2 1 0 "UTF-8 flag on GBK names"
expect_grep "$T/flag.csv" "flag.zip!/甲局/二〇二三年报.txt," "UTF-8 flag on GBK names: GBK name read"
expect_grep "$T/flag.csv" "flag.zip!/乙局年报.txt," "UTF-8 flag on GBK names: UTF-8 name kept"
expect_grep "$T/err" "skipped $T/flag.zip!/封面图.png: not a report: image" "UTF-8 flag on GBK names: junk still told by its name"
expect_no_grep "$T/err" "cannot be converted" "UTF-8 flag on GBK names: no libarchive warning"

# 8. Plugins: a folder others can write is refused, built-ins come first,
# an item without a document fails its input.
mkdir -p "$T/plug"
cp "$NB_BUILD_DIR/plugins/nianbao-in-txt.so" "$T/plug/"
chmod 777 "$T/plug"
rc=0
NIANBAO_PLUGIN_PATH="$T/plug" "$NB_BIN" plugins </dev/null >"$T/out" 2>"$T/err" || rc=$?
expect_grep "$T/err" "$T/plug: refused: plugin folder writable by others" "world-writable plugin folder"
chmod 755 "$T/plug"
NIANBAO_PLUGIN_PATH="$T/plug" "$NB_BIN" plugins </dev/null >"$T/out" 2>"$T/err" || rc=$?
expect_grep "$T/err" "plugin txt already loaded from $NB_BUILD_DIR/plugins" "built-in reader not replaced"
if [[ -e "$NB_BUILD_DIR/tests/plugins/nianbao-in-fixnodoc.so" ]]; then
    echo "text" >"$T/x.nodoc"
    rc=0
    NIANBAO_PLUGIN_PATH="$NB_BUILD_DIR/tests/plugins" timeout "$LIMIT" "$NB_BIN" convert "$T/x.nodoc" \
        -t csv -o "$T/x.csv" </dev/null >"$T/out" 2>"$T/err" || rc=$?
    expect_rc 65 "item without a document"
    expect_grep "$T/err" "failed $T/x.nodoc: plugin fixnodoc gave a document item without a document" \
        "item without a document: named"
fi

# A reader that crashes or hangs: with --isolate it fails the member it
# was reading, the archive goes on in a new child, the run goes on.
if [[ -e "$NB_BUILD_DIR/tests/plugins/nianbao-in-fixstatus.so" ]]; then
    mkdir -p "$T/iso" "$T/isotmp"
    for m in a b c; do cp "$GOOD" "$T/iso/$m.fixstatus"; done
    (cd "$T/iso" && python3 -c 'import sys, zipfile
with zipfile.ZipFile("../iso.zip", "w") as z:
    [z.write(n) for n in ("a.fixstatus", "b.fixstatus", "c.fixstatus")]')
    for doom in segv abort hang; do
        rc=0
        TMPDIR="$T/isotmp" NIANBAO_PLUGIN_PATH="$NB_BUILD_DIR/tests/plugins" timeout "$LIMIT" "$NB_BIN" convert \
            --isolate=3 -I fixstatus.status=$doom -I fixstatus.when=b.fix "$T/iso.zip" "$T/iso/b.fixstatus" \
            "$T/iso/c.fixstatus" -t csv -o "$T/iso.csv" </dev/null >"$T/out" 2>"$T/err" || rc=$?
        checks=$((checks + 1))
        expect_rc 65 "isolated reader ($doom)"
        expect_counts 3 0 2 "isolated reader ($doom): the members after it read"
        expect_grep "$T/err" "failed $T/iso.zip!/b.fixstatus: plugin fixstatus " \
            "isolated reader ($doom): member and plugin named"
        expect_grep "$T/err" "failed $T/iso/b.fixstatus: plugin fixstatus " \
            "isolated reader ($doom): input named"
        expect_grep "$T/err" "while reading it" "isolated reader ($doom): what it was doing"
        expect_grep "$T/iso.csv" "iso.zip!/c.fixstatus," "isolated reader ($doom): the archive goes on"
        [[ -z $(ls -A "$T/isotmp") ]] || fail "isolated reader ($doom): temp files left: $(ls -A "$T/isotmp")"
    done
    expect_grep "$T/err" "made no progress for 3 s" "isolated reader (hang): the time limit said"
    # SIGTERM while a child hangs: parent, child, temp folder and output all gone
    TMPDIR="$T/isotmp" NIANBAO_PLUGIN_PATH="$NB_BUILD_DIR/tests/plugins" "$NB_BIN" convert --isolate=60 \
        -I fixstatus.status=hang -I fixstatus.when=b.fix "$T/iso.zip" -t xlsx -o "$T/isosig.xlsx" \
        </dev/null >"$T/out" 2>"$T/err" &
    pid=$!
    sleep 1
    kill -TERM "$pid"
    rc=0
    wait "$pid" || rc=$?
    checks=$((checks + 1))
    expect_rc 143 "isolated reader, SIGTERM"
    [[ -z $(ls -A "$T/isotmp") ]] || fail "isolated reader, SIGTERM: temp left: $(ls -A "$T/isotmp")"
    [[ -z $(ls -A "$T" | grep '^\.isosig\.xlsx\.') ]] || fail "isolated reader, SIGTERM: temp output left"
    # the child dies with its parent (PR_SET_PDEATHSIG); a sanitizer
    # process takes a moment to unmap on a loaded machine
    for _ in $(seq 50); do pgrep -f "isosig.xlsx" >/dev/null || break; sleep 0.1; done
    pgrep -f "isosig.xlsx" >/dev/null && fail "isolated reader, SIGTERM: a child outlived the run"
    nbt convert "$T/iso.zip" -t json -o "$T/plain.json" --provenance
    nbt convert --isolate "$T/iso.zip" -t json -o "$T/isolated.json" --provenance
    checks=$((checks + 1))
    cmp -s "$T/plain.json" "$T/isolated.json" || fail "--isolate changed the output"
    # A reader that crashes while it is loaded: with its manifest it is
    # opened where it is first needed, so under --isolate in the child.
    if [[ -x "$NB_BUILD_DIR/bin/nianbao_manifest" ]]; then
        mkdir -p "$T/loadcrash"
        cp "$NB_BUILD_DIR/tests/plugins/nianbao-in-fixstatus.so" "$T/loadcrash/"
        "$NB_BUILD_DIR/bin/nianbao_manifest" "$T/loadcrash/nianbao-in-fixstatus.so"
        rc=0
        NB_FIX_CRASH_ON_LOAD=1 TMPDIR="$T/isotmp" NIANBAO_PLUGIN_PATH="$T/loadcrash" timeout "$LIMIT" \
            "$NB_BIN" convert --isolate=3 "$T/iso/a.fixstatus" "$GOOD" -t csv -o "$T/loadcrash.csv" \
            </dev/null >"$T/out" 2>"$T/err" || rc=$?
        expect_rc 65 "reader crashing while loaded, isolated"
        expect_counts 1 0 1 "reader crashing while loaded, isolated: the other input read"
        expect_grep "$T/err" "failed $T/iso/a.fixstatus: " "reader crashing while loaded: input named"
        checks=$((checks + 1))
        [[ -z $(ls -A "$T/isotmp") ]] || fail "reader crashing while loaded: temp files left"
        rc=0 # the same through a named pipeline
        NB_FIX_CRASH_ON_LOAD=1 TMPDIR="$T/isotmp" NIANBAO_PLUGIN_PATH="$T/loadcrash" timeout "$LIMIT" \
            "$NB_BIN" run csv-wide --isolate=3 "$T/iso/a.fixstatus" "$GOOD" -o "$T/loadcrash.csv" \
            </dev/null >"$T/out" 2>"$T/err" || rc=$?
        expect_rc 65 "reader crashing while loaded, nianbao run --isolate"
        expect_counts 1 0 1 "reader crashing while loaded, nianbao run --isolate"
    fi
fi

# 9. Round trip: a report's own NDJSON read back gives the same findings.
nbt convert "$T/two.ndjson" -t ndjson -o "$T/again.ndjson"
expect_rc 0 "NDJSON read back"
checks=$((checks + 1))
python3 - "$T/two.ndjson" "$T/again.ndjson" <<'EOF' || fail "round trip changed the findings"
import json, sys
a, b = ([json.loads(l)["diagnostics"] for l in open(p, encoding="utf-8")] for p in sys.argv[1:3])
sys.exit(0 if a == b else 1)
EOF

# A chain of conversions keeps the reading's own findings (PARSE-*, which
# only the recogniser could make): a report whose cells were glued, read
# back from its NDJSON, comes out byte for byte the same.
nbt convert "$NB_SOURCE_DIR/tests/cases/glued-tie-stays-ambiguous/input.txt" \
    "$NB_SOURCE_DIR/tests/cases/overlong-digit-run/input.txt" -t ndjson -o "$T/parse1.ndjson"
expect_grep "$T/parse1.ndjson" '"rule":"PARSE-GLUED"' "round trip: the first reading has PARSE-GLUED"
nbt convert "$T/parse1.ndjson" -t ndjson -o "$T/parse2.ndjson"
checks=$((checks + 1))
cmp -s "$T/parse1.ndjson" "$T/parse2.ndjson" || fail "round trip: the reading's findings changed when read back"

# libxlsxwriter's own "[ERROR]" lines never reach stderr: a workbook that
# cannot be written (file size limit) fails with one message of ours.
rc=0
(ulimit -f 4; trap '' XFSZ; timeout "$LIMIT" "$NB_BIN" convert "$GOOD" "$DATA/liuxi_jiedao_2022.txt" \
    -o "$T/fsize.xlsx" </dev/null >"$T/out" 2>"$T/err") || rc=$?
checks=$((checks + 1))
expect_rc 74 "xlsx past the file size limit"
expect_grep "$T/err" "nianbao: $T/fsize.xlsx: writing the workbook: " "xlsx past the file size limit: our message, naming the file"
expect_grep "$T/err" "(File too large)" "xlsx past the file size limit: the system's reason"
expect_no_grep "$T/err" "[ERROR]" "xlsx past the file size limit: no libxlsxwriter lines"
[[ -z $(ls -A "$T" | grep '^\.fsize\.xlsx\.') && ! -e "$T/fsize.xlsx" ]] || fail "xlsx past the file size limit: file left"

# 10. Minor: a negative size limit, control characters in a name.
nbt convert --max-member-size -5 "$GOOD"
expect_rc 2 "negative --max-member-size"
cp "$T/empty.txt" "$T/$(printf 'a\033[2Jb.txt')"
nbt convert "$T/$(printf 'a\033[2Jb.txt')" -t csv -o "$T/ctl.csv"
expect_grep "$T/err" 'a\x1B[2Jb.txt' "control characters escaped on stderr"
# File names that are not UTF-8 (a folder unpacked on Chinese Windows):
# read as GB18030, else \xNN per byte, in every output and message.
mkdir -p "$T/gbkname"
cp "$GOOD" "$T/gbkname/$(printf '\xb0\xd7').txt"
cp "$T/empty.txt" "$T/gbkname/$(printf '\xff\xfe').txt"
mkdir -p "$T/gbkname/年报"
cp "$GOOD" "$T/gbkname/年报/$(printf '\xc4\xea\xb1\xa8').txt"
nbt convert "$T/gbkname" -t ndjson -o "$T/gbkname.ndjson"
expect_grep "$T/gbkname.ndjson" "\"path\":\"$T/gbkname/白.txt\"" "GBK file name: decoded in source.path"
expect_grep "$T/gbkname.ndjson" "\"path\":\"$T/gbkname/年报/年报.txt\"" "GBK file in a UTF-8 folder: each part decoded on its own"
expect_grep "$T/err" "skipped $T/gbkname/\\xFF\\xFE.txt: empty file" "undecodable file name: bytes as \\xNN"
nbt convert "$T/gbkname" -t csv -o "$T/gbkname.csv"
checks=$((checks + 1))
iconv -f UTF-8 -t UTF-8 "$T/gbkname.csv" >/dev/null 2>&1 || fail "GBK file name: the CSV is not valid UTF-8"

# 11. Millions of tiny cells from a small zip: a text of "1<TAB>2<TAB>3"
# lines and a page of <p>a</p>, each far past what a report holds, padded
# so the zip stays under the expansion ratio.  Each fails with its reason,
# the report beside them converts, and memory stays bounded (before the
# limits, 12 MB of such text took 1.9 GB; the bound checked is loose
# enough for the sanitizer build).
python3 - "$T/tiny.zip" "$GOOD" <<'EOF'
import os, sys, zipfile
with zipfile.ZipFile(sys.argv[1], "w", zipfile.ZIP_DEFLATED) as z:
    z.writestr("pad.png", os.urandom(250000), compress_type=zipfile.ZIP_STORED)
    z.writestr("cells.txt", "一、总体情况\n" + "1\t2\t3\n" * 2000000)
    z.writestr("flood.html", "<html><body>" + "<p>a</p>" * 3000000 + "</body></html>")
    z.write(sys.argv[2], "good.txt")
EOF
read -r rc mb <<<"$(nb_peak convert -j 2 "$T/tiny.zip" -o "$T/tiny.ndjson")"
expect_rc 65 "tiny cells"
expect_grep "$T/err" "tiny.zip!/cells.txt: more than 262144 lines or cells, far more than a report has: not a report (several hundred reports in one text: split it)" "tiny cells: text refused"
expect_grep "$T/err" "tiny.zip!/flood.html: more than 524288 elements and texts" "tiny cells: page refused"
expect_counts 1 1 2 "tiny cells"
checks=$((checks + 1))
[[ -n "$mb" ]] && ((mb < 600)) || fail "tiny cells: peak RSS ${mb:-?} MB, expected under 600 MB"

# 12. A report whose table section holds 4 MB of figures before its
# table (an appendix, a crawled page): the region is read up to 65 536
# tokens, the report converts with a PARSE-REGION-CUT warning naming the
# table, the table not reached is not called missing (no R-X-SECTIONS
# error), and memory stays bounded: 28 MB in a release build, 74 MB
# under ASan; 136 MB in a release build before the limit.
python3 - "$GOOD" "$T/figures.txt" <<'EOF'
import sys
text = open(sys.argv[1], encoding="utf-8").read()
at = text.index("二、主动公开政府信息情况") + len("二、主动公开政府信息情况\n")
dump = "".join(" ".join(str((i * 10 + k) * 7919 % 10000) for k in range(10)) + "\n" for i in range(90000))
open(sys.argv[2], "w", encoding="utf-8").write(text[:at] + dump + text[at:])
EOF
read -r rc mb <<<"$(nb_peak convert -t ndjson "$T/figures.txt" -o "$T/figures.ndjson")"
expect_rc 0 "figures in a table's section"
expect_counts 1 0 0 "figures in a table's section"
expect_grep "$T/figures.ndjson" '"rule":"PARSE-REGION-CUT","severity":"warning","where":"proactive"' "figures: the region cut"
checks=$((checks + 1))
grep -q '"rule":"R-X-SECTIONS","severity":"error"' "$T/figures.ndjson" && fail "figures: the table not read called missing"
checks=$((checks + 1))
[[ -n "$mb" ]] && ((mb < 120)) || fail "figures: peak RSS ${mb:-?} MB, expected under 120 MB"

# 13. Libraries planted in the working directory are not loaded: a run on
# an archive from a folder holding files named like the archive reader's
# libraries reads it.  (The plugins' build RUNPATH once ended in ':', an
# empty entry the loader takes for the current directory.)
mkdir -p "$T/planted"
for lib in libarchive.so.13 libz.so.1 liblzma.so.5 libbz2.so.1.0 libzstd.so.1 libxml2.so.2; do
    printf 'not a library\n' >"$T/planted/$lib"
done
python3 - "$GOOD" "$T/planted.tar.gz" <<'EOF'
import sys, tarfile
with tarfile.open(sys.argv[2], "w:gz") as t:
    t.add(sys.argv[1], arcname="one/report.txt")
EOF
cd "$T/planted"
nbt convert "$T/planted.tar.gz" -t ndjson -o "$T/planted.ndjson"
cd - >/dev/null
expect_rc 0 "libraries planted in the working directory"
expect_counts 1 0 0 "libraries planted in the working directory"

finish
