#!/usr/bin/env bash
# Installs what nianbao needs to build and test on Debian 12 (run as root).
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
pkgs=(build-essential cmake pkg-config
      libarchive-dev libjansson-dev libxlsxwriter-dev libxml2-dev
      check libsubunit-dev
      valgrind strace zip unzip libarchive-tools python3 python3-openpyxl python3-pandas jq
      zlib1g-dev clang libclang-rt-14-dev
      libpoppler-glib-dev libcairo2-dev fonts-wqy-microhei qpdf
      locales    # de_DE's sources: test_locale compiles a comma-decimal locale with localedef
      chromium)  # chromium: the html output is checked in a real browser (tests/cli/html.sh)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  apt-get update
  apt-get install -y --no-install-recommends "${missing[@]}"
fi
