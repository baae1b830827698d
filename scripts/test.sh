#!/usr/bin/env bash
# The whole test suite, as CI runs it: warnings are errors, and the suite
# runs under AddressSanitizer + UndefinedBehaviorSanitizer.  Then valgrind
# over conversions of the examples and seeds.  Usage: scripts/test.sh [build-dir]
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  bash scripts/setup.sh
fi
build=${1:-build-test}
jobs=$(nproc 2>/dev/null || echo 2)

cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Debug -DNB_WERROR=ON -DNB_SANITIZE=ON
cmake --build "$build" -j "$jobs"
ctest --test-dir "$build" --output-on-failure -j "$jobs"

# valgrind wants a build without the sanitizers; an optimised one, so the
# warnings only -O2 finds are errors here too.
vbuild="$build-valgrind"
cmake -S . -B "$vbuild" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DNB_WERROR=ON -DNB_SANITIZE=OFF >/dev/null
cmake --build "$vbuild" -j "$jobs" >/dev/null
bash tests/valgrind.sh "$vbuild"
