# basics.sh - help, version, usage errors, and the listing commands.
source "$(dirname "$0")/common.bash"

# --help / --version: exit 0, text on stdout, nothing on stderr.
for args in "--help" "-h" "help" "convert --help" "plugins --help" "formats --help"; do
    nb $args
    expect_rc 0 "nianbao $args"
    expect_grep "$T/out" "usage: nianbao" "nianbao $args prints usage on stdout"
    expect_empty "$T/err" "nianbao $args stderr"
done
nb --version
expect_rc 0 "--version"
expect_grep "$T/out" "nianbao 0." "--version names the tool version"
expect_grep "$T/out" "plugin ABI 2." "--version names the plugin ABI"
expect_empty "$T/err" "--version stderr"

# Usage errors: exit 2, the reason in one line and where to read more
# (details in tests/cli/usage.sh), stdout empty.
nb
expect_rc 2 "no command"
expect_grep "$T/err" "Try 'nianbao --help'." "no command: the hint"
expect_empty "$T/out" "no command: stdout"

nb frobnicate
expect_rc 2 "unknown command"
expect_grep "$T/err" 'unknown command "frobnicate"' "unknown command named"
expect_grep "$T/err" "Try 'nianbao --help'." "unknown command: the hint"
expect_empty "$T/out" "unknown command: stdout"

for cmd in convert plugins formats; do
    nb $cmd --no-such-option
    expect_rc 2 "$cmd with an unknown option"
    expect_grep "$T/err" "no-such-option" "$cmd: the bad option is named"
    expect_grep "$T/err" "Try 'nianbao $cmd --help'." "$cmd: the hint names the command's help"
    expect_empty "$T/out" "$cmd with an unknown option: stdout"
done

nb convert -t json --max-depth zero "$DATA/qinghe_shichang_2023.txt"
expect_rc 2 "--max-depth with a non-number"
expect_empty "$T/out" "--max-depth error: stdout"

# plugins: every built-in is listed with kind and the file it came from.
nb plugins
expect_rc 0 "plugins"
for want in "txt       input" "markdown  input" "tsv       input" "json      output" \
    "ndjson    output" "$NB_BUILD_DIR/plugins/nianbao-in-txt.so"; do
    expect_grep "$T/out" "$want" "plugins lists"
done
expect_empty "$T/err" "plugins: no load problems in the build tree"

nb plugins --json
expect_rc 0 "plugins --json"
cp "$T/out" "$T/plugins.json"
expect_json "$T/plugins.json" '[.[] | select(.name == "txt" and .kind == "input")] | length' 1 \
    "plugins --json has the txt input"
expect_json "$T/plugins.json" '[.[] | select(.name == "ndjson" and .kind == "output")][0].extensions[0]' \
    ".ndjson" "plugins --json has extensions"
expect_json "$T/plugins.json" '[.[] | select(.name == "txt")][0].path' \
    "$NB_BUILD_DIR/plugins/nianbao-in-txt.so" "plugins --json has the path"
expect_json "$T/plugins.json" '[.[] | select(.name == "txt")][0].abi' "2.6" "plugins --json has the ABI"

nb plugins show json
expect_rc 0 "plugins show json"
expect_grep "$T/out" "provenance" "plugins show lists the options"
nb plugins show nosuchplugin
expect_rc 2 "plugins show with an unknown name"
expect_grep "$T/err" "nosuchplugin" "plugins show: the unknown name is named"

nb convert --list-input-formats
expect_rc 0 "--list-input-formats"
expect_grep "$T/out" "markdown" "--list-input-formats"
expect_no_grep "$T/out" "xlsx" "--list-input-formats lists no outputs"

# formats --columns: flat key paths, one per line.
nb formats --columns
expect_rc 0 "formats --columns"
for key in requests.withheld.state_secret.natural_person requests.new_received.total \
    proactive.admin_fees.amount_wan appeals.suit_after_review.pending; do
    checks=$((checks + 1))
    grep -q "^$key[[:space:]]" "$T/out" || fail "formats --columns lacks $key"
done
nb formats
expect_rc 0 "formats"
expect_grep "$T/out" "gb2021" "formats lists gb2021"
expect_grep "$T/out" "gb2019" "formats lists gb2019"

finish
