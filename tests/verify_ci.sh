#!/usr/bin/env bash
# The jq line the README gives lists exactly the fixes under which the spec's
# race property holds, and each row's `closes` says the same as its verdict.
# usage: tests/verify_ci.sh FSRACE (from the source root)
set -uo pipefail
F=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
line=$(grep -o "jq -r '[^']*'" README.md | head -1)
[ -n "$line" ] || { echo "FAIL: README.md has no jq line"; exit 1; }
"$F" verify specs/generic-441.json --set fds=3 --format json > "$work/v.json" || { echo "FAIL: verify did not complete"; exit 1; }
listed=$(eval "$line" < "$work/v.json" | sort)
expected=$(python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
race = d["race"]
for row in d["rows"]:
    if row["verdicts"][race] == "holds": print(row["name"])
    assert row["closes"] == (row["verdicts"][race] == "holds"), row["name"]
' "$work/v.json" | sort) || { echo "FAIL: a row's closes disagrees with its verdict"; exit 1; }
[ -n "$expected" ] || { echo "FAIL: no fix closes the race at fds=3 (the test would prove nothing)"; exit 1; }
if [ "$listed" != "$expected" ]; then
  echo "FAIL: the README's jq line lists"; echo "$listed"; echo "but these fixes close the race:"; echo "$expected"
  exit 1
fi
echo "ok: the README's jq line lists the $(echo "$listed" | wc -l) fixes that close the race"
