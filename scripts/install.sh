#!/usr/bin/env bash
# Installs everything omniaudit needs on a fresh Debian machine: Chromium (for JavaScript pages) and a
# virtual environment in .venv with the CPU build of torch. Safe to run again: it skips what is there.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v chromium >/dev/null 2>&1 || ! fc-list 2>/dev/null | grep -q 'Noto Color Emoji'; then
    echo "install: Chromium and an emoji font (Debian packages chromium, fonts-noto-color-emoji)..." >&2
    SUDO=""
    [ "$(id -u)" -ne 0 ] && SUDO="sudo"
    $SUDO apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium fonts-noto-color-emoji >&2
fi

PYTHON="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
    echo "install: virtual environment in .venv..." >&2
    "$PYTHON" -m venv .venv
fi
# torch first and pinned: an unpinned torch pulls gigabytes of CUDA packages.
.venv/bin/python -m pip install -q --upgrade pip >&2
.venv/bin/python -m pip install -q -c constraints.txt "torch==2.13.0" >&2
.venv/bin/python -m pip install -q -c constraints.txt -e ".[test,render]" >&2
echo "install: done ($(.venv/bin/omniaudit --version))" >&2
