#!/usr/bin/env bash
# The sweep pictures in docs/ are what the tool draws now: scripts/render-sweep
# run into a temporary folder gives the same bytes (a picture holds no
# timing and no build).
# usage: tests/sweep_current.sh FSRACE (from the source root)
F=$1
source "$(dirname "$0")/script_lib.sh"
FSRACE=$F scripts/render-sweep "$work" > /dev/null || { echo "FAIL: render-sweep"; exit 1; }
for picture in sweep-generic-441.svg sweep-generic-441-reopen-log.svg; do
  if ! cmp -s "$work/$picture" "docs/$picture"; then
    fail "docs/$picture is not what the tool draws now (run scripts/render-sweep and review the diff)"
    diff "docs/$picture" "$work/$picture" | head -10
  fi
done
[ $status = 0 ] && echo "ok: the sweep pictures in docs/ are current"
exit $status
