# install.sh - nianbao installed like a real tool: the man page (kept in
# step with docs/cli.md and every --help), bash and zsh completion, and the
# CMake package: a third-party input plugin (examples/plugin-input) builds
# with find_package(nianbao) from the installed SDK alone and runs.
source "$(dirname "$0")/common.bash"

MAN="$NB_SOURCE_DIR/docs/nianbao.1"
BASHC="$NB_SOURCE_DIR/completion/nianbao.bash"
ZSHC="$NB_SOURCE_DIR/completion/_nianbao"
GOOD="$DATA/qinghe_shichang_2023.txt"
commands="convert validate run pipelines plugins formats"

# Every long option a command's --help shows.
help_options() { # CMD
    "$NB_BIN" "$1" --help 2>/dev/null | grep -oE -- '--[a-z][a-z-]+' | sort -u
}

# --- the man page says what the tool and docs/cli.md say -----------------
for cmd in $commands; do
    for opt in $(help_options "$cmd"); do
        expect_grep "$MAN" "${opt//-/\\-}" "man page documents $cmd $opt"
    done
done
for opt in $(grep -oE -- '--[a-z][a-z-]+' "$NB_SOURCE_DIR/docs/cli.md" | sort -u); do
    expect_grep "$MAN" "${opt//-/\\-}" "man page documents $opt (docs/cli.md)"
done
for code in $(grep -oE '^\| (0|[0-9]{1,2}) \|' "$NB_SOURCE_DIR/docs/cli.md" | tr -dc '0-9\n'); do
    checks=$((checks + 1))
    grep -qx "\.B $code" "$MAN" || fail "exit code $code of docs/cli.md not in the man page"
done
for var in $(grep -oE '^\| `[A-Z_]+`' "$NB_SOURCE_DIR/docs/cli.md" | tr -dc 'A-Z_\n'); do
    expect_grep "$MAN" "$var" "man page documents $var"
done
for cmd in $commands; do
    expect_grep "$MAN" ".SS $cmd" "man page has a section for $cmd"
done
if command -v groff >/dev/null 2>&1; then
    rc=0
    groff -man -Tutf8 -K utf8 -ww -z "$MAN" >"$T/err" 2>&1 || rc=$?
    expect_rc 0 "groff renders the man page"
    expect_empty "$T/err" "groff warnings on the man page"
fi

# --- completion offers every command and option ---------------------------
checks=$((checks + 1))
bash -n "$BASHC" 2>"$T/err" || fail "bash completion does not parse: $(cat "$T/err")"
complete_words() { # WORD...: COMPREPLY for a command line ending in the last word
    ( PATH="$(dirname "$NB_BIN"):$PATH"
      source "$BASHC"
      COMP_WORDS=(nianbao "$@"); COMP_CWORD=$#
      _nianbao; printf '%s\n' "${COMPREPLY[@]}" )
}
got=$(complete_words "")
for cmd in $commands; do
    checks=$((checks + 1))
    grep -qx "$cmd" <<<"$got" || fail "bash completion misses the command $cmd"
done
for cmd in $commands; do
    got=$(complete_words "$cmd" "--")
    for opt in $(help_options "$cmd"); do
        checks=$((checks + 1))
        grep -qx -- "$opt" <<<"$got" || fail "bash completion of '$cmd --' misses $opt"
        expect_grep "$ZSHC" "$opt" "zsh completion knows $opt"
    done
done
got=$(complete_words convert -t "")
checks=$((checks + 1))
grep -qx json <<<"$got" && grep -qx xlsx <<<"$got" || fail "bash completion of -t lists the output formats: $got"
got=$(complete_words run "nd")
checks=$((checks + 1))
grep -qx ndjson <<<"$got" || fail "bash completion of 'run nd' offers the ndjson pipeline: $got"
if command -v zsh >/dev/null 2>&1; then
    checks=$((checks + 1))
    zsh -n "$ZSHC" 2>"$T/err" || fail "zsh completion does not parse: $(cat "$T/err")"
fi

# --- the install ----------------------------------------------------------
for tool in cc cmake pkg-config; do
    command -v $tool >/dev/null 2>&1 || { echo "skip: $tool is not installed (install part)" >&2; finish; }
done
P="$T/prefix"
unset LD_LIBRARY_PATH CPATH C_INCLUDE_PATH LIBRARY_PATH
rc=0
cmake --install "$NB_BUILD_DIR" --prefix "$P" >"$T/install.log" 2>&1 || rc=$?
expect_rc 0 "cmake --install into a temporary prefix"
((rc == 0)) || { cat "$T/install.log" >&2; finish; }

man1=$(find "$P" -path '*/man1/nianbao.1')
checks=$((checks + 1))
[[ -n "$man1" ]] || fail "no man1/nianbao.1 installed"
if [[ -n "$man1" ]] && command -v man >/dev/null 2>&1; then
    rc=0
    MANWIDTH=80 man -M "${man1%/man1/nianbao.1}" nianbao >"$T/out" 2>"$T/err" || rc=$?
    expect_rc 0 "man nianbao from the installed MANPATH"
    expect_grep "$T/out" "EXIT STATUS" "man nianbao renders the page"
