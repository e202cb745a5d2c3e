#!/usr/bin/env bash
# Debian packages the tests (and the exam-day tools) need:
#   chromium          browser end-to-end tests (never a downloaded browser)
#   fonts-noto-cjk    Chinese text in screenshots and PDFs
#   poppler-utils     pdftoppm, to look at generated PDFs
#   zbar-tools        zbarimg, to read back the QR code printed on tickets
#   bubblewrap        the grading sandbox around python3
#   redis-server      the BullMQ grading test (usually already running)
#   python3 + libs    Debian's interpreter runs the bank's code questions
set -euo pipefail
PACKAGES=(redis-server chromium fonts-noto-cjk poppler-utils zbar-tools bubblewrap python3 python3-numpy python3-pandas python3-lxml python3-requests python3-django python3-sklearn python3-matplotlib python3-scrapy python3-bs4 python3-openpyxl python3-scipy python3-pil)
missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "setup-debian: all packages present"
  exit 0
fi
echo "setup-debian: installing ${missing[*]}"
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
