#!/usr/bin/env bash
# Vale's own conformance cases (../shared/eval, external data) against `omniaudit lint`.
# Gate: every Tier 1 case passes and at least 50 of the 61 core cases pass (issue 8's targets).
set -uo pipefail
cd "$(dirname "$0")/.."
SUITE="${VALE_CONFORMANCE:-../shared/eval/vale_conformance.py}"
if [ ! -f "$SUITE" ]; then
    echo "conformance: $SUITE not found; skipped" >&2
    exit 0
fi
export PATH="$PWD/.venv/bin:$PATH"
tier1=$(python3 "$SUITE" --cmd "omniaudit lint" --max-tier 1 | tail -n 1)
core=$(python3 "$SUITE" --cmd "omniaudit lint" | tail -n 1)
echo "Vale conformance, tier 1: $tier1"
echo "Vale conformance, all core cases: $core"
read -r t1_pass _ t1_fail _ <<<"${tier1//,/}"
read -r core_pass _ _ _ <<<"${core//,/}"
if [ "${t1_fail:-1}" != "0" ] || [ "${core_pass:-0}" -lt 50 ]; then
    echo "conformance: below target (tier 1 must all pass, core >= 50)" >&2
    exit 1
fi
