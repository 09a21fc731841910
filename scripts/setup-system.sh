#!/usr/bin/env bash
# Installs the system packages kitbuilder and its tests use, from Debian's archive.
# Safe to re-run: does nothing when everything is present.
set -euo pipefail

packages=(
  python3-venv           # `python3 -m venv` on Debian's own Python (Debian removes ensurepip)
  libpango-1.0-0         # WeasyPrint lays text out with Pango …
  libpangoft2-1.0-0      # … and its FreeType/fontconfig backend
  poppler-utils          # pdftotext, pdffonts, pdftoppm: tests and proof sheets read the PDFs
  qpdf                   # qpdf --check in the tests
  pdftk-java             # fills the PDF form in the tests (a generic filler, as offices use)
  libharfbuzz-subset0    # WeasyPrint subsets fonts with HarfBuzz (fast) instead of fontTools
  chromium               # axe-core accessibility check and 360 px layout check of the HTML kits
  libreoffice-writer-nogui # every DOCX must open and convert in LibreOffice (tests)
  gettext                # msgfmt -c checks the exported PO files (tests)
  fontconfig             # fc-list: the DOCX test lists the fonts of a machine without Noto
  fonts-noto-cjk         # Chinese, Japanese, Korean faces for the kits (too large to ship; quality/fonts.py)
)

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" \
    || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "Installing system packages: ${missing[*]}"
if [ "$(id -u)" -eq 0 ]; then
  SUDO=
elif command -v sudo >/dev/null 2>&1; then
  SUDO=sudo
else
  echo "error: these Debian packages are missing and installing them needs root:" >&2
  echo "  apt-get install ${missing[*]}" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
