#!/usr/bin/env bash
# A counterexample written on its own names its fsrace and its spec; replay
# does not compare that provenance (a document another build made replays
# the same), but says when the spec has changed since.
# usage: tests/replay_provenance.sh FSRACE (from the source root)
F=$1
source "$(dirname "$0")/script_lib.sh"
cp specs/generic-441.json "$work/spec.json"
"$F" check "$work/spec.json" --set fds=2 --write-counterexamples "$work/ce" > /dev/null
doc="$work/ce/test_passes.json"
grep -q "\"sha256\": \"$(sha256sum "$work/spec.json" | cut -d' ' -f1)\"" "$doc" || fail "the document does not carry the spec's sha256sum"
"$F" replay "$doc" > "$work/out" || fail "the fresh document does not replay: $(cat "$work/out")"
grep -q "note: the spec has changed" "$work/out" && fail "a note about a spec that has not changed"
# Another build wrote it: replay is the same.
sed -i 's/"commit": "[^"]*"/"commit": "0000000000000000000000000000000000000000"/; s/"fsrace": "[^"]*"/"fsrace": "0.0.1"/' "$doc"
"$F" replay "$doc" > "$work/out" || fail "a document from another build does not replay: $(cat "$work/out")"
# The spec changed (a description: the run is the same): replay says so.
sed -i 's/"description": "fstests/"description": "Fstests/' "$work/spec.json"
"$F" replay "$doc" > "$work/out" || fail "the document does not replay after a description changed: $(cat "$work/out")"
grep -q "note: the spec has changed since the document was made" "$work/out" || fail "no note that the spec changed: $(cat "$work/out")"
# A provenance that is not one is refused, with its pointer.
sed -i 's/"dirty": [a-z]*/"dirty": "yes"/' "$doc"
"$F" replay "$doc" > /dev/null 2> "$work/err"
[ $? -eq 2 ] && grep -q "/provenance/dirty: " "$work/err" || fail "a malformed provenance is not refused with its pointer: $(cat "$work/err")"
[ $status -eq 0 ] && echo "ok: provenance recorded, not replayed; a changed spec is noted"
exit $status
