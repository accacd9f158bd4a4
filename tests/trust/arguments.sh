#!/usr/bin/env bash
# Classes 6 and 7 on the command line: arguments a test runner cannot spell
# in CMake. Control characters and bytes that are not UTF-8 are refused
# before anything is read or written, and echoed escaped; empty values are
# refused rather than read as "none".
source "$(dirname "$0")/lib.sh"
F=$1
spec=specs/generic-441.json
expect 2 '^fsrace: error: out\\x1b\[2J\.json: a control character or a byte that is not UTF-8 in an argument' \
  "$F" check $spec --json $'out\e[2J.json'
expect 2 '^fsrace: error: \\xe0\\x1b\[31mred: a control character' "$F" check $'\xe0\e[31mred'
expect 2 '^fsrace: error: fds=1\\u202e: a control character' "$F" check $spec --set $'fds=1\u202e'
check "nothing was written" test ! -e $'out\e[2J.json'
check "stderr carries no ESC" sh -c "! grep -q \$'\\e' \"$work/stderr\""
expect 2 '^fsrace: error: --json: expected a non-empty value' "$F" check $spec --json ''
expect 2 '^fsrace: error: --write-counterexamples: expected a non-empty value' "$F" check $spec --write-counterexamples ''
expect 2 '^fsrace: error: --spec: expected a non-empty value' "$F" replay counterexamples/generic-441/test_passes.json --spec ''
expect 2 '^fsrace: error: --threads \+2: expected a whole number' "$F" check $spec --threads +2
expect 2 "^fsrace: error: --threads  2: expected a whole number" "$F" check $spec --threads ' 2'
finish
