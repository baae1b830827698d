# source_hash.sh - a run whose output never prints a source's SHA-256
# (NB_CAP_NO_SOURCE_HASH) computes none, whatever -j and wherever the input
# is read (in place, on a worker thread, from an archive), and a run whose
# output prints it gives every report the hash of its bytes.  The probe
# output (tests/plugins/hash_probe.c) declares the capability and prints
# what the host left in source.sha256 anyway.
source "$(dirname "$0")/common.bash"

PD="$NB_TEST_PLUGIN_DIR"
IN="$T/in"
mkdir -p "$IN"
cp "$DATA/qinghe_shichang_2023.txt" "$DATA/liuxi_jiedao_2022.txt" "$DATA/yanqiao_zhen_2023_unbalanced.txt" "$IN/"
tar -czf "$T/bundle.tar.gz" -C "$IN" .

# Every line "path<TAB>hash" of the probe's output has an empty hash.
no_hashes() { # no_hashes WHAT
    checks=$((checks + 1))
    local lines empty
    lines=$(grep -c . "$T/h.txt" 2>/dev/null || echo 0)
    empty=$(awk -F'\t' '$2 == ""' "$T/h.txt" 2>/dev/null | grep -c . || true)
    if [[ "$lines" != 3 || "$empty" != 3 ]]; then
        fail "$1: $lines reports, $empty without a hash (expected 3 and 3)"
        show
        cat "$T/h.txt" >&2
    fi
}

for j in 1 2 3; do
    for src in "$IN" "$T/bundle.tar.gz"; do
        rm -f "$T/h.txt"
        nb convert "$src" --plugin-dir "$PD" -t fixhash -j "$j" -o "$T/h.txt"
        expect_rc 0 "fixhash -j $j $(basename "$src")"
        no_hashes "an output without the hash, -j $j, $(basename "$src")"
    done
done

# NDJSON prints the hash: each report's is its file's, at -j 1 and -j 2.
(cd "$IN" && sha256sum -- *.txt | awk '{print $1}' | sort) >"$T/want"
for j in 1 2; do
    nb convert "$IN" -t ndjson -j "$j" -o "$T/o.ndjson"
    expect_rc 0 "ndjson -j $j"
    grep -o '"sha256":"[0-9a-f]*"' "$T/o.ndjson" | cut -d'"' -f4 | sort >"$T/got"
    checks=$((checks + 1))
    cmp -s "$T/want" "$T/got" || { fail "ndjson -j $j: source hashes are not the files' own"; diff "$T/want" "$T/got" >&2; }
done

finish
