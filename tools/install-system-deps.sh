#!/usr/bin/env bash
# Install the Debian packages the project needs, only if they are missing.
# PostgreSQL 15 (server for the test suite), Chromium (browser tests), WeasyPrint's Pango,
# poppler-utils (PDF to text/PNG for checks) and fonts with French glyphs.
set -euo pipefail
need=()
have_pg=0
for d in /usr/lib/postgresql/*/bin; do [[ -x "$d/initdb" ]] && have_pg=1; done
[[ $have_pg == 1 ]] || need+=(postgresql)
[[ -x /usr/bin/chromium ]] || need+=(chromium)
dpkg -s libpango-1.0-0 >/dev/null 2>&1 || need+=(libpango-1.0-0 libpangoft2-1.0-0)
dpkg -s fonts-dejavu-core >/dev/null 2>&1 || need+=(fonts-dejavu-core)
dpkg -s libharfbuzz-subset0 >/dev/null 2>&1 || need+=(libharfbuzz-subset0)
command -v pdftotext >/dev/null 2>&1 || need+=(poppler-utils)
if ((${#need[@]})); then
  if [[ "$(id -u)" != "0" ]]; then
    echo "install-system-deps: missing Debian packages: ${need[*]} (run as root: apt-get install ${need[*]})" >&2
    exit 1
  fi
  echo "install-system-deps: installing ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
