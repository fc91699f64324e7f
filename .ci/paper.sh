#!/usr/bin/env bash
# The office's paper as the office sees it: the Word reports and the Excel form and ledger
# converted to PDF by LibreOffice (headless), then each page's size and the page count checked.
# Best effort, like the fonts: without LibreOffice (and no root to install Debian's
# libreoffice-writer-nogui and libreoffice-calc-nogui) it says so and checks nothing.
set -euo pipefail

if ! command -v soffice >/dev/null 2>&1; then
  if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    (apt-get update -qq && apt-get install -y -qq libreoffice-writer-nogui libreoffice-calc-nogui poppler-utils) >/dev/null 2>&1 \
      || true
  fi
fi
if ! command -v soffice >/dev/null 2>&1 || ! command -v pdfinfo >/dev/null 2>&1; then
  echo "note: LibreOffice or pdfinfo is not installed; the PDF check of the office's paper is skipped"
  exit 0
fi

work=$(mktemp -d)
export XIXIN_STATE="$work/s.jsonl" XIXIN_CACHE_DIR="$work/cache" XIXIN_WRITER=ci
xixin done 5.3.1 --office all --on 2022-11-25 2>/dev/null
for kind in weekly self-check notice; do
  xixin report "$kind" --as-of 2022-12-05 --format docx -o "$work/$kind.docx" 2>/dev/null
done
xixin form --office 乡民政办 --as-of 2022-11-28 -o "$work/form.xlsx" 2>/dev/null
xixin export xlsx --as-of 2022-12-05 -o "$work/ledger.xlsx" 2>/dev/null
(cd "$work" && timeout 300 soffice --headless --norestore "-env:UserInstallation=file://$work/lo" \
  --convert-to pdf --outdir "$work" ./*.docx ./*.xlsx >/dev/null 2>&1)

# name, orientation (portrait or landscape), least and most pages
status=0
while read -r name orientation least most; do
  pdf="$work/$name.pdf"
  if [ ! -f "$pdf" ]; then echo "FAIL $name: LibreOffice made no PDF"; status=1; continue; fi
  pages=$(pdfinfo "$pdf" | awk '/^Pages:/ {print $2}')
  size=$(pdfinfo "$pdf" | awk '/^Page size:/ {print $3, $5}')
  read -r width height <<<"$size"
  if [ "$orientation" = portrait ]; then want="595 842"; else want="842 595"; fi
  got="$(printf '%.0f %.0f' "$width" "$height")"
  if [ "$got" != "$want" ] || [ "$pages" -lt "$least" ] || [ "$pages" -gt "$most" ]; then
    echo "FAIL $name: $got pt, $pages pages (want A4 $orientation, $least-$most pages)"; status=1
  else
    echo "ok   $name: A4 $orientation, $pages pages"
  fi
done <<'LIST'
weekly portrait 2 40
self-check portrait 5 20
notice portrait 3 40
form landscape 1 1
ledger landscape 2 10
LIST
rm -rf "$work"
exit "$status"
