#!/usr/bin/env bash
# fsrace sweep on generic/441 with 2 fds: the numbers agree with check's
# probabilities where the sweep passes through a scheduler check knows
# (1x: the default; 0.1x: reclaim_tenth); the fix that always ends in EIO
# fails the test at every rate; the picture is XML with one polyline per
# curve through the document's numbers; a refused fix set is skipped, a run
# stopped at a limit has no numbers (exit 3); report --sweep embeds the picture.
# usage: tests/sweep.sh FSRACE (from the source root)
F=$1
source "$(dirname "$0")/script_lib.sh"
spec=specs/generic-441.json
args=(sweep "$spec" --set fds=2 --rate reclaim --from 0.1 --to 10 --points 3
      --fix settle_before_table_switch --fix recheck_journal_error_before_triggers)

"$F" "${args[@]}" --json "$work/sweep.json" --svg "$work/linear.svg" > "$work/sweep.txt" || fail "sweep exited $?"
"$F" check "$spec" --set fds=2 --format json > "$work/check.json"
python3 - "$work/sweep.json" "$work/check.json" <<'PY' || fail "the sweep's numbers"
import json, sys
sweep, check = (json.load(open(f)) for f in sys.argv[1:3])
assert sweep["format"] == "fsrace.sweep/1"
assert sweep["multipliers"] == [0.1, 1, 10], sweep["multipliers"]
names = [c["name"] for c in sweep["curves"]]
assert names == ["baseline", "settle_before_table_switch", "recheck_journal_error_before_triggers"], names
by = {c["name"]: c["probabilities"] for c in sweep["curves"]}
sched = {s["name"]: s for s in check["probabilities"]["schedulers"]}
# The sweep's 1x is the default scheduler, its 0.1x the spec's reclaim_tenth.
for at, name in ((1, "default"), (0, "reclaim_tenth")):
    want, got = sched[name]["test_fails"], by["baseline"][at]
    assert abs(want - got) <= 1e-12 * max(1, want), (name, want, got)
assert all(abs(p - 1) <= 1e-12 for p in by["settle_before_table_switch"]), by
assert all(0 < p < 1 for p in by["baseline"]), by
# The window moves with reclaim's rate: not the same figure at every point.
assert len(set(by["baseline"])) == 3, by
PY
grep -q '^0.1x  0.1 ' "$work/sweep.txt" || fail "the table has no row for 0.1x: $(head -5 "$work/sweep.txt")"

# The picture, as XML: one polyline per curve, each through the document's
# numbers on the plot's linear y axis, left to right.
check_svg() {  # SVG JSON LOG_Y
  python3 - "$@" <<'PY'
import json, math, sys
import xml.etree.ElementTree as ET
svg, doc, log_y = ET.parse(sys.argv[1]).getroot(), json.load(open(sys.argv[2])), sys.argv[3] == "1"
ns = {"s": "http://www.w3.org/2000/svg"}
assert not svg.findall(".//s:script", ns), "a script in the picture"
plot = svg.find(".//s:rect[@id='sweep-plot']", ns)
top, bottom = float(plot.get("y")), float(plot.get("y")) + float(plot.get("height"))
groups = svg.findall(".//s:g[@class='sw-curve']", ns)
curves = [c for c in doc["curves"] if c["probabilities"] is not None]
assert [g.get("data-name") for g in groups] == [c["name"] for c in curves], [g.get("data-name") for g in groups]
assert plot.get("data-y-scale") == ("log" if log_y else "linear")
floor = math.log10(float(plot.get("data-y-min"))) if log_y else None
if log_y:  # the axis reaches below the smallest number above 0
    smallest = min([p for c in curves for p in c["probabilities"] if p > 0] + [0.1])
    assert 10.0 ** floor <= smallest * (1 + 1e-9), (floor, smallest)
for g, c in zip(groups, curves):
    lines = g.findall("s:polyline", ns)
    assert len(lines) == 1, len(lines)
    points = [tuple(map(float, p.split(","))) for p in lines[0].get("points").split()]
    assert len(points) == len(doc["multipliers"]), points
    assert all(a[0] < b[0] for a, b in zip(points, points[1:])), "x not increasing"
    for (x, y), p in zip(points, c["probabilities"]):
        t = (math.log10(max(p, 10.0 ** floor)) - floor) / -floor if log_y else p
        assert abs(y - (bottom - t * (bottom - top))) <= 0.06, (c["name"], p, y)
    assert len(g.findall("s:circle", ns) + g.findall("s:rect", ns) + g.findall("s:polygon", ns)) == len(points), "markers"
PY
}
check_svg "$work/linear.svg" "$work/sweep.json" 0 || fail "the linear picture"
"$F" "${args[@]}" --measure 'reopen_fsync[0]=0' --log-y --format svg --json "$work/log.json" > "$work/log.svg" || fail "sweep --log-y exited $?"
check_svg "$work/log.svg" "$work/log.json" 1 || fail "the log picture"
# settle_before_table_switch never returns 0 there: a zero on a log axis is said.
grep -q 'A probability of 0 is drawn at 1e-' "$work/log.svg" || fail "the log picture does not say where 0 is drawn"

# A fix set the model refuses is skipped, with why; the rest is drawn.
"$F" sweep "$spec" --set fds=2 --set reclaim_before_switch=false --rate reclaim --points 2 --fix settle_before_table_switch \
  --format json > "$work/skipped.json" || fail "sweep with a refused fix exited $?"
python3 -c 'import json, sys; d = json.load(open(sys.argv[1])); assert [s["name"] for s in d["skipped"]] == ["settle_before_table_switch"] and len(d["curves"]) == 1 and "reclaim_before_switch" in d["skipped"][0]["why"], d["skipped"]' \
  "$work/skipped.json" || fail "the refused fix set is not skipped with why"

# Stopped at a limit: no numbers, said so, exit 3.
"$F" sweep "$spec" --rate reclaim --points 2 --max-states 100 > "$work/stopped.txt"
[ $? = 3 ] || fail "a sweep stopped at a limit did not exit 3"
grep -q 'baseline: [0-9]* states; no numbers: the run stopped (max_states)' "$work/stopped.txt" || fail "the stopped curve: $(cat "$work/stopped.txt")"

# report --sweep: the same picture inside the page.
"$F" report "$spec" --set fds=2 --fix recheck_journal_error_before_triggers --sweep reclaim --points 3 --from 0.1 --to 10 \
  -o "$work/report.html" > /dev/null
[ $? -le 1 ] || fail "report --sweep did not run"
"$F" sweep "$spec" --set fds=2 --rate reclaim --from 0.1 --to 10 --points 3 --fix recheck_journal_error_before_triggers --format svg > "$work/same.svg"
python3 -c 'import sys; sys.exit(0 if open(sys.argv[2]).read().strip() in open(sys.argv[1]).read() else 1)' "$work/report.html" "$work/same.svg" \
  || fail "the report does not embed the sweep's picture"
[ $status = 0 ] && echo "ok: sweep numbers, picture, skipped and stopped curves, report --sweep"
exit $status
