#!/usr/bin/env bash
# The whole test suite, as CI runs it: warnings are errors, and the suite
# runs under AddressSanitizer + UndefinedBehaviorSanitizer.  Then valgrind
# over conversions of the examples and seeds, and a short run of every
# libFuzzer target (NB_FUZZ_SECONDS each, default 10; 0 skips them; needs
# clang).  Usage: scripts/test.sh [build-dir]
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
# The command-line suites once more on the build users get: without the
# sanitizers the CLI installs its crash handler, which --isolate's children
# must not inherit.
ctest --test-dir "$vbuild" --output-on-failure -j "$jobs" -R '^cli_'
# The profile-guided build (scripts/build-pgo.sh, GCC) writes exactly what
# the plain one does.
if [ "${NB_PGO_CHECK:-1}" != 0 ] && [[ "$(cc -v 2>&1)" == *"gcc version"* ]]; then
  bash scripts/build-pgo.sh "$build-pgo" -DNB_WERROR=ON
  bash tests/pgo_same.sh "$build-pgo" "$vbuild"
fi

# A short run of every fuzz target (docs/fuzzing.md has the long run).
fuzz_secs=${NB_FUZZ_SECONDS:-10}
if [ "$fuzz_secs" != 0 ] && command -v clang >/dev/null; then
  fbuild="$build-fuzz"
  cmake -S . -B "$fbuild" -DCMAKE_C_COMPILER=clang -DCMAKE_BUILD_TYPE=RelWithDebInfo -DNB_WERROR=ON \
        -DNB_SANITIZE=ON -DNB_FUZZ=ON -DNB_BUILD_TESTS=OFF >/dev/null
  cmake --build "$fbuild" -j "$jobs" >/dev/null
  NB_FUZZ_SEED=${NB_FUZZ_SEED:-1} bash scripts/fuzz.sh "$fuzz_secs" "$fbuild"
elif [ "$fuzz_secs" != 0 ]; then
  echo "fuzz: clang not found, fuzz targets not run"
fi
