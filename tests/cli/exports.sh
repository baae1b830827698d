# exports.sh - every built plugin exports nb_plugin_entry and nothing else,
# and the core library exports exactly the announced API (tests/data/exports.txt) under the SONAME of its ABI major.  A plugin that exports
# more can bind another plugin's or a system library's symbols to its own
# (engineering notes §10: -fvisibility=hidden, one exported entry).
source "$(dirname "$0")/common.bash"

if ! command -v nm >/dev/null 2>&1; then
    echo "skip: nm (binutils) is not installed" >&2
    exit 77
fi

# Symbols the linker itself defines in some objects; not ours.
LINKER='_init|_fini|_edata|_end|__bss_start'

defined() { # defined FILE: the dynamic symbols FILE defines, one per line
    nm -D --defined-only "$1" | awk '{print $3}' | sed 's/@.*//' | grep -vxE "$LINKER" | sort -u
}

shopt -s nullglob
plugins=("$NB_BUILD_DIR"/plugins/nianbao-*.so)
checks=$((checks + 1))
((${#plugins[@]} >= 6)) || fail "expected the built-in plugins in $NB_BUILD_DIR/plugins, found ${#plugins[@]}"

for so in "${plugins[@]}"; do
    checks=$((checks + 1))
    syms=$(defined "$so" | tr '\n' ' ')
    [[ "$syms" == "nb_plugin_entry " ]] || fail "$(basename "$so") exports: $syms"
    # The plugin's undefined imports must not include another plugin's entry.
    checks=$((checks + 1))
    nm -D --undefined-only "$so" | grep -qw nb_plugin_entry && fail "$(basename "$so") imports nb_plugin_entry"
done

# The fixtures follow the same rule (except the one built without an entry).
for so in "$NB_BUILD_DIR"/tests/plugins/nianbao-in-fix*.so; do
    [[ $so == *fixnoentry.so ]] && continue
    checks=$((checks + 1))
    syms=$(defined "$so" | tr '\n' ' ')
    [[ "$syms" == "nb_plugin_entry " ]] || fail "fixture $(basename "$so") exports: $syms"
done

lib=$(ls "$NB_BUILD_DIR"/lib/libnianbao.so.* 2>/dev/null | head -n1)
checks=$((checks + 1))
if [[ -z "$lib" ]]; then
    fail "libnianbao not found in $NB_BUILD_DIR/lib"
else
    # The exported API is announced in tests/data/exports.txt: a symbol
    # that appears unannounced (or disappears) fails here.
    want="$NB_SOURCE_DIR/tests/data/exports.txt"
    defined "$lib" >"$T/exports.have"
    grep -v '^#' "$want" | sed '/^$/d' | sort -u >"$T/exports.want"
    extra=$(comm -23 "$T/exports.have" "$T/exports.want" | tr '\n' ' ')
    missing=$(comm -13 "$T/exports.have" "$T/exports.want" | tr '\n' ' ')
    checks=$((checks + 1))
    [[ -z "$extra" ]] || fail "libnianbao exports symbols not announced in tests/data/exports.txt: $extra"
    checks=$((checks + 1))
    [[ -z "$missing" ]] || fail "libnianbao no longer exports (tests/data/exports.txt): $missing"
    # The SONAME is the ABI major of the headers.
    major=$(sed -n 's/^#define NB_ABI_MAJOR \([0-9]*\)$/\1/p' "$NB_BUILD_DIR/core/include/nianbao/version.h")
    checks=$((checks + 1))
    soname=$(objdump -p "$lib" 2>/dev/null | awk '/SONAME/ {print $2}')
    [[ "$soname" == "libnianbao.so.$major" ]] || fail "SONAME is '$soname', expected libnianbao.so.$major"
fi

finish
