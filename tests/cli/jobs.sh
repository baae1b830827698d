# jobs.sh - `-j N`: worker threads change nothing but the speed.  A folder
# with reports of every layout, reports read back from NDJSON, a bundle
# with junk members, an empty file and unreadable files gives the same
# stdout, stderr and exit status with -j 1, -j 2 and -j 5, for every
# output format and for `validate`.
source "$(dirname "$0")/common.bash"

IN="$T/in"
mkdir -p "$IN/sub"
# More inputs than the worker ring holds (4 per worker), so the reader
# waits for the writer and workers finish out of order.
for i in 1 2 3; do
    for f in "$NB_SOURCE_DIR"/examples/reports/* "$DATA"/*.txt; do
        cp "$f" "$IN/r${i}_$(basename "$f")"
    done
done
cp "$NB_SOURCE_DIR/examples/bundle.zip" "$IN/sub/bundle.zip" # junk members: skipped
: >"$IN/sub/empty.txt"                                       # failed: no report in it
printf 'no report here, only words\n%.0s' {1..20} >"$IN/sub/words.txt" # failed: no report in it
head -c 3000 /dev/urandom >"$IN/sub/noise.bin"               # skipped: unsupported format
"$NB_BIN" convert -q -j 1 "$DATA/qinghe_shichang_2023.txt" "$DATA/liuxi_jiedao_2022.txt" \
    -t ndjson >"$IN/sub/two.ndjson" 2>/dev/null

for fmt in ndjson json csv; do
    run_all "convert-$fmt" convert "$IN" -t "$fmt"
    same_for_all "convert-$fmt"
done
# The copies' R-X-DUPLICATE findings come after a worker made their text:
# the outputs splice them in (amend) or write afresh, byte for byte alike.
for table in "table=diagnostics" "form=long" "encoding=gb18030"; do
    run_all "convert-csv-$table" convert "$IN" -t csv -O "$table"
    same_for_all "convert-csv-$table"
done
expect_grep "$T/convert-csv-table=diagnostics.j1.out" "R-X-DUPLICATE" "the copies are told of their first"
run_all validate validate "$IN"
same_for_all validate
run_all novalidate convert "$IN" -t ndjson --no-validate
same_for_all novalidate
# a named pipeline takes -j too
run_all pipeline run ndjson "$IN"
same_for_all pipeline
run_all pipeline-csv run csv-wide "$IN"
same_for_all pipeline-csv

# The comparison means something only if the run had all kinds of inputs.
expect_grep "$T/convert-ndjson.j1.err" "skipped" "summary counts skips"
checks=$((checks + 1))
grep -Eq '[1-9][0-9]* failed' "$T/convert-ndjson.j1.err" || fail "the run had no failed input"
checks=$((checks + 1))
[[ $(grep -c '"schema"' "$T/convert-ndjson.j1.out") -ge 30 ]] || fail "fewer reports than expected"

# Archive members are read on the workers from a copy of their bytes: a
# member over the size limit, a bundle cut short (the archive reader's
# message about it) and the members before them come out as with -j 1.
mkdir -p "$T/arc"
cp "$NB_SOURCE_DIR"/examples/reports/* "$NB_SOURCE_DIR"/tests/data/html/*.html "$T/arc/"
tar -czf "$T/arc.tar.gz" -C "$T/arc" .
size=$(stat -c %s "$T/arc.tar.gz")
head -c $((size * 2 / 3)) "$T/arc.tar.gz" >"$T/cut.tar.gz"
run_all members convert "$T/arc.tar.gz" "$T/cut.tar.gz" -t ndjson --max-member-size 3000
same_for_all members
expect_grep "$T/members.j1.err" "limit 3000 bytes" "a member over the size limit fails"
expect_grep "$T/members.j1.err" "damaged or truncated" "the cut bundle is reported"
checks=$((checks + 1))
grep -q '"schema"' "$T/members.j1.out" || fail "no member under the limit was converted"

# Inputs that are all failures and skips, the last one a skip that no
# worker steps over: every run ends normally (this once crashed).
for k in 1 2 3 4 5 6; do
    nb convert "$IN/sub/noise.bin" "$IN/sub/words.txt" "$IN/sub/noise.bin" -t ndjson -j 2
    expect_rc 65 "-j 2 on failures only (run $k)"
done

# Without -j, one thread a CPU this process may use, not a CPU of the
# machine: held to one CPU by its affinity mask, it runs one thread
# (core/src/cpus.c; cgroup quotas: test_cpus).  -v says which.
ONE="$NB_SOURCE_DIR/examples/reports/baisha-ecology-2024.txt"
cpu=$(taskset -cp $$ 2>/dev/null | sed 's/.*: *//; s/[-,].*//')
if [[ -n "$cpu" ]] && taskset -c "$cpu" true 2>/dev/null; then
    rc=0
    taskset -c "$cpu" "$NB_BIN" convert -v -t ndjson "$ONE" </dev/null >"$T/out" 2>"$T/err" || rc=$?
    expect_rc 0 "a run held to CPU $cpu"
    expect_grep "$T/err" "-j 1 (the CPUs this process may use)" "held to one CPU, the default is one thread"
