# sdk.sh - the third-party plugin SDK works from an install alone.
#
# Installs the build into a temporary prefix, builds examples/plugin-hello
# with nothing but `pkg-config --cflags --libs nianbao`, and runs it with the
# installed nianbao.  Catches a broken .pc file, headers that are not
# installed or do not compile on their own, a library that does not link,
# and an install that only works at the prefix it was configured for.
source "$(dirname "$0")/common.bash"

for tool in cc make pkg-config; do
    if ! command -v $tool >/dev/null 2>&1; then
        echo "skip: $tool is not installed" >&2
        exit 77
    fi
done

GOOD="$DATA/qinghe_shichang_2023.txt"
CELLS="$DATA/liuxi_jiedao_2022.txt"
P="$T/prefix"
unset LD_LIBRARY_PATH CPATH C_INCLUDE_PATH LIBRARY_PATH PKG_CONFIG_SYSROOT_DIR

rc=0
cmake --install "$NB_BUILD_DIR" --prefix "$P" >"$T/install.log" 2>&1 || rc=$?
expect_rc 0 "cmake --install into a temporary prefix"
((rc == 0)) || { cat "$T/install.log" >&2; finish; }

pc=$(find "$P" -name nianbao.pc | head -n1)
checks=$((checks + 1))
[[ -n "$pc" ]] || { fail "no nianbao.pc installed"; finish; }
export PKG_CONFIG_PATH="${pc%/nianbao.pc}"

# The .pc file points into the prefix it was installed to.
rc=0
pkg-config --exists --print-errors nianbao 2>"$T/err" || rc=$?
expect_rc 0 "pkg-config finds nianbao"
ver=$("$P/bin/nianbao" --version | awk '{print $2}')
checks=$((checks + 1))
[[ $(pkg-config --modversion nianbao) == "$ver" ]] || fail "pkg-config version differs from nianbao --version ($ver)"
cflags=$(pkg-config --cflags nianbao)
libs=$(pkg-config --libs nianbao)
incdir=$(pkg-config --variable=includedir nianbao)
plugindir=$(pkg-config --variable=plugindir nianbao)
plugindir=$(cd "$plugindir" 2>/dev/null && pwd -P || echo "$plugindir") # drop the ../.. of ${pcfiledir}
checks=$((checks + 1))
[[ -f "$incdir/nianbao/plugin.h" && -f "$incdir/nianbao/nianbao.h" ]] || fail "headers not in includedir $incdir"
checks=$((checks + 1))
[[ -f "$plugindir/nianbao-in-txt.so" ]] || fail "plugindir $plugindir holds no installed plugins"
checks=$((checks + 1))
[[ "$cflags $libs" != *"$NB_SOURCE_DIR"* && "$cflags $libs" != *"$NB_BUILD_DIR"* ]] ||
    fail "pkg-config flags point into the source or build tree: $cflags $libs"
checks=$((checks + 1))
[[ "$cflags" == *-fvisibility=hidden* ]] || fail "Cflags lack -fvisibility=hidden"

