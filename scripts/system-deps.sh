#!/usr/bin/env bash
# Make sure the Debian packages a task needs are present.
#
#   scripts/system-deps.sh run|test|bench
#
# As root on Debian the missing ones are installed with apt-get; otherwise the
# script stops with one line naming what to install.
set -euo pipefail

what="${1:-run}"
missing=()

have_cmd() { command -v "$1" >/dev/null 2>&1; }
have_file() { [ -e "$1" ]; }
# python-magic loads libmagic through ctypes.
have_libmagic() { python3 -c 'import ctypes.util, sys; sys.exit(0 if ctypes.util.find_library("magic") else 1)' 2>/dev/null; }
have_venv() { python3 -c 'import ensurepip, venv' 2>/dev/null; }
# WeasyPrint (PDF output) loads Pango through ffi.
have_lib() { python3 -c "import ctypes.util, sys; sys.exit(0 if ctypes.util.find_library('$1') else 1)" 2>/dev/null; }

pg_bin() {
  local d
  for d in "${PG_BIN:-}" /usr/lib/postgresql/15/bin /usr/lib/postgresql/16/bin /usr/lib/postgresql/17/bin; do
    if [ -n "$d" ] && [ -x "$d/initdb" ]; then echo "$d"; return 0; fi
  done
  if have_cmd initdb; then dirname "$(command -v initdb)"; return 0; fi
  return 1
}

# Every task needs a Python that can create a virtual environment, npm, libmagic, gettext,
# Pango (PDF) and a font with Cyrillic letters.
have_venv || missing+=(python3-venv)
have_cmd npm || missing+=(npm)
have_libmagic || missing+=(libmagic1)
have_cmd msgfmt || missing+=(gettext)
have_lib pango-1.0 || missing+=(libpango-1.0-0)
have_lib pangoft2-1.0 || missing+=(libpangoft2-1.0-0)
have_file /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf || missing+=(fonts-dejavu-core)
# OCR of scanned documents (tesseract with Ukrainian and English data; ocrmypdf for PDFs).
have_cmd tesseract || missing+=(tesseract-ocr)
compgen -G "/usr/share/tesseract-ocr/*/tessdata/ukr.traineddata" >/dev/null || missing+=(tesseract-ocr-ukr)
compgen -G "/usr/share/tesseract-ocr/*/tessdata/eng.traineddata" >/dev/null || missing+=(tesseract-ocr-eng)
have_cmd ocrmypdf || missing+=(ocrmypdf)

case "$what" in
  run) ;;
  test)
    have_file /usr/bin/chromium || missing+=(chromium)
    # Generated PDFs are read back in tests.
    have_cmd pdftotext || missing+=(poppler-utils)
    pg_bin >/dev/null || missing+=(postgresql-15)
    # The mayor's mailbox intake is tested against a real IMAP server on loopback.
    have_file /usr/sbin/dovecot || missing+=(dovecot-imapd)
    ;;
  bench)
    pg_bin >/dev/null || missing+=(postgresql-15)
    have_cmd wrk || missing+=(wrk)
    ;;
  *) echo "usage: $0 run|test|bench" >&2; exit 2 ;;
esac

[ "${#missing[@]}" -eq 0 ] && exit 0

if [ "$(id -u)" = 0 ] && have_cmd apt-get; then
  echo "hromada: installing system packages: ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  exit 0
fi

echo "hromada: missing system packages; install them with: sudo apt-get install -y ${missing[*]}" >&2
exit 1
