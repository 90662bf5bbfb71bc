#!/usr/bin/env bash
# What the printing tests need on a fresh Debian machine (called by .ci/run, as root):
# - CUPS (cupsd, lpadmin, lp, lpstat, cancel) for the real raw queue; the tests start their
#   own cupsd on a loopback port, so the system service need not run;
# - Node.js + npm and `npm ci` of the independent ZPL renderer (zpl-renderer-js);
# - Tesseract OCR with Norwegian, to read the rendered label text back.
set -euo pipefail
cd "$(dirname "$0")/.."

export DEBIAN_FRONTEND=noninteractive
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"

need=()
for pkg_cmd in "cups:/usr/sbin/cupsd" "cups-client:lpadmin" "cups-bsd:lpr" "nodejs:node" "npm:npm" \
    "tesseract-ocr:tesseract"; do
  pkg="${pkg_cmd%%:*}"
  cmd="${pkg_cmd#*:}"
  if [ "${cmd#/}" != "$cmd" ]; then
    [ -x "$cmd" ] || need+=("$pkg")
  else
    command -v "$cmd" >/dev/null 2>&1 || need+=("$pkg")
  fi
done
if ! { command -v tesseract >/dev/null 2>&1 && tesseract --list-langs 2>/dev/null | grep -qx nor; }; then
  need+=(tesseract-ocr-nor)
fi
if [ ${#need[@]} -gt 0 ]; then
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
fi

# The renderer: exact versions from package-lock.json.
(cd tests/printing/renderer && npm ci --no-audit --no-fund --loglevel=error)
# A smoke test: the wasm loads and renders under this Node.
echo '[]' | node tests/printing/renderer/render.mjs