# Every installed header compiles on its own, strictly, and the library links.
for h in "$incdir"/nianbao/*.h; do
    checks=$((checks + 1))
    echo "#include <nianbao/$(basename "$h")>" |
        cc -std=c11 -Wall -Wextra -Werror -pedantic $cflags -fsyntax-only -x c - 2>"$T/err" ||
        { fail "installed header $(basename "$h") does not compile alone"; cat "$T/err" >&2; }
done
cat >"$T/uses_lib.c" <<'EOF'
#include <nianbao/nianbao.h>
#include <stdio.h>
#include <string.h>
int main(void)
{
    nb_num n;
    char buf[32];
    if (!nb_num_parse("12.50", &n) || nb_num_format(n, buf, sizeof buf) < 0)
        return 1;
    printf("%s %s\n", nb_version(), buf);
    return 0;
}
EOF
# A sanitizer build's library needs the sanitizer runtime loaded first.
san=
libfile=$(ls "$(pkg-config --variable=libdir nianbao)"/libnianbao.so* | head -n1)
if nm -D "$libfile" 2>/dev/null | grep -q '__asan_'; then
    san="-fsanitize=address,undefined"
fi
rc=0
cc -std=c11 -Wall -Wextra -Werror $san $cflags -o "$T/uses_lib" "$T/uses_lib.c" $libs 2>"$T/err" || rc=$?
expect_rc 0 "a program links against the installed library"
if ((rc == 0)); then
    out=$(LD_LIBRARY_PATH="$(pkg-config --variable=libdir nianbao)" "$T/uses_lib")
    checks=$((checks + 1))
    [[ "$out" == "$ver 12.5"* ]] || fail "program using the library printed \"$out\""
fi

# ABI 2: the installed headers give handles, not layouts.  A plugin that
# reaches into the model does not compile; one using the accessors does.
for expr in 'r->agency' 'sizeof(nb_cell)' 'it->kind' 'sizeof(nb_doc)' 'h->templates'; do
    cat >"$T/layout.c" <<EOF2
#include <nianbao/plugin.h>
size_t f(const nb_report *r, const nb_item *it, const nb_host *h);
size_t f(const nb_report *r, const nb_item *it, const nb_host *h) { (void)r; (void)it; (void)h; return (size_t)($expr); }
EOF2
    checks=$((checks + 1))
    cc -std=c11 $cflags -fsyntax-only "$T/layout.c" 2>/dev/null && fail "installed headers expose a layout: $expr compiles"
done
checks=$((checks + 1))
grep -rlw 'jansson\|json_t' "$incdir/nianbao" >/dev/null && fail "installed headers mention jansson"
ver_h="$incdir/nianbao/version.h"
checks=$((checks + 1))
[[ -f "$ver_h" ]] && grep -q "NB_VERSION \"$ver\"" "$ver_h" || fail "installed version.h does not carry $ver"

# Build the example out of tree: a copy, so nothing is written into the sources.
cp -r "$NB_SOURCE_DIR/examples/plugin-hello" "$T/hello"
rm -f "$T/hello"/*.so
rc=0
make -C "$T/hello" CFLAGS="-O2 -Werror" >"$T/make.log" 2>&1 || rc=$?
expect_rc 0 "make examples/plugin-hello against the install"
((rc == 0)) || { cat "$T/make.log" >&2; finish; }
expect_no_grep "$T/make.log" "$NB_SOURCE_DIR" "the example's build does not use the source tree"
so="$T/hello/nianbao-out-hello.so"
checks=$((checks + 1))
syms=$(nm -D --defined-only "$so" | awk '{print $3}' | grep -vxE '_init|_fini|_edata|_end|__bss_start' | tr '\n' ' ')
[[ "$syms" == "nb_plugin_entry " ]] || fail "hello exports more than nb_plugin_entry: $syms"

# Run it with the installed binary: no LD_LIBRARY_PATH, no NIANBAO_* variables.
mkdir "$T/plugs"
cp "$so" "$T/plugs/"
cd "$T"
nb convert "$GOOD" -t hello --plugin-dir "$T/plugs"
expect_rc 0 "the build tree's nianbao with the hello plugin"
NB_BIN_SAVED=$NB_BIN
NB_BIN="$P/bin/nianbao"
nb convert "$GOOD" -t hello --plugin-dir "$T/plugs"
expect_rc 0 "installed nianbao with the hello plugin"
checks=$((checks + 1))
[[ $(cat "$T/out") == $'清河县市场监督管理局\t2023\t5' ]] || { fail "hello output"; show; }
expect_grep "$T/err" "1 converted" "summary with the hello plugin"

nb convert "$GOOD" "$CELLS" -t hello -O header=true --plugin-dir "$T/plugs"
expect_rc 0 "hello with an option and two inputs"
checks=$((checks + 1))
[[ $(head -n2 "$T/out") == $'agency\tyear\tnew_received\n清河县市场监督管理局\t2023\t5' &&
    $(sed -n 3p "$T/out" | cut -f2,3) == $'2022\t2' && $(wc -l <"$T/out") == 3 ]] ||
    { fail "hello output for two inputs"; show; }

nb convert "$GOOD" -t hello -O colour=red --plugin-dir "$T/plugs"
expect_rc 2 "hello with an unknown option"
expect_grep "$T/err" "valid options: header" "hello's options are listed"

nb convert "$GOOD" -o "$T/out.hello" --plugin-dir "$T/plugs"
expect_rc 0 "-o FILE.hello picks the plugin by extension"
expect_grep "$T/out.hello" "清河县市场监督管理局" "-o out.hello written"

nb plugins --plugin-dir "$T/plugs"
expect_grep "$T/out" "$T/plugs/nianbao-out-hello.so" "plugins lists hello from --plugin-dir"
expect_grep "$T/out" "$plugindir" "the installed binary uses the installed plugins"
expect_no_grep "$T/out" "$NB_BUILD_DIR" "the installed binary ignores the build tree"

# Installed data (templates, rules) are found from the new prefix as well.
nb formats
expect_rc 0 "installed nianbao finds its templates"

# `make install` puts the plugin where nianbao looks without --plugin-dir.
rc=0
make -C "$T/hello" install >>"$T/make.log" 2>&1 || rc=$?
expect_rc 0 "make install"
nb convert "$GOOD" -t hello
expect_rc 0 "hello from the install's plugin directory"
checks=$((checks + 1))
[[ $(cut -f3 "$T/out") == 5 ]] || { fail "hello from plugindir"; show; }
NB_BIN=$NB_BIN_SAVED

finish