else
    echo "note: taskset is missing or refused; the default -j under an affinity mask is not checked" >&2
fi
nb convert -v -j 3 -t ndjson "$ONE"
expect_grep "$T/err" "nianbao: -j 3" "-v names the -j given"
expect_no_grep "$T/err" "may use" "a -j given is not called the default"
nb run ndjson -v -j 4 "$ONE"
expect_grep "$T/err" "nianbao: -j 4" "run takes -j"
nb run ndjson -v "$ONE"
expect_grep "$T/err" "(the CPUs this process may use)" "run's default -j is convert's"

# Without -j the CPUs are counted when a second input arrives: a run of one
# file (a shell loop's) reads no cgroup file and starts no thread; a run of
# three counts them and, when the process may use more than one CPU,
# starts a worker (when a second input waits in the workers' queue).
if command -v strace >/dev/null 2>&1 && strace -f -o /dev/null true 2>/dev/null; then
    strace -f -e trace=openat,clone,clone3 -o "$T/one.trace" "$NB_BIN" convert -q -t ndjson "$ONE" \
        >"$T/one.out" 2>/dev/null
    expect_grep "$T/one.out" '"schema"' "one file converted under strace"
    expect_no_grep "$T/one.trace" "/proc/self/cgroup" "one file: the CPUs are not counted"
    expect_no_grep "$T/one.trace" "mountinfo" "one file: no mount table read"
    # (CLONE_THREAD: a sanitizer's own tracer at exit is not a thread)
    expect_no_grep "$T/one.trace" "CLONE_THREAD" "one file: no thread"
    strace -f -e trace=openat,clone,clone3 -o "$T/three.trace" "$NB_BIN" convert -q -t ndjson "$ONE" "$ONE" \
        "$ONE" >"$T/three.out" 2>/dev/null
    checks=$((checks + 1))
    [[ $(grep -c '"schema"' "$T/three.out") -eq 3 ]] || fail "three files: three reports"
    # (one CPU by affinity: no cgroup file is read at all; by quota: no worker)
    if [[ $("$NB_BIN" convert -v -t ndjson "$ONE" 2>&1 >/dev/null) == *"-j 1 "* ]]; then
        echo "note: this process may use one CPU; the worker thread is not checked" >&2
    else
        expect_grep "$T/three.trace" "/proc/self/cgroup" "three files: the CPUs are counted"
        expect_grep "$T/three.trace" "CLONE_THREAD" "three files: a worker thread"
    fi
    # Reports read back (NDJSON) are validated on the reading thread: a
    # worker costs more than it saves there, so the default starts none;
    # -j 2 asked for still uses one, with the same output.
    "$NB_BIN" convert -q -j 1 -t ndjson "$ONE" "$ONE" "$ONE" "$ONE" -o "$T/four.ndjson" 2>/dev/null
    strace -f -e trace=clone,clone3 -o "$T/back.trace" "$NB_BIN" convert -q -f ndjson -t csv "$T/four.ndjson" \
        >"$T/back.csv" 2>/dev/null
    expect_no_grep "$T/back.trace" "CLONE_THREAD" "an NDJSON stream read back: no worker by default"
    "$NB_BIN" convert -q -j 2 -f ndjson -t csv "$T/four.ndjson" >"$T/back2.csv" 2>/dev/null
    checks=$((checks + 1))
    cmp -s "$T/back.csv" "$T/back2.csv" || fail "NDJSON read back: -j 2 gives the default's CSV"
    [[ $(wc -l <"$T/back.csv") -eq 5 ]] || fail "NDJSON read back: a header and four rows"
else
    echo "note: strace missing or not allowed here: when the CPUs are counted is not checked" >&2
fi

# -j takes a positive number.
nb convert "$IN" -t ndjson -j 0
expect_rc 2 "-j 0 is a usage error"
nb convert "$IN" -t ndjson -j many
expect_rc 2 "-j many is a usage error"

finish
