#!/usr/bin/env bash
# Class 5: SIGINT, SIGTERM and SIGHUP (a terminal, `timeout`, CI runners,
# systemd) stop a running check cleanly: exit 3, a valid JSON document with
# complete: false and stopped_by: interrupted, no universal property holds,
# and the text says what stopped it. A second signal ends the process.
source "$(dirname "$0")/lib.sh"
F=$1
run_and_signal() {  # run_and_signal SIGNAL: starts a long check, signals it once under way
  local sig=$1
  rm -f "$work/r.json" "$work/stderr"
  # Two processes with 4 fds each: 38 million states, far more than the time
  # this takes; the signal comes once the first progress line shows it running.
  "$F" check specs/generic-441.json --set processes=2 --set fds=4 --width 200 --progress --json "$work/r.json" \
    >"$work/stdout" 2>"$work/stderr" &
  pid=$!
  for _ in $(seq 300); do
    grep -qs " states (" "$work/stderr" && break
    sleep 0.1
  done
  kill -"$sig" $pid
}
for sig in INT TERM HUP; do
  run_and_signal $sig
  wait $pid
  rc=$?
  check "SIG$sig: exit 3 (got $rc)" test $rc -eq 3 || { cat "$work/stderr"; tail -5 "$work/stdout"; }
  check "SIG$sig: the JSON says complete: false" grep -q '"complete": false' "$work/r.json"
  check "SIG$sig: stopped_by is interrupted" grep -q '"stopped_by": "interrupted"' "$work/r.json"
  check "SIG$sig: no universal property holds" python3 - "$work/r.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
bad = [p["name"] for p in r["properties"] if p["verdict"] == "holds" and p["kind"] not in ("sometimes", "exists")]
sys.exit(1 if bad else 0)
PY
  check "SIG$sig: the text says what stopped it" grep -q 'INCOMPLETE (stopped by interrupted: a signal' "$work/stdout"
done
# Under timeout(1), which sends SIGTERM to the process and then to its whole
# group (so twice, at once): the same, not a kill.
timeout --preserve-status -s TERM 1 "$F" check specs/generic-441.json --set processes=2 --set fds=4 --json "$work/t.json" >/dev/null 2>&1
rc=$?
check "timeout(1): exit 3 (got $rc)" test $rc -eq 3
check "timeout(1): a complete JSON document, complete: false" python3 -c "import json,sys; sys.exit(json.load(open('$work/t.json'))['stats']['complete'])"
finish
