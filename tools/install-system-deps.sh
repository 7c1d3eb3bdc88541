#!/usr/bin/env bash
# Install the Debian packages the project needs, only if they are missing.
#   tools/install-system-deps.sh            everything `make test` needs
#   tools/install-system-deps.sh --runtime  only what `make run` needs (no browser)
# Runtime: PostgreSQL 15 (the private cluster under var/pg), gettext (compile the French
# catalogue), Pango and HarfBuzz-subset (WeasyPrint letters, deterministic font subsetting),
# DejaVu fonts (French glyphs), Tesseract OCR and poppler-utils (the portal reads pay stubs:
# caseworks/portal/ocr.py). Tests add Chromium (browser tests).
set -euo pipefail
mode="${1:-all}"
need=()
command -v msgfmt >/dev/null 2>&1 || need+=(gettext)
dpkg -s libpango-1.0-0 >/dev/null 2>&1 || need+=(libpango-1.0-0 libpangoft2-1.0-0)
dpkg -s libharfbuzz-subset0 >/dev/null 2>&1 || need+=(libharfbuzz-subset0)
dpkg -s fonts-dejavu-core >/dev/null 2>&1 || need+=(fonts-dejavu-core)
have_pg=0
for d in /usr/lib/postgresql/*/bin; do [[ -x "$d/initdb" ]] && have_pg=1; done
[[ $have_pg == 1 ]] || need+=(postgresql)
command -v tesseract >/dev/null 2>&1 || need+=(tesseract-ocr)
command -v pdftotext >/dev/null 2>&1 || need+=(poppler-utils)
if [[ "$mode" != "--runtime" ]]; then
  [[ -x /usr/bin/chromium ]] || need+=(chromium)
fi
if ((${#need[@]})); then
  if [[ "$(id -u)" != "0" ]]; then
    echo "install-system-deps: missing Debian packages: ${need[*]} (as root: apt-get install ${need[*]})" >&2
    exit 1
  fi
  echo "install-system-deps: installing ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
