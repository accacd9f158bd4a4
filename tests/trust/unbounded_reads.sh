#!/usr/bin/env bash
# Class 3: what is not a regular file is refused at once, never read until
# memory runs out or a writer comes (timeout turns a hang into a failure).
source "$(dirname "$0")/lib.sh"
F=$1
mkfifo "$work/fifo"
expect 2 '^fsrace: error: /dev/zero: /: is a character device' timeout 10 "$F" check /dev/zero
expect 2 'fifo: /: is a FIFO' timeout 10 "$F" check "$work/fifo"
expect 2 ': /: is a directory \(expected a JSON file\)$' timeout 10 "$F" check "$work"
expect 2 'fifo: /: is a FIFO' timeout 10 "$F" replay "$work/fifo"
expect 2 '^fsrace: error: /dev/zero: /: is a character device' timeout 10 "$F" replay /dev/zero
# A trace whose spec_file names a FIFO, and a spec that extends one.
sed "s|\"specs/generic-441.json\"|\"$work/fifo\"|" counterexamples/generic-441/test_passes.json >"$work/trace.json"
expect 2 'trace.json: /spec_file: cannot read ".*fifo" from here: is a FIFO' timeout 10 "$F" replay "$work/trace.json"
echo '{"format": "fsrace.spec/1", "extends": "fifo", "name": "x"}' >"$work/extends.json"
expect 2 'extends.json: /extends: cannot read ".*fifo": is a FIFO' timeout 10 "$F" check "$work/extends.json"
# A file that grows past the limit is read up to the limit and one byte more.
head -c 5000000 /dev/zero | tr '\0' ' ' >"$work/big.json"
expect 2 'big.json: /: file is larger than 4194304 bytes' timeout 10 "$F" check "$work/big.json"
finish
