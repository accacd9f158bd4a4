#!/usr/bin/env bash
# fsrace simulate from the command line: each trace it writes replays
# (regenerated from its seed and run index), an edited run index does not;
# the JSON is the same for one and two threads outside timing; and the exit
# status is 1 exactly when a run violates a property the spec expects to hold.
# usage: tests/simulate_cli.sh FSRACE (from the source root)
F=$1
source "$(dirname "$0")/script_lib.sh"

"$F" simulate specs/generic-441.json --set fds=2 --runs 2000 --write-counterexamples "$work/ce" > /dev/null
[ $? -eq 0 ] || fail "simulate with the spec's expectations did not exit 0"
count=0
for trace in "$work"/ce/*.json; do
  [ -e "$trace" ] || break
  count=$((count + 1))
  out=$("$F" replay "$trace") || fail "replay $trace: exit $? ($out)"
  grep -q "exactly what fsrace simulate writes for run" <<< "$out" || fail "replay $trace: not regenerated from its run: $out"
done
[ "$count" -ge 2 ] || fail "simulate wrote $count counterexamples (expected the two violated properties)"

# Another run index names another run: replay must say so.
python3 -c 'import json, sys; d = json.load(open(sys.argv[1])); d["simulation"]["run"] += 1; json.dump(d, open(sys.argv[2], "w"))' \
  "$work/ce/test_passes.json" "$work/edited.json"
"$F" replay "$work/edited.json" > "$work/edited.out"
[ $? -eq 1 ] || fail "replay of a trace with another run index did not exit 1: $(cat "$work/edited.out")"

# One thread or two: the same document outside timing.
untimed() { python3 -c 'import json, sys; d = json.load(open(sys.argv[1])); d.pop("timing"); print(json.dumps(d, sort_keys=True))' "$1"; }
"$F" simulate specs/generic-441.json --set fds=2 --runs 3000 --seed 9 --threads 1 --format json > "$work/t1.json"
"$F" simulate specs/generic-441.json --set fds=2 --runs 3000 --seed 9 --threads 2 --format json > "$work/t2.json"
untimed "$work/t1.json" > "$work/t1.untimed"
untimed "$work/t2.json" > "$work/t2.untimed"
cmp -s "$work/t1.untimed" "$work/t2.untimed" || fail "simulate --threads 1 and 2 differ outside timing"
"$F" simulate specs/generic-441.json --set fds=2 --runs 3000 --seed 10 --format json > "$work/s10.json"
untimed "$work/s10.json" > "$work/s10.untimed"
cmp -s "$work/t1.untimed" "$work/s10.untimed" && fail "seeds 9 and 10 give the same document"

# Without its expectation, test_passes must hold: a violation is exit 1.
python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
for p in d["properties"]:
    if p["name"] == "test_passes": del p["expect"]
d.pop("expected_states", None)
json.dump(d, open(sys.argv[2], "w"), indent=2)' specs/generic-441.json "$work/expects-pass.json"
out=$("$F" simulate "$work/expects-pass.json" --set fds=1 --runs 500)
[ $? -eq 1 ] || fail "a violation of a property expected to hold did not exit 1"
grep -q "^  violated   test_passes (forall)" <<< "$out" || fail "the text does not name the violated property: $out"

[ $status -eq 0 ] && echo "ok: $count simulated traces replay, an edited one does not; threads change nothing; exit 1 on an expected property violated"
exit $status
