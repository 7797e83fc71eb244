#!/usr/bin/env bash
# One command from a fresh clone: install, then audit both bundled sample brands offline.
# Prints the multichannel sample's report; writes HTML/JSON/Markdown reports of both to out/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh
export HF_HUB_OFFLINE=1
mkdir -p out
.venv/bin/omniaudit audit samples/northwind/omniaudit.yaml --fail-on never \
    -o out/northwind.html -o out/northwind.json -o out/northwind.md
.venv/bin/omniaudit audit samples/brightmart/omniaudit.yaml --fail-on never \
    -o out/brightmart.html -o out/brightmart.json -o out/brightmart.md -o -