fi
checks=$((checks + 1))
[[ -f "$P/share/bash-completion/completions/nianbao" && -f "$P/share/zsh/site-functions/_nianbao" ]] ||
    fail "bash and zsh completion not installed"
checks=$((checks + 1))
[[ -n "$(find "$P" -name text_reader.h -path '*include/nianbao/*')" ]] || fail "the input-plugin helper header is not installed"

# Every installed built-in plugin has its manifest (opened on first use),
# and the installed tool reading one text report opens only its reader and
# its writer: no PDF, Word, archive or XLSX libraries.
for so in $(find "$P" -name 'nianbao-*.so' -path '*nianbao/plugins/*'); do
    checks=$((checks + 1))
    [[ -f "$so.manifest" ]] || fail "no manifest installed beside $so"
done
# ... and the folder's index of them, read at start-up instead.
checks=$((checks + 1))
[[ -n "$(find "$P" -name nianbao-plugins.index -path '*nianbao/plugins/*')" ]] ||
    fail "no plugin index (nianbao-plugins.index) installed beside the plugins"
if command -v ldd >/dev/null 2>&1; then
    checks=$((checks + 1))
    LD_DEBUG=files "$P/bin/nianbao" convert -q "$GOOD" -t ndjson 2>"$T/lddebug" >/dev/null || true
    opened=$(grep -o 'file=[^ ]*nianbao-[a-z]*-[a-z]*\.so' "$T/lddebug" | sort -u | sed 's/.*\///' | tr '\n' ' ')
    [[ "$opened" == "nianbao-in-txt.so nianbao-out-ndjson.so " ]] ||
        fail "one text report to NDJSON opened these plugins: $opened"
fi

# A third-party input plugin: find_package(nianbao), nianbao_add_plugin(),
# nothing from the source or build tree.
cp -r "$NB_SOURCE_DIR/examples/plugin-input" "$T/psv"
rc=0
cmake -S "$T/psv" -B "$T/psv/build" -DCMAKE_PREFIX_PATH="$P" -DCMAKE_INSTALL_PREFIX="$P" \
    -DCMAKE_C_FLAGS="-Wall -Wextra -Werror" >"$T/psv.log" 2>&1 &&
    cmake --build "$T/psv/build" >>"$T/psv.log" 2>&1 || rc=$?
expect_rc 0 "examples/plugin-input builds with find_package(nianbao)"
((rc == 0)) || { cat "$T/psv.log" >&2; finish; }
expect_no_grep "$T/psv/build/CMakeCache.txt" "$NB_BUILD_DIR" "the plugin's build does not use the build tree"
so=$(find "$T/psv/build" -name nianbao-in-psv.so)
checks=$((checks + 1))
syms=$(nm -D --defined-only "$so" | awk '{print $3}' | grep -vxE '_init|_fini|_edata|_end|__bss_start' | tr '\n' ' ')
[[ "$syms" == "nb_plugin_entry " ]] || fail "psv exports more than nb_plugin_entry: $syms"
checks=$((checks + 1))
[[ -f "$so.manifest" ]] || fail "nianbao_add_plugin wrote no manifest beside $so"
# no RUNPATH (an empty entry in one is the current directory): the host
# and the manifest tool that opened it have libnianbao loaded
checks=$((checks + 1))
readelf -d "$so" | grep -qE 'RPATH|RUNPATH' && fail "the third-party plugin has a RUNPATH: $(readelf -d "$so" | grep PATH)"
expect_grep "$so.manifest" '"name": "psv"' "the third-party manifest names the plugin"
pc=$(find "$P" -name nianbao.pc | head -n1)
tool=$(PKG_CONFIG_PATH="$(dirname "$pc")" pkg-config --variable=manifest_tool nianbao)
checks=$((checks + 1))
[[ -x "$tool" ]] || fail "pkg-config's manifest_tool is not an installed program: $tool"

# The same report as pipe-separated text reads to the same values.
sed 's/\t/ | /g' "$GOOD" >"$T/report.psv"
NB_BIN_SAVED=$NB_BIN
NB_BIN="$P/bin/nianbao"
nb convert "$T/report.psv" -t csv --plugin-dir "$(dirname "$so")"
expect_rc 0 "installed nianbao reads .psv with the example plugin"
cut -d, -f2- "$T/out" >"$T/psv.csv"
nb convert "$GOOD" -t csv
cut -d, -f2- "$T/out" >"$T/txt.csv"
checks=$((checks + 1))
cmp -s "$T/psv.csv" "$T/txt.csv" || fail "the .psv copy converts to other values than the text"
rc=0
cmake --install "$T/psv/build" >>"$T/psv.log" 2>&1 || rc=$?
expect_rc 0 "cmake --install of the plugin"
nb plugins # the folder's index predates the plugin: the scan still finds it
expect_grep "$T/out" "nianbao-in-psv.so" "the installed plugin is found without --plugin-dir"
checks=$((checks + 1))
[[ -f "$(dirname "$(find "$P" -path '*/plugins/nianbao-in-psv.so' | head -n1)")/nianbao-in-psv.so.manifest" ]] ||
    fail "the plugin's manifest was not installed beside it"
NB_BIN=$NB_BIN_SAVED

finish
